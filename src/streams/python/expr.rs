//! The expression half of the recursive-descent parser, one function per precedence level of
//! Python's grammar (Grammar/python.gram: `disjunction` … `power`, `primary`, `atom`), lowest
//! first: `or`, `and`, `not`, comparisons, `|`, `^`, `&`, shifts, `+ -`, `* / // %`, unary
//! `- + ~`, `**`, then calls, attributes and subscripts.
//!
//! Every level that can recurse on the same input without consuming a bracket (`not`, unary
//! operators, `**`) and every bracket enters [`Parser::enter`], so nesting is bounded.

use super::ast::{BinOp, BoolOpKind, CmpOp, Expr, UnaryOp};
use super::error::PySyntaxError;
use super::lexer::Tok;
use super::parser::{is_keyword, Parser};

/// What a binary operator builds.
#[derive(Clone, Copy)]
enum Infix {
    Bool(BoolOpKind),
    Compare(CmpOp),
    Arith(BinOp),
}

/// Binding powers, Python's precedence from loosest to tightest; `not` sits between `and` and
/// the comparisons.
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const COMPARE: u8 = 4;

impl Infix {
    fn power(self) -> u8 {
        match self {
            Infix::Bool(BoolOpKind::Or) => OR,
            Infix::Bool(BoolOpKind::And) => AND,
            Infix::Compare(_) => COMPARE,
            Infix::Arith(op) => match op {
                BinOp::BitOr => 5,
                BinOp::BitXor => 6,
                BinOp::BitAnd => 7,
                BinOp::LShift | BinOp::RShift => 8,
                BinOp::Add | BinOp::Sub => 9,
                BinOp::Mul | BinOp::Div | BinOp::FloorDiv | BinOp::Mod => 10,
                // `**` is parsed by `unary`, tighter than every level here.
                BinOp::Pow => 12,
            },
        }
    }

    fn build(self, left: Expr, right: Expr) -> Expr {
        let (left, right) = (Box::new(left), Box::new(right));
        match self {
            Infix::Bool(op) => Expr::BoolOp { op, left, right },
            Infix::Compare(op) => Expr::Compare { op, left, right },
            Infix::Arith(op) => Expr::Binary { op, left, right },
        }
    }
}

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

impl Parser {
    /// Whether the current token can start an expression (for "Perhaps you forgot a comma?"
    /// and `print x`).
    pub(super) fn starts_expr(&self) -> bool {
        match self.peek() {
            Tok::Name(n) => {
                !is_keyword(n) || matches!(n.as_str(), "True" | "False" | "None" | "not" | "lambda")
            }
            Tok::Int(_) | Tok::Float(_) | Tok::Str(_) | Tok::Bytes(_) => true,
            Tok::Op(op) => matches!(*op, "(" | "[" | "{" | "-" | "+" | "~"),
            Tok::Newline | Tok::Indent | Tok::End => false,
        }
    }

    /// The error after an element inside brackets that is followed by neither `,` nor the
    /// closing bracket.
    fn after_element(&self) -> PySyntaxError {
        if self.is_kw("for") {
            return self.unsupported("comprehensions ('[x for x in …]')");
        }
        if self.starts_expr() {
            return PySyntaxError::ForgotComma { line: self.line() };
        }
        self.invalid()
    }

