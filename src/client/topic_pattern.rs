//! The regular expression of `subscribe(Pattern)`: which topics a pattern subscription covers.
//!
//! Owns a small backtracking matcher for the part of Java's regex syntax topic patterns use:
//! literals, `.`, classes (`[a-z]`, `[^.]`, `\d \w \s`), groups (`(...)`, `(?:...)`),
//! alternation `|`, quantifiers `* + ? {n} {n,} {n,m}`, anchors `^ $`. Like Java's
//! `matcher(topic).matches()`, a pattern must match the **whole** topic name. Must not know
//! about topics or consumers. (No regex crate: the crate's dependencies are fixed elsewhere.)

use std::fmt;

use thiserror::Error;

/// A pattern that does not parse, with Java's `PatternSyntaxException` shape.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{problem} near index {index}\n{pattern}\nFix the pattern and subscribe again.")]
pub struct TopicPatternError {
    /// The pattern as given.
    pub pattern: String,
    /// Where the problem was found (in characters).
    pub index: usize,
    /// What is wrong, e.g. `Unclosed group`.
    pub problem: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Char(char),
    Any,
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
    Group(Vec<Vec<Piece>>),
    Start,
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    atom: Atom,
    min: u32,
    max: u32,
}

/// A compiled topic pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicPattern {
    source: String,
    root: Vec<Vec<Piece>>,
}

impl fmt::Display for TopicPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl TopicPattern {
    /// Compiles `pattern`.
    pub fn new(pattern: &str) -> Result<Self, TopicPatternError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser {
            chars: &chars,
            pos: 0,
            source: pattern,
        };
        let root = p.alternation()?;
        if p.pos < chars.len() {
            return Err(p.error("Unmatched closing ')'"));
        }
        Ok(Self {
            source: pattern.to_owned(),
            root,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `topic` matches.
    pub fn matches(&self, topic: &str) -> bool {
        let s: Vec<char> = topic.chars().collect();
        let len = s.len();
        match_alt(&self.root, &s, 0, &mut |end| end == len)
    }
}

/// Unbounded repetition.
const MANY: u32 = u32::MAX;

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    source: &'a str,
}

impl Parser<'_> {
    fn error(&self, problem: &'static str) -> TopicPatternError {
        TopicPatternError {
            pattern: self.source.to_owned(),
            index: self.pos,
            problem,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn alternation(&mut self) -> Result<Vec<Vec<Piece>>, TopicPatternError> {
        let mut alts = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alts.push(self.sequence()?);
        }
        Ok(alts)
    }

    fn sequence(&mut self) -> Result<Vec<Piece>, TopicPatternError> {
        let mut seq = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let (min, max) = self.quantifier()?;
            seq.push(Piece { atom, min, max });
        }
        Ok(seq)
    }

    fn atom(&mut self) -> Result<Atom, TopicPatternError> {
        let Some(c) = self.peek() else {
            return Err(self.error("Unexpected end of pattern"));
        };
        self.pos += 1;
        Ok(match c {
            '.' => Atom::Any,
            '^' => Atom::Start,
            '$' => Atom::End,
            '*' | '+' | '?' | '{' => {
                self.pos -= 1;
                return Err(self.error("Dangling meta character"));
            }
            '(' => {
                if self.chars.get(self.pos..self.pos + 2) == Some(&['?', ':']) {
                    self.pos += 2;
                }
                let inner = self.alternation()?;
                if self.peek() != Some(')') {
                    return Err(self.error("Unclosed group"));
                }
                self.pos += 1;
                Atom::Group(inner)
            }
            '[' => self.class()?,
            '\\' => self.escape()?,
            c => Atom::Char(c),
        })
    }

    fn escape(&mut self) -> Result<Atom, TopicPatternError> {
        let Some(c) = self.peek() else {
            return Err(self.error("Unexpected internal error"));
        };
        self.pos += 1;
        let class = |ranges: Vec<(char, char)>, negated| Atom::Class { ranges, negated };
        Ok(match c {
            'd' => class(digit(), false),
            'D' => class(digit(), true),
            'w' => class(word(), false),
            'W' => class(word(), true),
            's' => class(space(), false),
            'S' => class(space(), true),
            't' => Atom::Char('\t'),
            'n' => Atom::Char('\n'),
            c => Atom::Char(c),
        })
    }

