//! The name Spark gives an unaliased select item, and the text of an expression in error
//! messages: Spark 3.5's `ResolveAliases` (a column keeps its name, `value.city` is `city`, a
//! cast of a column keeps the column's name) and `toPrettySQL` / `usePrettyExpression` (every
//! other expression prints as its SQL: `(a + b)`, `upper(name)`, `round(x, 2)`,
//! `CAST(value.city AS STRING)`, `count(1)`).
//!
//! Owns names only, computed from the syntax tree as written. Deliberate differences: a
//! fractional literal prints as the double it is here (`1.50` prints `1.5`; Spark keeps the
//! decimal's scale), and an interval literal prints as `INTERVAL '10 minutes'`.

use super::bind::BindContext;
use crate::streams::java_text::double_to_string;
use crate::streams::sql::ast::{BinaryOp, Expr, Literal, UnaryOp};

/// Beyond this depth the text is cut short (the binder refuses such expressions anyway).
const MAX_DEPTH: usize = 200;

/// The column name Spark gives `expr` as an unaliased select item, assuming a dotted path's
/// first part is a column (`value.city` is struct access). See [`output_name_in`] for a FROM
/// alias.
pub fn output_name(expr: &Expr) -> String {
    output_name_in(expr, &BindContext::default())
}

/// [`output_name`], knowing the FROM aliases of `ctx` (so `o.key` is column `key` of `o`, and
/// `CAST(o.key AS STRING)` keeps the name `key`).
pub fn output_name_in(expr: &Expr, ctx: &BindContext) -> String {
    let p = Pretty { ctx };
    match expr {
        Expr::Alias(_, name) => name.clone(),
        Expr::Column(parts) => parts.last().cloned().unwrap_or_default(),
        // `Cast(ne: NamedExpression)` keeps the name; a nested field resolved below the top
        // level is no longer named (Spark trims its alias), so `CAST(value.city AS STRING)`
        // is named by its SQL.
        Expr::Cast(child, _) => match child.as_ref() {
            Expr::Column(parts) if p.strip_qualifier(parts).len() == 1 => {
                parts.last().cloned().unwrap_or_default()
            }
            _ => p.sql(expr, 0),
        },
        // Generators name their output column `col` (Spark's `MultiAlias` of `explode`).
        Expr::Function { name, .. }
            if name.eq_ignore_ascii_case("explode")
                || name.eq_ignore_ascii_case("explode_outer") =>
        {
            "col".to_string()
        }
        other => p.sql(other, 0),
    }
}

/// Spark's `toPrettySQL(expr)`: the expression's text as names and messages print it.
pub fn pretty_sql(expr: &Expr) -> String {
    Pretty {
        ctx: &BindContext::default(),
    }
    .sql(expr, 0)
}

/// [`pretty_sql`] knowing the FROM aliases of `ctx`.
pub fn pretty_sql_in(expr: &Expr, ctx: &BindContext) -> String {
    Pretty { ctx }.sql(expr, 0)
}

struct Pretty<'a> {
    ctx: &'a BindContext,
}

