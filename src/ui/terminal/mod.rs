//! The terminal dock's state as plain Rust: tabs, each a [`Console`] with its scrollback,
//! command history and the line being typed; the dock's size; the bundled sample files.
//!
//! Owns what a keystroke does to a session (run the typed lines, interrupt, end of input,
//! clear, walk the history, apply a completion) and how a command's [`Output`] becomes
//! scrollback lines. Must not touch the DOM or Yew (the dock component renders this and
//! dispatches keys to it) nor interpret commands (the [`Console`] does). Tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use crate::broker::Broker;
use crate::console::{Console, MemoryFiles, Output, Prompt};

mod input;
mod samples;

#[cfg(test)]
use input::common_prefix;
pub use input::{apply_completion, Completion, History};
pub use samples::{sample_files, ORDERS_JSONL, PRODUCER_PROPERTIES};

/// Lines a session keeps; older ones scroll away for good.
pub const SCROLLBACK_LIMIT: usize = 5_000;

/// Commands a session's history keeps.
pub const HISTORY_LIMIT: usize = 500;

/// Where a scrollback line came from, so it can be coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// What the learner typed, after its prompt.
    Input,
    /// A command's standard output.
    Stdout,
    /// A command's standard error.
    Stderr,
    /// The terminal's own notes (welcome text, completion candidates).
    Info,
}

impl Stream {
    /// A short name for styling and tests.
    pub fn name(self) -> &'static str {
        match self {
            Stream::Input => "input",
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
            Stream::Info => "info",
        }
    }
}

/// One line of scrollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Where it came from.
    pub stream: Stream,
    /// Its text, without a newline (tabs kept).
    pub text: String,
}

/// What a keystroke led to, for the component to act on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Effect {
    /// A command ran (or a record was sent): the broker may have changed, so views should
    /// re-render and the change be stored.
    pub ran: bool,
    /// The session asked to end (`exit`).
    pub exit: bool,
}

/// One terminal tab: a console, what it printed, and what is being typed.
pub struct Session {
    id: u32,
    console: Console,
    lines: Vec<Line>,
    history: History,
    input: String,
    revision: u64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("lines", &self.lines.len())
            .field("input", &self.input)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session over `console`, greeting the learner.
    pub fn new(id: u32, console: Console) -> Self {
        let mut session = Self {
            id,
            console,
            lines: Vec::new(),
            history: History::default(),
            input: String::new(),
            revision: 0,
        };
        session.note(&format!(
            "Brooklet terminal {id}: Kafka {}'s tools over this tab's cluster. Type `help` to list them; Tab completes.",
            crate::console::KAFKA_VERSION
        ));
        session
    }

    /// Its number, unique in the dock.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The tab's label.
    pub fn title(&self) -> String {
        format!("Terminal {}", self.id)
    }

    /// The scrollback, oldest first.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// Bumped whenever the scrollback changes, so a view can skip redrawing it otherwise.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The text being typed (several lines when pasted).
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Replaces the text being typed (a keystroke, a paste, an example clicked).
    pub fn set_input(&mut self, text: impl Into<String>) {
        self.input = text.into();
    }

