//! The console: Kafka's command-line tools as text in → text out, over this tab's broker.
//!
//! Owns the terminal session a learner types into — shell-like lexing ([`lexer`]), the
//! built-ins (`help`, `clear`, `echo`, `exit`), dispatch to one file per tool
//! (`kafka-topics.sh`, `kafka-configs.sh`, `kafka-console-producer.sh`,
//! `kafka-console-consumer.sh`, `kafka-consumer-groups.sh`, `kafka-get-offsets.sh`,
//! `kafka-dump-log.sh`), one `--bootstrap-server` check for all ([`bootstrap`], run by each tool
//! through [`Ctx::connect`] after its own option checks), the producer's "reading standard
//! input" mode, a console consumer that keeps running until Ctrl-C ([`follow`], polled by the
//! playground's tick through [`Console::poll_follow`]), and completion. The session holds the
//! group coordinator ([`SharedGroups`]) it shares with the page, or loads one from
//! `__consumer_offsets` the first time a command needs it.
//! Must not import `web_sys`, `js_sys`, `gloo` or `yew`, read the wall clock (time comes from
//! the broker's [`crate::clock::Clock`]), or hold Kafka rules the broker owns: tools parse,
//! validate their options, call the [`Broker`] and print what Kafka prints.

pub mod args;
pub mod bootstrap;
pub mod completion;
pub mod console_consumer;
pub mod console_group;
pub mod console_producer;
pub mod files;
pub mod follow;
pub mod formatter;
pub mod help;
pub mod kafka_configs;
pub mod kafka_consumer_groups;
pub mod kafka_dump_log;
pub mod kafka_get_offsets;
pub mod kafka_topics;
pub mod legacy;
pub mod lexer;
pub mod line_reader;
pub mod output;
pub mod pyspark;

use std::cell::RefCell;
use std::rc::Rc;

#[cfg(not(target_arch = "wasm32"))]
pub use files::DirFiles;
pub use files::{FileSource, MemoryFiles};
pub use lexer::{CommandLine, LexError, Stdin};
pub use output::{Output, Printed, Stream};

use crate::broker::topic_name::CONSUMER_OFFSETS;
use crate::broker::Broker;
use crate::client::{BrokerGroups, DurableOffsets, SharedGroups};
use crate::group::coordinator::CoordinatorConfig;
use crate::streams::session::Catalog;
use crate::streams::shell::PySparkShell;
use console_producer::{ProducerSession, Sender};
use follow::{End, Follow};

/// The Kafka version whose tools the console reproduces.
pub const KAFKA_VERSION: &str = "4.0.0";

/// What the tools get to work with during one command.
pub struct Ctx<'a> {
    /// The shared broker.
    pub broker: &'a RefCell<Broker>,
    /// The same broker, shareable (clients such as the group consumer keep a handle).
    pub shared_broker: &'a Rc<RefCell<Broker>>,
    /// Files for `< file` and `--*.config file`.
    pub files: &'a dyn FileSource,
    /// Session randomness (console-consumer group ids, producer seeds), seeded for tests.
    pub rng: &'a mut fastrand::Rng,
    /// The group coordinator, once loaded (see [`Ctx::groups`]).
    pub groups: &'a mut Option<SharedGroups>,
    /// Seed for the member ids of a coordinator loaded by [`Ctx::groups`].
    pub groups_seed: u64,
    /// For a coordinator this console loads itself: the `__consumer_offsets` high watermarks
    /// it has seen. `None` for a coordinator the console was given.
    pub groups_seen: Option<&'a mut Vec<i64>>,
    /// Set by [`Ctx::groups`]: this command used the coordinator.
    pub groups_used: bool,
    /// The console follows: a console consumer without an end condition met keeps running
    /// ([`Console::poll_follow`]) instead of stopping once it has caught up.
    pub follow: bool,
    /// The store's acknowledgements the producers wait for; `None`: acknowledged at once.
    pub durable: Option<&'a DurableOffsets>,
    /// Every console producer's client still reporting deliveries (see
    /// [`Console::poll_deliveries`]).
    pub senders: &'a mut Vec<Rc<RefCell<Sender>>>,
}

