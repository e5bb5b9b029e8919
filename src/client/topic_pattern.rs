//! The regular expression of a topic pattern: `subscribe(Pattern)`, and the `--topic` /
//! `--include` patterns of `kafka-topics.sh`, `kafka-console-consumer.sh` and
//! `kafka-get-offsets.sh`. A Java regular expression matched against the **whole** name
//! (`Matcher.matches`).
//!
//! Owns a small regex engine for the subset of Java syntax topic names need (literals, `.`,
//! classes `[a-z]`/`[^_]`, `\d \w \s`, groups `(...)`/`(?:...)`, `|`, `* + ?` and `{n,m}`,
//! `^ $`), run as a Pike VM so no pattern a learner types can take exponential time. Must not
//! know about topics or consumers, and is for names only: no captures, no look-around.

use std::fmt;

use thiserror::Error;

/// A pattern that does not parse, worded as Java's `PatternSyntaxException` message: the
/// problem, where, the pattern, and a caret under the place when it is inside the pattern.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{problem} near index {index}\n{pattern}{}", caret(*.index, .pattern))]
pub struct TopicPatternError {
    /// The pattern as given.
    pub pattern: String,
    /// Where the problem was found (in characters).
    pub index: usize,
    /// What is wrong, e.g. `Unclosed group`.
    pub problem: String,
}

/// Java's caret line: only when the index points inside the pattern.
fn caret(index: usize, pattern: &str) -> String {
    if index < pattern.chars().count() {
        format!("\n{}^", " ".repeat(index))
    } else {
        String::new()
    }
}

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Start,
    End,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Start,
    End,
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A compiled topic pattern.
#[derive(Debug, Clone)]
pub struct TopicPattern {
    source: String,
    prog: Vec<Inst>,
}

/// Two patterns are equal when written alike (the program follows from the text).
impl PartialEq for TopicPattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for TopicPattern {}

impl fmt::Display for TopicPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Repetition bounds beyond this are refused, so a pattern cannot blow up the program.
const MAX_REPEAT: u32 = 100;
/// Compiled programs larger than this are refused.
const MAX_PROGRAM: usize = 20_000;

