//! Which parts of the playground changed since the adapters last looked: one [`Area`] per
//! thing a view shows, each with a revision counter, and the set of areas changed since the
//! last [`Changes::take`].
//!
//! Owns the change vocabulary and its bookkeeping. Every engine mutation marks the areas it
//! changed here, inside the engine (no caller has to remember to); the adapters drain the set
//! and re-render only the views that watch one of those areas. Must not know about views,
//! timers or rendering.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

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
    /// The Streams page's queries: their progress (cards) and positions (lane marks).
    Streams,
    /// The Streams page's cells: their text and outputs (kept in localStorage).
    NotebookCells,
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

/// How often views re-render for changes nobody asked for this moment (records flowing from
/// a sample run, consumers polling, flushes answering): ten times a second. A human cannot
/// read a count or a lane that changes sixty times a second, and re-rendering the topic page
/// at every slice of a long job would take the frames the job yields for.
pub const FLOW_RENDER_INTERVAL_MS: i64 = 100;

/// Paces re-renders: a learner's own action shows at once, with whatever was held back; a
/// change that merely flowed in is held until [`FLOW_RENDER_INTERVAL_MS`] has passed since
/// the last re-render. Decides on times passed in; the adapter calls [`RenderPace::due`] at
/// every publish (its timer ticks at least every 100 ms, so nothing held waits longer).
#[derive(Debug, Default, Clone)]
pub struct RenderPace {
    last_ms: Option<i64>,
    held: BTreeSet<Area>,
}

impl RenderPace {
    /// The areas whose views should re-render now, out of those `changed` at `now_ms` and
    /// those held back earlier: all of them when `urgent` (the learner did something) or
    /// when the interval has passed; none otherwise (they are held).
    pub fn due(&mut self, now_ms: i64, changed: BTreeSet<Area>, urgent: bool) -> BTreeSet<Area> {
        self.held.extend(changed);
        if self.held.is_empty() {
            return BTreeSet::new();
        }
        let waited = self.last_ms.is_none_or(|last| {
            let since = now_ms - last;
            // A clock set back does not hold views forever.
            !(0..FLOW_RENDER_INTERVAL_MS).contains(&since)
        });
        if !(urgent || waited) {
            return BTreeSet::new();
        }
        self.last_ms = Some(now_ms);
        std::mem::take(&mut self.held)
    }
}

/// A watcher of some areas, and how to tell it.
struct Subscriber {
    id: u64,
    areas: Vec<Area>,
    notify: Rc<dyn Fn()>,
}

/// Who watches which areas: each front end's views subscribe, and whoever drains the
/// engine's changes tells the ones watching a changed area (a view re-renders).
#[derive(Default)]
pub struct Subscribers {
    list: RefCell<Vec<Subscriber>>,
    next_id: Cell<u64>,
}

impl std::fmt::Debug for Subscribers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscribers")
            .field("count", &self.list.borrow().len())
            .finish()
    }
}

