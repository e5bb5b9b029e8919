//! Python's tokenizer, for the shell's subset: names, numbers, strings of every kind, operators,
//! and the logical lines Python makes from physical ones (`\` continuations and implicit joining
//! inside brackets), each token with its line and column. Modelled on CPython's
//! Parser/tokenizer.c (3.12); keywords stay names (the parser knows them).
//!
//! Indentation: the shell opens no blocks, so an indented logical line is reported to the parser
//! as one [`Tok::Indent`] token; the parser then says what is wrong (an unexpected indent, or a
//! line starting with `.`), after any error on an earlier line.

use super::error::PySyntaxError;
use super::strings::{self, Literal};
use super::MAX_PARENTHESES;

/// A token's kind and value.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name or keyword.
    Name(String),
    /// An integer literal's value.
    Int(i64),
    /// A float literal's value.
    Float(f64),
    /// A string literal, escapes resolved (adjacent literals are joined by the parser).
    Str(String),
    /// A bytes literal.
    Bytes(Vec<u8>),
    /// An operator or delimiter, as written (`"("`, `"**"`, `"+="`).
    Op(&'static str),
    /// The end of a logical line.
    Newline,
    /// The start of a logical line that is indented.
    Indent,
    /// The end of the input.
    End,
}

/// A token and where it starts (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
    pub col: usize,
}

/// A tokenizer error, and whether more input could fix it (an open bracket, a `\` at the end,
/// an unterminated triple-quoted string): the interactive shell then waits for another line.
#[derive(Debug, Clone, PartialEq)]
pub struct LexError {
    pub error: PySyntaxError,
    pub needs_more: bool,
}

impl From<PySyntaxError> for LexError {
    fn from(error: PySyntaxError) -> Self {
        LexError {
            error,
            needs_more: false,
        }
    }
}

/// Operators, longest first so that the first match is the longest.
const OPERATORS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "->", ":=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "(", ")", "[", "]", "{", "}", ",", ":",
    ";", ".", "=", "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">", "@",
];

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    col: usize,
    tokens: Vec<Token>,
    /// Open brackets: the character, its line.
    brackets: Vec<(char, usize)>,
}

/// Splits `source` into tokens, ending with [`Tok::Newline`] (when there was a line) and
/// [`Tok::End`]. On an error, also returns the tokens before it: the parser reads them first,
/// so that an error on an earlier line (a `for` the shell refuses) is the one reported, as
/// Python's parser, which pulls tokens one at a time, would.
pub fn tokenize(source: &str) -> Result<Vec<Token>, (LexError, Vec<Token>)> {
    if let Some(at) = source.find('\0') {
        let line = source[..at].matches('\n').count() + 1;
        return Err((PySyntaxError::NullByte { line }.into(), Vec::new()));
    }
    // Python reads `\r\n` and a lone `\r` as `\n` (also inside triple-quoted strings), and
    // skips a UTF-8 byte-order mark at the start.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut lexer = Lexer {
        chars: source
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .collect(),
        pos: 0,
        line: 1,
        col: 1,
        tokens: Vec::new(),
        brackets: Vec::new(),
    };
    match lexer.run() {
        Ok(()) => Ok(lexer.tokens),
        Err(e) => Err((e, lexer.tokens)),
    }
}

