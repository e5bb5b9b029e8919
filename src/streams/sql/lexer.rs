//! The lexer: Spark SQL text to tokens, following Spark's `SqlBaseLexer.g4`.
//!
//! Matched from Spark: keywords are words compared without case (the parser does that),
//! identifiers may start with a digit (`1a` is a name, as ANTLR's longest match makes it),
//! numbers with Spark's suffixes (`10L`, `10S`, `10Y`, `1.5D`, `1.5F`, `1.5BD`, exponents),
//! strings in `'…'` or `"…"` with Spark's backslash escapes (`unescapeSQLString`) and raw
//! `r'…'`, back-quoted names with ``` `` ``` for a back quote, `--` and nested `/* */` comments,
//! and a character nothing matches becomes a token of its own (Spark's `UNRECOGNIZED`), so the
//! parser reports it as Spark does. Owns tokens only: no grammar here.

use super::error::{Position, SqlError};

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A bare word: a keyword or a name (the parser decides).
    Word,
    /// A back-quoted name, quotes removed and ``` `` ``` resolved.
    Quoted(String),
    /// A string literal, escapes resolved.
    Str(String),
    /// A number; the text is the token's source (with its suffix).
    Number(NumberKind),
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `;`
    Semicolon,
    /// `*`
    Star,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `||`
    Concat,
    /// `:`
    Colon,
    /// `::`
    DoubleColon,
    /// `=` or `==`
    Eq,
    /// `<=>`
    NullSafeEq,
    /// `<>` (also an empty `struct<>`)
    LtGt,
    /// `!=`
    BangEq,
    /// `<`
    Lt,
    /// `<=` or `!>`
    LtEq,
    /// `>`
    Gt,
    /// `>=` or `!<`
    GtEq,
    /// `!`
    Bang,
    /// Any other character (`~`, `&`, `|`, `^`, `#`, an unclosed quote, ...): Spark has no use
    /// for it here and the parser reports it.
    Other,
    /// The end of the text.
    Eof,
}

/// Which of Spark's number literals a number token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// `10`: `INTEGER_VALUE`.
    Integer,
    /// `10L`: `BIGINT_LITERAL`.
    BigInt,
    /// `10S`: `SMALLINT_LITERAL`.
    SmallInt,
    /// `10Y`: `TINYINT_LITERAL`.
    TinyInt,
    /// `1.5`, `1e3`: `DECIMAL_VALUE` / `EXPONENT_VALUE`.
    Decimal,
    /// `1.5D`: `DOUBLE_LITERAL`.
    Double,
    /// `1.5F`: `FLOAT_LITERAL`.
    Float,
    /// `1.5BD`: `BIGDECIMAL_LITERAL`.
    BigDecimal,
}

/// One token with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// Its byte range in the text.
    pub start: usize,
    /// The end of its byte range.
    pub end: usize,
    /// Its line and position, for errors.
    pub at: Position,
}

/// Splits `text` into tokens, ending with [`Tok::Eof`]. Fails only on an unclosed `/*` comment
/// (as Spark does); every other oddity becomes a token the parser reports.
pub fn tokenize(text: &str) -> Result<Vec<Token>, SqlError> {
    let mut lx = Lexer {
        text,
        chars: text.char_indices().collect(),
        i: 0,
        line: 1,
        line_start: 0,
        tokens: Vec::new(),
    };
    lx.run()?;
    Ok(lx.tokens)
}