impl Subscribers {
    /// Calls `notify` whenever one of `areas` changed; returns the id to unsubscribe with.
    pub fn subscribe(&self, areas: Vec<Area>, notify: Rc<dyn Fn()>) -> u64 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.list
            .borrow_mut()
            .push(Subscriber { id, areas, notify });
        id
    }

    /// Stops telling subscriber `id`.
    pub fn unsubscribe(&self, id: u64) {
        self.list.borrow_mut().retain(|s| s.id != id);
    }

    /// Tells every subscriber watching one of `changed`, once each; returns how many. The
    /// list is read first, so a subscriber may subscribe or unsubscribe while being told.
    pub fn notify(&self, changed: &BTreeSet<Area>) -> usize {
        let told: Vec<Rc<dyn Fn()>> = self
            .list
            .borrow()
            .iter()
            .filter(|s| s.areas.iter().any(|a| changed.contains(a)))
            .map(|s| Rc::clone(&s.notify))
            .collect();
        for notify in &told {
            notify();
        }
        told.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_subscribers_of_a_changed_area_are_told() {
        let subscribers = Rc::new(Subscribers::default());
        let told = Rc::new(RefCell::new(Vec::new()));
        let watch = |name: &'static str, areas: Vec<Area>| {
            let told = Rc::clone(&told);
            subscribers.subscribe(areas, Rc::new(move || told.borrow_mut().push(name)))
        };
        watch(
            "lanes",
            vec![Area::Partitions("orders".into()), Area::Groups],
        );
        let clock = watch("clock", vec![Area::Clock]);
        watch("topics", vec![Area::Topics]);
        let changed: BTreeSet<Area> = [Area::Groups, Area::Clock].into_iter().collect();
        assert_eq!(subscribers.notify(&changed), 2);
        assert_eq!(*told.borrow(), ["lanes", "clock"]);
        subscribers.unsubscribe(clock);
        told.borrow_mut().clear();
        subscribers.notify(&changed);
        assert_eq!(*told.borrow(), ["lanes"]);
    }

    #[test]
    fn a_subscriber_may_unsubscribe_while_it_is_told() {
        let subscribers = Rc::new(Subscribers::default());
        let id = Rc::new(Cell::new(0));
        let (inner, own) = (Rc::clone(&subscribers), Rc::clone(&id));
        id.set(subscribers.subscribe(
            vec![Area::Terminal],
            Rc::new(move || inner.unsubscribe(own.get())),
        ));
        let changed: BTreeSet<Area> = [Area::Terminal].into_iter().collect();
        assert_eq!(subscribers.notify(&changed), 1);
        assert_eq!(subscribers.notify(&changed), 0);
    }

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

    fn areas(list: &[Area]) -> BTreeSet<Area> {
        list.iter().cloned().collect()
    }

    #[test]
    fn flowing_changes_re_render_at_most_every_interval_and_nothing_is_dropped() {
        let mut pace = RenderPace::default();
        let orders = Area::Partitions("orders".into());
        assert_eq!(
            pace.due(1_000, areas(std::slice::from_ref(&orders)), false),
            areas(std::slice::from_ref(&orders)),
            "the first change shows at once"
        );
        assert!(pace
            .due(1_010, areas(std::slice::from_ref(&orders)), false)
            .is_empty());
        assert!(pace.due(1_050, areas(&[Area::Storage]), false).is_empty());
        assert!(pace.due(1_099, BTreeSet::new(), false).is_empty());
        assert_eq!(
            pace.due(1_100, BTreeSet::new(), false),
            areas(&[orders.clone(), Area::Storage]),
            "what was held shows once the interval passed, with nothing new"
        );
        assert!(
            pace.due(1_150, BTreeSet::new(), false).is_empty(),
            "nothing held"
        );
    }

    #[test]
    fn a_learners_action_shows_at_once_with_what_was_held() {
        let mut pace = RenderPace::default();
        assert_eq!(pace.due(1_000, areas(&[Area::Records]), false).len(), 1);
        assert!(pace.due(1_020, areas(&[Area::Storage]), false).is_empty());
        assert_eq!(
            pace.due(1_030, areas(&[Area::Topics]), true),
            areas(&[Area::Storage, Area::Topics])
        );
        assert!(
            pace.due(1_060, areas(&[Area::Records]), false).is_empty(),
            "the interval counts from the action's re-render"
        );
        assert_eq!(
            pace.due(500, BTreeSet::new(), false),
            areas(&[Area::Records]),
            "a clock set back shows what was held"
        );
    }

    #[test]
    fn one_topics_partitions_are_an_area_apart_from_anothers() {
        let mut changes = Changes::default();
        changes.mark(Area::Partitions("orders".into()));
        assert_eq!(changes.revision(&Area::Partitions("payments".into())), 0);
        assert_eq!(changes.revision(&Area::Partitions("orders".into())), 1);
    }
}
