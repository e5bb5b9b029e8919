//! Expressions, with Spark's precedence (`booleanExpression`, `predicate`, `valueExpression`
//! and `primaryExpression` in `SqlBaseParser.g4`), loosest first:
//!
//! 1. `OR`; 2. `AND`; 3. `NOT` / `!` (its operand is one predicate) and the predicates
//!    `IS [NOT] NULL`, `[NOT] BETWEEN`, `[NOT] IN (…)`, `[NOT] LIKE`, `RLIKE`, `REGEXP`
//!    (one per operand: `a IS NULL = b` is an error, as in Spark);
//! 4. comparisons `= == <=> <> != < <= > >=`; 5. `+ - ||`; 6. `* / % DIV`;
//! 7. unary `-` / `+`; then postfix `a[i]`, `.field` and `::type` on primaries.
//!
//! Binary operators associate to the left. `-1` is a negative literal (Spark's `number` rule
//! takes the sign), not `-(1)`. A bare `current_timestamp` / `current_date` is a name, as in
//! Spark's default (non-ANSI) mode, where the analyzer turns it into the call when no column
//! has that name; `current_timestamp()` is a call. `(x).y` is the name `x.y` (Spark's
//! `visitDereference`); `.field` after anything else is [`Expr::Field`].

use super::Parser;
use crate::streams::sql::ast::{BinaryOp, Expr, Literal, UnaryOp};
use crate::streams::sql::error::SqlError;
use crate::streams::sql::lexer::{NumberKind, Tok, Token};
use crate::streams::types::DataType;

const OR: u8 = 1;
const AND: u8 = 2;
const PREDICATE: u8 = 3;
const COMPARISON: u8 = 4;
const ADDITIVE: u8 = 5;
const MULTIPLICATIVE: u8 = 6;
const UNARY: u8 = 7;

/// The words that follow `INTERVAL <n>` as units.
const INTERVAL_UNITS: &[&str] = &[
    "YEAR",
    "YEARS",
    "MONTH",
    "MONTHS",
    "WEEK",
    "WEEKS",
    "DAY",
    "DAYS",
    "HOUR",
    "HOURS",
    "MINUTE",
    "MINUTES",
    "SECOND",
    "SECONDS",
    "MILLISECOND",
    "MILLISECONDS",
    "MICROSECOND",
    "MICROSECONDS",
];

