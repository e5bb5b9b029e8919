//! Shell-like lexing of one command: words, quotes, comments, `<<EOF` heredocs, `< file`.
//!
//! Owns how a typed command becomes words and an optional standard input, the way `bash`
//! would split what a learner copies from course notes: `'...'`, `"..."`, backslash escapes,
//! trailing-backslash line continuations, `#` comments, heredocs and input redirection.
//! Must not know any tool: it hands words to the dispatcher and never touches the broker.

use std::fmt;

/// Where a command's standard input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stdin {
    /// Nothing given: the tool would read the terminal.
    Terminal,
    /// A heredoc's body, each line ending with `\n`.
    Heredoc(String),
    /// `< path`: a file the [`super::FileSource`] provides.
    File(String),
}

/// A command split into words, with where its input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    /// The words: the program first, then its arguments.
    pub words: Vec<String>,
    /// Its standard input.
    pub stdin: Stdin,
}

/// Why a command could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexError {
    /// A quote was opened and never closed.
    UnclosedQuote(char),
    /// `<<` with no delimiter word after it.
    MissingHeredocDelimiter,
    /// A heredoc whose closing delimiter line never came.
    UnterminatedHeredoc(String),
    /// `<` with no file name after it.
    MissingRedirectTarget,
    /// `|`, `;`, `&`, `>`: shell features this console does not have.
    Unsupported(char),
    /// Both a heredoc and `< file` (or two of either).
    TwoInputs,
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnclosedQuote(q) => write!(f, "unexpected end of input: unmatched {q}"),
            Self::MissingHeredocDelimiter => {
                f.write_str("syntax error: a delimiter word must follow `<<`, e.g. <<EOF")
            }
            Self::UnterminatedHeredoc(d) => {
                write!(f, "here-document delimited by end of input (wanted `{d}`)")
            }
            Self::MissingRedirectTarget => {
                f.write_str("syntax error: a file name must follow `<`")
            }
            Self::Unsupported(c) => write!(
                f,
                "`{c}` is not supported here: run one command at a time (pipes, lists and output redirection are not part of this console)"
            ),
            Self::TwoInputs => f.write_str("a command can read only one input: a heredoc or `< file`"),
        }
    }
}

impl std::error::Error for LexError {}

/// What the first (logical) line of a command holds before its heredoc body is read.
#[derive(Debug)]
struct Head {
    words: Vec<String>,
    heredoc: Option<(String, bool)>,
    file: Option<String>,
    /// Byte index in the text where the logical line ended (after its `\n`, if any).
    end: usize,
}

/// Whether `text` is not yet a whole command: a quote or a trailing backslash continues it onto
/// the next line, or a heredoc still waits for its delimiter line. A console reading line by
/// line keeps adding lines while this is true.
pub fn needs_more(text: &str) -> bool {
    match lex_head(text) {
        Err(LexError::UnclosedQuote(_)) => true,
        Err(_) => false,
        Ok(head) => {
            if ends_with_continuation(text) {
                return true;
            }
            match head.heredoc {
                Some((delim, strip)) => {
                    heredoc_body(text.get(head.end..).unwrap_or(""), &delim, strip).is_none()
                }
                None => false,
            }
        }
    }
}

/// When `text` is a complete first line whose heredoc body has not started or not ended, the
/// heredoc's delimiter and whether `<<-` strips leading tabs. A console feeding lines one by
/// one uses it to watch for the delimiter line without lexing the whole text again.
pub fn awaited_heredoc(text: &str) -> Option<(String, bool)> {
    let head = lex_head(text).ok()?;
    if ends_with_continuation(text) {
        return None;
    }
    let (delim, strip) = head.heredoc?;
    heredoc_body(text.get(head.end..).unwrap_or(""), &delim, strip)
        .is_none()
        .then_some((delim, strip))
}

/// Whether `line` closes a heredoc delimited by `delim`.
pub fn closes_heredoc(line: &str, delim: &str, strip_tabs: bool) -> bool {
    let bare = line.strip_suffix('\r').unwrap_or(line);
    let bare = if strip_tabs {
        bare.trim_start_matches('\t')
    } else {
        bare
    };
    bare == delim
}

fn ends_with_continuation(text: &str) -> bool {
    let trimmed = text.strip_suffix('\n').unwrap_or(text);
    let trailing = trimmed.chars().rev().take_while(|c| *c == '\\').count();
    trailing % 2 == 1 && lex_head(text).is_ok_and(|h| h.end >= text.len())
}

