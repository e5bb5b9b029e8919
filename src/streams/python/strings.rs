//! Python's string and bytes literals: which prefixes make one, and the body's escapes resolved
//! as CPython resolves them (Objects/unicodeobject.c `_PyUnicode_DecodeUnicodeEscapeInternal`,
//! Objects/bytesobject.c `_PyBytes_DecodeEscape`). The lexer finds where a literal ends; this
//! file only turns its body into a value.
//!
//! Deliberate differences: `\N{name}` is refused (Brooklet carries no Unicode name table), and
//! a lone surrogate (`"\ud800"`) is refused because a Rust string cannot hold one.

use super::error::PySyntaxError;

/// What a literal's prefix asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Prefix {
    /// `r`/`R`: backslashes are kept as written.
    pub raw: bool,
    /// `b`/`B`: a bytes literal.
    pub bytes: bool,
    /// `f`/`F`: an f-string (refused by the lexer).
    pub format: bool,
}

/// The prefix a word spells when a quote follows it directly, or `None` when the word is just a
/// name (`ub"x"` is the name `ub` and then a string, as in Python).
pub(super) fn prefix(word: &str) -> Option<Prefix> {
    let lower = word.to_ascii_lowercase();
    let (raw, bytes, format) = match lower.as_str() {
        "" | "u" => (false, false, false),
        "r" => (true, false, false),
        "b" => (false, true, false),
        "br" | "rb" => (true, true, false),
        "f" => (false, false, true),
        "fr" | "rf" => (true, false, true),
        _ => return None,
    };
    Some(Prefix { raw, bytes, format })
}

/// A decoded literal: text, or bytes.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Literal {
    Str(String),
    Bytes(Vec<u8>),
}

/// Resolves the escapes of a literal's body (the text between its quotes).
pub(super) fn decode(body: &str, prefix: Prefix, line: usize) -> Result<Literal, PySyntaxError> {
    if prefix.bytes {
        if !body.is_ascii() {
            return Err(PySyntaxError::NonAsciiBytes { line });
        }
        if prefix.raw {
            return Ok(Literal::Bytes(body.as_bytes().to_vec()));
        }
        return decode_bytes(body, line).map(Literal::Bytes);
    }
    if prefix.raw {
        return Ok(Literal::Str(body.to_string()));
    }
    decode_text(body, line).map(Literal::Str)
}

/// The escapes shared by text and bytes: the character each stands for.
fn simple_escape(c: char) -> Option<char> {
    Some(match c {
        '\\' => '\\',
        '\'' => '\'',
        '"' => '"',
        'a' => '\x07',
        'b' => '\x08',
        'f' => '\x0c',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\x0b',
        _ => return None,
    })
}

/// Reads up to `max` hex digits after byte offset `from`; returns the value and how many.
fn hex_digits(chars: &[(usize, char)], from: usize, max: usize) -> (u32, usize) {
    let mut value: u32 = 0;
    let mut count = 0;
    while count < max {
        match chars.get(from + count).and_then(|(_, c)| c.to_digit(16)) {
            Some(d) => {
                value = value.wrapping_mul(16).wrapping_add(d);
                count += 1;
            }
            None => break,
        }
    }
    (value, count)
}

/// Reads up to three octal digits starting at `from`.
fn octal_digits(chars: &[(usize, char)], from: usize) -> (u32, usize) {
    let mut value: u32 = 0;
    let mut count = 0;
    while count < 3 {
        match chars.get(from + count).and_then(|(_, c)| c.to_digit(8)) {
            Some(d) => {
                value = value * 8 + d;
                count += 1;
            }
            None => break,
        }
    }
    (value, count)
}

fn decode_text(body: &str, line: usize) -> Result<String, PySyntaxError> {
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while let Some(&(offset, c)) = chars.get(i) {
        i += 1;
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&(_, e)) = chars.get(i) else {
            // The lexer never ends a body on a lone backslash (it would have escaped the quote).
            out.push('\\');
            break;
        };
        i += 1;
        if e == '\n' {
            continue;
        }
        if let Some(s) = simple_escape(e) {
            out.push(s);
            continue;
        }
        let wide = |digits: usize, reason: &'static str| {
            let (value, count) = hex_digits(&chars, i, digits);
            if count < digits {
                return Err(PySyntaxError::BadEscape {
                    start: offset,
                    end: offset + 1 + count,
                    reason,
                    line,
                });
            }
            char::from_u32(value).ok_or(PySyntaxError::BadEscape {
                start: offset,
                end: offset + 1 + count,
                reason: "illegal Unicode character",
                line,
            })
        };
        match e {
            'x' => {
                out.push(wide(2, "truncated \\xXX escape")?);
                i += 2;
            }
            'u' => {
                out.push(wide(4, "truncated \\uXXXX escape")?);
                i += 4;
            }
            'U' => {
                out.push(wide(8, "truncated \\UXXXXXXXX escape")?);
                i += 8;
            }
            'N' => {
                return Err(PySyntaxError::Unsupported {
                    what: "\\N{…} escapes (Unicode character names)",
                    line,
                })
            }
            '0'..='7' => {
                let (value, count) = octal_digits(&chars, i - 1);
                i += count - 1;
                // Octal escapes reach at most 0o777, always a valid character.
                out.push(char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            other => {
                // Python keeps an unknown escape as written (and warns).
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

fn decode_bytes(body: &str, line: usize) -> Result<Vec<u8>, PySyntaxError> {
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while let Some(&(offset, c)) = chars.get(i) {
        i += 1;
        // The body is ASCII (checked by the caller), so each char is one byte.
        let byte = |c: char| u8::try_from(u32::from(c)).unwrap_or(b'?');
        if c != '\\' {
            out.push(byte(c));
            continue;
        }
        let Some(&(_, e)) = chars.get(i) else {
            out.push(b'\\');
            break;
        };
        i += 1;
        if e == '\n' {
            continue;
        }
        if let Some(s) = simple_escape(e) {
            out.push(byte(s));
            continue;
        }
        match e {
            'x' => {
                let (value, count) = hex_digits(&chars, i, 2);
                if count < 2 {
                    return Err(PySyntaxError::BadBytesEscape {
                        position: offset,
                        line,
                    });
                }
                out.push(u8::try_from(value).unwrap_or(0));
                i += 2;
            }
            '0'..='7' => {
                let (value, count) = octal_digits(&chars, i - 1);
                i += count - 1;
                // CPython keeps the low byte of `\777` (and warns).
                out.push((value & 0xff) as u8);
            }
            other => {
                out.push(b'\\');
                out.push(byte(other));
            }
        }
    }
    Ok(out)
}
