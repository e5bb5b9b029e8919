//! Editing the typed line: the command history walked with the arrow keys, and what a Tab
//! completion does to the text. Owns no console and no scrollback.

use super::HISTORY_LIMIT;

/// Whether a key pressed in the terminal's line can run a command, and so append records that
/// a console producer sent: Enter runs the line; Ctrl-C and Ctrl-D end a producer, which sends
/// what it read. Typing, history, completion and scrolling run nothing, so the dock must not
/// scan the log's partitions for them (with 10,000-partition topics a scan per key is felt).
pub fn key_runs_command(key: &str, ctrl: bool, shift: bool) -> bool {
    match key {
        "Enter" => !ctrl && !shift,
        "c" | "C" | "d" | "D" => ctrl,
        _ => false,
    }
}

/// Commands typed before, walked with the up and down arrows as a shell does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
    /// The entry shown, while walking.
    cursor: Option<usize>,
    /// What was typed before the walk began, given back past the newest entry.
    draft: String,
}

impl History {
    /// A history holding `entries` (oldest first), as a shell reads its history file: blank
    /// lines and immediate repeats are dropped and only the newest [`HISTORY_LIMIT`] kept.
    pub fn from_entries<I: IntoIterator<Item = String>>(entries: I) -> Self {
        let mut history = Self::default();
        for entry in entries {
            history.record(&entry);
        }
        history
    }

    /// Remembers a typed line (blank lines and repeats of the previous one are not kept) and
    /// ends any walk.
    pub fn record(&mut self, line: &str) {
        self.cursor = None;
        self.draft.clear();
        if line.trim().is_empty() || self.entries.last().is_some_and(|last| last == line) {
            return;
        }
        self.entries.push(line.to_owned());
        if self.entries.len() > HISTORY_LIMIT {
            let excess = self.entries.len() - HISTORY_LIMIT;
            self.entries.drain(..excess);
        }
    }

    /// The entry before the one shown (the newest one when not walking yet; `current` is kept
    /// to come back to). `None` when there is nothing older.
    pub fn previous(&mut self, current: &str) -> Option<String> {
        let index = match self.cursor {
            None => {
                let newest = self.entries.len().checked_sub(1)?;
                self.draft = current.to_owned();
                newest
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.cursor = Some(index);
        self.entries.get(index).cloned()
    }

    /// The entry after the one shown, or what was being typed before the walk once past the
    /// newest. `None` when not walking.
    pub fn following(&mut self) -> Option<String> {
        let index = self.cursor? + 1;
        if index < self.entries.len() {
            self.cursor = Some(index);
            self.entries.get(index).cloned()
        } else {
            self.cursor = None;
            Some(std::mem::take(&mut self.draft))
        }
    }

    /// The remembered lines, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }
}

/// What pressing Tab does to the typed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    /// No candidate: the text stays as it is.
    Unchanged,
    /// One candidate: the last word is completed (a space follows unless the candidate
    /// wants a value right after it, like `parse.key=`).
    Completed(String),
    /// Several: the text is extended to their common beginning, and they are listed.
    Listed {
        /// The text, extended as far as every candidate agrees.
        input: String,
        /// The candidates, as the console gave them.
        candidates: Vec<String>,
    },
}

/// Applies the console's `candidates` for the last word of `input`.
pub fn apply_completion(input: &str, candidates: &[String]) -> Completion {
    let start = input.rfind([' ', '\t', '\n']).map_or(0, |i| i + 1);
    let (head, word) = input.split_at(start);
    match candidates {
        [] => Completion::Unchanged,
        [only] => {
            let mut text = format!("{head}{only}");
            if !only.ends_with(['=', '/', ':']) {
                text.push(' ');
            }
            Completion::Completed(text)
        }
        many => {
            let prefix = common_prefix(many);
            let input = if prefix.len() > word.len() && prefix.starts_with(word) {
                format!("{head}{prefix}")
            } else {
                input.to_owned()
            };
            Completion::Listed {
                input,
                candidates: many.to_vec(),
            }
        }
    }
}

/// The longest beginning every word shares (whole characters).
pub(super) fn common_prefix(words: &[String]) -> String {
    let Some((first, rest)) = words.split_first() else {
        return String::new();
    };
    let mut end = first.len();
    for word in rest {
        end = first
            .char_indices()
            .zip(word.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first.get(..end).unwrap_or("").to_owned()
}
