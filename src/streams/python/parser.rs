//! The statement half of the recursive-descent parser (the expression half is [`super::expr`]):
//! logical lines of simple statements separated by `;`, as in Python's grammar
//! (Grammar/python.gram, `simple_stmts`), and the one-line refusals of everything else.

use super::ast::{Alias, Expr, ImportNames, Stmt, StmtKind};
use super::error::PySyntaxError;
use super::lexer::{Tok, Token};
use super::MAX_NESTING;

/// Python's hard keywords: never names.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Whether `word` is a Python keyword.
pub(super) fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// A cursor over the tokens, with the nesting depth of the expression being parsed.
pub(super) struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    pub(super) fn new(tokens: Vec<Token>) -> Self {
        Parser {
            tokens,
            pos: 0,
            depth: 0,
        }
    }

    /// Whether every token has been read (a partial token list has no [`Tok::End`]).
    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
            || self.tokens.get(self.pos).is_some_and(|t| t.tok == Tok::End)
    }

    pub(super) fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    pub(super) fn peek_at(&self, ahead: usize) -> &Tok {
        self.tokens
            .get(self.pos + ahead)
            .map(|t| &t.tok)
            .unwrap_or(&Tok::End)
    }

    /// The line of the current token (the last line when past the end).
    pub(super) fn line(&self) -> usize {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map(|t| t.line)
            .unwrap_or(1)
    }

    pub(super) fn advance(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        tok
    }

    pub(super) fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    pub(super) fn eat_op(&mut self, op: &str) -> bool {
        let found = self.is_op(op);
        if found {
            self.advance();
        }
        found
    }

    pub(super) fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == kw)
    }

    pub(super) fn invalid(&self) -> PySyntaxError {
        PySyntaxError::InvalidSyntax { line: self.line() }
    }

    pub(super) fn unsupported(&self, what: &'static str) -> PySyntaxError {
        PySyntaxError::Unsupported {
            what,
            line: self.line(),
        }
    }

    pub(super) fn expect_op(&mut self, op: &str) -> Result<(), PySyntaxError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.invalid())
        }
    }

    /// Enters one more level of nesting, refusing past [`MAX_NESTING`] so that no input can
    /// exhaust the stack.
    pub(super) fn enter(&mut self) -> Result<(), PySyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(PySyntaxError::TooDeep {
                limit: MAX_NESTING,
                line: self.line(),
            });
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.leave_n(1);
    }

    pub(super) fn leave_n(&mut self, levels: usize) {
        self.depth = self.depth.saturating_sub(levels);
    }

    /// A name that is not a keyword.
    pub(super) fn ident(&mut self) -> Result<String, PySyntaxError> {
        match self.peek() {
            Tok::Name(n) if !is_keyword(n) => {
                let n = n.clone();
                self.advance();
                Ok(n)
            }
            _ => Err(self.invalid()),
        }
    }

    /// The whole program: logical lines until the end.
    pub(super) fn program(&mut self) -> Result<Vec<Stmt>, PySyntaxError> {
        let mut stmts = Vec::new();
        loop {
            match self.peek() {
                Tok::End => return Ok(stmts),
                Tok::Newline => {
                    self.advance();
                }
                Tok::Indent => {
                    let line = self.line();
                    self.advance();
                    return Err(if self.is_op(".") {
                        PySyntaxError::DanglingDot { line }
                    } else {
                        PySyntaxError::UnexpectedIndent { line }
                    });
                }
                Tok::Op(".") => return Err(PySyntaxError::DanglingDot { line: self.line() }),
                _ => self.logical_line(&mut stmts)?,
            }
        }
    }

    /// `stmt (';' stmt)* [';'] NEWLINE`.
    fn logical_line(&mut self, stmts: &mut Vec<Stmt>) -> Result<(), PySyntaxError> {
        loop {
            stmts.push(self.small_stmt()?);
            let separated = self.eat_op(";");
            match self.peek() {
                Tok::Newline => {
                    self.advance();
                    return Ok(());
                }
                Tok::End => return Ok(()),
                _ if separated => {}
                _ => return Err(self.invalid()),
            }
        }
    }

    fn small_stmt(&mut self) -> Result<Stmt, PySyntaxError> {
        let line = self.line();
        let kind = match self.peek() {
            Tok::Name(word) if is_keyword(word) => match word.as_str() {
                "pass" => {
                    self.advance();
                    StmtKind::Pass
                }
                "import" => self.import()?,
                "from" => self.import_from()?,
                "True" | "False" | "None" | "not" | "lambda" => self.expr_or_assign()?,
                other => return Err(self.refuse_keyword(other)),
            },
            Tok::Op("@") => return Err(self.unsupported("decorators ('@')")),
            _ => self.expr_or_assign()?,
        };
        Ok(Stmt { line, kind })
    }

    /// The one line for a statement keyword the shell does not run.
    fn refuse_keyword(&self, word: &str) -> PySyntaxError {
        let what = match word {
            "def" => "function definitions ('def')",
            "class" => "class definitions ('class')",
            "for" => "'for' loops",
            "while" => "'while' loops",
            "if" | "elif" | "else" => "'if' statements",
            "with" => "'with' statements",
            "try" | "except" | "finally" => "'try' statements",
            "return" => "'return' statements",
            "yield" => "'yield' expressions",
            "del" => "'del' statements",
            "global" | "nonlocal" => "'global' and 'nonlocal' declarations",
            "assert" => "'assert' statements",
            "raise" => "'raise' statements",
            "break" | "continue" => "'break' and 'continue' statements",
            "async" | "await" => "'async' and 'await'",
            _ => return self.invalid(),
        };
        self.unsupported(what)
    }

    /// `import a.b [as c], …`.
    fn import(&mut self) -> Result<StmtKind, PySyntaxError> {
        self.advance();
        let mut names = Vec::new();
        loop {
            names.push(self.alias()?);
            if !self.eat_op(",") {
                return Ok(StmtKind::Import(names));
            }
        }
    }

    fn dotted_name(&mut self) -> Result<String, PySyntaxError> {
        let mut name = self.ident()?;
        while self.eat_op(".") {
            name.push('.');
            name.push_str(&self.ident()?);
        }
        Ok(name)
    }

    fn alias(&mut self) -> Result<Alias, PySyntaxError> {
        let name = self.dotted_name()?;
        let asname = if self.is_kw("as") {
            self.advance();
            Some(self.ident()?)
        } else {
            None
        };
        Ok(Alias { name, asname })
    }

    /// `from module import *`, `from module import a, b as c`, `from module import (a, b,)`.
    fn import_from(&mut self) -> Result<StmtKind, PySyntaxError> {
        self.advance();
        if self.is_op(".") || self.is_op("...") {
            return Err(self.unsupported("relative imports ('from . import x')"));
        }
        let module = self.dotted_name()?;
        if !self.is_kw("import") {
            return Err(self.invalid());
        }
        self.advance();
        if self.eat_op("*") {
            return Ok(StmtKind::FromImport {
                module,
                names: ImportNames::Star,
            });
        }
        let parenthesised = self.eat_op("(");
        let mut names = Vec::new();
        loop {
            if self.alias_name_follows() {
                let name = self.ident()?;
                let asname = if self.is_kw("as") {
                    self.advance();
                    Some(self.ident()?)
                } else {
                    None
                };
                names.push(Alias { name, asname });
            } else if !(parenthesised && !names.is_empty() && self.is_op(")")) {
                return Err(self.invalid());
            }
            if !self.eat_op(",") {
                break;
            }
            if !parenthesised && !self.alias_name_follows() {
                return Err(self.invalid());
            }
        }
        if parenthesised {
            self.expect_op(")")?;
        }
        Ok(StmtKind::FromImport {
            module,
            names: ImportNames::Names(names),
        })
    }

    fn alias_name_follows(&self) -> bool {
        matches!(self.peek(), Tok::Name(n) if !is_keyword(n))
    }

    /// An expression statement, or `target = … = value`.
    fn expr_or_assign(&mut self) -> Result<StmtKind, PySyntaxError> {
        let line = self.line();
        let first = self.testlist()?;
        if self.is_op("=") {
            let mut targets = vec![target_name(&first, line)?];
            loop {
                self.advance();
                let value = self.testlist()?;
                if self.is_op("=") {
                    targets.push(target_name(&value, line)?);
                } else {
                    return Ok(StmtKind::Assign { targets, value });
                }
            }
        }
        match self.peek() {
            Tok::Op(op)
                if op.len() >= 2
                    && op.ends_with('=')
                    && !matches!(*op, "==" | "!=" | "<=" | ">=") =>
            {
                return Err(self.unsupported("augmented assignments ('x += 1')"))
            }
            Tok::Op(":") => return Err(self.unsupported("annotations ('x: int = …')")),
            _ => {}
        }
        if let Expr::Name(name) = &first {
            if matches!(name.as_str(), "print" | "exec") && self.starts_expr() {
                return Err(PySyntaxError::MissingParentheses {
                    name: name.clone(),
                    line,
                });
            }
        }
        Ok(StmtKind::Expr(first))
    }
}

/// The name an assignment binds, or why `expr` cannot be assigned to.
fn target_name(expr: &Expr, line: usize) -> Result<String, PySyntaxError> {
    let cannot = |what| Err(PySyntaxError::CannotAssign { what, line });
    let unsupported = |what| Err(PySyntaxError::UnsupportedTarget { what, line });
    match expr {
        Expr::Name(name) => Ok(name.clone()),
        Expr::Attribute { .. } => unsupported("an attribute ('a.b = …')"),
        Expr::Subscript { .. } => unsupported("an item ('a[i] = …')"),
        Expr::Tuple(_) | Expr::List(_) => unsupported("several names at once ('a, b = …')"),
        Expr::Call { .. } => cannot("function call"),
        Expr::Str(_)
        | Expr::Bytes(_)
        | Expr::Int(_)
        | Expr::Float(_)
        | Expr::Bool(_)
        | Expr::NoneLit => cannot("literal"),
        Expr::Dict(_) => cannot("dict literal"),
        Expr::Compare { .. } => cannot("comparison"),
        Expr::Unary { .. } | Expr::Binary { .. } | Expr::BoolOp { .. } => cannot("expression"),
    }
}
