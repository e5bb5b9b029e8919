//! A streaming JSON reader over one record's text, with the grammar Spark's Jackson parser
//! accepts under `from_json`'s default options (Spark 4.x `JSONOptions`): single-quoted strings
//! and names allowed (`allowSingleQuotes`), `NaN` / `Infinity` / `-Infinity` / `+INF` / `-INF`
//! as numbers (`allowNonNumericNumbers`); no comments, no unquoted names, no leading zeros, no
//! unescaped control characters, no backslash before an ordinary character (except `\'`).
//!
//! Owns tokens and nesting only; what a token means for a schema is `from_json`'s business.
//! Containers nest at most [`MAX_DEPTH`] deep (Jackson's own limit is 1000; ours is lower so
//! that the converter's recursion stays well inside a wasm stack); deeper text is malformed.

use std::borrow::Cow;

/// The deepest nesting of objects and arrays a record may have.
pub const MAX_DEPTH: usize = 200;

/// The text is not JSON Jackson would read (or nests deeper than [`MAX_DEPTH`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// One value's first token.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    /// `{`: the caller reads the members with [`Reader::next_key`].
    StartObject,
    /// `[`: the caller reads the elements with [`Reader::next_element`].
    StartArray,
    /// A string, escapes decoded.
    String(Cow<'a, str>),
    /// A number as written; `integral` when it has neither fraction nor exponent (Jackson's
    /// `VALUE_NUMBER_INT`).
    Number {
        /// The number's text.
        text: &'a str,
        /// Whether it is an integer token.
        integral: bool,
    },
    /// `NaN`, `Infinity` and friends (Jackson's non-numeric `VALUE_NUMBER_FLOAT`).
    NonNumeric(f64),
    /// `true`.
    True,
    /// `false`.
    False,
    /// `null`.
    Null,
}

