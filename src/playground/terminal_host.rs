//! The terminal dock as the engine runs it: the [`Terminal`] (its sessions share the
//! playground's broker and group coordinator), the console producers' sends waiting for the
//! store, and when its running console consumers poll next.
//!
//! Owns running the dock's actions and following what they sent until the store answers (a
//! failed send prints Kafka's producer error in its session). Must not interpret commands
//! (the console does) nor touch the DOM or a timer (the adapters do; [`Playground::tick`]
//! polls the followers).

use crate::clock::Clock;

use super::action::{Outcome, TerminalAction};
use super::changes::Area;
use super::deliveries::{DeliveryId, DeliveryState};
use super::producer_deliveries::{self, SentRecord};
use super::terminal::{DockSize, Effect, Session, Terminal};
use super::{Playground, PlaygroundError};

/// How often running console consumers poll, in ms (Kafka's console consumer blocks in
/// `poll`; here it is polled at this pace).
pub const FOLLOW_POLL_MS: i64 = 250;

/// The dock and what the engine follows for it.
#[derive(Debug)]
pub struct TerminalHost {
    terminal: Terminal,
    /// Console producers' sends waiting for the store: the session, the ticket, the records.
    sends: Vec<(u32, DeliveryId, Vec<SentRecord>)>,
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

/// Whether an action can run a command (and so send records a console producer read).
fn runs_command(action: &TerminalAction) -> bool {
    matches!(
        action,
        TerminalAction::Submit
            | TerminalAction::Interrupt
            | TerminalAction::EndOfInput
            | TerminalAction::Close(_)
    )
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
            let terminal = match self.shared_groups() {
                Ok(groups) => Terminal::with_groups(broker, groups, self.seed),
                Err(_) => Terminal::new(broker, self.seed),
            };
            self.terminal = Some(TerminalHost {
                terminal,
                sends: Vec::new(),
                next_follow_at: 0,
            });
        }
        match &mut self.terminal {
            Some(host) => host,
            // Just set above.
            None => unreachable!("the terminal was opened above"),
        }
    }

    /// Runs a dock action. Commands are refused once the tab is read-only; typing, tabs and
    /// sizes are not.
    pub(super) fn dispatch_terminal(
        &mut self,
        action: TerminalAction,
    ) -> Result<Outcome, PlaygroundError> {
        let runs = runs_command(&action);
        if runs {
            self.ensure_writable()?;
        }
        // Scanning every partition's log end costs a pass over all of them: only for an
        // action that can run a command, never for a key typed into the line.
        let before = runs.then(|| producer_deliveries::log_ends(&self.broker.borrow()));
        let host = self.terminal_host();
        let session = host.terminal.active().map(Session::id);
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
        // What a console producer sent is stored only when its flush commits: follow it.
        if let (Some(session), Some(before)) = (session, before) {
            let (sent, ends) = producer_deliveries::sent_since(&self.broker.borrow(), &before);
            if !sent.is_empty() {
                let ticket = self.track_delivery(ends);
                self.terminal_host().sends.push((session, ticket, sent));
            }
        }
        self.changes.mark(Area::Terminal);
        if effect.ran {
            self.absorb_changes();
        }
        Ok(outcome)
    }

    /// Polls the running console consumers when their turn came; prints the failures of
    /// sends the store refused. Called by [`Playground::tick`].
    pub(super) fn tick_terminal(&mut self, now: i64) {
        let Some(host) = self.terminal.as_mut() else {
            return;
        };
        let mut effect = Effect::default();
        if host.terminal.is_following() && host.next_follow_at <= now {
            host.next_follow_at = now + FOLLOW_POLL_MS;
            effect = host.terminal.poll_following();
        }
        let mut sends = std::mem::take(&mut host.sends);
        if !sends.is_empty() {
            let clock_now = self.clock.now_ms();
            let mut failed = Vec::new();
            sends.retain(|(session, ticket, sent)| match self.delivery(*ticket) {
                Some(DeliveryState::Waiting) => true,
                Some(DeliveryState::Failed(error)) => {
                    let lines = producer_deliveries::failure_lines(sent, error, clock_now);
                    failed.push((*session, lines));
                    false
                }
                _ => false,
            });
            if let Some(host) = self.terminal.as_mut() {
                host.sends = sends;
                for (session, lines) in failed {
                    if host.terminal.print_stderr(session, &lines) {
                        self.changes.mark(Area::Terminal);
                    }
                }
            }
        }
        if effect.shown {
            self.changes.mark(Area::Terminal);
        }
        if effect.ran {
            self.absorb_changes();
        }
    }
}
