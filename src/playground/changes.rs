//! Which parts of the playground changed since the adapters last looked: one [`Area`] per
//! thing a view shows, each with a revision counter, and the set of areas changed since the
//! last [`Changes::take`].
//!
//! Owns the change vocabulary and its bookkeeping. Every engine mutation marks the areas it
//! changed here, inside the engine (no caller has to remember to); the adapters drain the set
//! and re-render only the views that watch one of those areas. Must not know about views,
//! timers or rendering.

use std::collections::{BTreeMap, BTreeSet};

/// A part of the playground a view shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// The list of topics and their shape: created, deleted, partitions added, configs.
    Topics,
    /// Some learner topic's records changed (its size and record count in the tables).
    Records,
    /// One topic's partitions: its records, lanes, segments, log start and end.
    Partitions(String),
    /// The consumer groups: members, assignments, positions, committed offsets, the run state.
    Groups,
    /// The terminal dock: sessions, scrollback, the typed line, its size.
    Terminal,
    /// Storage: acknowledgements, a failed flush, usage, loading older batches, read-only.
    Storage,
    /// The overview's timeline of what happened.
    Timeline,
    /// The standalone reader: its assignment, positions and the records it read.
    Reader,
    /// The sample-order job: its progress and how it ended.
    SampleJob,
    /// The simulated clock moved (by a second, or by a fast-forward).
    Clock,
    /// The producer's settings (the partitioner) and the latest produce's status.
    Producer,
}

/// The revision counters and the areas changed since the adapters last drained them.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    revisions: BTreeMap<Area, u64>,
    pending: BTreeSet<Area>,
}

impl Changes {
    /// Marks `area` changed: its revision moves on and it joins the pending set.
    pub fn mark(&mut self, area: Area) {
        *self.revisions.entry(area.clone()).or_default() += 1;
        self.pending.insert(area);
    }

    /// How many times `area` changed (0 if never): views compare it to skip a redraw.
    pub fn revision(&self, area: &Area) -> u64 {
        self.revisions.get(area).copied().unwrap_or(0)
    }

    /// True when no area changed since the last [`Changes::take`].
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// The areas changed since the last call, each once, and an empty set afterwards.
    pub fn take(&mut self) -> BTreeSet<Area> {
        std::mem::take(&mut self.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_area_is_taken_once_and_its_revision_stays() {
        let mut changes = Changes::default();
        changes.mark(Area::Groups);
        changes.mark(Area::Groups);
        changes.mark(Area::Partitions("orders".into()));
        let taken = changes.take();
        assert_eq!(
            taken.into_iter().collect::<Vec<_>>(),
            vec![Area::Partitions("orders".into()), Area::Groups]
        );
        assert!(changes.is_empty());
        assert_eq!(changes.revision(&Area::Groups), 2);
        assert_eq!(changes.revision(&Area::Topics), 0);
    }

    #[test]
    fn one_topics_partitions_are_an_area_apart_from_anothers() {
        let mut changes = Changes::default();
        changes.mark(Area::Partitions("orders".into()));
        assert_eq!(changes.revision(&Area::Partitions("payments".into())), 0);
        assert_eq!(changes.revision(&Area::Partitions("orders".into())), 1);
    }
}