impl Pretty<'_> {
    /// A path without its leading FROM alias (`o.value.city` → `value.city`).
    fn strip_qualifier<'p>(&self, parts: &'p [String]) -> &'p [String] {
        match parts.split_first() {
            Some((first, rest))
                if !rest.is_empty()
                    && self
                        .ctx
                        .qualifiers
                        .iter()
                        .any(|q| q.name.eq_ignore_ascii_case(first)) =>
            {
                rest
            }
            _ => parts,
        }
    }

    fn sql(&self, expr: &Expr, depth: usize) -> String {
        if depth > MAX_DEPTH {
            return "...".to_string();
        }
        let d = depth + 1;
        let list = |items: &[Expr]| -> String {
            items
                .iter()
                .map(|e| self.sql(e, d))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match expr {
            Expr::Literal(l) => literal(l),
            Expr::Column(parts) => self.strip_qualifier(parts).join("."),
            Expr::Star(None) => "*".to_string(),
            Expr::Star(Some(t)) => format!("{t}.*"),
            Expr::Field(base, name) => format!("{}.{name}", self.sql(base, d)),
            Expr::Index(base, key) => format!("{}[{}]", self.sql(base, d), self.sql(key, d)),
            Expr::Unary(UnaryOp::Minus, inner) => match inner.as_ref() {
                Expr::Literal(Literal::Integer(_) | Literal::Long(_) | Literal::Double(_)) => {
                    format!("-{}", self.sql(inner, d))
                }
                _ => format!("(- {})", self.sql(inner, d)),
            },
            Expr::Unary(UnaryOp::Plus, inner) => format!("(+ {})", self.sql(inner, d)),
            Expr::Unary(UnaryOp::Not, inner) => format!("(NOT {})", self.sql(inner, d)),
            Expr::Binary(l, op, r) => {
                let (ls, rs) = (self.sql(l, d), self.sql(r, d));
                match op {
                    BinaryOp::NotEq => format!("(NOT ({ls} = {rs}))"),
                    BinaryOp::Concat => format!("concat({ls}, {rs})"),
                    other => format!("({ls} {} {rs})", operator(*other)),
                }
            }
            Expr::Cast(child, t) => format!("CAST({} AS {})", self.sql(child, d), t.sql()),
            Expr::Function {
                name,
                args,
                distinct,
            } => self.function(name, args, *distinct, d),
            Expr::Case {
                operand,
                branches,
                otherwise,
            } => {
                let mut out = "CASE".to_string();
                for (when, then) in branches {
                    let cond = match operand {
                        Some(o) => format!("({} = {})", self.sql(o, d), self.sql(when, d)),
                        None => self.sql(when, d),
                    };
                    out.push_str(&format!(" WHEN {cond} THEN {}", self.sql(then, d)));
                }
                if let Some(e) = otherwise {
                    out.push_str(&format!(" ELSE {}", self.sql(e, d)));
                }
                out.push_str(" END");
                out
            }
            Expr::IsNull { expr, negated } => {
                let not = if *negated { "NOT " } else { "" };
                format!("({} IS {not}NULL)", self.sql(expr, d))
            }
            Expr::Like {
                expr,
                pattern,
                negated,
                regex,
            } => {
                let op = if *regex { "RLIKE" } else { "LIKE" };
                let text = format!("{} {op} {}", self.sql(expr, d), self.sql(pattern, d));
                if *negated {
                    format!("(NOT {text})")
                } else {
                    text
                }
            }
            Expr::InList {
                expr,
                list: items,
                negated,
            } => {
                let text = format!("({} IN ({}))", self.sql(expr, d), list(items));
                if *negated {
                    format!("(NOT {text})")
                } else {
                    text
                }
            }
            // Spark 3.5's parser rewrites BETWEEN to two comparisons.
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => {
                let e = self.sql(expr, d);
                let text = format!(
                    "(({e} >= {}) AND ({e} <= {}))",
                    self.sql(low, d),
                    self.sql(high, d)
                );
                if *negated {
                    format!("(NOT {text})")
                } else {
                    text
                }
            }
            Expr::Interval(text) => format!("INTERVAL '{text}'"),
            Expr::Alias(inner, _) => self.sql(inner, d),
        }
    }

    /// A call's text: Spark's `prettyName(args)`, with the arguments Spark fills in for the
    /// short forms (`round(x)` is `round(x, 0)`, `split(s, ',')` is `split(s, ,, -1)`).
    fn function(&self, name: &str, args: &[Expr], distinct: bool, d: usize) -> String {
        let lower = name.to_ascii_lowercase();
        let mut parts: Vec<String> = args.iter().map(|e| self.sql(e, d)).collect();
        let n = args.len();
        const DEFAULT_FORMAT: &str = "yyyy-MM-dd HH:mm:ss";
        let pretty = match lower.as_str() {
            "count" if n == 1 && matches!(args.first(), Some(Expr::Star(None))) => {
                parts = vec!["1".to_string()];
                "count"
            }
            "ceil" | "ceiling" => "CEIL",
            "floor" => "FLOOR",
            "sqrt" => "SQRT",
            "if" => return format!("(IF({}))", parts.join(", ")),
            "round" | "bround" if n == 1 => {
                parts.push("0".to_string());
                lower.as_str()
            }
            "substring" | "substr" if n == 2 => {
                parts.push(i32::MAX.to_string());
                lower.as_str()
            }
            "split" if n == 2 => {
                parts.push("-1".to_string());
                "split"
            }
            "lpad" | "rpad" if n == 2 => {
                parts.push(" ".to_string());
                lower.as_str()
            }
            "replace" if n == 2 => {
                parts.push(String::new());
                "replace"
            }
            "unix_timestamp" if n < 2 => {
                if n == 0 {
                    parts.push("current_timestamp()".to_string());
                }
                parts.push(DEFAULT_FORMAT.to_string());
                "unix_timestamp"
            }
            "from_unixtime" if n == 1 => {
                parts.push(DEFAULT_FORMAT.to_string());
                "from_unixtime"
            }
            "day" => "day",
            _ => lower.as_str(),
        };
        let distinct = if distinct { "DISTINCT " } else { "" };
        format!("{pretty}({distinct}{})", parts.join(", "))
    }
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Null => "NULL".to_string(),
        Literal::Boolean(b) => b.to_string(),
        Literal::Integer(n) | Literal::Long(n) => n.to_string(),
        Literal::Double(x) => double_to_string(*x),
        Literal::String(s) => s.clone(),
    }
}

fn operator(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Or => "OR",
        BinaryOp::And => "AND",
        BinaryOp::Eq => "=",
        BinaryOp::NullSafeEq => "<=>",
        BinaryOp::NotEq => "!=",
        BinaryOp::Lt => "<",
        BinaryOp::LtEq => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::GtEq => ">=",
        BinaryOp::Plus => "+",
        BinaryOp::Minus => "-",
        BinaryOp::Multiply => "*",
        BinaryOp::Divide => "/",
        BinaryOp::Modulo => "%",
        BinaryOp::IntDivide => "div",
        BinaryOp::Concat => "||",
    }
}