    /// The prompt before the input.
    pub fn prompt(&self) -> &'static str {
        self.console.prompt().as_str()
    }

    /// True while a console producer reads what is typed (Ctrl-D ends it).
    pub fn is_reading_stdin(&self) -> bool {
        self.console.is_reading_stdin()
    }

    /// The commands typed before.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Enter: runs every typed line in turn, as a terminal does with a pasted block.
    pub fn submit(&mut self) -> Effect {
        let text = std::mem::take(&mut self.input);
        let mut effect = Effect::default();
        let lines: Vec<&str> = if text.is_empty() {
            vec![""]
        } else {
            text.split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .collect()
        };
        for line in lines {
            let prompt = self.console.prompt();
            self.push(Stream::Input, format!("{}{line}", prompt.as_str()));
            if prompt != Prompt::Producer {
                self.history.record(line);
            }
            if let Some(out) = self.console.feed_line(line) {
                effect.ran = true;
                effect.exit |= self.show(out);
                if effect.exit {
                    break;
                }
            }
        }
        self.history.record("");
        effect
    }

    /// Ctrl-C: drops the typed text and whatever the console was in the middle of.
    pub fn interrupt(&mut self) -> Effect {
        let typed = std::mem::take(&mut self.input);
        self.push(
            Stream::Input,
            format!("{}{}^C", self.console.prompt().as_str(), typed),
        );
        let was_producing = self.console.is_reading_stdin();
        let out = self.console.interrupt();
        self.show(out);
        Effect {
            ran: was_producing,
            exit: false,
        }
    }

    /// Ctrl-D on an empty line: ends a producer's input, or runs a half-typed command. At a
    /// bare `$ ` prompt it does nothing (use `exit` to close the tab).
    pub fn end_of_input(&mut self) -> Effect {
        if self.console.prompt() == Prompt::Command {
            return Effect::default();
        }
        self.push(Stream::Input, self.console.prompt().as_str().to_owned());
        let out = self.console.end_of_input();
        let exit = self.show(out);
        Effect { ran: true, exit }
    }

    /// Ctrl-L or `clear`: empties the scrollback.
    pub fn clear(&mut self) {
        self.lines.clear();
        self.revision += 1;
    }

    /// Up arrow: shows the previous command. False when there is none.
    pub fn history_previous(&mut self) -> bool {
        match self.history.previous(&self.input) {
            Some(text) => {
                self.input = text;
                true
            }
            None => false,
        }
    }

    /// Down arrow: shows the next command, or what was typed before walking the history.
    pub fn history_next(&mut self) -> bool {
        match self.history.following() {
            Some(text) => {
                self.input = text;
                true
            }
            None => false,
        }
    }

    /// Tab: completes the last word of a command, or lists the candidates. Records typed for
    /// a producer are not completed.
    pub fn complete(&mut self) -> Completion {
        if self.console.prompt() != Prompt::Command {
            return Completion::Unchanged;
        }
        let last_line = self.input.rsplit('\n').next().unwrap_or("");
        let candidates = self.console.complete(last_line);
        let completion = apply_completion(&self.input, &candidates);
        match &completion {
            Completion::Unchanged => {}
            Completion::Completed(text) => self.input = text.clone(),
            Completion::Listed { input, candidates } => {
                self.push(
                    Stream::Input,
                    format!("{}{}", self.console.prompt().as_str(), self.input),
                );
                self.note(&candidates.join("  "));
                self.input = input.clone();
            }
        }
        completion
    }

    /// Shows a command's output; true when it asked to end the session.
    fn show(&mut self, out: Output) -> bool {
        if out.clear_screen {
            self.clear();
        }
        for line in out.stdout.lines() {
            self.push(Stream::Stdout, line.to_owned());
        }
        for line in out.stderr.lines() {
            self.push(Stream::Stderr, line.to_owned());
        }
        out.exit_requested
    }

    fn note(&mut self, text: &str) {
        self.push(Stream::Info, text.to_owned());
    }

    fn push(&mut self, stream: Stream, text: String) {
        self.lines.push(Line { stream, text });
        if self.lines.len() > SCROLLBACK_LIMIT {
            let excess = self.lines.len() - SCROLLBACK_LIMIT;
            self.lines.drain(..excess);
        }
        self.revision += 1;
    }
}

/// How much room the dock takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DockSize {
    /// Only the tab bar.
    Minimised,
    /// A strip at the bottom.
    #[default]
    Normal,
    /// Most of the window.
    Tall,
}

/// The dock: its sessions, the one shown, and its size.
pub struct Terminal {
    broker: Rc<RefCell<Broker>>,
    files: Rc<RefCell<MemoryFiles>>,
    seed: u64,
    sessions: Vec<Session>,
    active: Option<u32>,
    next_id: u32,
    size: DockSize,
}

