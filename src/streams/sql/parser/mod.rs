//! The hand-written recursive-descent parser for the part of Spark SQL the course uses, after
//! Spark's `SqlBaseParser.g4` (`sql/api/src/main/antlr4/.../SqlBaseParser.g4`, Spark 3.5):
//! expressions ([`expr`]), queries and the few commands ([`query`]), and data types and DDL
//! schema strings ([`data_type`]). It builds the unresolved tree of [`ast`](super::ast).
//!
//! Owns syntax only. Nesting (parentheses, calls, `CASE`, subqueries, types) is capped at
//! [`MAX_DEPTH`] levels so that no text can overflow the stack; no input panics.

mod data_type;
mod expr;
mod query;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_query;
#[cfg(test)]
mod tests_types;

use super::ast::{Expr, Statement};
use super::error::SqlError;
use super::lexer::{tokenize, Tok, Token};
use crate::streams::types::{DataType, StructField};

/// The deepest nesting the parser follows before it stops with [`SqlError::TooDeep`].
pub const MAX_DEPTH: usize = 200;

/// One expression, as `expr("…")`, `filter("…")` and `where("…")` take it. As in Spark
/// (`singleExpression: namedExpression EOF`), an alias is allowed and comes back as
/// [`Expr::Alias`].
pub fn parse_expression(text: &str) -> Result<Expr, SqlError> {
    let mut p = Parser::new(text)?;
    let e = p.named_expression()?;
    p.expect_end(false)?;
    Ok(e)
}

/// One select-list item with its optional alias (`CAST(key AS STRING) AS k`, `value.city city`,
/// `*`), as `selectExpr` takes it.
pub fn parse_select_item(text: &str) -> Result<Expr, SqlError> {
    parse_expression(text)
}

/// One statement, as `spark.sql("…")` takes it (a trailing `;` allowed): a `SELECT` query,
/// `SHOW TABLES`, `DESCRIBE [TABLE] name` or `DESCRIBE HISTORY name`.
pub fn parse_statement(text: &str) -> Result<Statement, SqlError> {
    let mut p = Parser::new(text)?;
    let s = p.statement()?;
    p.expect_end(true)?;
    Ok(s)
}

/// One data type (`bigint`, `array<struct<a: int>>`, `map<string,int>`), as Spark's
/// `DataType.fromDDL` and `CAST(… AS type)` read it. `decimal(p,s)` becomes `double` (Brooklet
/// has no decimal type); `char(n)` / `varchar(n)` become `string` (as Spark reads them outside
/// tables); `timestamp_ltz` / `timestamp_ntz` become `timestamp` (the session zone is UTC).
pub fn parse_data_type(text: &str) -> Result<DataType, SqlError> {
    let mut p = Parser::new(text)?;
    let t = p.data_type()?;
    p.expect_end(false)?;
    Ok(t)
}

/// A DDL schema string as `from_json` takes it: `a long, b array<struct<c : float>>`, or the
/// same wrapped as `STRUCT<…>`, each column with an optional `NOT NULL` and `COMMENT '…'`
/// (comments are dropped: [`StructField`] has no metadata).
///
/// Spark (`DataType.fromDDL`) first reads the text as one type and, when that fails, as a
/// list of columns; when both fail it reports the first failure. Brooklet reports the second,
/// the column list's, because it names the mistake in what people write (`b strin`).
pub fn parse_ddl_schema(text: &str) -> Result<Vec<StructField>, SqlError> {
    let mut p = Parser::new(text)?;
    let as_type = p.data_type().and_then(|t| p.expect_end(false).map(|()| t));
    match as_type {
        Ok(DataType::Struct(fields)) => Ok(fields),
        Ok(other) => Err(SqlError::NotAStruct {
            schema: text.to_string(),
            type_sql: other.sql(),
        }),
        Err(_) => {
            p.rewind();
            let columns = p.table_schema()?;
            p.expect_end(false)?;
            Ok(columns)
        }
    }
}