impl Ctx<'_> {
    /// The group coordinator: the one the console was given, else one loaded now from
    /// `__consumer_offsets` and kept for the session. A coordinator loaded here completes a
    /// join without `group.initial.rebalance.delay.ms`, so a script (which cannot wait for
    /// time to pass) can join groups.
    ///
    /// A coordinator the console loaded itself is loaded again when `__consumer_offsets` has
    /// grown since this session last looked (another session or the page committed), so every
    /// session sees the same offsets. Its members never outlive the command (or the follow)
    /// that made them, and no command runs while a consumer follows, so nothing is lost.
    pub fn groups(&mut self) -> Result<SharedGroups, Output> {
        let current = offsets_watermarks(self.broker);
        let stale = self
            .groups_seen
            .as_deref()
            .is_some_and(|seen| *seen != current);
        self.groups_used = true;
        if let Some(g) = self.groups.as_ref().filter(|_| !stale) {
            return Ok(Rc::clone(g));
        }
        let config = {
            let broker = self.broker.borrow();
            let c = broker.config();
            CoordinatorConfig {
                initial_rebalance_delay_ms: 0,
                min_session_timeout_ms: i64::from(c.group_min_session_timeout_ms()),
                max_session_timeout_ms: i64::from(c.group_max_session_timeout_ms()),
            }
        };
        let broker = self.shared_broker.clone();
        let loaded = BrokerGroups::load_with_config(broker, config, self.groups_seed)
            .map_err(|e| {
                Output::failure(format!(
                    "Error: could not load the consumer groups from __consumer_offsets: {e}\n"
                ))
            })?
            .shared();
        *self.groups = Some(Rc::clone(&loaded));
        Ok(loaded)
    }
}

impl Ctx<'_> {
    /// Where a Kafka tool builds its admin, consumer or producer client: each tool calls this
    /// once its own options passed its checks, as Kafka's tools build the client only after
    /// `checkArgs`, so a usage error wins over a bad `--bootstrap-server`. A list that does
    /// not parse or resolve fails here ([`bootstrap::connect`]); one that does not reach this
    /// tab's broker fails at the tool's first request ([`bootstrap::Connection::request`]).
    /// A command without `--bootstrap-server` (`kafka-configs.sh --bootstrap-controller`)
    /// has no list to check.
    pub fn connect(&self, opts: &args::Parsed) -> Result<bootstrap::Connection, Output> {
        let servers = opts
            .value("bootstrap-server")
            .unwrap_or(bootstrap::LISTENER);
        bootstrap::connect(servers, self.broker.borrow().now_ms())
    }

    /// After a command that used the coordinator: what it committed is known to it, so the
    /// current `__consumer_offsets` is what this session has seen.
    fn remember_offsets(&mut self) {
        if self.groups_used {
            if let Some(seen) = self.groups_seen.as_deref_mut() {
                *seen = offsets_watermarks(self.broker);
            }
        }
    }
}

/// The high watermark of every `__consumer_offsets` partition: grows whenever anyone commits
/// or deletes a group.
fn offsets_watermarks(broker: &RefCell<Broker>) -> Vec<i64> {
    let broker = broker.borrow();
    broker
        .topic(CONSUMER_OFFSETS)
        .map(|t| {
            t.partitions
                .iter()
                .map(|p| p.log.high_watermark())
                .collect()
        })
        .unwrap_or_default()
}

/// A terminal session over a shared broker.
pub struct Console {
    broker: Rc<RefCell<Broker>>,
    files: Box<dyn FileSource>,
    rng: fastrand::Rng,
    /// Lines of a command still being typed (an open quote, `\`, or a heredoc).
    pending: String,
    /// The delimiter (and `<<-` tab stripping) of a heredoc whose body is being typed, so each
    /// new line is checked alone instead of lexing the whole pending text again.
    heredoc: Option<(String, bool)>,
    /// A console producer reading the terminal line by line.
    producer: Option<ProducerSession>,
    /// The clients of this console's producers, until every record they sent is reported.
    senders: Vec<Rc<RefCell<Sender>>>,
    /// The store's acknowledgements producers wait for; `None`: nothing is stored.
    durable: Option<DurableOffsets>,
    /// A console consumer still running (see [`Console::poll_follow`]).
    following: Option<Follow>,
    /// Whether console consumers follow (see [`Console::set_follow`]).
    follow: bool,
    /// The group coordinator: given by the page, or loaded on first use.
    groups: Option<SharedGroups>,
    /// Seed for the member ids of a coordinator this console loads itself.
    groups_seed: u64,
    /// For a coordinator this console loads: the `__consumer_offsets` high watermarks after
    /// its last command (see [`Ctx::groups`]); `None` when the coordinator was given.
    groups_seen: Option<Vec<i64>>,
    /// Spark's tables and checkpoints: shared by every `pyspark` of this console, as files on
    /// disk outlive a shell.
    catalog: Rc<RefCell<Catalog>>,
    /// The interactive `pyspark` shell the typed lines go to, while it runs.
    pyspark: Option<PySparkShell>,
}

