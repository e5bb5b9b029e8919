//! Tests of the shell's Python parser, by theme. Trees are compared through [`render`], which
//! prints a tree back as Python with every operator parenthesised, so a test reads like the
//! source it parsed and still pins the tree's shape (grouping, argument kinds, literal values).

mod course;
mod errors;
mod lines;
mod literals;
mod never_panics;
mod operators;

use super::ast::{BinOp, BoolOpKind, CmpOp, Expr, ImportNames, Stmt, StmtKind, UnaryOp};
use super::parse_program;

/// The statements of `source`, rendered one per line; a syntax error fails the test with its
/// text.
fn parsed(source: &str) -> String {
    match parse_program(source) {
        Ok(stmts) => stmts.iter().map(render_stmt).collect::<Vec<_>>().join("\n"),
        Err(e) => panic!("{source:?} did not parse: {e}"),
    }
}

/// The one line `source`'s syntax error prints, and its line.
fn error(source: &str) -> (String, usize) {
    match parse_program(source) {
        Ok(stmts) => panic!("{source:?} parsed: {stmts:?}"),
        Err(e) => (e.to_string(), e.line()),
    }
}

/// The value of a source that is one expression statement.
fn expr(source: &str) -> Expr {
    match parse_program(source).as_deref() {
        Ok(
            [Stmt {
                kind: StmtKind::Expr(e),
                ..
            }],
        ) => e.clone(),
        other => panic!("{source:?} is not one expression: {other:?}"),
    }
}

fn render_stmt(stmt: &Stmt) -> String {
    match &stmt.kind {
        StmtKind::Assign { targets, value } => {
            format!("{} = {}", targets.join(" = "), render(value))
        }
        StmtKind::Expr(e) => render(e),
        StmtKind::Import(names) => format!("import {}", aliases(names)),
        StmtKind::FromImport { module, names } => match names {
            ImportNames::Star => format!("from {module} import *"),
            ImportNames::Names(names) => format!("from {module} import {}", aliases(names)),
        },
        StmtKind::Pass => "pass".to_string(),
    }
}

fn aliases(names: &[super::ast::Alias]) -> String {
    names
        .iter()
        .map(|a| match &a.asname {
            Some(asname) => format!("{} as {asname}", a.name),
            None => a.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn list(items: &[Expr]) -> String {
    items.iter().map(render).collect::<Vec<_>>().join(", ")
}

/// `e` as Python, operators parenthesised, strings as Rust's debug form (escapes visible).
fn render(e: &Expr) -> String {
    match e {
        Expr::Name(n) => n.clone(),
        Expr::Attribute { value, attr } => format!("{}.{attr}", render(value)),
        Expr::Call { func, args, kwargs } => {
            let mut parts: Vec<String> = args.iter().map(render).collect();
            parts.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", render(v))));
            format!("{}({})", render(func), parts.join(", "))
        }
        Expr::Subscript { value, index } => format!("{}[{}]", render(value), render(index)),
        Expr::Str(s) => format!("{s:?}"),
        Expr::Bytes(b) => format!("b{b:?}"),
        Expr::Int(i) => i.to_string(),
        Expr::Float(f) => format!("{f:?}"),
        Expr::Bool(true) => "True".to_string(),
        Expr::Bool(false) => "False".to_string(),
        Expr::NoneLit => "None".to_string(),
        Expr::List(items) => format!("[{}]", list(items)),
        Expr::Tuple(items) if items.len() == 1 => format!("({},)", list(items)),
        Expr::Tuple(items) => format!("({})", list(items)),
        Expr::Dict(pairs) => {
            let parts: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", render(k), render(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Expr::Unary { op, operand } => {
            let sym = match op {
                UnaryOp::Neg => "-",
                UnaryOp::Pos => "+",
                UnaryOp::Invert => "~",
                UnaryOp::Not => "not ",
            };
            format!("({sym}{})", render(operand))
        }
        Expr::Binary { op, left, right } => {
            let sym = match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                BinOp::Div => "/",
                BinOp::FloorDiv => "//",
                BinOp::Mod => "%",
                BinOp::Pow => "**",
                BinOp::BitAnd => "&",
                BinOp::BitOr => "|",
                BinOp::BitXor => "^",
                BinOp::LShift => "<<",
                BinOp::RShift => ">>",
            };
            format!("({} {sym} {})", render(left), render(right))
        }
        Expr::Compare { op, left, right } => {
            let sym = match op {
                CmpOp::Eq => "==",
                CmpOp::NotEq => "!=",
                CmpOp::Lt => "<",
                CmpOp::LtE => "<=",
                CmpOp::Gt => ">",
                CmpOp::GtE => ">=",
                CmpOp::In => "in",
                CmpOp::NotIn => "not in",
                CmpOp::Is => "is",
                CmpOp::IsNot => "is not",
            };
            format!("({} {sym} {})", render(left), render(right))
        }
        Expr::BoolOp { op, left, right } => {
            let word = match op {
                BoolOpKind::And => "and",
                BoolOpKind::Or => "or",
            };
            format!("({} {word} {})", render(left), render(right))
        }
    }
}
