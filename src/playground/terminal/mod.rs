//! The terminal dock's state as plain Rust: tabs, each a [`Console`] with its scrollback,
//! command history and the line being typed; the dock's size; the bundled sample files.
//!
//! Owns what a keystroke does to a session (run the typed lines, interrupt, end of input,
//! clear, walk the history, apply a completion), the engine's tick polling the sessions whose
//! console consumer is running, and how a command's [`Output`] becomes scrollback lines (stdout and
//! stderr interleaved in the order the command printed them, as a terminal shows). Every
//! session's console follows (a consumer runs until Ctrl-C, as on a real terminal) and shares
//! the page's group coordinator when the dock was given one. Lines typed while a consumer runs
//! are echoed dimmed and dropped: Kafka's console consumer does not read its standard input,
//! and Ctrl-C would flush them from a real terminal's buffer anyway. Must not touch the DOM or
//! Yew (the dock component renders this and dispatches keys to it) nor interpret commands (the
//! [`Console`] does). Tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use crate::broker::topic_name::CONSUMER_OFFSETS;
use crate::broker::Broker;
use crate::client::{DurableOffsets, SharedGroups};
use crate::console::{Console, MemoryFiles, Output, Prompt, Stream as OutStream};
use crate::streams::session::Catalog;

mod input;
pub mod samples;

#[cfg(test)]
use input::common_prefix;
pub use input::{apply_completion, key_runs_command, Completion, History};
pub use samples::{sample_files, ORDERS_JSONL, PRODUCER_PROPERTIES, WEBCLICKS_DAT};

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
    /// A line typed while a console consumer ran: echoed, not run.
    Ignored,
}

impl Stream {
    /// A short name for styling and tests.
    pub fn name(self) -> &'static str {
        match self {
            Stream::Input => "input",
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
            Stream::Info => "info",
            Stream::Ignored => "ignored",
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
    /// The scrollback changed (a tick's poll printed records), so the dock should redraw.
    pub shown: bool,
}

impl Effect {
    fn merge(&mut self, other: Effect) {
        self.ran |= other.ran;
        self.exit |= other.exit;
        self.shown |= other.shown;
    }
}

/// One terminal tab: a console, what it printed, and what is being typed.
pub struct Session {
    id: u32,
    console: Console,
    lines: Vec<Line>,
    history: History,
    /// Commands typed since the terminal last collected them for its shared history.
    typed: Vec<String>,
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
            typed: Vec::new(),
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