impl std::fmt::Debug for Console {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Console")
            .field("pending", &self.pending)
            .field("producing", &self.producer.is_some())
            .field("following", &self.following)
            .finish_non_exhaustive()
    }
}

/// The prompt a terminal shows before reading the next line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Ready for a command: `$ `.
    Command,
    /// In the middle of a command (open quote, trailing `\`, heredoc): `> `.
    Continuation,
    /// The console producer waits for a record: `>` (Kafka's own prompt, no space).
    Producer,
    /// A console consumer is running: no prompt until it ends (Ctrl-C).
    Running,
    /// The interactive `pyspark` shell waits for a statement: `>>> `.
    Python,
    /// The `pyspark` shell's input continues (open bracket, `\`, triple quotes): `... `.
    PythonContinuation,
}

impl Prompt {
    /// The prompt text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Command => "$ ",
            Self::Continuation => "> ",
            Self::Producer => ">",
            Self::Running => "",
            Self::Python => ">>> ",
            Self::PythonContinuation => "... ",
        }
    }
}

impl Console {
    /// A console over `broker`, reading files from `files`; `seed` makes the session's
    /// random choices (group ids, sticky partitions) repeatable.
    /// The console loads the group coordinator from `__consumer_offsets` the first time a
    /// command needs it; see [`Console::with_groups`] to share one.
    pub fn new(broker: Rc<RefCell<Broker>>, files: Box<dyn FileSource>, seed: u64) -> Self {
        Self {
            broker,
            files,
            rng: fastrand::Rng::with_seed(seed),
            pending: String::new(),
            heredoc: None,
            producer: None,
            senders: Vec::new(),
            durable: None,
            following: None,
            follow: false,
            groups: None,
            groups_seed: seed,
            groups_seen: Some(Vec::new()),
            catalog: Rc::new(RefCell::new(Catalog::default())),
            pyspark: None,
        }
    }

    /// As [`Console::new`], sharing an existing group coordinator (the page's groups view
    /// and every terminal session should see the same groups). `groups` must be over the
    /// same broker. A `kafka-console-consumer.sh --group` that follows ([`Console::set_follow`])
    /// completes its join as time passes (the initial rebalance delay, other members
    /// rejoining); one that cannot follow (a script) joins only if no time must pass.
    pub fn with_groups(
        broker: Rc<RefCell<Broker>>,
        groups: SharedGroups,
        files: Box<dyn FileSource>,
        seed: u64,
    ) -> Self {
        let mut console = Self::new(broker, files, seed);
        console.groups = Some(groups);
        console.groups_seen = None;
        console
    }

    /// Makes this console's producers wait for the store: a record is reported (and a
    /// failure printed) once `durable` acknowledged or lost it. Without, the broker's append
    /// acknowledges it.
    pub fn set_store_acknowledgements(&mut self, durable: Option<DurableOffsets>) {
        self.durable = durable;
    }

    /// Serves the console producers' delivery reports that came since the last call: the
    /// ERROR lines Kafka's `ErrorLoggingCallback` prints for sends that failed after their
    /// command returned (the store lost them). A producer whose input ended is forgotten once
    /// every record it sent is reported.
    pub fn poll_deliveries(&mut self) -> Output {
        let mut out = Output::ok();
        let now = self.broker.borrow().now_ms();
        self.senders.retain(|sender| {
            let waiting = sender.borrow_mut().poll(&mut out, now);
            waiting || Rc::strong_count(sender) > 1
        });
        out
    }

    /// The group coordinator this console uses, if it was given one or has loaded one.
    pub fn groups(&self) -> Option<&SharedGroups> {
        self.groups.as_ref()
    }

    /// The broker this console talks to.
    pub fn broker(&self) -> &Rc<RefCell<Broker>> {
        &self.broker
    }