/// Splits one whole command (its logical line, then any heredoc body lines) into words and
/// standard input. Text after the heredoc's delimiter line is ignored.
pub fn lex(text: &str) -> Result<CommandLine, LexError> {
    let head = lex_head(text)?;
    let stdin = match (head.heredoc, head.file) {
        (Some(_), Some(_)) => return Err(LexError::TwoInputs),
        (Some((delim, strip)), None) => {
            let rest = text.get(head.end..).unwrap_or("");
            match heredoc_body(rest, &delim, strip) {
                Some((body, _)) => Stdin::Heredoc(body),
                None => return Err(LexError::UnterminatedHeredoc(delim)),
            }
        }
        (None, Some(path)) => Stdin::File(path),
        (None, None) => Stdin::Terminal,
    };
    Ok(CommandLine {
        words: head.words,
        stdin,
    })
}

/// Splits a script into whole commands (each a logical line plus its heredoc body), dropping
/// blank and comment-only lines. An unfinished last command is returned as it is, so running
/// it reports what is missing.
pub fn split_commands(script: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in script.split_inclusive('\n') {
        current.push_str(line);
        if !needs_more(&current) {
            if !is_blank(&current) {
                commands.push(std::mem::take(&mut current));
            }
            current.clear();
        }
    }
    if !is_blank(&current) {
        commands.push(current);
    }
    commands
}

/// True for text with no words: only spaces and comments.
pub fn is_blank(text: &str) -> bool {
    matches!(lex_head(text), Ok(h) if h.words.is_empty() && h.heredoc.is_none() && h.file.is_none())
}

/// Reads heredoc body lines up to the delimiter line; `None` if it never comes. Returns the
/// body (each line with its `\n`) and the bytes consumed.
fn heredoc_body(rest: &str, delim: &str, strip_tabs: bool) -> Option<(String, usize)> {
    let mut body = String::new();
    let mut used = 0;
    for line in rest.split_inclusive('\n') {
        used += line.len();
        let bare = line.strip_suffix('\n').unwrap_or(line);
        if closes_heredoc(bare, delim, strip_tabs) {
            return Some((body, used));
        }
        let bare = bare.strip_suffix('\r').unwrap_or(bare);
        let bare = if strip_tabs {
            bare.trim_start_matches('\t')
        } else {
            bare
        };
        body.push_str(bare);
        body.push('\n');
    }
    None
}

#[derive(PartialEq)]
enum Pending {
    Nothing,
    Heredoc,
    File,
}

