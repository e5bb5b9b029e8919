//! The terminal dock as the engine runs it: the [`Terminal`] (its sessions share the
//! playground's broker, group coordinator and the store's acknowledgements) and when its
//! running console consumers poll next.
//!
//! Owns running the dock's actions and, at each tick, polling the followers and the console
//! producers' delivery callbacks (a send the store lost prints Kafka's producer error in its
//! session). Must not interpret commands (the console does) nor touch the DOM or a timer (the
//! adapters do; [`Playground::tick`] calls [`Playground::tick_terminal`]).

use super::action::{Outcome, TerminalAction};
use super::changes::Area;
use super::groups::GroupsModel;
use super::terminal::{DockSize, Effect, Session, Terminal};
use super::{Playground, PlaygroundError};

/// How often running console consumers poll, in ms (Kafka's console consumer blocks in
/// `poll`; here it is polled at this pace).
pub const FOLLOW_POLL_MS: i64 = 250;

/// The dock and what the engine follows for it.
#[derive(Debug)]
pub struct TerminalHost {
    terminal: Terminal,
    /// When the running console consumers poll next (broker clock, ms).
    pub(super) next_follow_at: i64,
}

impl TerminalHost {
    /// The dock's state, for the views.
    pub fn terminal(&self) -> &Terminal {
        &self.terminal
    }
}

/// Brings the dock to `size` with the toggles the plain-Rust terminal offers.
fn resize(terminal: &mut Terminal, size: DockSize) {
    if (terminal.size() == DockSize::Minimised) != (size == DockSize::Minimised) {
        terminal.toggle_minimised();
    }
    if (terminal.size() == DockSize::Tall) != (size == DockSize::Tall) {
        terminal.toggle_tall();
    }
}

/// Whether an action can write to the log: Enter runs a command line or sends a console
/// producer's record, and Ctrl-D runs a half-typed command. Ctrl-C, a producer's Ctrl-D and
/// closing a tab only stop what runs (a read-only tab's persister stores none of what they
/// would commit), so a read-only tab can still stop its sessions.
fn can_write(action: &TerminalAction, terminal: Option<&Terminal>) -> bool {
    match action {
        TerminalAction::Submit => true,
        TerminalAction::EndOfInput => terminal
            .and_then(Terminal::active)
            .is_some_and(Session::is_continuing),
        _ => false,
    }
}

impl Playground {
    /// The terminal dock, once a front end opened it.
    pub fn terminal(&self) -> Option<&Terminal> {
        self.terminal.as_ref().map(TerminalHost::terminal)
    }

    /// Opens the dock on first use: one session, sharing the playground's group coordinator
    /// (if `__consumer_offsets` cannot be read, each session loads its own and reports the
    /// error when a command needs the groups).
    fn terminal_host(&mut self) -> &mut TerminalHost {
        if self.terminal.is_none() {
            let broker = self.broker();
            let mut terminal = match self.shared_groups() {
                Ok(groups) => Terminal::with_groups(broker, groups, self.seed),
                Err(_) => Terminal::new(broker, self.seed),
            };
            // Every session's pyspark shares the playground's catalog, kept with the topics.
            terminal.set_catalog(self.spark_catalog());
            // Its console producers' delivery callbacks wait for the store, as the page's do.
            terminal.set_store_acknowledgements(self.store_acknowledgements());
            self.terminal = Some(TerminalHost {
                terminal,
                next_follow_at: 0,
            });
        }
        match &mut self.terminal {
            Some(host) => host,
            // Just set above.
            None => unreachable!("the terminal was opened above"),
        }
    }

    /// Runs a dock action. What can write (a command line, a producer's record) is refused
    /// once the tab is read-only; typing, Ctrl-C, a producer's Ctrl-D, tabs and sizes are not.
    pub(super) fn dispatch_terminal(
        &mut self,
        action: TerminalAction,
    ) -> Result<Outcome, PlaygroundError> {
        if can_write(&action, self.terminal()) {
            self.ensure_writable()?;
        }
        let groups_before = self.groups_fingerprint();
        let host = self.terminal_host();
        let t = &mut host.terminal;
        let mut outcome = Outcome::Done;
        let effect = match action {
            TerminalAction::Restore { history, size } => {
                t.remember(history);
                resize(t, size);
                Effect::default()
            }
            TerminalAction::SetInput(text) => {
                if let Some(s) = t.active_mut() {
                    s.set_input(text);
                }
                Effect::default()
            }
            TerminalAction::Submit => t.submit(),
            TerminalAction::HistoryPrevious => t.with_active(|s| {
                s.history_previous();
                Effect::default()
            }),
            TerminalAction::HistoryNext => t.with_active(|s| {
                s.history_next();
                Effect::default()
            }),
            TerminalAction::Complete => t.with_active(|s| {
                s.complete();
                Effect::default()
            }),
            TerminalAction::Interrupt => t.with_active(Session::interrupt),
            TerminalAction::EndOfInput => t.with_active(Session::end_of_input),
            TerminalAction::Clear => t.with_active(|s| {
                s.clear();
                Effect::default()
            }),
            TerminalAction::Open => {
                t.open();
                Effect::default()
            }
            TerminalAction::Close(id) => t.close(id),
            TerminalAction::Select(id) => {
                t.select(id);
                Effect::default()
            }
            TerminalAction::SelectNeighbour { forward } => {
                outcome = Outcome::Tab(t.select_neighbour(forward));
                Effect::default()
            }
            TerminalAction::ToggleMinimised => {
                t.toggle_minimised();
                Effect::default()
            }
            TerminalAction::ToggleTall => {
                t.toggle_tall();
                Effect::default()
            }
            TerminalAction::Resize(size) => {
                resize(t, size);
                Effect::default()
            }
        };
        self.changes.mark(Area::Terminal);
        if effect.ran {
            self.mark_groups_if_changed(groups_before);
            self.absorb_changes();
        }
        Ok(outcome)
    }

    /// Polls the running console consumers when their turn came, and the console producers'
    /// delivery callbacks (a send the store lost prints Kafka's ErrorLoggingCallback lines in
    /// its session). A read-only tab's consumers do not poll (their commits would write), but
    /// its deliveries are still reported: the sends the takeover lost say so. Called by
    /// [`Playground::tick`].
    pub(super) fn tick_terminal(&mut self, now: i64) {
        let writable = self.read_only().is_none();
        let Some(host) = self.terminal.as_mut() else {
            return;
        };
        let mut effect = Effect::default();
        let mut groups_before = None;
        let background = host.terminal.is_following() || host.terminal.is_in_pyspark();
        if writable && background && host.next_follow_at <= now {
            groups_before = self.groups.as_ref().map(GroupsModel::fingerprint);
            host.next_follow_at = now + FOLLOW_POLL_MS;
            effect = host.terminal.poll_following();
        }
        if host.terminal.poll_deliveries() {
            self.changes.mark(Area::Terminal);
        }
        if effect.shown {
            self.changes.mark(Area::Terminal);
        }
        if self.spark_changed() {
            // A query committed a batch or a table grew: a change for the store to flush.
            self.changes.mark(Area::Terminal);
        }
        if effect.ran {
            // A group member's join, commits and leave show on the groups page.
            self.mark_groups_if_changed(groups_before);
            self.absorb_changes();
        }
    }
}