    /// Makes console consumers follow, as Kafka's do on a terminal: one without
    /// `--max-messages` reached or `--timeout-ms` elapsed keeps running after the command,
    /// printing new records at each [`Console::poll_follow`], until [`Console::interrupt`].
    /// Off by default (and always off inside [`Console::run_script`]): a script cannot wait,
    /// so a consumer prints what is there and ends.
    pub fn set_follow(&mut self, follow: bool) {
        self.follow = follow;
    }

    /// True while a console consumer runs (see [`Console::set_follow`]).
    pub fn is_following(&self) -> bool {
        self.following.is_some()
    }

    /// While a console consumer runs: what it waits for before it can read (a group's
    /// rebalance), in words, for a hint beside the terminal. Kafka prints nothing for it.
    pub fn follow_hint(&self) -> Option<String> {
        self.following.as_ref().and_then(Follow::waiting_for)
    }

    /// A running console consumer's next round, for its caller's tick: prints the records that
    /// arrived since, and its closing lines when `--max-messages` or `--timeout-ms` (on the
    /// broker's clock) ended it. Nothing when no consumer runs.
    pub fn poll_follow(&mut self) -> Output {
        let Some(follow) = self.following.as_mut() else {
            return Output::ok();
        };
        let step = follow.step(follow::FOLLOW_STEP_RECORDS);
        if step.done {
            self.following = None;
        }
        step.output
    }

    /// The Spark catalog (tables, checkpoints) every `pyspark` of this console shares.
    pub fn catalog(&self) -> &Rc<RefCell<Catalog>> {
        &self.catalog
    }

    /// Shares `catalog` (the playground's, kept with its store) instead of this console's own.
    pub fn set_catalog(&mut self, catalog: Rc<RefCell<Catalog>>) {
        self.catalog = catalog;
    }

    /// The interactive `pyspark` shell's Spark session, while it runs (the Streams page
    /// shows its queries).
    pub fn pyspark_session(&self) -> Option<&crate::streams::session::SparkSession> {
        self.pyspark.as_ref().map(PySparkShell::session)
    }

    /// True while the interactive `pyspark` shell reads the typed lines.
    pub fn is_in_pyspark(&self) -> bool {
        self.pyspark.is_some()
    }

    /// The interactive `pyspark` shell's tick: runs the streaming queries whose trigger is due
    /// and returns what their console sinks print. The caller's timer calls it (the page's
    /// tick, the native binary before each prompt); nothing when no shell runs.
    pub fn poll_pyspark(&mut self) -> Output {
        match self.pyspark.as_mut() {
            Some(shell) => Output::stdout(shell.poll()),
            None => Output::ok(),
        }
    }

    /// The prompt to show before the next line.
    pub fn prompt(&self) -> Prompt {
        if let Some(shell) = &self.pyspark {
            return if shell.prompt() == crate::streams::shell::PROMPT {
                Prompt::Python
            } else {
                Prompt::PythonContinuation
            };
        }
        if self.following.is_some() {
            Prompt::Running
        } else if self.producer.is_some() {
            Prompt::Producer
        } else if self.pending.is_empty() {
            Prompt::Command
        } else {
            Prompt::Continuation
        }
    }

    /// True while a console producer is reading the terminal (until [`Console::end_of_input`]).
    pub fn is_reading_stdin(&self) -> bool {
        self.producer.is_some()
    }

    /// Feeds one typed line (without its newline). Returns the output when the line completed a
    /// command, or was a record for a producer reading the terminal; `None` while a command
    /// still needs lines (see [`Console::prompt`]). While a console consumer runs the line is
    /// ignored (Kafka's console consumer does not read its standard input) and nothing prints.
    pub fn feed_line(&mut self, line: &str) -> Option<Output> {
        if self.following.is_some() {
            return Some(Output::ok());
        }
        if let Some(session) = self.producer.as_mut() {
            let (out, done) = session.feed(line);
            if done {
                self.producer = None;
            }
            return Some(out);
        }
        if let Some(shell) = self.pyspark.as_mut() {
            let printed = shell.feed_line(line)?;
            if shell.exited() {
                self.pyspark = None;
            }
            // An exception at the prompt ends nothing: the shell reads the next statement.
            let mut out = pyspark::to_output(printed);
            out.exit_code = 0;
            return Some(out);
        }
        self.pending.push_str(line);
        self.pending.push('\n');
        match &self.heredoc {
            Some((delim, strip)) => {
                if !lexer::closes_heredoc(line, delim, *strip) {
                    return None;
                }
            }
            None => {
                if lexer::needs_more(&self.pending) {
                    self.heredoc = lexer::awaited_heredoc(&self.pending);
                    return None;
                }
            }
        }
        self.heredoc = None;
        let command = std::mem::take(&mut self.pending);
        Some(self.execute(&command))
    }