/// Unicode's invisible format characters (zero-width spaces and joiners, marks, the BOM).
fn is_format_char(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn push(&mut self, tok: Tok, line: usize, col: usize) {
        self.tokens.push(Token { tok, line, col });
    }

    fn ends_line(&self) -> bool {
        !matches!(
            self.tokens.last(),
            None | Some(Token {
                tok: Tok::Newline,
                ..
            })
        )
    }

    fn run(&mut self) -> Result<(), LexError> {
        let mut at_line_start = true;
        loop {
            if at_line_start && self.brackets.is_empty() {
                at_line_start = false;
                let mut indented = false;
                while matches!(self.peek(), Some(' ' | '\t' | '\x0c')) {
                    self.bump();
                    indented = true;
                }
                let blank = matches!(self.peek(), None | Some('\n' | '\r' | '#'));
                if indented && !blank {
                    self.push(Tok::Indent, self.line, self.col);
                }
            }
            let Some(c) = self.peek() else { break };
            let (line, col) = (self.line, self.col);
            match c {
                ' ' | '\t' | '\x0c' | '\r' => {
                    self.bump();
                }
                '\n' => {
                    self.bump();
                    if self.brackets.is_empty() {
                        if self.ends_line() {
                            self.push(Tok::Newline, line, col);
                        }
                        at_line_start = true;
                    }
                }
                '#' => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                '\\' => {
                    self.bump();
                    if self.peek() == Some('\r') {
                        self.bump();
                    }
                    match self.peek() {
                        Some('\n') if self.peek_at(1).is_some() => {
                            self.bump();
                        }
                        // A `\` ending the input, or its last line: what it continues is to come.
                        Some('\n') | None => {
                            return Err(LexError {
                                error: PySyntaxError::EofAfterContinuation { line },
                                needs_more: true,
                            })
                        }
                        Some(_) => return Err(PySyntaxError::AfterContinuation { line }.into()),
                    }
                }
                '\'' | '"' => self.string("", line, col)?,
                c if is_name_start(c) => self.name(line, col)?,
                c if c.is_ascii_digit() => self.number(line, col)?,
                '.' if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => {
                    self.number(line, col)?
                }
                _ => self.operator(c, line, col)?,
            }
        }
        if let Some(&(open, line)) = self.brackets.last() {
            return Err(LexError {
                error: PySyntaxError::NeverClosed { open, line },
                needs_more: true,
            });
        }
        if self.ends_line() {
            self.push(Tok::Newline, self.line, self.col);
        }
        self.push(Tok::End, self.line, self.col);
        Ok(())
    }

    fn name(&mut self, line: usize, col: usize) -> Result<(), LexError> {
        let mut word = String::new();
        while let Some(c) = self.peek().filter(|&c| is_name_char(c)) {
            word.push(c);
            self.bump();
        }
        if matches!(self.peek(), Some('\'' | '"')) && strings::prefix(&word).is_some() {
            return self.string(&word, line, col);
        }
        self.push(Tok::Name(word), line, col);
        Ok(())
    }

    /// A string literal whose prefix has been read and whose opening quote is next.
    fn string(&mut self, word: &str, line: usize, col: usize) -> Result<(), LexError> {
        let Some(prefix) = strings::prefix(word) else {
            return Err(PySyntaxError::InvalidSyntax { line }.into());
        };
        if prefix.format {
            return Err(PySyntaxError::FString { line }.into());
        }
        let Some(quote) = self.bump() else {
            return Err(PySyntaxError::InvalidSyntax { line }.into());
        };
        let triple = self.peek() == Some(quote) && self.peek_at(1) == Some(quote);
        if triple {
            self.bump();
            self.bump();
        }
        let mut body = String::new();
        loop {
            let Some(c) = self.bump() else {
                if triple {
                    // CPython counts the lines the input has; a final newline opens none.
                    let detected = if self.col == 1 && self.line > 1 {
                        self.line - 1
                    } else {
                        self.line
                    };
                    return Err(LexError {
                        error: PySyntaxError::UnterminatedTripleQuoted { line, detected },
                        needs_more: true,
                    });
                }
                // A `'…\` at the very end continues on the next line the shell has not read.
                return Err(LexError {
                    error: PySyntaxError::UnterminatedString { line },
                    needs_more: body.ends_with("\\\n"),
                });
            };
            if c == '\\' {
                body.push(c);
                if let Some(next) = self.bump() {
                    body.push(next);
                }
                continue;
            }
            if c == quote {
                if !triple {
                    break;
                }
                if self.peek() == Some(quote) && self.peek_at(1) == Some(quote) {
                    self.bump();
                    self.bump();
                    break;
                }
            }
            if c == '\n' && !triple {
                return Err(PySyntaxError::UnterminatedString { line }.into());
            }
            body.push(c);
        }
        let tok = match strings::decode(&body, prefix, line)? {
            Literal::Str(s) => Tok::Str(s),
            Literal::Bytes(b) => Tok::Bytes(b),
        };
        self.push(tok, line, col);
        Ok(())
    }

    /// Digits of `radix` with single `_` between them (and, after a base prefix, before them).
    fn digits(
        &mut self,
        radix: u32,
        out: &mut String,
        kind: &'static str,
        line: usize,
    ) -> Result<(), LexError> {
        loop {
            match self.peek() {
                Some(c) if c.is_digit(radix) => {
                    out.push(c);
                    self.bump();
                }
                Some('_') => {
                    self.bump();
                    if !self.peek().is_some_and(|c| c.is_digit(radix)) {
                        return Err(PySyntaxError::InvalidNumber { kind, line }.into());
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn number(&mut self, line: usize, col: usize) -> Result<(), LexError> {
        let first = self.peek();
        let base = match (first, self.peek_at(1)) {
            (Some('0'), Some('x' | 'X')) => Some((16, "hexadecimal")),
            (Some('0'), Some('o' | 'O')) => Some((8, "octal")),
            (Some('0'), Some('b' | 'B')) => Some((2, "binary")),
            _ => None,
        };
        if let Some((radix, kind)) = base {
            self.bump();
            self.bump();
            let mut digits = String::new();
            if self.peek() == Some('_') {
                self.bump();
            }
            self.digits(radix, &mut digits, kind, line)?;
            if digits.is_empty() || self.peek().is_some_and(is_name_char) {
                return Err(PySyntaxError::InvalidNumber { kind, line }.into());
            }
            let value = i64::from_str_radix(&digits, radix).map_err(|_| {
                PySyntaxError::IntegerTooLarge {
                    text: self.text_from(col, line),
                    line,
                }
            })?;
            self.push(Tok::Int(value), line, col);
            return Ok(());
        }
        let mut text = String::new();
        let kind = "decimal";
        self.digits(10, &mut text, kind, line)?;
        let mut is_float = false;
        if self.peek() == Some('.') {
            is_float = true;
            text.push('.');
            self.bump();
            if self.peek() == Some('_') {
                return Err(PySyntaxError::InvalidNumber { kind, line }.into());
            }
            self.digits(10, &mut text, kind, line)?;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = matches!(self.peek_at(1), Some('+' | '-'));
            let digit_at = if sign { 2 } else { 1 };
            if self.peek_at(digit_at).is_some_and(|c| c.is_ascii_digit()) {
                is_float = true;
                text.push('e');
                self.bump();
                if sign {
                    text.extend(self.bump());
                }
                self.digits(10, &mut text, kind, line)?;
            }
        }
        if matches!(self.peek(), Some('j' | 'J')) {
            return Err(PySyntaxError::Unsupported {
                what: "complex numbers",
                line,
            }
            .into());
        }
        if self.peek().is_some_and(is_name_char) {
            return Err(PySyntaxError::InvalidNumber { kind, line }.into());
        }
        if is_float {
            let value = text
                .parse::<f64>()
                .map_err(|_| PySyntaxError::InvalidNumber { kind, line })?;
            self.push(Tok::Float(value), line, col);
            return Ok(());
        }
        if text.starts_with('0') && text.chars().any(|c| c != '0') {
            return Err(PySyntaxError::LeadingZeros { line }.into());
        }
        let value = text
            .parse::<i64>()
            .map_err(|_| PySyntaxError::IntegerTooLarge { text, line })?;
        self.push(Tok::Int(value), line, col);
        Ok(())
    }

    /// The source text of the current line from `col` to the lexer's position.
    fn text_from(&self, col: usize, line: usize) -> String {
        if line != self.line || col > self.col {
            return String::new();
        }
        let start = self.pos - (self.col - col);
        self.chars
            .get(start..self.pos)
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    }

    fn operator(&mut self, c: char, line: usize, col: usize) -> Result<(), LexError> {
        let found = OPERATORS.iter().find(|op| {
            op.chars()
                .enumerate()
                .all(|(i, oc)| self.peek_at(i) == Some(oc))
        });
        let Some(&op) = found else {
            // A no-break space pasted from a web page is the usual non-printable one.
            let error = if c.is_control() || c.is_whitespace() || is_format_char(c) {
                PySyntaxError::NonPrintable { ch: c, line }
            } else if c.is_ascii() {
                PySyntaxError::InvalidSyntax { line }
            } else {
                PySyntaxError::InvalidCharacter { ch: c, line }
            };
            return Err(error.into());
        };
        for _ in 0..op.chars().count() {
            self.bump();
        }
        match op {
            "(" | "[" | "{" => {
                if self.brackets.len() >= MAX_PARENTHESES {
                    return Err(PySyntaxError::TooManyNestedParentheses { line }.into());
                }
                self.brackets.push((c, line));
            }
            ")" | "]" | "}" => {
                let Some((open, open_line)) = self.brackets.pop() else {
                    return Err(PySyntaxError::Unmatched { close: c, line }.into());
                };
                let expected = match open {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                if c != expected {
                    return Err(PySyntaxError::Mismatched {
                        close: c,
                        open,
                        line,
                        open_line,
                    }
                    .into());
                }
            }
            _ => {}
        }
        self.push(Tok::Op(op), line, col);
        Ok(())
    }
}