impl TopicPattern {
    /// Compiles `pattern`.
    pub fn new(pattern: &str) -> Result<Self, TopicPatternError> {
        let err = |problem: String, index: usize| TopicPatternError {
            pattern: pattern.to_owned(),
            index,
            problem,
        };
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser { chars, pos: 0 };
        // The parser stops where it found the problem: that is Java's index.
        let node = match parser.alternation(0) {
            Ok(node) => node,
            Err(problem) => return Err(err(problem, parser.pos)),
        };
        if parser.pos < parser.chars.len() {
            // Java peeks at the ')' and reports one before it (`cursor - 1`).
            return Err(err(
                "Unmatched closing ')'".to_owned(),
                parser.pos.saturating_sub(1),
            ));
        }
        let mut prog = Vec::new();
        compile(&node, &mut prog).map_err(|problem| err(problem, 0))?;
        prog.push(Inst::Match);
        Ok(Self {
            source: pattern.to_owned(),
            prog,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `text` matches (Java's `Matcher.matches`).
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let mut current = Vec::new();
        let mut seen = vec![usize::MAX; self.prog.len()];
        self.add(&mut current, &mut seen, 0, 0, chars.len(), 0);
        for (i, c) in chars.iter().enumerate() {
            let mut next = Vec::new();
            for &pc in &current {
                let ok = match self.prog.get(pc) {
                    Some(Inst::Char(x)) => x == c,
                    Some(Inst::Any) => *c != '\n',
                    Some(Inst::Class(ranges, negated)) => {
                        ranges.iter().any(|(lo, hi)| lo <= c && c <= hi) != *negated
                    }
                    _ => false,
                };
                if ok {
                    self.add(&mut next, &mut seen, pc + 1, i + 1, chars.len(), i + 1);
                }
            }
            current = next;
            if current.is_empty() {
                return false;
            }
        }
        current
            .iter()
            .any(|&pc| matches!(self.prog.get(pc), Some(Inst::Match)))
    }

    /// Follows jumps, splits and assertions from `pc` at position `at`, adding the states that
    /// consume a character (or match). `seen` marks states already added for step `step`.
    fn add(
        &self,
        list: &mut Vec<usize>,
        seen: &mut [usize],
        pc: usize,
        at: usize,
        len: usize,
        step: usize,
    ) {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            match seen.get_mut(pc) {
                Some(mark) if *mark == step => continue,
                Some(mark) => *mark = step,
                None => continue,
            }
            match self.prog.get(pc) {
                Some(Inst::Jmp(to)) => stack.push(*to),
                Some(Inst::Split(a, b)) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Some(Inst::Start) if at == 0 => stack.push(pc + 1),
                Some(Inst::End) if at == len => stack.push(pc + 1),
                Some(Inst::Start | Inst::End) => {}
                Some(_) => list.push(pc),
                None => {}
            }
        }
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn alternation(&mut self, depth: u32) -> Result<Node, String> {
        if depth > 50 {
            return Err("Pattern nested too deeply".into());
        }
        let mut branches = vec![self.concat(depth)?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.concat(depth)?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self, depth: u32) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom(depth)?;
            let atom = self.quantified(atom)?;
            items.push(atom);
        }
        Ok(Node::Concat(items))
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => return self.braces(atom),
            _ => return Ok(atom),
        };
        self.pos += 1;
        self.lazy_or_possessive();
        if matches!(atom, Node::Start | Node::End) {
            return Ok(atom);
        }
        Ok(Node::Repeat(Box::new(atom), min, max))
    }

    /// `?` (lazy) and `+` (possessive) change which match is found, not whether one exists.
    fn lazy_or_possessive(&mut self) {
        if matches!(self.peek(), Some('?' | '+')) {
            self.pos += 1;
        }
    }

    fn braces(&mut self, atom: Node) -> Result<Node, String> {
        self.pos += 1;
        let number = |p: &mut Parser| -> Option<u32> {
            let start = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.chars
                .get(start..p.pos)
                .and_then(|d| d.iter().collect::<String>().parse().ok())
        };
        let min = number(self).ok_or("Illegal repetition")?;
        let max = if self.peek() == Some(',') {
            self.pos += 1;
            number(self)
        } else {
            Some(min)
        };
        if self.peek() != Some('}') {
            return Err("Unclosed counted closure".into());
        }
        self.pos += 1;
        self.lazy_or_possessive();
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
            return Err("Illegal repetition range".into());
        }
        Ok(Node::Repeat(Box::new(atom), min, max))
    }