    /// `a, b` without brackets (a tuple), or one expression.
    pub(super) fn testlist(&mut self) -> Result<Expr, PySyntaxError> {
        let first = self.test()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if !self.starts_expr() {
                break;
            }
            items.push(self.test()?);
        }
        Ok(Expr::Tuple(items))
    }

    /// One expression (Python's `expression`), refusing `lambda`, `x if c else y` and `:=`.
    pub(super) fn test(&mut self) -> Result<Expr, PySyntaxError> {
        if self.is_kw("lambda") {
            return Err(self.unsupported("lambda expressions"));
        }
        let e = self.binary(OR)?;
        if self.is_kw("if") {
            return Err(self.unsupported("conditional expressions ('a if c else b')"));
        }
        if self.is_op(":=") {
            return Err(self.unsupported("assignment expressions (':=')"));
        }
        Ok(e)
    }

    /// The infix operator at the cursor and how many tokens it takes (`not in`, `is not`: 2).
    fn infix(&self) -> Option<(Infix, usize)> {
        let next_is = |word: &str| matches!(self.peek_at(1), Tok::Name(m) if m == word);
        let compare = |op| Some((Infix::Compare(op), 1));
        let arith = |op| Some((Infix::Arith(op), 1));
        match self.peek() {
            Tok::Name(n) => match n.as_str() {
                "or" => Some((Infix::Bool(BoolOpKind::Or), 1)),
                "and" => Some((Infix::Bool(BoolOpKind::And), 1)),
                "in" => compare(CmpOp::In),
                "not" if next_is("in") => Some((Infix::Compare(CmpOp::NotIn), 2)),
                "is" if next_is("not") => Some((Infix::Compare(CmpOp::IsNot), 2)),
                "is" => compare(CmpOp::Is),
                _ => None,
            },
            Tok::Op(op) => match *op {
                "==" => compare(CmpOp::Eq),
                "!=" => compare(CmpOp::NotEq),
                "<" => compare(CmpOp::Lt),
                "<=" => compare(CmpOp::LtE),
                ">" => compare(CmpOp::Gt),
                ">=" => compare(CmpOp::GtE),
                "|" => arith(BinOp::BitOr),
                "^" => arith(BinOp::BitXor),
                "&" => arith(BinOp::BitAnd),
                "<<" => arith(BinOp::LShift),
                ">>" => arith(BinOp::RShift),
                "+" => arith(BinOp::Add),
                "-" => arith(BinOp::Sub),
                "*" => arith(BinOp::Mul),
                "/" => arith(BinOp::Div),
                "//" => arith(BinOp::FloorDiv),
                "%" => arith(BinOp::Mod),
                _ => None,
            },
            _ => None,
        }
    }

    /// Every operator from `or` to `%` binding at least `min_power`, by precedence climbing:
    /// one function for all levels keeps the stack shallow, and the recursion for a right
    /// operand is bounded by the number of levels, not by the input. Each operator applied
    /// counts as one level of nesting (the tree grows one deeper).
    fn binary(&mut self, min_power: u8) -> Result<Expr, PySyntaxError> {
        let mut left = if self.is_kw("not") && min_power <= NOT {
            self.advance();
            self.enter()?;
            let operand = self.binary(NOT);
            self.leave();
            Expr::Unary {
                op: UnaryOp::Not,
                operand: boxed(operand?),
            }
        } else {
            self.unary()?
        };
        let mut applied = 0;
        let mut compared = false;
        let result = loop {
            if self.is_op("@") {
                break Err(self.unsupported("the matrix multiplication operator ('@')"));
            }
            let Some((infix, tokens)) = self.infix().filter(|(i, _)| i.power() >= min_power) else {
                break Ok(left);
            };
            if let Infix::Compare(_) = infix {
                if compared {
                    break Err(PySyntaxError::ChainedComparison { line: self.line() });
                }
                compared = true;
            } else {
                compared = false;
            }
            for _ in 0..tokens {
                self.advance();
            }
            if let Err(e) = self.enter() {
                break Err(e);
            }
            applied += 1;
            match self.binary(infix.power() + 1) {
                Ok(right) => left = infix.build(left, right),
                Err(e) => break Err(e),
            }
        };
        for _ in 0..applied {
            self.leave();
        }
        result
    }

    /// Unary `-`, `+`, `~` (any number, each a level of nesting), then a primary and `**`:
    /// `**` binds tighter than a unary minus on its left (`-2 ** 2` is `-(2 ** 2)`) but not on
    /// its right (`2 ** -1`), and is right-associative.
    fn unary(&mut self) -> Result<Expr, PySyntaxError> {
        let mut ops = Vec::new();
        loop {
            let op = match self.peek() {
                Tok::Op("-") => UnaryOp::Neg,
                Tok::Op("+") => UnaryOp::Pos,
                Tok::Op("~") => UnaryOp::Invert,
                _ => break,
            };
            self.advance();
            if let Err(e) = self.enter() {
                self.leave_n(ops.len() + 1);
                return Err(e);
            }
            ops.push(op);
        }
        let mut e = self.power();
        self.leave_n(ops.len());
        for op in ops.into_iter().rev() {
            e = e.map(|operand| Expr::Unary {
                op,
                operand: boxed(operand),
            });
        }
        e
    }

    fn power(&mut self) -> Result<Expr, PySyntaxError> {
        let base = self.primary()?;
        if !self.eat_op("**") {
            return Ok(base);
        }
        self.enter()?;
        let exponent = self.unary();
        self.leave();
        Ok(Expr::Binary {
            op: BinOp::Pow,
            left: boxed(base),
            right: boxed(exponent?),
        })
    }

    /// An atom followed by `.name`, `(…)` and `[…]`, left to right; each link is a level of
    /// nesting (the tree grows one deeper).
    fn primary(&mut self) -> Result<Expr, PySyntaxError> {
        let mut e = self.atom()?;
        let mut links = 0;
        let result = loop {
            if !(self.is_op(".") || self.is_op("(") || self.is_op("[")) {
                break Ok(e);
            }
            if let Err(err) = self.enter() {
                break Err(err);
            }
            links += 1;
            let linked = if self.eat_op(".") {
                self.ident().map(|attr| Expr::Attribute {
                    value: boxed(e),
                    attr,
                })
            } else if self.is_op("(") {
                self.call(e)
            } else {
                self.subscript(e)
            };
            match linked {
                Ok(next) => e = next,
                Err(err) => break Err(err),
            }
        };
        self.leave_n(links);
        result
    }

    /// `func(a, b, k=v)`.
    fn call(&mut self, func: Expr) -> Result<Expr, PySyntaxError> {
        self.advance();
        self.enter()?;
        let parsed = self.call_arguments();
        self.leave();
        let (args, kwargs) = parsed?;
        Ok(Expr::Call {
            func: boxed(func),
            args,
            kwargs,
        })
    }

    #[allow(clippy::type_complexity)]
    fn call_arguments(&mut self) -> Result<(Vec<Expr>, Vec<(String, Expr)>), PySyntaxError> {
        let mut args = Vec::new();
        let mut kwargs: Vec<(String, Expr)> = Vec::new();
        loop {
            if self.eat_op(")") {
                return Ok((args, kwargs));
            }
            if self.is_op("*") || self.is_op("**") {
                return Err(self.unsupported("unpacking arguments with '*' or '**'"));
            }
            let keyword = match (self.peek(), self.peek_at(1)) {
                (Tok::Name(n), Tok::Op("=")) if !is_keyword(n) => Some(n.clone()),
                _ => None,
            };
            if let Some(name) = keyword {
                let line = self.line();
                self.advance();
                self.advance();
                let value = self.test()?;
                if kwargs.iter().any(|(k, _)| *k == name) {
                    return Err(PySyntaxError::KeywordRepeated { name, line });
                }
                kwargs.push((name, value));
            } else {
                let line = self.line();
                let value = self.test()?;
                if self.is_kw("for") {
                    return Err(self.unsupported("generator expressions ('f(x for x in …)')"));
                }
                if !kwargs.is_empty() {
                    return Err(PySyntaxError::PositionalAfterKeyword { line });
                }
                args.push(value);
            }
            if !self.eat_op(",") && !self.is_op(")") {
                return Err(self.after_element());
            }
        }
    }

    /// `value[index]`.
    fn subscript(&mut self, value: Expr) -> Result<Expr, PySyntaxError> {
        self.advance();
        self.enter()?;
        let index = self.subscript_index();
        self.leave();
        Ok(Expr::Subscript {
            value: boxed(value),
            index: boxed(index?),
        })
    }

    fn subscript_index(&mut self) -> Result<Expr, PySyntaxError> {
        let slice = "slices ('a[1:3]')";
        if self.is_op(":") {
            return Err(self.unsupported(slice));
        }
        let index = self.testlist()?;
        if self.is_op(":") {
            return Err(self.unsupported(slice));
        }
        if !self.eat_op("]") {
            return Err(self.after_element());
        }
        Ok(index)
    }

    fn atom(&mut self) -> Result<Expr, PySyntaxError> {
        let line = self.line();
        match self.peek().clone() {
            Tok::Name(n) => {
                if is_keyword(&n) && !matches!(n.as_str(), "True" | "False" | "None") {
                    return Err(match n.as_str() {
                        "lambda" => self.unsupported("lambda expressions"),
                        "yield" => self.unsupported("'yield' expressions"),
                        "await" => self.unsupported("'async' and 'await'"),
                        _ => self.invalid(),
                    });
                }
                self.advance();
                Ok(match n.as_str() {
                    "True" => Expr::Bool(true),
                    "False" => Expr::Bool(false),
                    "None" => Expr::NoneLit,
                    _ => Expr::Name(n),
                })
            }
            Tok::Int(v) => {
                self.advance();
                Ok(Expr::Int(v))
            }
            Tok::Float(v) => {
                self.advance();
                Ok(Expr::Float(v))
            }
            Tok::Str(_) | Tok::Bytes(_) => self.strings(line),
            Tok::Op("(") => self.bracketed(Self::parenthesised),
            Tok::Op("[") => self.bracketed(Self::list),
            Tok::Op("{") => self.bracketed(Self::dict),
            Tok::Op("...") => Err(self.unsupported("the Ellipsis literal ('...')")),
            Tok::Op("*") => Err(self.unsupported("unpacking with '*'")),
            _ => Err(self.invalid()),
        }
    }

    /// Adjacent string (or bytes) literals, joined as Python joins them.
    fn strings(&mut self, line: usize) -> Result<Expr, PySyntaxError> {
        let mut text: Option<String> = None;
        let mut bytes: Option<Vec<u8>> = None;
        loop {
            match self.peek() {
                Tok::Str(s) => {
                    if bytes.is_some() {
                        return Err(PySyntaxError::MixedBytes { line });
                    }
                    text.get_or_insert_with(String::new).push_str(s);
                }
                Tok::Bytes(b) => {
                    if text.is_some() {
                        return Err(PySyntaxError::MixedBytes { line });
                    }
                    bytes.get_or_insert_with(Vec::new).extend_from_slice(b);
                }
                _ => break,
            }
            self.advance();
        }
        Ok(match (text, bytes) {
            (_, Some(b)) => Expr::Bytes(b),
            (t, None) => Expr::Str(t.unwrap_or_default()),
        })
    }

    /// Consumes an opening bracket and parses what follows with `inner`, one level deeper.
    fn bracketed(
        &mut self,
        inner: fn(&mut Self) -> Result<Expr, PySyntaxError>,
    ) -> Result<Expr, PySyntaxError> {
        self.advance();
        self.enter()?;
        let e = inner(self);
        self.leave();
        e
    }

    /// Elements up to `close`, comma-separated, a trailing comma allowed; `first` is already
    /// parsed and followed by a comma or `close`.
    fn elements(&mut self, close: &str, mut items: Vec<Expr>) -> Result<Vec<Expr>, PySyntaxError> {
        loop {
            if self.eat_op(close) {
                return Ok(items);
            }
            if !self.eat_op(",") {
                return Err(self.after_element());
            }
            if self.eat_op(close) {
                return Ok(items);
            }
            items.push(self.test()?);
        }
    }

    /// `()`, `(x)`, `(x,)`, `(a, b)`.
    fn parenthesised(&mut self) -> Result<Expr, PySyntaxError> {
        if self.eat_op(")") {
            return Ok(Expr::Tuple(Vec::new()));
        }
        let first = self.test()?;
        if self.is_kw("for") {
            return Err(self.unsupported("generator expressions ('(x for x in …)')"));
        }
        if self.eat_op(")") {
            return Ok(first);
        }
        self.elements(")", vec![first]).map(Expr::Tuple)
    }

    /// `[a, b]`.
    fn list(&mut self) -> Result<Expr, PySyntaxError> {
        if self.eat_op("]") {
            return Ok(Expr::List(Vec::new()));
        }
        let first = self.test()?;
        self.elements("]", vec![first]).map(Expr::List)
    }

    /// `{k: v, …}`; sets are refused.
    fn dict(&mut self) -> Result<Expr, PySyntaxError> {
        let mut pairs = Vec::new();
        loop {
            if self.eat_op("}") {
                return Ok(Expr::Dict(pairs));
            }
            if self.is_op("**") {
                return Err(self.unsupported("dict unpacking ('{**d}')"));
            }
            let key = self.test()?;
            if !self.eat_op(":") {
                if self.is_op(",") || self.is_op("}") || self.is_kw("for") {
                    return Err(self.unsupported("set literals and comprehensions ('{a, b}')"));
                }
                return Err(self.after_element());
            }
            let value = self.test()?;
            if self.is_kw("for") {
                return Err(self.unsupported("comprehensions ('[x for x in …]')"));
            }
            pairs.push((key, value));
            if !self.eat_op(",") && !self.is_op("}") {
                return Err(self.after_element());
            }
        }
    }
}
