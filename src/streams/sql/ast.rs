//! The syntax tree of Spark SQL expressions and queries, unresolved: a column is a name path,
//! a function a name and arguments. The plan resolves names against schemas and checks types.

use crate::streams::types::DataType;

/// A literal as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `NULL`.
    Null,
    /// `true` / `false`.
    Boolean(bool),
    /// An integral literal: Spark types it `int` when it fits, else `bigint` (`10L` is `bigint`).
    Integer(i64),
    /// `10L`: always `bigint`.
    Long(i64),
    /// A literal with a fraction or exponent (`1.5`, `1e3`, `2.0D`). Spark types `1.5` as a
    /// decimal; Brooklet has no decimal type and uses `double` (README, "Spark in the tab").
    Double(f64),
    /// A string in single or double quotes, escapes resolved.
    String(String),
}

/// A unary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `NOT x` / `!x`.
    Not,
    /// `-x`.
    Minus,
    /// `+x`.
    Plus,
}

/// A binary operator, in Spark's precedence classes (see the parser).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `OR`.
    Or,
    /// `AND`.
    And,
    /// `=` / `==`.
    Eq,
    /// `<=>` (null-safe equality).
    NullSafeEq,
    /// `!=` / `<>`.
    NotEq,
    /// `<`.
    Lt,
    /// `<=`.
    LtEq,
    /// `>`.
    Gt,
    /// `>=`.
    GtEq,
    /// `+`.
    Plus,
    /// `-`.
    Minus,
    /// `*`.
    Multiply,
    /// `/` (always fractional in Spark).
    Divide,
    /// `%`.
    Modulo,
    /// `DIV` (integral division).
    IntDivide,
    /// `||` (string concatenation).
    Concat,
}

/// One expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal.
    Literal(Literal),
    /// A name path as written: `key`, `value.city`, `o.value.order_id`. Which part is a table,
    /// a column or a struct field is decided when it is resolved.
    Column(Vec<String>),
    /// `*` or `t.*` (also `count(*)`'s argument).
    Star(Option<String>),
    /// `base.field` where the base is not a name (`(expr).field`, `a[0].b`).
    Field(Box<Expr>, String),
    /// `base[index]`: an array element (0-based) or a map value.
    Index(Box<Expr>, Box<Expr>),
    /// A unary operation.
    Unary(UnaryOp, Box<Expr>),
    /// A binary operation.
    Binary(Box<Expr>, BinaryOp, Box<Expr>),
    /// `CAST(expr AS type)` (and `expr::type`).
    Cast(Box<Expr>, DataType),
    /// A function call: `count(*)`, `count(DISTINCT x)`, `from_json(value, 'a int')`,
    /// `window(timestamp, '10 minutes')`. The name is as written; lookup ignores case.
    Function {
        /// The function's name as written.
        name: String,
        /// The arguments.
        args: Vec<Expr>,
        /// `DISTINCT` before the arguments.
        distinct: bool,
    },
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    Case {
        /// The operand of a simple `CASE x WHEN 1 …`, or `None` for `CASE WHEN cond …`.
        operand: Option<Box<Expr>>,
        /// The `WHEN` / `THEN` pairs.
        branches: Vec<(Expr, Expr)>,
        /// The `ELSE` value.
        otherwise: Option<Box<Expr>>,
    },
    /// `x IS [NOT] NULL`.
    IsNull {
        /// The tested value.
        expr: Box<Expr>,
        /// `IS NOT NULL`.
        negated: bool,
    },
    /// `x [NOT] LIKE 'pattern'` (also `RLIKE` with `regex`).
    Like {
        /// The tested value.
        expr: Box<Expr>,
        /// The pattern.
        pattern: Box<Expr>,
        /// `NOT LIKE`.
        negated: bool,
        /// `RLIKE` / `REGEXP`: the pattern is a regular expression.
        regex: bool,
    },
    /// `x [NOT] IN (a, b, …)`.
    InList {
        /// The tested value.
        expr: Box<Expr>,
        /// The candidates.
        list: Vec<Expr>,
        /// `NOT IN`.
        negated: bool,
    },
    /// `x [NOT] BETWEEN low AND high`.
    Between {
        /// The tested value.
        expr: Box<Expr>,
        /// The lower bound, inclusive.
        low: Box<Expr>,
        /// The upper bound, inclusive.
        high: Box<Expr>,
        /// `NOT BETWEEN`.
        negated: bool,
    },
    /// `INTERVAL 10 MINUTES` / `INTERVAL '10 minutes'`: kept as Spark's interval text
    /// (`10 minutes`).
    Interval(String),
    /// `expr AS name` (or `expr name`) in a select list.
    Alias(Box<Expr>, String),
}

/// One query: `SELECT … FROM … WHERE … GROUP BY … HAVING … ORDER BY … LIMIT …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// `SELECT DISTINCT`.
    pub distinct: bool,
    /// The select list (with [`Expr::Alias`] where named).
    pub projection: Vec<Expr>,
    /// `FROM`, absent for `SELECT 1`.
    pub from: Option<FromItem>,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// `GROUP BY`.
    pub group_by: Vec<Expr>,
    /// `HAVING`.
    pub having: Option<Expr>,
    /// `ORDER BY`.
    pub order_by: Vec<OrderBy>,
    /// `LIMIT n`.
    pub limit: Option<u64>,
}

/// One `ORDER BY` key.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderBy {
    /// The key.
    pub expr: Expr,
    /// `ASC` (the default) or `DESC`.
    pub ascending: bool,
    /// `NULLS FIRST` / `NULLS LAST`; `None` is Spark's default (first when ascending, last when
    /// descending).
    pub nulls_first: Option<bool>,
}

/// What a query reads.
#[derive(Debug, Clone, PartialEq)]
pub enum FromItem {
    /// A view or table by name, with an optional alias.
    Table {
        /// The name as written (`orders`, `default.orders_bronze`).
        name: Vec<String>,
        /// `AS o` / `o`.
        alias: Option<String>,
    },
    /// `(SELECT …) [AS] alias`.
    Subquery {
        /// The inner query.
        query: Box<Select>,
        /// Its alias.
        alias: Option<String>,
    },
    /// `left [INNER|LEFT [OUTER]|RIGHT [OUTER]|FULL [OUTER]|CROSS] JOIN right [ON cond | USING (cols)]`.
    Join {
        /// The left side.
        left: Box<FromItem>,
        /// The right side.
        right: Box<FromItem>,
        /// The join's kind.
        kind: JoinKind,
        /// `ON cond`, `USING (a, b)`, or nothing (a cross join).
        constraint: JoinConstraint,
    },
}

/// The kind of a join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `[INNER] JOIN`.
    Inner,
    /// `LEFT [OUTER] JOIN`.
    LeftOuter,
    /// `RIGHT [OUTER] JOIN`.
    RightOuter,
    /// `FULL [OUTER] JOIN`.
    FullOuter,
    /// `CROSS JOIN` (or `,` between tables).
    Cross,
}

/// How a join matches rows.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinConstraint {
    /// `ON condition`.
    On(Expr),
    /// `USING (a, b)`.
    Using(Vec<String>),
    /// No condition.
    None,
}

/// One statement of `spark.sql(…)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// A query.
    Select(Box<Select>),
    /// `SHOW TABLES`.
    ShowTables,
    /// `DESCRIBE [TABLE] name`.
    Describe(Vec<String>),
    /// `DESCRIBE HISTORY name` (the course's Delta table versions).
    DescribeHistory(Vec<String>),
}
