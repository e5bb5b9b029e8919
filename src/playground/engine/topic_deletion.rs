//! What a topic's deletion takes with it beyond its log: every consumer group's committed
//! offsets of its partitions, as Kafka's group coordinator drops them when it hears of deleted
//! partitions (so a topic made again under the name starts with no committed offsets, and
//! `fetchOffsets` / `--describe` no longer name it).
//!
//! Owns telling the group service. Must not decide which offsets go (the coordinator does).

use super::super::changes::Area;
use super::super::groups::GroupsModel;
use super::Playground;

impl Playground {
    /// Drops every group's committed offsets of `topic` (tombstones in `__consumer_offsets`,
    /// queued for storage with the deletion). With the group service not loaded yet there is
    /// nothing to tell: loading it drops offsets of topics that no longer exist.
    pub(super) fn drop_group_offsets(&mut self, topic: &str) {
        let Some(groups) = self.groups.as_ref().map(GroupsModel::groups) else {
            return;
        };
        // A refused append rolls the coordinator back: the offsets stay until the group
        // service next loads, which drops them then (see `BrokerGroups::load`).
        let dropped = groups.borrow_mut().delete_topic_offsets(topic).is_ok();
        if dropped {
            // The tombstones' appends, for storage (the outbox keeps the broker's order).
            let appended = self.broker.borrow_mut().drain_events();
            self.outbox.extend(appended);
            self.changes.mark(Area::Groups);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use crate::client::{Consumer, ConsumerConfig};
    use crate::clock::ManualClock;
    use crate::playground::forms::TopicForm;
    use crate::playground::Playground;
    use crate::protocol::TopicPartition;

    #[test]
    fn deleting_a_topic_in_the_playground_drops_its_committed_offsets_and_queues_the_tombstones() {
        let mut p = Playground::new(Rc::new(ManualClock::new(1_700_000_000_000)), 3);
        let form = TopicForm {
            name: "orders".into(),
            partitions: "1".into(),
            ..TopicForm::default()
        };
        p.create_topic(&form).expect("created");
        let groups = p.shared_groups().expect("loads");
        let mut config = ConsumerConfig::with_group("g1");
        config.enable_auto_commit = false;
        let mut c = Consumer::new(p.broker(), Rc::clone(&groups), config);
        let tp = TopicPartition::new("orders", 0);
        c.assign(std::slice::from_ref(&tp)).expect("assigned");
        c.commit_offsets(&[(tp.clone(), 0)]).expect("committed");
        p.absorb_changes();
        p.take_outbox();
        p.delete_topic("orders").expect("deleted");
        assert!(groups.borrow().committed_offsets("g1").is_empty());
        let outbox = p.take_outbox();
        assert!(
            outbox.len() >= 2,
            "the deletion and the tombstones' append are queued for storage: {outbox:?}"
        );
    }
}