struct Lexer<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    /// Index into `chars`.
    i: usize,
    line: usize,
    /// Index into `chars` of the current line's first character.
    line_start: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).map(|&(_, c)| c)
    }

    fn byte_at(&self, index: usize) -> usize {
        self.chars.get(index).map_or(self.text.len(), |&(b, _)| b)
    }

    fn position(&self) -> Position {
        Position {
            line: self.line,
            pos: self.i - self.line_start,
        }
    }

    /// Moves past one character, counting lines.
    fn bump(&mut self) {
        if self.peek(0) == Some('\n') {
            self.line += 1;
            self.line_start = self.i + 1;
        }
        self.i += 1;
    }

    fn push(&mut self, tok: Tok, from: usize, at: Position) {
        let (start, end) = (self.byte_at(from), self.byte_at(self.i));
        self.tokens.push(Token {
            tok,
            start,
            end,
            at,
        });
    }

    fn run(&mut self) -> Result<(), SqlError> {
        while let Some(c) = self.peek(0) {
            let (from, at) = (self.i, self.position());
            if c.is_whitespace() {
                self.bump();
            } else if c == '-' && self.peek(1) == Some('-') {
                while self.peek(0).is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c == '/' && self.peek(1) == Some('*') {
                self.comment(at)?;
            } else if (c == 'r' || c == 'R') && matches!(self.peek(1), Some('\'' | '"')) {
                self.raw_string(from, at);
            } else if c == '\'' || c == '"' {
                self.string(c, from, at);
            } else if c == '`' {
                self.back_quoted(from, at);
            } else if c.is_ascii_alphanumeric() || c == '_' || (c == '.' && self.digit_at(1)) {
                self.word_or_number(from, at);
            } else {
                let tok = self.symbol();
                self.push(tok, from, at);
            }
        }
        let at = self.position();
        self.push(Tok::Eof, self.i, at);
        Ok(())
    }

    fn digit_at(&self, ahead: usize) -> bool {
        self.peek(ahead).is_some_and(|c| c.is_ascii_digit())
    }

    /// A `/* … */` comment; Spark's comments nest.
    fn comment(&mut self, at: Position) -> Result<(), SqlError> {
        let mut depth = 0usize;
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some('/'), Some('*')) => {
                    depth += 1;
                    self.bump();
                    self.bump();
                }
                (Some('*'), Some('/')) => {
                    self.bump();
                    self.bump();
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                (Some(_), _) => self.bump(),
                (None, _) => {
                    return Err(SqlError::UnclosedComment {
                        at,
                        command: self.text.to_string(),
                    })
                }
            }
        }
    }

    /// `r'…'`: no escapes at all.
    fn raw_string(&mut self, from: usize, at: Position) {
        let quote = self.peek(1).unwrap_or('\'');
        let mut j = self.i + 2;
        while let Some(&(_, c)) = self.chars.get(j) {
            if c == quote {
                let body: String = self.chars[self.i + 2..j].iter().map(|&(_, c)| c).collect();
                while self.i <= j {
                    self.bump();
                }
                self.push(Tok::Str(body), from, at);
                return;
            }
            j += 1;
        }
        // Unclosed: the `r` is a word on its own, and the quote will be reported.
        self.bump();
        self.push(Tok::Word, from, at);
    }

    /// `'…'` / `"…"` with backslash escapes; unclosed, the quote alone is an unknown token.
    fn string(&mut self, quote: char, from: usize, at: Position) {
        let mut j = self.i + 1;
        let mut closed = None;
        while let Some(&(_, c)) = self.chars.get(j) {
            if c == '\\' {
                j += 2;
            } else if c == quote {
                closed = Some(j);
                break;
            } else {
                j += 1;
            }
        }
        let Some(close) = closed else {
            self.bump();
            self.push(Tok::Other, from, at);
            return;
        };
        let body: Vec<char> = self.chars[self.i + 1..close]
            .iter()
            .map(|&(_, c)| c)
            .collect();
        while self.i <= close {
            self.bump();
        }
        self.push(Tok::Str(unescape(&body)), from, at);
    }

    fn back_quoted(&mut self, from: usize, at: Position) {
        let mut name = String::new();
        let mut j = self.i + 1;
        loop {
            match (
                self.chars.get(j).map(|p| p.1),
                self.chars.get(j + 1).map(|p| p.1),
            ) {
                (Some('`'), Some('`')) => {
                    name.push('`');
                    j += 2;
                }
                (Some('`'), _) => break,
                (Some(c), _) => {
                    name.push(c);
                    j += 1;
                }
                (None, _) => {
                    self.bump();
                    self.push(Tok::Other, from, at);
                    return;
                }
            }
        }
        while self.i <= j {
            self.bump();
        }
        self.push(Tok::Quoted(name), from, at);
    }

    /// A run of letters, digits and `_` (with a decimal point and exponent where a number has
    /// them): a number when the whole run is one of Spark's number forms, else a word.
    fn word_or_number(&mut self, from: usize, at: Position) {
        let word_end = self.scan(self.i, |c| c.is_ascii_alphanumeric() || c == '_');
        if let Some((end, kind)) = self.number_at(self.i) {
            // ANTLR takes the longest match: `1e3x` is a name, not `1e3` then `x`.
            if end >= word_end {
                while self.i < end {
                    self.bump();
                }
                self.push(Tok::Number(kind), from, at);
                return;
            }
        }
        if word_end == self.i {
            // A lone `.` that no number follows (cannot happen: callers check a digit follows).
            self.bump();
            self.push(Tok::Dot, from, at);
            return;
        }
        while self.i < word_end {
            self.bump();
        }
        self.push(Tok::Word, from, at);
    }

    fn scan(&self, mut j: usize, ok: impl Fn(char) -> bool) -> usize {
        while self.chars.get(j).is_some_and(|&(_, c)| ok(c)) {
            j += 1;
        }
        j
    }

    /// The end and kind of a number starting at `j`, if one does.
    fn number_at(&self, j: usize) -> Option<(usize, NumberKind)> {
        let digit = |c: char| c.is_ascii_digit();
        let int_end = self.scan(j, digit);
        let mut end = int_end;
        let mut fraction = false;
        if self.chars.get(end).map(|p| p.1) == Some('.') {
            let frac_end = self.scan(end + 1, digit);
            if int_end > j || frac_end > end + 1 {
                end = frac_end;
                fraction = true;
            }
        }
        if end == j {
            return None;
        }
        let mut exponent = false;
        if matches!(self.chars.get(end).map(|p| p.1), Some('e' | 'E')) {
            let mut k = end + 1;
            if matches!(self.chars.get(k).map(|p| p.1), Some('+' | '-')) {
                k += 1;
            }
            let exp_end = self.scan(k, digit);
            if exp_end > k {
                end = exp_end;
                exponent = true;
            }
        }
        let upper = |k: usize| self.chars.get(k).map(|p| p.1.to_ascii_uppercase());
        let whole = !fraction && !exponent;
        let (end, kind) = match (upper(end), upper(end + 1)) {
            (Some('B'), Some('D')) => (end + 2, NumberKind::BigDecimal),
            (Some('L'), _) if whole => (end + 1, NumberKind::BigInt),
            (Some('S'), _) if whole => (end + 1, NumberKind::SmallInt),
            (Some('Y'), _) if whole => (end + 1, NumberKind::TinyInt),
            (Some('D'), _) => (end + 1, NumberKind::Double),
            (Some('F'), _) => (end + 1, NumberKind::Float),
            _ if whole => (end, NumberKind::Integer),
            _ => (end, NumberKind::Decimal),
        };
        Some((end, kind))
    }

    /// An operator or punctuation character (or an unknown one).
    fn symbol(&mut self) -> Tok {
        let c = self.peek(0).unwrap_or(' ');
        let next = self.peek(1);
        let (tok, len) = match (c, next) {
            ('(', _) => (Tok::LParen, 1),
            (')', _) => (Tok::RParen, 1),
            ('[', _) => (Tok::LBracket, 1),
            (']', _) => (Tok::RBracket, 1),
            (',', _) => (Tok::Comma, 1),
            ('.', _) => (Tok::Dot, 1),
            (';', _) => (Tok::Semicolon, 1),
            ('*', _) => (Tok::Star, 1),
            ('+', _) => (Tok::Plus, 1),
            ('-', _) => (Tok::Minus, 1),
            ('/', _) => (Tok::Slash, 1),
            ('%', _) => (Tok::Percent, 1),
            ('|', Some('|')) => (Tok::Concat, 2),
            (':', Some(':')) => (Tok::DoubleColon, 2),
            (':', _) => (Tok::Colon, 1),
            ('=', Some('=')) => (Tok::Eq, 2),
            ('=', _) => (Tok::Eq, 1),
            ('<', Some('=')) if self.peek(2) == Some('>') => (Tok::NullSafeEq, 3),
            ('<', Some('=')) => (Tok::LtEq, 2),
            ('<', Some('>')) => (Tok::LtGt, 2),
            ('<', _) => (Tok::Lt, 1),
            // No `>>` token: Spark's types close with `>>` (`array<struct<…>>`).
            ('>', Some('=')) => (Tok::GtEq, 2),
            ('>', _) => (Tok::Gt, 1),
            ('!', Some('=')) => (Tok::BangEq, 2),
            ('!', Some('>')) => (Tok::LtEq, 2),
            ('!', Some('<')) => (Tok::GtEq, 2),
            ('!', _) => (Tok::Bang, 1),
            _ => (Tok::Other, 1),
        };
        for _ in 0..len {
            self.bump();
        }
        tok
    }
}