impl Parser<'_> {
    /// An expression with an optional alias: `expr [AS] name` (Spark's `namedExpression`).
    pub(super) fn named_expression(&mut self) -> Result<Expr, SqlError> {
        let e = self.expression()?;
        if self.eat_kw("AS") {
            let name = self.identifier(true)?;
            return Ok(Expr::Alias(Box::new(e), name));
        }
        if self.at_bare_alias() {
            let name = self.identifier(false)?;
            return Ok(Expr::Alias(Box::new(e), name));
        }
        Ok(e)
    }

    /// A whole expression.
    pub(super) fn expression(&mut self) -> Result<Expr, SqlError> {
        self.binary(OR)
    }

    /// Comma-separated expressions, at least one.
    pub(super) fn expression_list(&mut self) -> Result<Vec<Expr>, SqlError> {
        let mut list = vec![self.expression()?];
        while self.eat(&Tok::Comma) {
            list.push(self.expression()?);
        }
        Ok(list)
    }

    /// Operators binding at least as tightly as `min`, by precedence climbing.
    fn binary(&mut self, min: u8) -> Result<Expr, SqlError> {
        self.nested(|p| p.binary_inner(min))
    }

    fn binary_inner(&mut self, min: u8) -> Result<Expr, SqlError> {
        let (mut lhs, mut boolean_only) = self.prefix(min)?;
        loop {
            if !boolean_only && min <= PREDICATE {
                if let Some(e) = self.predicate(&lhs)? {
                    lhs = e;
                    // A predicate ends its operand: only AND / OR may follow.
                    boolean_only = true;
                    continue;
                }
            }
            let Some((op, prec)) = self.binary_operator() else {
                break;
            };
            if prec < min || (boolean_only && prec > AND) {
                break;
            }
            self.advance();
            let rhs = self.binary(prec + 1)?;
            lhs = Expr::Binary(Box::new(lhs), op, Box::new(rhs));
            if prec <= AND {
                boolean_only = true;
            }
        }
        Ok(lhs)
    }

    /// The binary operator at the next token and its precedence.
    fn binary_operator(&self) -> Option<(BinaryOp, u8)> {
        let t = self.peek();
        let op = match t.tok {
            Tok::Eq => (BinaryOp::Eq, COMPARISON),
            Tok::NullSafeEq => (BinaryOp::NullSafeEq, COMPARISON),
            Tok::LtGt | Tok::BangEq => (BinaryOp::NotEq, COMPARISON),
            Tok::Lt => (BinaryOp::Lt, COMPARISON),
            Tok::LtEq => (BinaryOp::LtEq, COMPARISON),
            Tok::Gt => (BinaryOp::Gt, COMPARISON),
            Tok::GtEq => (BinaryOp::GtEq, COMPARISON),
            Tok::Plus => (BinaryOp::Plus, ADDITIVE),
            Tok::Minus => (BinaryOp::Minus, ADDITIVE),
            Tok::Concat => (BinaryOp::Concat, ADDITIVE),
            Tok::Star => (BinaryOp::Multiply, MULTIPLICATIVE),
            Tok::Slash => (BinaryOp::Divide, MULTIPLICATIVE),
            Tok::Percent => (BinaryOp::Modulo, MULTIPLICATIVE),
            Tok::Word if self.is_kw("OR") => (BinaryOp::Or, OR),
            Tok::Word if self.is_kw("AND") => (BinaryOp::And, AND),
            Tok::Word if self.is_kw("DIV") => (BinaryOp::IntDivide, MULTIPLICATIVE),
            _ => return None,
        };
        Some(op)
    }

    /// A prefix operator and its operand, or a primary with its postfixes. The flag says the
    /// result is a `NOT`, after which only `AND` / `OR` may follow.
    fn prefix(&mut self, min: u8) -> Result<(Expr, bool), SqlError> {
        let t = self.peek().clone();
        // NOT belongs to boolean positions only (`a = NOT b` is an error, as in Spark).
        if min <= PREDICATE && (t.tok == Tok::Bang || self.is_kw("NOT")) {
            self.advance();
            let operand = self.binary(PREDICATE)?;
            return Ok((Expr::Unary(UnaryOp::Not, Box::new(operand)), true));
        }
        if t.tok == Tok::Minus {
            self.advance();
            if let Tok::Number(kind) = self.peek().tok {
                let n = self.advance();
                let e = self.number(&n, kind, true)?;
                return Ok((self.postfix(e)?, false));
            }
            let operand = self.binary(UNARY)?;
            return Ok((Expr::Unary(UnaryOp::Minus, Box::new(operand)), false));
        }
        if t.tok == Tok::Plus {
            self.advance();
            let operand = self.binary(UNARY)?;
            return Ok((Expr::Unary(UnaryOp::Plus, Box::new(operand)), false));
        }
        let e = self.primary()?;
        Ok((self.postfix(e)?, false))
    }

    /// A predicate after `lhs`, if one follows.
    fn predicate(&mut self, lhs: &Expr) -> Result<Option<Expr>, SqlError> {
        let boxed = || Box::new(lhs.clone());
        if self.is_kw("IS") {
            self.advance();
            let negated = self.eat_kw("NOT");
            if self.eat_kw("NULL") || self.eat_kw("UNKNOWN") {
                return Ok(Some(Expr::IsNull {
                    expr: boxed(),
                    negated,
                }));
            }
            // `IS [NOT] TRUE|FALSE` and `IS [NOT] DISTINCT FROM` are null-safe comparisons,
            // as Spark's AstBuilder builds them.
            let other = if self.eat_kw("TRUE") {
                Expr::Literal(Literal::Boolean(true))
            } else if self.eat_kw("FALSE") {
                Expr::Literal(Literal::Boolean(false))
            } else if self.eat_kw("DISTINCT") {
                self.expect_kw("FROM")?;
                let right = self.binary(COMPARISON)?;
                let same = Expr::Binary(boxed(), BinaryOp::NullSafeEq, Box::new(right));
                return Ok(Some(if negated {
                    same
                } else {
                    Expr::Unary(UnaryOp::Not, Box::new(same))
                }));
            } else {
                return Err(self.error_here());
            };
            let same = Expr::Binary(boxed(), BinaryOp::NullSafeEq, Box::new(other));
            return Ok(Some(if negated {
                Expr::Unary(UnaryOp::Not, Box::new(same))
            } else {
                same
            }));
        }
        let negated = self.is_kw("NOT");
        let at = usize::from(negated);
        if self.is_kw_at(at, "BETWEEN") {
            self.i += at + 1;
            let low = self.binary(COMPARISON)?;
            self.expect_kw("AND")?;
            let high = self.binary(COMPARISON)?;
            return Ok(Some(Expr::Between {
                expr: boxed(),
                low: Box::new(low),
                high: Box::new(high),
                negated,
            }));
        }
        if self.is_kw_at(at, "IN") {
            self.i += at + 1;
            self.expect(&Tok::LParen)?;
            if self.is_kw("SELECT") {
                // `IN (subquery)`: the syntax tree has no subquery expression.
                return Err(self.error_here());
            }
            let list = self.expression_list()?;
            self.expect(&Tok::RParen)?;
            return Ok(Some(Expr::InList {
                expr: boxed(),
                list,
                negated,
            }));
        }
        let regex = self.is_kw_at(at, "RLIKE") || self.is_kw_at(at, "REGEXP");
        if regex || self.is_kw_at(at, "LIKE") {
            self.i += at + 1;
            let pattern = self.binary(COMPARISON)?;
            return Ok(Some(Expr::Like {
                expr: boxed(),
                pattern: Box::new(pattern),
                negated,
                regex,
            }));
        }
        Ok(None)
    }

    /// `[index]`, `.field`, `.*` and `::type` after a primary.
    fn postfix(&mut self, mut e: Expr) -> Result<Expr, SqlError> {
        loop {
            match self.peek().tok {
                Tok::LBracket => {
                    self.advance();
                    let index = self.expression()?;
                    self.expect(&Tok::RBracket)?;
                    e = Expr::Index(Box::new(e), Box::new(index));
                }
                Tok::Dot => {
                    self.advance();
                    if self.is(&Tok::Star) {
                        let Expr::Column(path) = e else {
                            return Err(self.error_here());
                        };
                        self.advance();
                        e = Expr::Star(Some(path.join(".")));
                        continue;
                    }
                    let name = self.identifier(true)?;
                    e = match e {
                        Expr::Column(mut path) => {
                            path.push(name);
                            Expr::Column(path)
                        }
                        other => Expr::Field(Box::new(other), name),
                    };
                }
                Tok::DoubleColon => {
                    self.advance();
                    let t = self.data_type()?;
                    e = Expr::Cast(Box::new(e), t);
                }
                _ => return Ok(e),
            }
        }
    }

    /// A literal, name, call, `CASE`, `CAST`, `INTERVAL`, `*` or parenthesised expression.
    fn primary(&mut self) -> Result<Expr, SqlError> {
        let t = self.peek().clone();
        match &t.tok {
            Tok::Number(kind) => {
                self.advance();
                self.number(&t, *kind, false)
            }
            Tok::Str(_) => Ok(Expr::Literal(Literal::String(self.strings()))),
            Tok::Star => {
                self.advance();
                Ok(Expr::Star(None))
            }
            Tok::LParen => {
                self.advance();
                if self.is_kw("SELECT") {
                    // A scalar subquery: the syntax tree has none.
                    return Err(self.error_here());
                }
                let e = self.expression()?;
                // `(a, b)` (a struct constructor) is not in the syntax tree either.
                self.expect(&Tok::RParen)?;
                Ok(e)
            }
            Tok::Quoted(_) => self.name_or_call(),
            Tok::Word => self.word_primary(&t),
            _ => Err(self.error_at(&t)),
        }
    }

    /// Adjacent string literals, joined (`'a' 'b'` is `'ab'`, as in Spark).
    fn strings(&mut self) -> String {
        let mut out = String::new();
        while let Tok::Str(s) = &self.peek().tok {
            out.push_str(s);
            self.advance();
        }
        out
    }

    fn word_primary(&mut self, t: &Token) -> Result<Expr, SqlError> {
        let next = self.peek_at(1).tok.clone();
        let next_is_string = matches!(next, Tok::Str(_));
        if self.eat_kw("NULL") {
            return Ok(Expr::Literal(Literal::Null));
        }
        if self.eat_kw("TRUE") {
            return Ok(Expr::Literal(Literal::Boolean(true)));
        }
        if self.eat_kw("FALSE") {
            return Ok(Expr::Literal(Literal::Boolean(false)));
        }
        if self.is_kw("CASE") {
            return self.case();
        }
        if self.is_kw("CAST") && next == Tok::LParen {
            self.i += 2;
            let e = self.expression()?;
            self.expect_kw("AS")?;
            let ty = self.data_type()?;
            self.expect(&Tok::RParen)?;
            return Ok(Expr::Cast(Box::new(e), ty));
        }
        if self.is_kw("INTERVAL")
            && matches!(next, Tok::Str(_) | Tok::Number(_) | Tok::Minus | Tok::Plus)
        {
            self.advance();
            return self.interval();
        }
        // Typed literals: Spark parses `DATE '2024-01-01'` to a date at once; Brooklet keeps a
        // cast of the text, which gives the same value when evaluated.
        for (kw, ty) in [
            ("DATE", DataType::Date),
            ("TIMESTAMP", DataType::Timestamp),
            ("TIMESTAMP_LTZ", DataType::Timestamp),
            ("TIMESTAMP_NTZ", DataType::Timestamp),
        ] {
            if next_is_string && self.is_kw(kw) {
                self.advance();
                let text = self.strings();
                return Ok(Expr::Cast(
                    Box::new(Expr::Literal(Literal::String(text))),
                    ty,
                ));
            }
        }
        if self.is_kw("EXTRACT") && next == Tok::LParen {
            return self.extract();
        }
        let word = self.text_of(t);
        let callable = next == Tok::LParen
            && (word.eq_ignore_ascii_case("LEFT") || word.eq_ignore_ascii_case("RIGHT"));
        if super::is_reserved(word) && !callable {
            return Err(self.error_at(t));
        }
        self.name_or_call()
    }

    /// A dotted name, or a call when `(` follows it.
    fn name_or_call(&mut self) -> Result<Expr, SqlError> {
        let mut path = vec![self.identifier(true)?];
        while self.is(&Tok::Dot) && matches!(self.peek_at(1).tok, Tok::Word | Tok::Quoted(_)) {
            self.advance();
            path.push(self.identifier(true)?);
        }
        if !self.is(&Tok::LParen) {
            return Ok(Expr::Column(path));
        }
        self.advance();
        self.nested(|p| {
            let distinct = p.eat_kw("DISTINCT");
            if !distinct {
                p.eat_kw("ALL");
            }
            let args = if p.is(&Tok::RParen) {
                Vec::new()
            } else {
                p.expression_list()?
            };
            p.expect(&Tok::RParen)?;
            Ok(Expr::Function {
                name: path.join("."),
                args,
                distinct,
            })
        })
    }

    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    fn case(&mut self) -> Result<Expr, SqlError> {
        self.advance();
        self.nested(|p| {
            let operand = if p.is_kw("WHEN") {
                None
            } else {
                Some(Box::new(p.expression()?))
            };
            let mut branches = Vec::new();
            while p.eat_kw("WHEN") {
                let when = p.expression()?;
                p.expect_kw("THEN")?;
                branches.push((when, p.expression()?));
            }
            if branches.is_empty() {
                return Err(p.error_here());
            }
            let otherwise = if p.eat_kw("ELSE") {
                Some(Box::new(p.expression()?))
            } else {
                None
            };
            p.expect_kw("END")?;
            Ok(Expr::Case {
                operand,
                branches,
                otherwise,
            })
        })
    }

    /// `EXTRACT(field FROM source)`: Spark's AstBuilder calls `extract('field', source)`.
    fn extract(&mut self) -> Result<Expr, SqlError> {
        let kw = self.advance();
        let name = self.text_of(&kw).to_string();
        self.advance();
        let field = self.identifier(true)?;
        self.expect_kw("FROM")?;
        let source = self.expression()?;
        self.expect(&Tok::RParen)?;
        Ok(Expr::Function {
            name,
            args: vec![Expr::Literal(Literal::String(field)), source],
            distinct: false,
        })
    }

    /// After `INTERVAL`: `'10 minutes'`, or value-unit pairs (`10 MINUTES`, `'10' MINUTE`,
    /// `1 HOUR 30 MINUTES`), kept as text with lower-case units: `10 minutes`.
    fn interval(&mut self) -> Result<Expr, SqlError> {
        let mut parts: Vec<String> = Vec::new();
        loop {
            let sign = if self.eat(&Tok::Minus) {
                "-"
            } else {
                self.eat(&Tok::Plus);
                ""
            };
            let t = self.peek().clone();
            let value = match &t.tok {
                Tok::Number(NumberKind::Integer | NumberKind::Decimal) => {
                    self.advance();
                    self.text_of(&t).to_string()
                }
                Tok::Str(_) => self.strings(),
                _ if !parts.is_empty() && sign.is_empty() => break,
                _ => return Err(self.error_at(&t)),
            };
            let unit = self.peek().clone();
            let is_unit = unit.tok == Tok::Word
                && INTERVAL_UNITS
                    .iter()
                    .any(|u| self.text_of(&unit).eq_ignore_ascii_case(u));
            if !is_unit {
                // `INTERVAL '10 minutes'`: the text holds its units.
                if parts.is_empty() && matches!(t.tok, Tok::Str(_)) {
                    return Ok(Expr::Interval(format!("{sign}{value}")));
                }
                return Err(self.error_at(&unit));
            }
            self.advance();
            let unit = self.text_of(&unit).to_ascii_lowercase();
            parts.push(format!("{sign}{value} {unit}"));
            if !matches!(
                self.peek().tok,
                Tok::Number(_) | Tok::Str(_) | Tok::Minus | Tok::Plus
            ) {
                break;
            }
        }
        Ok(Expr::Interval(parts.join(" ")))
    }

    /// A number token as Spark types it; `negative` when a `-` stood before it.
    fn number(&self, t: &Token, kind: NumberKind, negative: bool) -> Result<Expr, SqlError> {
        let text = self.text_of(t);
        let sign = if negative { "-" } else { "" };
        let strip = |n: usize| {
            let body = text.get(..text.len().saturating_sub(n)).unwrap_or("");
            format!("{sign}{body}")
        };
        let lit = |l: Literal| Expr::Literal(l);
        let double = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
        let ranged = |digits: String, type_name: &'static str, min: i64, max: i64| match digits
            .parse::<i64>()
        {
            Ok(v) if (min..=max).contains(&v) => Ok(v),
            _ => Err(SqlError::NumberOutOfRange {
                digits: digits.clone(),
                type_name,
                min,
                max,
                at: t.at,
                command: self.text.to_string(),
            }),
        };
        Ok(match kind {
            NumberKind::Integer => {
                let digits = strip(0);
                match digits.parse::<i64>() {
                    Ok(v) => lit(Literal::Integer(v)),
                    // Past bigint Spark makes a decimal; Brooklet has none and uses double.
                    Err(_) => lit(Literal::Double(double(&digits))),
                }
            }
            NumberKind::BigInt => lit(Literal::Long(ranged(
                strip(1),
                "bigint",
                i64::MIN,
                i64::MAX,
            )?)),
            NumberKind::SmallInt => {
                let v = ranged(strip(1), "smallint", i16::MIN.into(), i16::MAX.into())?;
                Expr::Cast(Box::new(lit(Literal::Integer(v))), DataType::Short)
            }
            NumberKind::TinyInt => {
                let v = ranged(strip(1), "tinyint", i8::MIN.into(), i8::MAX.into())?;
                Expr::Cast(Box::new(lit(Literal::Integer(v))), DataType::Byte)
            }
            NumberKind::Decimal => lit(Literal::Double(double(&strip(0)))),
            NumberKind::Double => lit(Literal::Double(double(&strip(1)))),
            NumberKind::BigDecimal => lit(Literal::Double(double(&strip(2)))),
            NumberKind::Float => Expr::Cast(
                Box::new(lit(Literal::Double(double(&strip(1))))),
                DataType::Float,
            ),
        })
    }
}
