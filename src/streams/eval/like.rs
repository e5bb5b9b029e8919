//! SQL `LIKE` as Spark matches it (`StringUtils.escapeLikeRegex` of Spark 3.5): `%` is any run
//! of characters, `_` one character, `\` escapes `%`, `_` and itself; everything else is
//! literal and the whole string must match (newlines included).
//!
//! Owns the matcher, which runs in O(text × pattern) time: no pattern a user types can make it
//! backtrack without bound.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Literal(char),
    One,
    Any,
}

/// Why a `LIKE` pattern is refused (Spark raises `INVALID_FORMAT.ESCAPE_CHARACTER_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPattern {
    /// `\` followed by something other than `%`, `_` or `\`.
    EscapeInTheMiddle(char),
    /// A pattern ending in a lone `\`.
    EscapeAtTheEnd,
}

fn tokens(pattern: &str) -> Result<Vec<Token>, BadPattern> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '\\' => match chars.next() {
                Some(e @ ('%' | '_' | '\\')) => Token::Literal(e),
                Some(other) => return Err(BadPattern::EscapeInTheMiddle(other)),
                None => return Err(BadPattern::EscapeAtTheEnd),
            },
            '%' => Token::Any,
            '_' => Token::One,
            c => Token::Literal(c),
        });
    }
    Ok(out)
}

/// Checks a pattern without matching anything (for a literal pattern at bind time).
pub fn check_pattern(pattern: &str) -> Result<(), BadPattern> {
    tokens(pattern).map(|_| ())
}

/// Whether `text` matches `pattern`; `None` for a malformed pattern.
pub fn like_matches(text: &str, pattern: &str) -> Option<bool> {
    let pattern = tokens(pattern).ok()?;
    let text: Vec<char> = text.chars().collect();
    // The classic greedy wildcard match: remember the last `%` and retry from one character
    // further on mismatch. Each retry advances the text, so this is O(n·m).
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Token::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Token::One) => {
                t += 1;
                p += 1;
            }
            Some(Token::Literal(c)) if text.get(t) == Some(c) => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return Some(false),
            },
        }
    }
    Some(
        pattern[p.min(pattern.len())..]
            .iter()
            .all(|tok| *tok == Token::Any),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_and_underscore_match_as_in_spark() {
        assert_eq!(like_matches("chicago", "chi%"), Some(true));
        assert_eq!(like_matches("chicago", "%cag_"), Some(true));
        assert_eq!(like_matches("chicago", "c_i%o"), Some(true));
        assert_eq!(like_matches("chicago", "chi"), Some(false));
        assert_eq!(like_matches("", "%"), Some(true));
        assert_eq!(like_matches("a\nb", "a_b"), Some(true));
    }

    #[test]
    fn an_escaped_wildcard_matches_only_itself() {
        assert_eq!(like_matches("50%", "50\\%"), Some(true));
        assert_eq!(like_matches("500", "50\\%"), Some(false));
        assert_eq!(like_matches("a_b", "a\\_b"), Some(true));
        assert_eq!(like_matches("x", "\\x"), None);
        assert_eq!(check_pattern("abc\\"), Err(BadPattern::EscapeAtTheEnd));
    }

    #[test]
    fn many_wildcards_against_a_long_text_finish() {
        let text = "a".repeat(2000);
        assert_eq!(
            like_matches(&text, &"%a".repeat(50).replace("a", "%b")),
            Some(false)
        );
    }
}