    /// Ctrl-D: ends a producer's input (it flushes and exits 0, as Kafka's does), or runs a
    /// half-typed command with what it has, as a shell does at the end of its input.
    /// Returns what that prints.
    pub fn end_of_input(&mut self) -> Output {
        if let Some(session) = self.producer.take() {
            return session.finish();
        }
        if self.pyspark.take().is_some() {
            // Python leaves the shell at Ctrl-D, dropping a half-typed input.
            return Output::ok();
        }
        if !self.pending.is_empty() {
            self.heredoc = None;
            let command = std::mem::take(&mut self.pending);
            return self.execute(&command);
        }
        Output::ok()
    }

    /// Ctrl-C: stops a running console consumer (it prints `Processed a total of N
    /// messages`; a group member commits and leaves), stops a producer reading the terminal
    /// (lines already entered were sent) and drops a half-typed command, as a shell does.
    pub fn interrupt(&mut self) -> Output {
        self.pending.clear();
        self.heredoc = None;
        if let Some(shell) = self.pyspark.as_mut() {
            return pyspark::to_output(shell.interrupt());
        }
        if let Some(follow) = self.following.take() {
            return follow.finish(End::Interrupted);
        }
        match self.producer.take() {
            Some(_) => Output {
                exit_code: 130,
                ..Output::default()
            },
            None => Output::ok(),
        }
    }

    /// Runs one whole command: its line, plus heredoc body lines if it has one. A console
    /// producer given no heredoc or `< file` starts reading the following lines
    /// ([`Console::is_reading_stdin`]); a console consumer may keep running
    /// ([`Console::set_follow`]), and until it ends commands are ignored.
    pub fn execute(&mut self, command: &str) -> Output {
        if self.following.is_some() {
            return Output::ok();
        }
        if let Some(session) = self.producer.as_mut() {
            let mut out = Output::ok();
            for line in line_reader::lines(command) {
                let (o, done) = session.feed(line);
                out.append(o);
                if done {
                    self.producer = None;
                    break;
                }
            }
            return out;
        }
        let mut warning = Output::ok();
        let mut closed = String::new();
        let mut parsed = lexer::lex(command);
        if let Err(LexError::UnterminatedHeredoc(delim)) = &parsed {
            // As bash does: warn, and take everything up to the end as the heredoc's body.
            warning.err_line(&format!(
                "brooklet: warning: here-document delimited by end-of-file (wanted `{delim}')"
            ));
            closed.push_str(command);
            if !closed.ends_with('\n') {
                closed.push('\n');
            }
            closed.push_str(delim);
            closed.push('\n');
            parsed = lexer::lex(&closed);
        }
        let parsed = match parsed {
            Ok(c) => c,
            Err(e) => {
                let mut out = Output::failure(format!("brooklet: {e}\n"));
                out.exit_code = 2;
                return out;
            }
        };
        warning.append(self.run(parsed));
        warning
    }

    /// Runs every command of a script, as `bash script` would, and concatenates the outputs.
    /// A producer without a heredoc reads the rest of the script as its input. Console
    /// consumers do not follow here: a script cannot wait, so each prints what is there.
    pub fn run_script(&mut self, script: &str) -> Output {
        let follow = std::mem::replace(&mut self.follow, false);
        let mut out = Output::ok();
        for line in script.lines() {
            if let Some(o) = self.feed_line(line) {
                out.append(o);
            }
        }
        out.append(self.end_of_input());
        self.follow = follow;
        out
    }

    /// Completions for the last word of a partly typed line (tools, flags, topic names,
    /// group ids, property keys), sorted.
    pub fn complete(&self, partial: &str) -> Vec<String> {
        let wants_groups = partial
            .split_whitespace()
            .rev()
            .nth(usize::from(!partial.ends_with([' ', '\t'])))
            .is_some_and(|w| w == "--group");
        let groups = if wants_groups {
            self.group_ids()
        } else {
            Vec::new()
        };
        completion::complete(&self.broker.borrow(), self.files.as_ref(), &groups, partial)
    }