    fn class(&mut self) -> Result<Atom, TopicPatternError> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("Unclosed character class"));
            };
            self.pos += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = if c == '\\' {
                match self.escape()? {
                    Atom::Char(c) => c,
                    Atom::Class { ranges: r, .. } => {
                        ranges.extend(r);
                        continue;
                    }
                    _ => return Err(self.error("Illegal character class escape")),
                }
            } else {
                c
            };
            let is_range =
                self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']');
            if is_range {
                self.pos += 1;
                let Some(hi) = self.peek() else {
                    return Err(self.error("Unclosed character class"));
                };
                self.pos += 1;
                if hi < lo {
                    return Err(self.error("Illegal character range"));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Atom::Class { ranges, negated })
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.chars
            .get(start..self.pos)
            .and_then(|d| d.iter().collect::<String>().parse().ok())
    }

    fn quantifier(&mut self) -> Result<(u32, u32), TopicPatternError> {
        let bounds = match self.peek() {
            Some('*') => (0, MANY),
            Some('+') => (1, MANY),
            Some('?') => (0, 1),
            Some('{') => {
                self.pos += 1;
                let min = self
                    .number()
                    .ok_or_else(|| self.error("Illegal repetition"))?;
                let max = if self.peek() == Some(',') {
                    self.pos += 1;
                    self.number().unwrap_or(MANY)
                } else {
                    min
                };
                if self.peek() != Some('}') || max < min {
                    return Err(self.error("Illegal repetition range"));
                }
                (min, max)
            }
            _ => return Ok((1, 1)),
        };
        self.pos += 1;
        // Lazy (`*?`) and possessive (`*+`) forms decide *how* a match is found, not whether
        // the whole name matches, so they are accepted and matched greedily.
        if matches!(self.peek(), Some('?' | '+')) {
            self.pos += 1;
        }
        Ok(bounds)
    }
}

fn digit() -> Vec<(char, char)> {
    vec![('0', '9')]
}

fn word() -> Vec<(char, char)> {
    vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]
}

fn space() -> Vec<(char, char)> {
    vec![(' ', ' '), ('\t', '\r')]
}

type Cont<'k> = &'k mut dyn FnMut(usize) -> bool;

fn match_alt(alts: &[Vec<Piece>], s: &[char], pos: usize, k: Cont<'_>) -> bool {
    for seq in alts {
        if match_seq(seq, s, pos, k) {
            return true;
        }
    }
    false
}

fn match_seq(seq: &[Piece], s: &[char], pos: usize, k: Cont<'_>) -> bool {
    match seq.split_first() {
        None => k(pos),
        Some((piece, rest)) => match_rep(piece, 0, s, pos, &mut |q| match_seq(rest, s, q, k)),
    }
}

/// Greedy repetition: one more `piece` if allowed, else (or on failure) the rest.
fn match_rep(piece: &Piece, count: u32, s: &[char], pos: usize, k: Cont<'_>) -> bool {
    if count < piece.max {
        // An empty iteration only counts towards the minimum; beyond it, it would loop forever.
        let more = match_atom(&piece.atom, s, pos, &mut |q| {
            (q != pos || count < piece.min) && match_rep(piece, count + 1, s, q, k)
        });
        if more {
            return true;
        }
    }
    count >= piece.min && k(pos)
}

fn match_atom(atom: &Atom, s: &[char], pos: usize, k: Cont<'_>) -> bool {
    match atom {
        Atom::Char(c) => s.get(pos) == Some(c) && k(pos + 1),
        Atom::Any => s.get(pos).is_some_and(|&c| c != '\n' && c != '\r') && k(pos + 1),
        Atom::Class { ranges, negated } => {
            let hit = s
                .get(pos)
                .map(|&c| ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated);
            hit == Some(true) && k(pos + 1)
        }
        Atom::Group(alts) => match_alt(alts, s, pos, k),
        Atom::Start => pos == 0 && k(pos),
        Atom::End => pos == s.len() && k(pos),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        TopicPattern::new(p).map(|p| p.matches(t)).unwrap_or(false)
    }

    #[test]
    fn a_pattern_must_match_the_whole_topic_name_like_javas_matches() {
        assert!(m("orders.*", "orders-eu"));
        assert!(m("orders.*", "orders"));
        assert!(!m("orders", "orders-eu"));
        assert!(!m("rders.*", "orders"));
    }

    #[test]
    fn classes_groups_alternation_and_counts_work() {
        assert!(m("t[0-9]+", "t12"));
        assert!(!m("t[0-9]+", "t"));
        assert!(m("(orders|payments)-(eu|us)", "payments-us"));
        assert!(!m("(orders|payments)-(eu|us)", "payments-asia"));
        assert!(m("[^_].{2,3}", "abcd"));
        assert!(!m("[^_].*", "__consumer_offsets"));
        assert!(m("a\\.b", "a.b"));
        assert!(!m("a\\.b", "axb"));
        assert!(m("\\w+-\\d", "logs_x-7"));
        assert!(m("(a*)+b", "b"));
    }

    #[test]
    fn a_broken_pattern_is_an_error_not_a_panic() {
        for bad in ["(orders", "[a-", "*x", "a{2,1}", "x)"] {
            assert!(TopicPattern::new(bad).is_err(), "{bad}");
        }
        let e = TopicPattern::new("(ab").err().map(|e| e.problem);
        assert_eq!(e, Some("Unclosed group"));
    }
}
