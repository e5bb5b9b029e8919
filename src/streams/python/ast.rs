//! The syntax tree of the Python the `pyspark` shell runs: statements (assignments, imports,
//! expression statements, `pass`) and expressions. Shaped after Python's own `ast` module, but
//! smaller: only what the shell accepts, so a walker has no case it must refuse for syntax.
//!
//! Owns shape only; nothing here evaluates (the integrator's interpreter walks the tree).

/// A statement and the 1-based line it starts on (for error messages: Python names the line).
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    /// The line of the statement's first token.
    pub line: usize,
    /// What the statement does.
    pub kind: StmtKind,
}

/// A statement's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `a = b = value`: every name in `targets` (in source order) is bound to `value`, evaluated
    /// once.
    Assign {
        /// The names bound, in source order.
        targets: Vec<String>,
        /// The value, evaluated once.
        value: Expr,
    },
    /// An expression on its own (`df.show()`, `query.status`); the interactive shell prints the
    /// value's repr when it is not `None`, as Python's does.
    Expr(Expr),
    /// `import a.b [as c], d`.
    Import(Vec<Alias>),
    /// `from module import names`.
    FromImport {
        /// The dotted module name.
        module: String,
        /// What is imported.
        names: ImportNames,
    },
    /// `pass`.
    Pass,
}

/// A name in an import, with its `as` name: `pyspark.sql.functions as F`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The dotted name as written (`pyspark.sql.functions`).
    pub name: String,
    /// The `as` name, if any.
    pub asname: Option<String>,
}

/// What a `from … import` brings in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportNames {
    /// `import *`.
    Star,
    /// `import a, b as c` (also in parentheses).
    Names(Vec<Alias>),
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A name: `df`, `spark`, `col`.
    Name(String),
    /// `value.attr`: `spark.readStream`, `query.status`.
    Attribute {
        /// The object.
        value: Box<Expr>,
        /// The attribute's name.
        attr: String,
    },
    /// `func(args…, name=value…)`: positional arguments in order, then keyword arguments in
    /// order (Python requires the positional ones first).
    Call {
        /// The function or method called.
        func: Box<Expr>,
        /// Positional arguments.
        args: Vec<Expr>,
        /// Keyword arguments (`truncate=False`), name and value.
        kwargs: Vec<(String, Expr)>,
    },
    /// `value[index]`: `df["col"]`, `row[0]`; `a[x, y]` has a [`Expr::Tuple`] index.
    Subscript {
        /// The object indexed.
        value: Box<Expr>,
        /// The index.
        index: Box<Expr>,
    },
    /// A string literal, escapes resolved; adjacent literals already joined (`"a" "b"` is `"ab"`).
    Str(String),
    /// A bytes literal (`b"…"`), escapes resolved.
    Bytes(Vec<u8>),
    /// An integer literal (Brooklet's shell holds 64 bits).
    Int(i64),
    /// A float literal.
    Float(f64),
    /// `True` / `False`.
    Bool(bool),
    /// `None`.
    NoneLit,
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `(a, b)`, `a, b`, `(a,)`, `()`.
    Tuple(Vec<Expr>),
    /// `{k: v, …}` in source order.
    Dict(Vec<(Expr, Expr)>),
    /// `-x`, `+x`, `~x`, `not x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// `left op right` for arithmetic and bitwise operators.
    Binary {
        /// The operator.
        op: BinOp,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
    },
    /// One comparison `left op right` (chains like `a < b < c` are refused by the parser).
    Compare {
        /// The operator.
        op: CmpOp,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
    },
    /// `left and right` / `left or right`, short-circuiting as in Python; `a or b or c` nests to
    /// the left.
    BoolOp {
        /// The operator.
        op: BoolOpKind,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
    },
}

/// A unary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `+x`.
    Pos,
    /// `~x` (PySpark: a column's logical not).
    Invert,
    /// `not x` (Python's truth test; on a column PySpark raises).
    Not,
}

/// A binary arithmetic or bitwise operator (on columns PySpark maps `&`, `|`, `~` to SQL
/// `AND`, `OR`, `NOT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `//`.
    FloorDiv,
    /// `%`.
    Mod,
    /// `**`.
    Pow,
    /// `&`.
    BitAnd,
    /// `|`.
    BitOr,
    /// `^`.
    BitXor,
    /// `<<`.
    LShift,
    /// `>>`.
    RShift,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`.
    Eq,
    /// `!=`.
    NotEq,
    /// `<`.
    Lt,
    /// `<=`.
    LtE,
    /// `>`.
    Gt,
    /// `>=`.
    GtE,
    /// `in`.
    In,
    /// `not in`.
    NotIn,
    /// `is`.
    Is,
    /// `is not`.
    IsNot,
}

/// `and` / `or`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOpKind {
    /// `and`.
    And,
    /// `or`.
    Or,
}