/// Spark's `unescapeSQLString` for the text between the quotes: `\uXXXX`, `\UXXXXXXXX`, octal
/// `\ooo` (first digit 0 or 1), `\0 \b \n \r \t \Z`, `\%` and `\_` kept with their backslash
/// (for LIKE), and any other escaped character as itself.
fn unescape(body: &[char]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while let Some(&c) = body.get(i) {
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let rest = body.get(i + 1..).unwrap_or(&[]);
        if let Some(ch) = hex_escape(rest, 'u', 4) {
            out.push(ch);
            i += 6;
        } else if let Some(ch) = hex_escape(rest, 'U', 8) {
            out.push(ch);
            i += 10;
        } else if let Some(ch) = octal_escape(rest) {
            out.push(ch);
            i += 4;
        } else if let Some(&n) = rest.first() {
            match n {
                '0' => out.push('\0'),
                'b' => out.push('\u{8}'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'Z' => out.push('\u{1A}'),
                '%' => out.push_str("\\%"),
                '_' => out.push_str("\\_"),
                other => out.push(other),
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

fn hex_escape(rest: &[char], marker: char, digits: usize) -> Option<char> {
    if rest.first() != Some(&marker) {
        return None;
    }
    let hex: String = rest.get(1..=digits)?.iter().collect();
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    // A lone surrogate half has no Rust `char`: it becomes U+FFFD, as Java would print it.
    u32::from_str_radix(&hex, 16)
        .ok()
        .map(|code| char::from_u32(code).unwrap_or('\u{FFFD}'))
}

fn octal_escape(rest: &[char]) -> Option<char> {
    let digits = rest.get(..3)?;
    let ok =
        matches!(digits.first(), Some('0' | '1')) && digits.iter().all(|c| ('0'..='7').contains(c));
    if !ok {
        return None;
    }
    let text: String = digits.iter().collect();
    u32::from_str_radix(&text, 8).ok().and_then(char::from_u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        tokenize(text)
            .map(|ts| ts.into_iter().map(|t| t.tok).collect())
            .unwrap_or_default()
    }

    #[test]
    fn numbers_take_sparks_suffixes_and_a_trailing_letter_makes_a_name() {
        use NumberKind::*;
        assert_eq!(
            kinds("10 10L 2s 3Y 1.5 .5 1e3 1.5D 2F 1BD 1a"),
            vec![
                Tok::Number(Integer),
                Tok::Number(BigInt),
                Tok::Number(SmallInt),
                Tok::Number(TinyInt),
                Tok::Number(Decimal),
                Tok::Number(Decimal),
                Tok::Number(Decimal),
                Tok::Number(Double),
                Tok::Number(Float),
                Tok::Number(BigDecimal),
                Tok::Word,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn strings_resolve_sparks_backslash_escapes() {
        assert_eq!(
            kinds(r#"'it\'s' "a\tb" '\u0041\101' 'x\%' r'\n'"#),
            vec![
                Tok::Str("it's".into()),
                Tok::Str("a\tb".into()),
                Tok::Str("AA".into()),
                Tok::Str("x\\%".into()),
                Tok::Str("\\n".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn comments_are_skipped_and_nest() {
        assert_eq!(
            kinds("a -- note\n/* x /* y */ z */ b"),
            vec![Tok::Word, Tok::Word, Tok::Eof]
        );
    }

    #[test]
    fn an_unclosed_comment_is_sparks_error() {
        let e = tokenize("select 1 /* x").err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                "[UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment. Please, append \
                 */ at the end of the comment.(line 1, pos 9)\n\n== SQL ==\nselect 1 /* x\n\
                 ---------^^^\n"
            )
        );
    }

    #[test]
    fn positions_count_characters_within_their_line() {
        let ts = tokenize("a\n  `b c`").unwrap_or_default();
        assert_eq!(ts[1].tok, Tok::Quoted("b c".into()));
        assert_eq!(ts[1].at, Position { line: 2, pos: 2 });
    }
}
