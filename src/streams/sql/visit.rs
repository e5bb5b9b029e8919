//! Walking the syntax tree: an expression rebuilt with a function applied to each child, the one
//! traversal the analyzer's rewrites (aggregates out of select lists, niladic functions) and the
//! plan's checks share.

use super::ast::Expr;

/// `expr` with `f` applied to each direct child expression.
pub fn map_children(expr: &Expr, f: &mut dyn FnMut(&Expr) -> Expr) -> Expr {
    let b = |e: &Expr, f: &mut dyn FnMut(&Expr) -> Expr| Box::new(f(e));
    match expr {
        Expr::Literal(_) | Expr::Column(_) | Expr::Star(_) | Expr::Interval(_) => expr.clone(),
        Expr::Field(base, name) => Expr::Field(b(base, f), name.clone()),
        Expr::Index(base, i) => Expr::Index(b(base, f), b(i, f)),
        Expr::Unary(op, e) => Expr::Unary(*op, b(e, f)),
        Expr::Binary(l, op, r) => Expr::Binary(b(l, f), *op, b(r, f)),
        Expr::Cast(e, t) => Expr::Cast(b(e, f), t.clone()),
        Expr::Function {
            name,
            args,
            distinct,
        } => Expr::Function {
            name: name.clone(),
            args: args.iter().map(&mut *f).collect(),
            distinct: *distinct,
        },
        Expr::Case {
            operand,
            branches,
            otherwise,
        } => Expr::Case {
            operand: operand.as_ref().map(|o| b(o, f)),
            branches: branches.iter().map(|(w, t)| (f(w), f(t))).collect(),
            otherwise: otherwise.as_ref().map(|o| b(o, f)),
        },
        Expr::IsNull { expr, negated } => Expr::IsNull {
            expr: b(expr, f),
            negated: *negated,
        },
        Expr::Like {
            expr,
            pattern,
            negated,
            regex,
        } => Expr::Like {
            expr: b(expr, f),
            pattern: b(pattern, f),
            negated: *negated,
            regex: *regex,
        },
        Expr::InList {
            expr,
            list,
            negated,
        } => Expr::InList {
            expr: b(expr, f),
            list: list.iter().map(&mut *f).collect(),
            negated: *negated,
        },
        Expr::Between {
            expr,
            low,
            high,
            negated,
        } => Expr::Between {
            expr: b(expr, f),
            low: b(low, f),
            high: b(high, f),
            negated: *negated,
        },
        Expr::Alias(e, name) => Expr::Alias(b(e, f), name.clone()),
    }
}
