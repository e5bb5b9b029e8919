//! The five states of a classic consumer group (kafka.md §3), printed as Kafka prints them, and
//! which transitions between them are legal.
//!
//! Owns the state names and the transition table only. Must not decide *when* a group moves: the
//! coordinator does that.

use std::fmt;

/// A classic group's state (`ClassicGroupState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupState {
    /// No members; committed offsets may exist (offset-only groups live here).
    Empty,
    /// Collecting joins; heartbeats are answered REBALANCE_IN_PROGRESS.
    PreparingRebalance,
    /// The join phase is over; waiting for the leader's assignment (SyncGroup).
    CompletingRebalance,
    /// The assignment has been delivered.
    Stable,
    /// Removed (deleted); also what an unknown group id reports.
    Dead,
}

impl GroupState {
    /// The name Kafka prints (`kafka-consumer-groups.sh --state`, describe): `PreparingRebalance`, ...
    pub fn name(self) -> &'static str {
        match self {
            Self::Empty => "Empty",
            Self::PreparingRebalance => "PreparingRebalance",
            Self::CompletingRebalance => "CompletingRebalance",
            Self::Stable => "Stable",
            Self::Dead => "Dead",
        }
    }

    /// Whether Kafka allows moving from `self` to `to` (`ClassicGroupState.validPreviousStates`).
    pub fn can_transition_to(self, to: GroupState) -> bool {
        use GroupState::*;
        match to {
            Empty => matches!(self, PreparingRebalance),
            PreparingRebalance => matches!(self, Stable | CompletingRebalance | Empty),
            CompletingRebalance => matches!(self, PreparingRebalance),
            Stable => matches!(self, CompletingRebalance),
            Dead => matches!(
                self,
                Stable | PreparingRebalance | CompletingRebalance | Empty | Dead
            ),
        }
    }

    /// Whether a rebalance may start from this state (`ClassicGroup.canRebalance`).
    pub fn can_rebalance(self) -> bool {
        self.can_transition_to(GroupState::PreparingRebalance)
    }
}

impl fmt::Display for GroupState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::GroupState::*;

    #[test]
    fn states_print_as_kafka_prints_them() {
        let names: Vec<String> = [Empty, PreparingRebalance, CompletingRebalance, Stable, Dead]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            names,
            [
                "Empty",
                "PreparingRebalance",
                "CompletingRebalance",
                "Stable",
                "Dead"
            ]
        );
    }

    #[test]
    fn only_the_leader_sync_makes_a_group_stable() {
        assert!(CompletingRebalance.can_transition_to(Stable));
        assert!(!PreparingRebalance.can_transition_to(Stable));
        assert!(!Empty.can_transition_to(Stable));
    }

    #[test]
    fn a_group_becomes_empty_only_at_the_end_of_a_join_phase() {
        assert!(PreparingRebalance.can_transition_to(Empty));
        assert!(!Stable.can_transition_to(Empty));
        assert!(!Dead.can_transition_to(Empty));
    }
}