    fn atom(&mut self, depth: u32) -> Result<Node, String> {
        let c = self.peek().ok_or("Unexpected end")?;
        self.pos += 1;
        Ok(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '(' => {
                if self.chars.get(self.pos..self.pos + 2) == Some(&['?', ':']) {
                    self.pos += 2;
                } else if self.peek() == Some('?') {
                    return Err("Unknown group type".into());
                }
                let inner = self.alternation(depth + 1)?;
                if self.peek() != Some(')') {
                    return Err("Unclosed group".into());
                }
                self.pos += 1;
                inner
            }
            '[' => self.class()?,
            '\\' => self.escape(false)?,
            '*' | '+' | '?' | '{' => {
                // Java points at the meta character itself.
                self.pos -= 1;
                return Err(format!("Dangling meta character '{c}'"));
            }
            other => Node::Char(other),
        })
    }

    fn escape(&mut self, in_class: bool) -> Result<Node, String> {
        let c = self.peek().ok_or("Unexpected internal error")?;
        self.pos += 1;
        let ranges = |r: &[(char, char)], neg| Node::Class(r.to_vec(), neg);
        const DIGIT: &[(char, char)] = &[('0', '9')];
        const WORD: &[(char, char)] = &[('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
        const SPACE: &[(char, char)] = &[('\t', '\r'), (' ', ' ')];
        Ok(match c {
            'd' => ranges(DIGIT, false),
            'D' => ranges(DIGIT, true),
            'w' => ranges(WORD, false),
            'W' => ranges(WORD, true),
            's' => ranges(SPACE, false),
            'S' => ranges(SPACE, true),
            't' => Node::Char('\t'),
            'n' => Node::Char('\n'),
            c if c.is_ascii_alphanumeric() && !in_class => {
                return Err("Illegal/unsupported escape sequence".into())
            }
            other => Node::Char(other),
        })
    }

    fn class(&mut self) -> Result<Node, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek().ok_or("Unclosed character class")?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            self.pos += 1;
            let lo = if c == '\\' {
                match self.escape(true)? {
                    Node::Char(ch) => ch,
                    Node::Class(r, false) => {
                        ranges.extend(r);
                        continue;
                    }
                    _ => return Err("Illegal/unsupported escape sequence".into()),
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|n| *n != ']') {
                self.pos += 1;
                let hi = self.peek().ok_or("Unclosed character class")?;
                self.pos += 1;
                if hi < lo {
                    return Err("Illegal character range".into());
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Node::Class(ranges, negated))
    }
}

fn compile(node: &Node, prog: &mut Vec<Inst>) -> Result<(), String> {
    if prog.len() > MAX_PROGRAM {
        return Err("Pattern too large".into());
    }
    match node {
        Node::Empty => {}
        Node::Char(c) => prog.push(Inst::Char(*c)),
        Node::Any => prog.push(Inst::Any),
        Node::Class(r, n) => prog.push(Inst::Class(r.clone(), *n)),
        Node::Start => prog.push(Inst::Start),
        Node::End => prog.push(Inst::End),
        Node::Concat(items) => {
            for item in items {
                compile(item, prog)?;
            }
        }
        Node::Alt(branches) => {
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(branch, prog)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    if let Some(Inst::Split(_, b)) = prog.get_mut(split) {
                        *b = next;
                    }
                } else {
                    compile(branch, prog)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                if let Some(Inst::Jmp(to)) = prog.get_mut(j) {
                    *to = end;
                }
            }
        }
        Node::Repeat(inner, min, max) => {
            for _ in 0..*min {
                compile(inner, prog)?;
            }
            match max {
                None => {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(inner, prog)?;
                    prog.push(Inst::Jmp(split));
                    let end = prog.len();
                    if let Some(Inst::Split(_, b)) = prog.get_mut(split) {
                        *b = end;
                    }
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(prog.len() + 1, 0));
                        compile(inner, prog)?;
                    }
                    let end = prog.len();
                    for s in splits {
                        if let Some(Inst::Split(_, b)) = prog.get_mut(s) {
                            *b = end;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        TopicPattern::new(p).map(|p| p.matches(t)).unwrap_or(false)
    }

    #[test]
    fn whole_names_match_like_java_matches() {
        assert!(m("orders", "orders"));
        assert!(!m("orders", "orders-v2"));
        assert!(m("orders.*", "orders-v2"));
        assert!(m("orders|payments", "payments"));
        assert!(m("t[0-9]+", "t12"));
        assert!(!m("t[^0-9]", "t1"));
        assert!(m("a\\.b", "a.b"));
        assert!(!m("a\\.b", "a_b"));
        assert!(m("(ab){2}c?", "abab"));
        assert!(m("^__.*$", "__consumer_offsets"));
        assert!(m("\\w+-\\d", "my_topic-3"));
    }

    #[test]
    fn bad_patterns_are_errors_and_nested_stars_stay_fast() {
        for bad in ["*a", "(a", "[a", "[a-", "a{2,1}", "x)"] {
            assert!(TopicPattern::new(bad).is_err(), "{bad}");
        }
        assert!(!m("(a*)*b", &"a".repeat(200)));
    }

    #[test]
    fn classes_groups_alternation_and_counts_work() {
        assert!(!m("t[0-9]+", "t"));
        assert!(m("(orders|payments)-(eu|us)", "payments-us"));
        assert!(!m("(orders|payments)-(eu|us)", "payments-asia"));
        assert!(m("[^_].{2,3}", "abcd"));
        assert!(!m("[^_].*", "__consumer_offsets"));
        assert!(m("(a*)+b", "b"));
        assert!(m("(?:eu|us)-orders", "us-orders"));
    }

    #[test]
    fn an_error_reads_as_javas_pattern_syntax_exception() {
        let text = |p: &str| TopicPattern::new(p).err().map(|e| e.to_string());
        assert_eq!(text("("), Some("Unclosed group near index 1\n(".to_owned()));
        assert_eq!(
            text("*a"),
            Some("Dangling meta character '*' near index 0\n*a\n^".to_owned())
        );
        assert_eq!(
            text("ab)"),
            Some("Unmatched closing ')' near index 1\nab)\n ^".to_owned())
        );
    }
}