impl std::fmt::Debug for Terminal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Terminal")
            .field("sessions", &self.sessions)
            .field("active", &self.active)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl Terminal {
    /// A dock over the playground's shared `broker` with one session open; `seed` makes each
    /// session's random choices repeatable.
    pub fn new(broker: Rc<RefCell<Broker>>, seed: u64) -> Self {
        let mut terminal = Self {
            broker,
            files: Rc::new(RefCell::new(sample_files())),
            seed,
            sessions: Vec::new(),
            active: None,
            next_id: 1,
            size: DockSize::default(),
        };
        terminal.open();
        terminal
    }

    /// The broker the sessions talk to.
    pub fn broker(&self) -> &Rc<RefCell<Broker>> {
        &self.broker
    }

    /// The files `< file` reads, shared by every session (add imported files here).
    pub fn files(&self) -> Rc<RefCell<MemoryFiles>> {
        Rc::clone(&self.files)
    }

    /// Opens a new session and shows it; returns its id.
    pub fn open(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        let console = Console::new(
            Rc::clone(&self.broker),
            Box::new(Rc::clone(&self.files)),
            self.seed.wrapping_add(u64::from(id)),
        );
        self.sessions.push(Session::new(id, console));
        self.active = Some(id);
        if self.size == DockSize::Minimised {
            self.size = DockSize::Normal;
        }
        id
    }

    /// Closes a session; the neighbour to its left (or right) is shown if it was.
    pub fn close(&mut self, id: u32) {
        let Some(index) = self.sessions.iter().position(|s| s.id == id) else {
            return;
        };
        self.sessions.remove(index);
        if self.active == Some(id) {
            let next = index.saturating_sub(1);
            self.active = self.sessions.get(next).map(|s| s.id);
        }
    }

    /// Shows a session (and the dock, if it was minimised).
    pub fn select(&mut self, id: u32) {
        if self.sessions.iter().any(|s| s.id == id) {
            self.active = Some(id);
            if self.size == DockSize::Minimised {
                self.size = DockSize::Normal;
            }
        }
    }

    /// Shows the next session (or the previous one), wrapping around, as arrow keys do in a
    /// tab list; returns the one now shown.
    pub fn select_neighbour(&mut self, forward: bool) -> Option<u32> {
        let count = self.sessions.len();
        let index = self
            .sessions
            .iter()
            .position(|s| Some(s.id) == self.active)?;
        let next = if forward {
            (index + 1) % count
        } else {
            (index + count - 1) % count
        };
        let id = self.sessions.get(next)?.id;
        self.select(id);
        Some(id)
    }

    /// The sessions, in tab order.
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// The session shown.
    pub fn active(&self) -> Option<&Session> {
        let id = self.active?;
        self.sessions.iter().find(|s| s.id == id)
    }

    /// The session shown, to act on.
    pub fn active_mut(&mut self) -> Option<&mut Session> {
        let id = self.active?;
        self.sessions.iter_mut().find(|s| s.id == id)
    }

    /// Acts on the shown session, closing it when it asked to end.
    pub fn with_active(&mut self, act: impl FnOnce(&mut Session) -> Effect) -> Effect {
        let Some(session) = self.active_mut() else {
            return Effect::default();
        };
        let id = session.id;
        let effect = act(session);
        if effect.exit {
            self.close(id);
        }
        effect
    }

    /// How much room the dock takes.
    pub fn size(&self) -> DockSize {
        self.size
    }

    /// Minimises the dock, or brings it back.
    pub fn toggle_minimised(&mut self) {
        self.size = match self.size {
            DockSize::Minimised => DockSize::Normal,
            _ => DockSize::Minimised,
        };
    }

    /// Makes the dock tall, or brings it back to a strip.
    pub fn toggle_tall(&mut self) {
        self.size = match self.size {
            DockSize::Tall => DockSize::Normal,
            _ => DockSize::Tall,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    fn terminal() -> Terminal {
        let clock = Rc::new(ManualClock::new(1_700_000_000_000));
        Terminal::new(Rc::new(RefCell::new(Broker::new(clock, 7))), 7)
    }

    fn type_line(terminal: &mut Terminal, text: &str) -> Effect {
        terminal.with_active(|s| {
            s.set_input(text);
            s.submit()
        })
    }

    fn texts(terminal: &Terminal, stream: Stream) -> Vec<String> {
        terminal
            .active()
            .map(|s| {
                s.lines()
                    .iter()
                    .filter(|l| l.stream == stream)
                    .map(|l| l.text.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    const CREATE: &str =
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3";

    #[test]
    fn a_command_is_echoed_after_its_prompt_and_its_output_follows() {
        let mut t = terminal();
        let effect = type_line(&mut t, CREATE);
        assert!(effect.ran);
        assert_eq!(texts(&t, Stream::Input), vec![format!("$ {CREATE}")]);
        assert_eq!(texts(&t, Stream::Stdout), vec!["Created topic orders."]);
    }

    #[test]
    fn describe_lines_keep_their_tabs() {
        let mut t = terminal();
        type_line(&mut t, CREATE);
        type_line(
            &mut t,
            "kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic orders",
        );
        let out = texts(&t, Stream::Stdout);
        assert!(out.contains(
            &"\tTopic: orders\tPartition: 2\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: "
                .to_owned()
        ));
    }

    #[test]
    fn a_heredoc_typed_line_by_line_shows_the_continuation_prompt_then_produces() {
        let mut t = terminal();
        type_line(&mut t, CREATE);
        let first = type_line(
            &mut t,
            "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: <<EOF",
        );
        assert!(!first.ran);
        assert_eq!(t.active().map(Session::prompt), Some("> "));
        type_line(&mut t, r#"c-17:{"total":23.5}"#);
        assert!(type_line(&mut t, "EOF").ran);
        assert_eq!(t.active().map(Session::prompt), Some("$ "));
        type_line(&mut t, "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --property print.key=true");
        assert!(texts(&t, Stream::Stdout).contains(&"c-17\t{\"total\":23.5}".to_owned()));
        assert!(texts(&t, Stream::Stderr).contains(&"Processed a total of 1 messages".to_owned()));
        assert!(texts(&t, Stream::Input).contains(&"> EOF".to_owned()));
    }

    #[test]
    fn a_pasted_block_runs_each_line_in_turn() {
        let mut t = terminal();
        type_line(
            &mut t,
            &format!("{CREATE}\nkafka-topics.sh --bootstrap-server localhost:9092 --list"),
        );
        assert_eq!(
            texts(&t, Stream::Stdout),
            vec!["Created topic orders.", "orders"]
        );
        assert_eq!(texts(&t, Stream::Input).len(), 2);
    }

    #[test]
    fn the_bundled_orders_file_can_be_produced_with_parse_key() {
        let mut t = terminal();
        type_line(&mut t, CREATE);
        type_line(&mut t, "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=: < orders.jsonl");
        type_line(&mut t, "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --property print.key=true");
        assert_eq!(
            texts(&t, Stream::Stderr),
            vec!["Processed a total of 8 messages"]
        );
        let records = texts(&t, Stream::Stdout);
        assert!(
            records
                .iter()
                .skip(1)
                .all(|l| l.starts_with("c-") && l.contains("\t{\"order_id\":")),
            "{records:?}"
        );
    }

    #[test]
    fn a_producer_reading_the_terminal_ends_with_ctrl_d() {
        let mut t = terminal();
        type_line(&mut t, CREATE);
        type_line(
            &mut t,
            "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders",
        );
        assert!(t.active().is_some_and(Session::is_reading_stdin));
        assert_eq!(t.active().map(Session::prompt), Some(">"));
        assert!(type_line(&mut t, "hello").ran);
        let effect = t.with_active(Session::end_of_input);
        assert!(effect.ran);
        assert!(!t.active().is_some_and(Session::is_reading_stdin));
        // Records are not commands: they stay out of the history.
        let history = t
            .active()
            .map(|s| s.history().entries().to_vec())
            .unwrap_or_default();
        assert!(!history.contains(&"hello".to_owned()));
    }

    #[test]
    fn ctrl_d_at_a_bare_prompt_does_nothing() {
        let mut t = terminal();
        let before = t.active().map(|s| s.lines().len());
        assert_eq!(t.with_active(Session::end_of_input), Effect::default());
        assert_eq!(t.active().map(|s| s.lines().len()), before);
    }

    #[test]
    fn ctrl_c_drops_a_half_typed_heredoc_and_shows_caret_c() {
        let mut t = terminal();
        type_line(&mut t, "echo <<EOF");
        t.with_active(|s| {
            s.set_input("half");
            s.interrupt()
        });
        assert_eq!(t.active().map(Session::prompt), Some("$ "));
        assert_eq!(t.active().map(Session::input), Some(""));
        assert!(texts(&t, Stream::Input).contains(&"> half^C".to_owned()));
    }

    #[test]
    fn clear_and_exit_act_on_the_dock() {
        let mut t = terminal();
        type_line(&mut t, "echo hi");
        type_line(&mut t, "clear");
        assert!(t.active().is_some_and(|s| s.lines().is_empty()));
        let second = t.open();
        assert_eq!(t.sessions().len(), 2);
        assert!(type_line(&mut t, "exit").exit);
        assert_eq!(t.sessions().len(), 1);
        assert_ne!(t.active().map(Session::id), Some(second));
    }

    #[test]
    fn up_and_down_walk_the_history_and_give_back_the_draft() {
        let mut t = terminal();
        type_line(&mut t, "echo one");
        type_line(&mut t, "echo two");
        let s = t.active_mut().expect("a session is open");
        s.set_input("ech");
        assert!(s.history_previous());
        assert_eq!(s.input(), "echo two");
        assert!(s.history_previous());
        assert_eq!(s.input(), "echo one");
        assert!(!s.history_previous());
        assert!(s.history_next());
        assert_eq!(s.input(), "echo two");
        assert!(s.history_next());
        assert_eq!(s.input(), "ech");
        assert!(!s.history_next());
    }

    #[test]
    fn history_skips_blank_lines_and_immediate_repeats() {
        let mut h = History::default();
        h.record("a");
        h.record("a");
        h.record("  ");
        h.record("b");
        assert_eq!(h.entries(), ["a", "b"]);
    }

    #[test]
    fn one_candidate_completes_the_word_and_adds_a_space() {
        let mut t = terminal();
        type_line(&mut t, CREATE);
        let s = t.active_mut().expect("a session is open");
        s.set_input("kafka-topics.sh --bootstrap-s");
        s.complete();
        assert_eq!(s.input(), "kafka-topics.sh --bootstrap-server ");
        s.set_input("kafka-topics.sh --describe --topic ord");
        s.complete();
        assert_eq!(s.input(), "kafka-topics.sh --describe --topic orders ");
    }

    #[test]
    fn several_candidates_extend_to_their_common_start_and_are_listed() {
        let mut t = terminal();
        let s = t.active_mut().expect("a session is open");
        s.set_input("kafka-conso");
        let completion = s.complete();
        assert_eq!(s.input(), "kafka-console-");
        assert!(matches!(completion, Completion::Listed { .. }));
        let listed = s.lines().last().map(|l| l.text.clone()).unwrap_or_default();
        assert_eq!(
            listed,
            "kafka-console-consumer.sh  kafka-console-producer.sh"
        );
    }

    #[test]
    fn a_property_candidate_waits_for_its_value_without_a_space() {
        assert_eq!(
            apply_completion("x --property key.s", &["key.separator=".to_owned()]),
            Completion::Completed("x --property key.separator=".to_owned())
        );
        assert_eq!(apply_completion("x zz", &[]), Completion::Unchanged);
    }

    #[test]
    fn common_prefixes_respect_characters() {
        let words = ["héllo".to_owned(), "hélp".to_owned()];
        assert_eq!(common_prefix(&words), "hél");
        assert_eq!(common_prefix(&["a".to_owned(), "b".to_owned()]), "");
    }

    #[test]
    fn closing_the_shown_tab_shows_its_left_neighbour() {
        let mut t = terminal();
        let two = t.open();
        let three = t.open();
        t.select(two);
        t.close(two);
        assert_eq!(t.active().map(Session::id), Some(1));
        t.close(1);
        assert_eq!(t.active().map(Session::id), Some(three));
        t.close(three);
        assert!(t.active().is_none());
        assert_eq!(t.open(), 4);
    }

    #[test]
    fn arrow_keys_move_between_tabs_and_wrap_around() {
        let mut t = terminal();
        let two = t.open();
        assert_eq!(t.select_neighbour(true), Some(1));
        assert_eq!(t.select_neighbour(false), Some(two));
        assert_eq!(t.select_neighbour(false), Some(1));
        t.close(1);
        t.close(two);
        assert_eq!(t.select_neighbour(true), None);
    }

    #[test]
    fn the_dock_minimises_and_grows_and_opening_a_tab_shows_it_again() {
        let mut t = terminal();
        t.toggle_minimised();
        assert_eq!(t.size(), DockSize::Minimised);
        t.open();
        assert_eq!(t.size(), DockSize::Normal);
        t.toggle_tall();
        assert_eq!(t.size(), DockSize::Tall);
        t.toggle_tall();
        assert_eq!(t.size(), DockSize::Normal);
    }

    #[test]
    fn sessions_share_the_broker_with_the_rest_of_the_playground() {
        let mut t = terminal();
        type_line(&mut t, CREATE);
        t.open();
        type_line(
            &mut t,
            "kafka-topics.sh --bootstrap-server localhost:9092 --list",
        );
        assert_eq!(texts(&t, Stream::Stdout), vec!["orders"]);
        assert_eq!(t.broker().borrow().list_topic_names(false), vec!["orders"]);
    }

    #[test]
    fn the_playground_tells_what_a_terminal_command_changed() {
        let clock: Rc<dyn crate::clock::Clock> = Rc::new(ManualClock::new(1_700_000_000_000));
        let mut playground = crate::ui::playground::Playground::new(clock, 7);
        let mut t = Terminal::new(playground.broker(), 7);
        type_line(&mut t, CREATE);
        playground.absorb_changes();
        assert!(playground
            .timeline()
            .contains(&"Topic orders created with 3 partition(s)".to_owned()));
        assert_eq!(playground.take_outbox().len(), 1);
    }

    #[test]
    fn the_scrollback_keeps_only_its_newest_lines() {
        let mut t = terminal();
        let s = t.active_mut().expect("a session is open");
        for i in 0..(SCROLLBACK_LIMIT + 10) {
            s.note(&i.to_string());
        }
        assert_eq!(s.lines().len(), SCROLLBACK_LIMIT);
        assert_eq!(
            s.lines().last().map(|l| l.text.clone()),
            Some((SCROLLBACK_LIMIT + 9).to_string())
        );
    }
}