/// The parser's state: the tokens, the next one's index and the nesting depth.
struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    i: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Result<Self, SqlError> {
        Ok(Parser {
            text,
            tokens: tokenize(text)?,
            i: 0,
            depth: 0,
        })
    }

    fn rewind(&mut self) {
        self.i = 0;
        self.depth = 0;
    }

    /// The token `ahead` places on (the end-of-input token past the end).
    fn peek_at(&self, ahead: usize) -> &Token {
        let last = self.tokens.len().saturating_sub(1);
        let index = self.i.saturating_add(ahead).min(last);
        // The lexer always ends the list with `Eof`, so `index` is in range.
        &self.tokens[index]
    }

    fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    fn advance(&mut self) -> Token {
        let t = self.peek().clone();
        if t.tok != Tok::Eof {
            self.i += 1;
        }
        t
    }

    /// The token's text as written.
    fn text_of(&self, t: &Token) -> &'a str {
        self.text.get(t.start..t.end).unwrap_or("")
    }

    /// Whether the token `ahead` places on is the bare word `kw` (any case).
    fn is_kw_at(&self, ahead: usize, kw: &str) -> bool {
        let t = self.peek_at(ahead);
        t.tok == Tok::Word && self.text_of(t).eq_ignore_ascii_case(kw)
    }

    fn is_kw(&self, kw: &str) -> bool {
        self.is_kw_at(0, kw)
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.is_kw(kw);
        if yes {
            self.advance();
        }
        yes
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), SqlError> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.error_here())
        }
    }

    fn is(&self, tok: &Tok) -> bool {
        &self.peek().tok == tok
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        let yes = self.is(tok);
        if yes {
            self.advance();
        }
        yes
    }

    fn expect(&mut self, tok: &Tok) -> Result<(), SqlError> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(self.error_here())
        }
    }

    /// The end of the text, after any `;` when `semicolons` (statements allow them).
    fn expect_end(&mut self, semicolons: bool) -> Result<(), SqlError> {
        while semicolons && self.eat(&Tok::Semicolon) {}
        if self.is(&Tok::Eof) {
            Ok(())
        } else {
            Err(self.error_here())
        }
    }

    /// Spark's syntax error at the next token.
    fn error_here(&self) -> SqlError {
        self.error_at(self.peek())
    }

    /// Spark's syntax error at `t`: `'text'` (ANTLR's `getTokenErrorDisplay`, with `\n`, `\r`
    /// and `\t` written out) or `end of input`; on a blank text, Spark's empty-statement error.
    fn error_at(&self, t: &Token) -> SqlError {
        if self.text.trim().is_empty() {
            return SqlError::EmptyStatement {
                command: self.text.to_string(),
            };
        }
        let near = if t.tok == Tok::Eof {
            "end of input".to_string()
        } else {
            let shown = self
                .text_of(t)
                .replace('\n', "\\n")
                .replace('\r', "\\r")
                .replace('\t', "\\t");
            format!("'{shown}'")
        };
        SqlError::Syntax {
            near,
            at: t.at,
            command: self.text.to_string(),
        }
    }

    /// Runs `f` one nesting level deeper, refusing past [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, SqlError>,
    ) -> Result<T, SqlError> {
        self.nested_by(1, f)
    }

    /// Runs `f` `weight` levels deeper: a subquery's frames are several times an expression's,
    /// so it counts for more of the same budget.
    fn nested_by<T>(
        &mut self,
        weight: usize,
        f: impl FnOnce(&mut Self) -> Result<T, SqlError>,
    ) -> Result<T, SqlError> {
        if self.depth + weight > MAX_DEPTH {
            return Err(SqlError::TooDeep {
                limit: MAX_DEPTH,
                at: self.peek().at,
                command: self.text.to_string(),
            });
        }
        self.depth += weight;
        let out = f(self);
        self.depth -= weight;
        out
    }

    /// A name: a bare word (any, when `any_word`; else not one of the words that end or join
    /// clauses) or a back-quoted name.
    fn identifier(&mut self, any_word: bool) -> Result<String, SqlError> {
        let t = self.peek().clone();
        match &t.tok {
            Tok::Quoted(name) => {
                self.advance();
                Ok(name.clone())
            }
            Tok::Word if any_word || !is_reserved(self.text_of(&t)) => {
                self.advance();
                Ok(self.text_of(&t).to_string())
            }
            _ => Err(self.error_at(&t)),
        }
    }

    /// Whether the next token can start a name without `AS` (an alias after an expression or
    /// a table).
    fn at_bare_alias(&self) -> bool {
        let t = self.peek();
        match t.tok {
            Tok::Quoted(_) => true,
            Tok::Word => {
                let w = self.text_of(t);
                !is_reserved(w) && !ALIAS_STOP_WORDS.iter().any(|k| w.eq_ignore_ascii_case(k))
            }
            _ => false,
        }
    }
}

/// Words that cannot be a bare column or table name here, because they start, end or join
/// clauses or operators. Spark reserves fewer in its default (non-ANSI) mode and decides by
/// backtracking; these are the ones whose use as a name would make the course's SQL ambiguous.
/// Back-quote a name to use one of them (`` `from` ``).
const RESERVED: &[&str] = &[
    "ALL",
    "AND",
    "ANTI",
    "AS",
    "ASC",
    "BETWEEN",
    "BY",
    "CASE",
    "CLUSTER",
    "CROSS",
    "DESC",
    "DISTINCT",
    "DISTRIBUTE",
    "DIV",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXISTS",
    "FROM",
    "FULL",
    "GROUP",
    "HAVING",
    "ILIKE",
    "IN",
    "INNER",
    "INTERSECT",
    "IS",
    "JOIN",
    "LATERAL",
    "LEFT",
    "LIKE",
    "LIMIT",
    "NATURAL",
    "NOT",
    "NULLS",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "REGEXP",
    "RIGHT",
    "RLIKE",
    "SELECT",
    "SEMI",
    "SORT",
    "THEN",
    "UNION",
    "USING",
    "WHEN",
    "WHERE",
];

/// Words that may name a column but not follow an expression as a bare alias, because they
/// continue it (`count(*) OVER (…)`, `count(*) FILTER (…)`).
const ALIAS_STOP_WORDS: &[&str] = &["OVER", "FILTER", "WINDOW"];

fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|k| word.eq_ignore_ascii_case(k))
}
