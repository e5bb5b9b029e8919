//! What happened to the consumer groups, as typed events: the groups page's timeline is a list
//! of these, and [`std::fmt::Display`] says each in the page's plain words ("c2 joined g1 →
//! rebalance → generation 3").
//!
//! Owns the groups timeline's vocabulary and wording. Must not decide when something happened
//! (the groups model records events as its consumers and the coordinator report them). A
//! coordinator event is kept as the coordinator described it, with member ids replaced by the
//! consumers' names; lines from an earlier visit stay text.

use std::fmt;

use super::PollPace;
use crate::client::RebalanceEvent;

use super::super::event::RELOADED_LINE;

/// Who started a rebalance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebalanceCause {
    /// A consumer joined the group.
    Joined {
        /// Its client id.
        client_id: String,
        /// The group.
        group: String,
    },
    /// A member left (its name, or its member id when it is not one of the page's).
    Left {
        /// Who left.
        member: String,
        /// The group.
        group: String,
    },
    /// A member's session expired, as the coordinator describes it.
    Expired(String),
}

impl fmt::Display for RebalanceCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RebalanceCause::Joined { client_id, group } => write!(f, "{client_id} joined {group}"),
            RebalanceCause::Left { member, group } => write!(f, "{member} left {group}"),
            RebalanceCause::Expired(text) => f.write_str(text),
        }
    }
}

/// One thing that happened to the groups, oldest first in the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupsEvent {
    /// The page started a consumer.
    ConsumerStarted {
        /// Its client id.
        client_id: String,
        /// Its group.
        group: String,
        /// The topic it reads.
        topic: String,
    },
    /// A script started a consumer through the JavaScript API.
    ScriptConsumerStarted {
        /// Its client id.
        client_id: String,
        /// Its group.
        group: String,
        /// The topics it subscribed to.
        topics: Vec<String>,
    },
    /// A script's consumer disconnected (leaving its group).
    ScriptConsumerLeft {
        /// Its client id.
        client_id: String,
        /// Its group.
        group: String,
    },
    /// A consumer was crashed: no more polls nor heartbeats.
    ConsumerCrashed {
        /// Its client id.
        client_id: String,
    },
    /// A consumer was paused or resumed.
    ConsumerPaused {
        /// Its client id.
        client_id: String,
        /// True when paused, false when resumed.
        paused: bool,
    },
    /// A consumer's poll rate changed.
    PollRateChanged {
        /// Its client id.
        client_id: String,
        /// The new pace.
        pace: PollPace,
    },
    /// A consumer's `max.poll.records` changed.
    MaxPollRecordsChanged {
        /// Its client id.
        client_id: String,
        /// The new value.
        records: usize,
    },
    /// A consumer's rebalance listener was told something.
    Rebalance {
        /// Its client id.
        client_id: String,
        /// What it was told.
        event: RebalanceEvent,
    },
    /// A member change started a rebalance.
    MemberChange {
        /// Who joined or left.
        cause: RebalanceCause,
        /// The generation the rebalance leads to, when one started.
        generation: Option<i32>,
    },
    /// The coordinator's own account of a state change or a completed rebalance.
    Coordinator(String),
    /// A group's offsets were reset.
    OffsetsReset {
        /// The group.
        group: String,
    },
    /// A group was deleted with its offsets.
    GroupDeleted {
        /// The group.
        group: String,
    },
    /// The groups' committed offsets were read back from `__consumer_offsets` at load.
    OffsetsRecovered {
        /// The groups.
        groups: Vec<String>,
    },
    /// The page was reloaded: the lines before are from the earlier visit.
    Reloaded,
    /// A line an earlier visit kept.
    EarlierVisit(String),
}

impl GroupsEvent {
    /// An earlier visit's kept line as an event (the line between visits is recognised).
    pub fn kept(line: String) -> Self {
        if line == RELOADED_LINE {
            GroupsEvent::Reloaded
        } else {
            GroupsEvent::EarlierVisit(line)
        }
    }
}

impl fmt::Display for GroupsEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupsEvent::ConsumerStarted {
                client_id,
                group,
                topic,
            } => write!(f, "{client_id} started in {group}, reading {topic}"),
            GroupsEvent::ScriptConsumerStarted {
                client_id,
                group,
                topics,
            } => write!(
                f,
                "{client_id} started in {group} from JavaScript, reading {}",
                topics.join(", ")
            ),
            GroupsEvent::ScriptConsumerLeft { client_id, group } => {
                write!(f, "{client_id} disconnected from JavaScript and left {group}")
            }
            GroupsEvent::ConsumerCrashed { client_id } => {
                write!(f, "{client_id} crashed: it stops polling and heartbeating")
            }
            GroupsEvent::ConsumerPaused {
                client_id,
                paused: true,
            } => write!(
                f,
                "{client_id} paused: it keeps polling (so stays in the group) but fetches nothing"
            ),
            GroupsEvent::ConsumerPaused {
                client_id,
                paused: false,
            } => write!(f, "{client_id} resumed fetching"),
            GroupsEvent::PollRateChanged {
                client_id,
                pace: PollPace::Loop,
            } => write!(
                f,
                "{client_id} now polls in a loop, as a Kafka consumer does"
            ),
            GroupsEvent::PollRateChanged { client_id, pace } => {
                write!(f, "{client_id} now polls {} time(s) a second", pace.label())
            }
            GroupsEvent::MaxPollRecordsChanged { client_id, records } => write!(
                f,
                "{client_id} now takes up to {records} record(s) a poll (max.poll.records)"
            ),
            GroupsEvent::Rebalance { client_id, event } => write!(f, "{client_id}: {event}"),
            GroupsEvent::MemberChange {
                cause,
                generation: Some(generation),
            } => write!(f, "{cause} → rebalance → generation {generation}"),
            GroupsEvent::MemberChange {
                cause,
                generation: None,
            } => write!(f, "{cause}"),
            GroupsEvent::Coordinator(text) | GroupsEvent::EarlierVisit(text) => f.write_str(text),
            GroupsEvent::OffsetsReset { group } => write!(f, "{group}'s offsets were reset"),
            GroupsEvent::GroupDeleted { group } => {
                write!(f, "{group} deleted with its committed offsets")
            }
            GroupsEvent::OffsetsRecovered { groups } => write!(
                f,
                "Committed offsets of {} read back from __consumer_offsets; membership is not kept, so each group starts Empty",
                groups.join(", ")
            ),
            GroupsEvent::Reloaded => f.write_str(RELOADED_LINE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_join_and_the_rebalance_it_starts_read_as_one_line() {
        let event = GroupsEvent::MemberChange {
            cause: RebalanceCause::Joined {
                client_id: "c2".into(),
                group: "g1".into(),
            },
            generation: Some(3),
        };
        assert_eq!(event.to_string(), "c2 joined g1 → rebalance → generation 3");
    }

    #[test]
    fn the_line_between_visits_comes_back_as_the_reload_event() {
        assert_eq!(
            GroupsEvent::kept(RELOADED_LINE.to_owned()),
            GroupsEvent::Reloaded
        );
        assert_eq!(
            GroupsEvent::kept("c1 started in g1, reading orders".to_owned()),
            GroupsEvent::EarlierVisit("c1 started in g1, reading orders".to_owned())
        );
    }
}