    /// The Spark session of the `pyspark` shell running in this tab, if one runs.
    pub fn spark_session(&self) -> Option<&crate::streams::session::SparkSession> {
        self.console.pyspark_session()
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

    /// True while a command is half typed (an open quote, a trailing `\`, a heredoc): Ctrl-D
    /// would run it.
    pub fn is_continuing(&self) -> bool {
        self.console.prompt() == Prompt::Continuation
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
            if self.console.is_following() {
                self.push(Stream::Ignored, line.to_owned());
                continue;
            }
            let prompt = self.console.prompt();
            self.push(Stream::Input, format!("{}{line}", prompt.as_str()));
            if prompt != Prompt::Producer {
                self.history.record(line);
                if !line.trim().is_empty() {
                    self.typed.push(line.to_owned());
                }
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
        effect.shown = true;
        effect
    }

    /// True while a console consumer runs in this session (Ctrl-C stops it).
    pub fn is_following(&self) -> bool {
        self.console.is_following()
    }

    /// While a console consumer runs: what it waits for before it can read (a group's
    /// rebalance), for a dim hint. Kafka itself prints nothing then.
    pub fn follow_hint(&self) -> Option<String> {
        self.console.follow_hint()
    }

    /// The engine's tick: a running console consumer prints what arrived (and its closing lines
    /// if `--max-messages` or `--timeout-ms` ended it). Its group commits are broker changes.
    pub fn poll_follow(&mut self) -> Effect {
        if !self.console.is_following() {
            return Effect::default();
        }
        let offsets = offsets_written(self.console.broker());
        let out = self.console.poll_follow();
        let printed = !out.stdout.is_empty() || !out.stderr.is_empty();
        let ended = !self.console.is_following();
        self.show(out);
        Effect {
            ran: printed || ended || offsets_written(self.console.broker()) != offsets,
            exit: false,
            shown: printed || ended,
        }
    }

    /// True while this session's terminal runs the interactive `pyspark` shell.
    pub fn is_in_pyspark(&self) -> bool {
        self.console.is_in_pyspark()
    }

    /// The engine's tick for a running `pyspark` shell: its streaming queries run the
    /// micro-batches that are due, and what their console sinks print shows, as Spark's
    /// output appears in a shell while the learner types.
    pub fn poll_pyspark(&mut self) -> Effect {
        if !self.console.is_in_pyspark() {
            return Effect::default();
        }
        let before = records_written(self.console.broker());
        let out = self.console.poll_pyspark();
        let printed = !out.stdout.is_empty() || !out.stderr.is_empty();
        self.show(out);
        Effect {
            ran: printed || records_written(self.console.broker()) != before,
            exit: false,
            shown: printed,
        }
    }

    /// Ctrl-C: drops the typed text and whatever the console was in the middle of; a running
    /// consumer prints its total (and a group member commits and leaves).
    pub fn interrupt(&mut self) -> Effect {
        let typed = std::mem::take(&mut self.input);
        self.push(
            Stream::Input,
            format!("{}{}^C", self.console.prompt().as_str(), typed),
        );
        let changes_broker = self.console.is_reading_stdin() || self.console.is_following();
        let out = self.console.interrupt();
        self.show(out);
        Effect {
            ran: changes_broker,
            exit: false,
            shown: true,
        }
    }

    /// Ctrl-D on an empty line: ends a producer's input, or runs a half-typed command. At a
    /// bare `$ ` prompt it does nothing (use `exit` to close the tab), nor while a consumer
    /// runs (it does not read its input).
    pub fn end_of_input(&mut self) -> Effect {
        if matches!(self.console.prompt(), Prompt::Command | Prompt::Running) {
            return Effect::default();
        }
        self.push(Stream::Input, self.console.prompt().as_str().to_owned());
        let out = self.console.end_of_input();
        let exit = self.show(out);
        Effect {
            ran: true,
            exit,
            shown: true,
        }
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
        // In the order the command printed them, as a terminal shows Kafka's tools.
        for (stream, line) in out.lines() {
            let stream = match stream {
                OutStream::Stdout => Stream::Stdout,
                OutStream::Stderr => Stream::Stderr,
            };
            self.push(stream, line.to_owned());
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

/// How many records `__consumer_offsets` holds in all: grows with every commit.
/// Every partition's high watermark, summed: moves when anything is appended (a streaming
/// query's Kafka sink, commits of its groups).
fn records_written(broker: &Rc<RefCell<Broker>>) -> i64 {
    broker
        .borrow()
        .topics()
        .flat_map(|t| t.partitions.iter().map(|p| p.log.high_watermark()))
        .sum()
}

fn offsets_written(broker: &Rc<RefCell<Broker>>) -> i64 {
    broker.borrow().topic(CONSUMER_OFFSETS).map_or(0, |t| {
        t.partitions.iter().map(|p| p.log.high_watermark()).sum()
    })
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
    /// The page's group coordinator, shared by every session; `None`: each loads its own.
    groups: Option<SharedGroups>,
    files: Rc<RefCell<MemoryFiles>>,
    seed: u64,
    sessions: Vec<Session>,
    active: Option<u32>,
    next_id: u32,
    size: DockSize,
    /// Every command typed in any session, oldest first, plus what an earlier visit left
    /// ([`Terminal::remember`]): what a new session's up arrow walks, and what the page keeps.
    shared_history: History,
    /// The store's acknowledgements the sessions' producers wait for.
    durable: Option<DurableOffsets>,
    /// Spark's catalog every session's `pyspark` shares; `None`: each console keeps its own.
    catalog: Option<Rc<RefCell<Catalog>>>,
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
    /// session's random choices repeatable. Each session loads its own group coordinator from
    /// `__consumer_offsets`; see [`Terminal::with_groups`] to share the page's.
    pub fn new(broker: Rc<RefCell<Broker>>, seed: u64) -> Self {
        Self::build(broker, None, seed)
    }

    /// As [`Terminal::new`], every session sharing `groups`, the page's coordinator (over the
    /// same broker): the groups page's consumers and the terminal's then see each other as
    /// members of the same groups.
    pub fn with_groups(broker: Rc<RefCell<Broker>>, groups: SharedGroups, seed: u64) -> Self {
        Self::build(broker, Some(groups), seed)
    }

    fn build(broker: Rc<RefCell<Broker>>, groups: Option<SharedGroups>, seed: u64) -> Self {
        let mut terminal = Self {
            broker,
            groups,
            files: Rc::new(RefCell::new(sample_files())),
            seed,
            sessions: Vec::new(),
            active: None,
            next_id: 1,
            size: DockSize::default(),
            shared_history: History::default(),
            durable: None,
            catalog: None,
        };
        terminal.open();
        terminal
    }

    /// Gives the terminal the commands an earlier visit typed (oldest first), as a shell reads
    /// its history file: sessions nobody has typed in yet, and every new one, walk them with
    /// the up arrow.
    pub fn remember(&mut self, entries: Vec<String>) {
        self.shared_history = History::from_entries(entries);
        for session in &mut self.sessions {
            if session.history.entries().is_empty() {
                session.history = self.shared_history.clone();
            }
        }
    }

    /// Every command typed in any session, oldest first, with what [`Terminal::remember`]
    /// gave: what the page keeps for the next visit.
    pub fn shared_history(&self) -> &[String] {
        self.shared_history.entries()
    }

    /// Enter in the active session ([`Session::submit`]); the commands it ran join the shared
    /// history.
    pub fn submit(&mut self) -> Effect {
        let effect = self.with_active(Session::submit);
        let typed = self
            .active_mut()
            .map(|s| std::mem::take(&mut s.typed))
            .unwrap_or_default();
        for line in typed {
            self.shared_history.record(&line);
        }
        effect
    }

    /// Prints `lines` on a session's standard error after what it printed so far: a console
    /// producer's send that fails once its command has returned (the flush carrying it was
    /// refused), logged as Kafka's producer callback logs it. False when the session is gone.
    pub fn print_stderr(&mut self, session: u32, lines: &[String]) -> bool {
        let Some(s) = self.sessions.iter_mut().find(|s| s.id == session) else {
            return false;
        };
        for line in lines {
            s.push(Stream::Stderr, line.clone());
        }
        true
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
        let files = Box::new(Rc::clone(&self.files));
        let seed = self.seed.wrapping_add(u64::from(id));
        let mut console = match &self.groups {
            Some(groups) => {
                Console::with_groups(Rc::clone(&self.broker), Rc::clone(groups), files, seed)
            }
            None => Console::new(Rc::clone(&self.broker), files, seed),
        };
        console.set_follow(true);
        console.set_store_acknowledgements(self.durable.clone());
        if let Some(catalog) = &self.catalog {
            console.set_catalog(Rc::clone(catalog));
        }
        let mut session = Session::new(id, console);
        session.history = self.shared_history.clone();
        self.sessions.push(session);
        self.active = Some(id);
        if self.size == DockSize::Minimised {
            self.size = DockSize::Normal;
        }
        id
    }

    /// Closes a session; the neighbour to its left (or right) is shown if it was. A console
    /// consumer running in it is stopped first, as closing a terminal window would (a group
    /// member commits and leaves its group).
    pub fn close(&mut self, id: u32) -> Effect {
        let Some(index) = self.sessions.iter().position(|s| s.id == id) else {
            return Effect::default();
        };
        let mut session = self.sessions.remove(index);
        let ran = session.is_following();
        if ran {
            session.console.interrupt();
        }
        if self.active == Some(id) {
            let next = index.saturating_sub(1);
            self.active = self.sessions.get(next).map(|s| s.id);
        }
        Effect {
            ran,
            ..Effect::default()
        }
    }

    /// True while a console consumer runs in any session (the page then polls them).
    pub fn is_following(&self) -> bool {
        self.sessions.iter().any(Session::is_following)
    }

    /// True while any session runs the interactive `pyspark` shell (the page then polls its
    /// streaming queries).
    pub fn is_in_pyspark(&self) -> bool {
        self.sessions.iter().any(Session::is_in_pyspark)
    }

    /// The engine's tick: every session whose console consumer runs prints what arrived, and
    /// every `pyspark` shell runs its due micro-batches.
    pub fn poll_following(&mut self) -> Effect {
        let mut effect = Effect::default();
        for session in &mut self.sessions {
            effect.merge(session.poll_follow());
            effect.merge(session.poll_pyspark());
        }
        effect
    }

    /// Makes every session's `pyspark` (now and later) share `catalog`: the playground's,
    /// kept with its topics.
    pub fn set_catalog(&mut self, catalog: Rc<RefCell<Catalog>>) {
        for session in &mut self.sessions {
            session.console.set_catalog(Rc::clone(&catalog));
        }
        self.catalog = Some(catalog);
    }

    /// Makes every session's console producers (now and later) wait for the store's
    /// acknowledgements (the playground's [`crate::playground::Playground::store_acknowledgements`]).
    pub fn set_store_acknowledgements(&mut self, durable: Option<DurableOffsets>) {
        for session in &mut self.sessions {
            session.console.set_store_acknowledgements(durable.clone());
        }
        self.durable = durable;
    }

    /// Prints, in each session, the ERROR lines of console producer sends the store lost after
    /// their command returned ([`Console::poll_deliveries`]); true when one printed.
    pub fn poll_deliveries(&mut self) -> bool {
        let mut printed = false;
        for session in &mut self.sessions {
            let out = session.console.poll_deliveries();
            if !out.stderr.is_empty() {
                printed = true;
                session.show(out);
            }
        }
        printed
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
        let mut effect = act(session);
        if effect.exit {
            effect.merge(self.close(id));
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
mod tests;