/// Lexes the first logical line: words until an unquoted newline (a backslash-newline joins
/// lines, as in a shell).
fn lex_head(text: &str) -> Result<Head, LexError> {
    let mut words = Vec::new();
    let mut heredoc = None;
    let mut file = None;
    let mut word = String::new();
    let mut in_word = false;
    let mut pending = Pending::Nothing;
    let mut strip_tabs = false;
    let mut chars = text.char_indices().peekable();
    let mut end = text.len();

    // Finishing a word either records it, or gives it to a pending `<<` or `<`.
    let mut finish = |word: &mut String,
                      in_word: &mut bool,
                      pending: &mut Pending,
                      strip: bool|
     -> Result<(), LexError> {
        if !*in_word {
            return Ok(());
        }
        let w = std::mem::take(word);
        *in_word = false;
        match pending {
            Pending::Nothing => words.push(w),
            Pending::Heredoc => {
                if heredoc.is_some() || file.is_some() {
                    return Err(LexError::TwoInputs);
                }
                heredoc = Some((w, strip));
            }
            Pending::File => {
                if heredoc.is_some() || file.is_some() {
                    return Err(LexError::TwoInputs);
                }
                file = Some(w);
            }
        }
        *pending = Pending::Nothing;
        Ok(())
    };

    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => {
                end = i + 1;
                break;
            }
            ' ' | '\t' | '\r' => finish(&mut word, &mut in_word, &mut pending, strip_tabs)?,
            '#' if !in_word => {
                // A comment runs to the end of the line.
                for (j, c2) in chars.by_ref() {
                    if c2 == '\n' {
                        end = j + 1;
                        break;
                    }
                }
                break;
            }
            '\\' => match chars.next() {
                Some((_, '\n')) => {}
                Some((_, next)) => {
                    word.push(next);
                    in_word = true;
                }
                None => {}
            },
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, ch)) => word.push(ch),
                        None => return Err(LexError::UnclosedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, '\n')) => {}
                            Some((_, e @ ('"' | '\\' | '$' | '`'))) => word.push(e),
                            Some((_, other)) => {
                                word.push('\\');
                                word.push(other);
                            }
                            None => return Err(LexError::UnclosedQuote('"')),
                        },
                        Some((_, ch)) => word.push(ch),
                        None => return Err(LexError::UnclosedQuote('"')),
                    }
                }
            }
            '<' => {
                finish(&mut word, &mut in_word, &mut pending, strip_tabs)?;
                if pending != Pending::Nothing {
                    return Err(LexError::Unsupported('<'));
                }
                if chars.peek().is_some_and(|(_, n)| *n == '<') {
                    chars.next();
                    strip_tabs = chars.peek().is_some_and(|(_, n)| *n == '-');
                    if strip_tabs {
                        chars.next();
                    }
                    pending = Pending::Heredoc;
                } else {
                    pending = Pending::File;
                }
            }
            '$' if chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                // bash's ANSI-C quoting, handy for separators: $'\t', $'\n'.
                chars.next();
                in_word = true;
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, 'n')) => word.push('\n'),
                            Some((_, 't')) => word.push('\t'),
                            Some((_, 'r')) => word.push('\r'),
                            Some((_, '0')) => word.push('\0'),
                            Some((_, e @ ('\\' | '\'' | '"'))) => word.push(e),
                            Some((_, other)) => {
                                word.push('\\');
                                word.push(other);
                            }
                            None => return Err(LexError::UnclosedQuote('\'')),
                        },
                        Some((_, ch)) => word.push(ch),
                        None => return Err(LexError::UnclosedQuote('\'')),
                    }
                }
            }
            '|' | ';' | '&' | '>' | '`' => return Err(LexError::Unsupported(c)),
            other => {
                word.push(other);
                in_word = true;
            }
        }
    }
    finish(&mut word, &mut in_word, &mut pending, strip_tabs)?;
    match pending {
        Pending::Heredoc => return Err(LexError::MissingHeredocDelimiter),
        Pending::File => return Err(LexError::MissingRedirectTarget),
        Pending::Nothing => {}
    }
    Ok(Head {
        words,
        heredoc,
        file,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        lex(text).map(|c| c.words).unwrap_or_default()
    }

    #[test]
    fn quotes_and_escapes_join_into_words_as_bash_does() {
        assert_eq!(
            words(r#"a 'b c' "d \"e\" \n" f\ g h#i # comment"#),
            vec!["a", "b c", "d \"e\" \\n", "f g", "h#i"]
        );
        assert_eq!(words("k=$'\\t' $'it\\'s'"), vec!["k=\t", "it's"]);
    }

    #[test]
    fn a_heredoc_becomes_standard_input_up_to_its_delimiter() {
        let cmd = lex("p --x <<'EOF'\nk1\tv1\nk2\tv2\nEOF\nignored\n").unwrap_or_else(|e| {
            panic!("{e}");
        });
        assert_eq!(cmd.words, vec!["p", "--x"]);
        assert_eq!(cmd.stdin, Stdin::Heredoc("k1\tv1\nk2\tv2\n".into()));
    }

    #[test]
    fn a_backslash_newline_continues_the_command() {
        assert!(needs_more("kafka-topics.sh \\"));
        assert!(needs_more("kafka-topics.sh \\\n"));
        assert_eq!(words("a \\\n  b"), vec!["a", "b"]);
        assert!(needs_more("p <<EOF\nline\n"));
        assert!(!needs_more("p <<EOF\nline\nEOF\n"));
        assert!(needs_more("echo 'open"));
    }

    #[test]
    fn redirection_and_unsupported_operators() {
        assert_eq!(
            lex("p < data.txt").map(|c| c.stdin),
            Ok(Stdin::File("data.txt".into()))
        );
        assert_eq!(lex("a | b"), Err(LexError::Unsupported('|')));
        assert_eq!(lex("a <"), Err(LexError::MissingRedirectTarget));
    }

    #[test]
    fn scripts_split_into_commands_with_their_heredocs() {
        let script = "# setup\n\na 1\nb <<EOF\nx\n# not a comment\nEOF\nc \\\n 2\n";
        let cmds = split_commands(script);
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[1], "b <<EOF\nx\n# not a comment\nEOF\n");
        assert_eq!(words(&cmds[2]), vec!["c", "2"]);
    }
}