    /// The group ids there are, for completion. Without a coordinator yet, a throwaway one is
    /// replayed from `__consumer_offsets` (completion must not change the session).
    fn group_ids(&self) -> Vec<String> {
        let list = |g: &BrokerGroups| g.list().into_iter().map(|l| l.group_id).collect();
        match &self.groups {
            Some(g) => list(&g.borrow()),
            None => BrokerGroups::load_with_config(
                Rc::clone(&self.broker),
                CoordinatorConfig::default(),
                self.groups_seed,
            )
            .map(|g| list(&g))
            .unwrap_or_default(),
        }
    }

    fn run(&mut self, command: CommandLine) -> Output {
        let Some((program, argv)) = command.words.split_first() else {
            return Output::ok();
        };
        let launcher = legacy::windows_launcher(program);
        let tool = launcher.unwrap_or_else(|| tool_name(program));
        let mut ctx = Ctx {
            broker: &self.broker,
            shared_broker: &self.broker,
            files: self.files.as_ref(),
            rng: &mut self.rng,
            groups: &mut self.groups,
            groups_seed: self.groups_seed,
            groups_seen: self.groups_seen.as_mut(),
            groups_used: false,
            follow: self.follow,
            durable: self.durable.as_ref(),
            senders: &mut self.senders,
        };
        let out = match tool {
            "kafka-topics" => kafka_topics::run(&mut ctx, argv),
            "kafka-configs" => kafka_configs::run(&mut ctx, argv),
            "kafka-console-consumer" => {
                let (out, follow) = console_consumer::run(&mut ctx, argv);
                self.following = follow;
                out
            }
            "kafka-console-producer" => {
                let stdin = match read_stdin(&ctx, &command.stdin) {
                    Ok(s) => s,
                    Err(out) => return out,
                };
                let (out, session) = console_producer::run(&mut ctx, argv, stdin);
                self.producer = session;
                out
            }
            "help" => help::run(argv),
            "clear" => Output {
                clear_screen: true,
                ..Output::ok()
            },
            "echo" => Output::stdout(format!("{}\n", argv.join(" "))),
            "exit" => Output {
                exit_requested: true,
                ..Output::ok()
            },
            "kafka-consumer-groups" => kafka_consumer_groups::run(&mut ctx, argv),
            "kafka-get-offsets" => kafka_get_offsets::run(&mut ctx, argv),
            "kafka-dump-log" => kafka_dump_log::run(&mut ctx, argv),
            "pyspark" => {
                let stdin = match read_stdin(&ctx, &command.stdin) {
                    Ok(s) => s,
                    Err(out) => return out,
                };
                let (out, shell) = pyspark::run(&mut ctx, argv, stdin, &self.catalog);
                self.pyspark = shell;
                out
            }
            _ => {
                let mut out = Output::failure(format!(
                    "brooklet: {program}: command not found (try `help`)\n"
                ));
                out.exit_code = 127;
                if let Some(hint) = legacy::unknown_command_hint(tool) {
                    out.err_line(hint);
                }
                out
            }
        };
        ctx.remember_offsets();
        let mut out = out;
        if out.exit_code != 0 && tool.starts_with("kafka-") {
            if let Some(hint) = legacy::old_option_hint(argv) {
                out.err_line(hint);
            }
        }
        if let Some(tool) = launcher {
            out.err_line(&legacy::windows_launcher_hint(tool));
        }
        out
    }
}

/// `bin/kafka-topics.sh`, `./kafka-topics.sh`, `kafka-topics` → `kafka-topics`.
pub fn tool_name(program: &str) -> &str {
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    base.strip_suffix(".sh")
        .or_else(|| base.strip_suffix(".bat"))
        .unwrap_or(base)
}

/// The text of a command's standard input: `None` for the terminal.
fn read_stdin(ctx: &Ctx<'_>, stdin: &Stdin) -> Result<Option<String>, Output> {
    match stdin {
        Stdin::Terminal => Ok(None),
        Stdin::Heredoc(body) => Ok(Some(body.clone())),
        Stdin::File(path) => ctx
            .files
            .read(path)
            .map(Some)
            .map_err(|e| Output::failure(format!("brooklet: {path}: {e}\n"))),
    }
}