/// A cursor over one record.
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
        }
    }

    /// The byte offset just past what has been read.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The text between two offsets this reader returned (empty if they are not boundaries).
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// The next value's first token and the offset where it starts; `None` at the end of the
    /// text.
    pub fn next_token(&mut self) -> Result<Option<(Token<'a>, usize)>, Malformed> {
        self.skip_whitespace();
        let start = self.pos;
        let Some(b) = self.peek() else {
            return Ok(None);
        };
        let token = match b {
            b'{' | b'[' => {
                self.pos += 1;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Malformed);
                }
                if b == b'{' {
                    Token::StartObject
                } else {
                    Token::StartArray
                }
            }
            b'"' | b'\'' => Token::String(self.string()?),
            b'-' | b'+' | b'0'..=b'9' => self.number()?,
            b't' => self.literal("true", Token::True)?,
            b'f' => self.literal("false", Token::False)?,
            b'n' => self.literal("null", Token::Null)?,
            b'N' => self.literal("NaN", Token::NonNumeric(f64::NAN))?,
            b'I' => self.literal("Infinity", Token::NonNumeric(f64::INFINITY))?,
            _ => return Err(Malformed),
        };
        Ok(Some((token, start)))
    }

    /// The next value's first token; the end of the text there is malformed.
    pub fn expect_token(&mut self) -> Result<(Token<'a>, usize), Malformed> {
        self.next_token()?.ok_or(Malformed)
    }

    /// After `{` (`first`) or a member's value: the next member's name, positioned at its value,
    /// or `None` after the closing `}`.
    pub fn next_key(&mut self, first: bool) -> Result<Option<Cow<'a, str>>, Malformed> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'}') => {
                self.pos += 1;
                self.depth = self.depth.saturating_sub(1);
                return Ok(None);
            }
            Some(b',') if !first => {
                self.pos += 1;
                self.skip_whitespace();
            }
            _ if first => {}
            _ => return Err(Malformed),
        }
        if !matches!(self.peek(), Some(b'"' | b'\'')) {
            return Err(Malformed);
        }
        let name = self.string()?;
        self.skip_whitespace();
        if self.peek() != Some(b':') {
            return Err(Malformed);
        }
        self.pos += 1;
        Ok(Some(name))
    }

    /// After `[` (`first`) or an element: whether another element follows (positioned at it),
    /// `false` after the closing `]`.
    pub fn next_element(&mut self, first: bool) -> Result<bool, Malformed> {
        self.skip_whitespace();
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                self.depth = self.depth.saturating_sub(1);
                Ok(false)
            }
            Some(b',') if !first => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) if first => Ok(true),
            _ => Err(Malformed),
        }
    }

    /// Reads past the rest of a value whose first token was `token` (Jackson's
    /// `skipChildren`), checking its syntax.
    pub fn skip(&mut self, token: &Token<'a>) -> Result<(), Malformed> {
        match token {
            Token::StartObject => {
                let mut first = true;
                while self.next_key(first)?.is_some() {
                    first = false;
                    let (inner, _) = self.expect_token()?;
                    self.skip(&inner)?;
                }
                Ok(())
            }
            Token::StartArray => {
                let mut first = true;
                while self.next_element(first)? {
                    first = false;
                    let (inner, _) = self.expect_token()?;
                    self.skip(&inner)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// A keyword, which must not run on into more name characters (`truex` is malformed).
    fn literal(&mut self, word: &str, token: Token<'a>) -> Result<Token<'a>, Malformed> {
        let rest = self.text.get(self.pos..).unwrap_or("");
        if !rest.starts_with(word) {
            return Err(Malformed);
        }
        self.pos += word.len();
        if matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'_') {
            return Err(Malformed);
        }
        Ok(token)
    }

    fn number(&mut self) -> Result<Token<'a>, Malformed> {
        let start = self.pos;
        let sign = self.peek();
        if matches!(sign, Some(b'-' | b'+')) {
            self.pos += 1;
            if self.peek() == Some(b'I') {
                let negative = sign == Some(b'-');
                let rest = self.text.get(self.pos..).unwrap_or("");
                let word = if rest.starts_with("Infinity") {
                    "Infinity"
                } else {
                    "INF"
                };
                let value = if negative {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                };
                return self.literal(word, Token::NonNumeric(value));
            }
            if sign == Some(b'+') {
                // Jackson refuses a leading plus on a number unless asked to allow it.
                return Err(Malformed);
            }
        }
        let int_start = self.pos;
        self.digits();
        let int_len = self.pos - int_start;
        let leading_zero = self.text.as_bytes().get(int_start) == Some(&b'0');
        if int_len == 0 || (leading_zero && int_len > 1) {
            return Err(Malformed);
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(Malformed);
            }
            integral = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(Malformed);
            }
            integral = false;
        }
        Ok(Token::Number {
            text: self.slice(start, self.pos),
            integral,
        })
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A quoted string (`"` or `'`), positioned at its opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, Malformed> {
        let quote = self.peek().ok_or(Malformed)?;
        self.pos += 1;
        let start = self.pos;
        // The plain run needs no copy; the first escape switches to an owned buffer.
        loop {
            match self.peek() {
                None => return Err(Malformed),
                Some(b) if b == quote => {
                    let text = self.slice(start, self.pos);
                    self.pos += 1;
                    return Ok(Cow::Borrowed(text));
                }
                Some(b'\\') => break,
                Some(b) if b < 0x20 => return Err(Malformed),
                Some(_) => self.pos += 1,
            }
        }
        let mut owned = String::from(self.slice(start, self.pos));
        loop {
            let rest = self.text.get(self.pos..).ok_or(Malformed)?;
            let c = rest.chars().next().ok_or(Malformed)?;
            self.pos += c.len_utf8();
            match c {
                c if c as u32 == u32::from(quote) => return Ok(Cow::Owned(owned)),
                '\\' => owned.push(self.escape()?),
                c if (c as u32) < 0x20 => return Err(Malformed),
                c => owned.push(c),
            }
        }
    }

    /// The character after a backslash. A `\u` escape that is half of a surrogate pair is
    /// joined with its other half; a lone half (which Java would keep) becomes U+FFFD.
    fn escape(&mut self) -> Result<char, Malformed> {
        let b = self.peek().ok_or(Malformed)?;
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{0008}',
            b'f' => '\u{000C}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            // Jackson lets `\'` through whenever single quotes are allowed (Spark's default).
            b'\'' => '\'',
            b'u' => {
                let high = self.hex4()?;
                let rest = self.text.get(self.pos..).unwrap_or("");
                if (0xD800..0xDC00).contains(&high) && rest.starts_with("\\u") {
                    let save = self.pos;
                    self.pos += 2;
                    let low = self.hex4()?;
                    if (0xDC00..0xE000).contains(&low) {
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    }
                    self.pos = save;
                }
                char::from_u32(high).unwrap_or('\u{FFFD}')
            }
            _ => return Err(Malformed),
        })
    }

    fn hex4(&mut self) -> Result<u32, Malformed> {
        let digits = self.text.get(self.pos..self.pos + 4).ok_or(Malformed)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Malformed);
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| Malformed)
    }
}
