//! A consumer group moved through time by real `client::Consumer`s (included by the `group_*`
//! tests with `#[path]`): a broker on a manual clock, the group service over it, records
//! produced through `client::Producer`, and consumers that start, crash (go silent: they stop
//! polling and lose what they did not commit), close (commit and leave) or restart. Each step
//! moves the clock one heartbeat interval and polls every running consumer, as a Java
//! consumer's poll loop would.
#![allow(dead_code)]
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use brooklet::broker::{Broker, NewTopic, TopicPartition};
use brooklet::client::{
    BrokerGroups, Consumer, ConsumerConfig, OffsetResetPolicy, Producer, ProducerConfig,
    SharedBroker, SharedGroups,
};
use brooklet::clock::ManualClock;
use brooklet::group::coordinator::{GroupDescription, GroupEvent};
use brooklet::group::offset_store::OffsetAndMetadata;

/// How far the clock moves between two rounds of polls: the Java consumer's
/// `heartbeat.interval.ms`.
const STEP_MS: i64 = 3_000;

/// Polls per running consumer at each step, so a join, its sync and the follow-up of a
/// cooperative rebalance can complete within one step, as replies arriving in a poll loop do.
const POLLS_PER_STEP: usize = 4;

/// Whether a consumer still polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Running {
    /// It polls at every step.
    Yes,
    /// It crashed or closed: it sends nothing more.
    Stopped,
}

/// One consumer of the group.
pub struct Member {
    /// Its `client.id`.
    pub client_id: String,
    /// Whether it polls.
    pub running: Running,
    consumer: Consumer,
}

impl Member {
    /// The partitions it reads, each with its position (empty once stopped: a crashed
    /// consumer's positions are gone with it).
    pub fn positions(&self) -> BTreeMap<TopicPartition, i64> {
        match self.running {
            Running::Yes => self.consumer.positions().clone(),
            Running::Stopped => BTreeMap::new(),
        }
    }
}

/// A group of consumers over one broker.
pub struct GroupWorld {
    clock: ManualClock,
    broker: SharedBroker,
    groups: SharedGroups,
    producer: Producer,
    group: String,
    members: Vec<Member>,
    /// What the consumers read since [`GroupWorld::consume`] last took it.
    read: Vec<(String, TopicPartition, i64)>,
}

impl GroupWorld {
    /// Group `group` on a broker whose clock starts at `now_ms`; member ids from `seed`.
    pub fn new(group: &str, seed: u64, now_ms: i64) -> Self {
        let clock = ManualClock::new(now_ms);
        let broker = Rc::new(RefCell::new(Broker::new(Rc::new(clock.clone()), seed)));
        let groups = BrokerGroups::load(Rc::clone(&broker), seed)
            .expect("an empty broker's groups load")
            .shared();
        let producer = Producer::new(Rc::clone(&broker), ProducerConfig::default());
        Self {
            clock,
            broker,
            groups,
            producer,
            group: group.to_owned(),
            members: Vec::new(),
            read: Vec::new(),
        }
    }

    /// Creates `topic` with `partitions` partitions.
    pub fn topic(&self, topic: &str, partitions: i32) {
        self.broker
            .borrow_mut()
            .create_topic(NewTopic::named(topic).partitions(partitions))
            .expect("created");
    }

    /// Produces `n` records to each partition of `topic`, through the producer.
    pub fn produce(&mut self, topic: &str, n: i64) {
        let partitions = self
            .broker
            .borrow()
            .topic(topic)
            .map_or(0, |t| t.partition_count());
        for p in 0..partitions {
            for i in 0..n {
                self.producer
                    .produce(
                        topic,
                        None,
                        Some(format!("p{p}-{i}").into()),
                        Vec::new(),
                        Some(p),
                        None,
                    )
                    .expect("produced");
            }
        }
        self.producer.flush();
    }

    /// Each partition's log end.
    pub fn log_ends(&self, topic: &str) -> BTreeMap<TopicPartition, i64> {
        let broker = self.broker.borrow();
        let partitions = broker.topic(topic).map_or(0, |t| t.partition_count());
        (0..partitions)
            .map(|p| {
                let end = broker
                    .partition(topic, p)
                    .map_or(0, |x| x.log.log_end_offset());
                (TopicPartition::new(topic, p), end)
            })
            .collect()
    }

    /// The clock.
    pub fn now_ms(&self) -> i64 {
        self.broker.borrow().now_ms()
    }

    /// The group id.
    pub fn group(&self) -> &str {
        &self.group
    }

    /// The consumers, running or stopped.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Starts a consumer subscribed to `topics` with the assignors `protocols` (a static
    /// member with `instance_id`); it joins at its first poll. A stopped consumer of the same
    /// name restarts afresh; a running one is left as it is.
    pub fn start(
        &mut self,
        client_id: &str,
        instance_id: Option<&str>,
        topics: &[&str],
        protocols: &[&str],
    ) {
        let existing = self.members.iter().position(|m| m.client_id == client_id);
        if existing.is_some_and(|i| self.members[i].running == Running::Yes) {
            return;
        }
        let mut config = ConsumerConfig::with_group(self.group.clone());
        config.client_id = Some(client_id.to_owned());
        config.group_instance_id = instance_id.map(str::to_owned);
        config.partition_assignment_strategy = protocols.iter().map(|p| (*p).to_owned()).collect();
        config.auto_offset_reset = OffsetResetPolicy::Earliest;
        let mut consumer = Consumer::new(Rc::clone(&self.broker), Rc::clone(&self.groups), config);
        consumer.subscribe(topics).expect("subscribed");
        let member = Member {
            client_id: client_id.to_owned(),
            running: Running::Yes,
            consumer,
        };
        match existing {
            Some(i) => self.members[i] = member,
            None => self.members.push(member),
        }
    }

    /// The consumer crashes: it stops polling, and what it did not commit is lost.
    pub fn crash(&mut self, client_id: &str) {
        if let Some(m) = self.members.iter_mut().find(|m| m.client_id == client_id) {
            m.running = Running::Stopped;
        }
    }

    /// The consumer closes: it commits and leaves the group (a static member just stops).
    pub fn close(&mut self, client_id: &str) {
        if let Some(m) = self
            .members
            .iter_mut()
            .find(|m| m.client_id == client_id && m.running == Running::Yes)
        {
            // A refused commit or leave means the coordinator already dropped it: as Kafka's
            // consumer, close goes on.
            let _ = m.consumer.close();
            m.running = Running::Stopped;
        }
    }

    /// Every running consumer polls once more; returns what all of them read since the last
    /// call, as (consumer, partition, offset).
    pub fn consume(&mut self) -> Vec<(String, TopicPartition, i64)> {
        self.poll_all();
        std::mem::take(&mut self.read)
    }

    /// Every running consumer commits its positions; refusals are ignored, as the Java
    /// consumer logs and carries on.
    pub fn commit_all(&mut self) {
        for m in self
            .members
            .iter_mut()
            .filter(|m| m.running == Running::Yes)
        {
            let _ = m.consumer.commit();
        }
    }

    /// The coordinator's events since the last call.
    pub fn drain_events(&mut self) -> Vec<GroupEvent> {
        self.groups.borrow_mut().drain_events()
    }

    /// The group as the coordinator describes it.
    pub fn describe(&self) -> GroupDescription {
        self.groups.borrow().describe(&self.group)
    }

    /// The group's committed offsets.
    pub fn committed_offsets(&self) -> BTreeMap<TopicPartition, OffsetAndMetadata> {
        self.groups.borrow().committed_offsets(&self.group)
    }

    /// One partition's committed offset.
    pub fn committed_offset(&self, tp: &TopicPartition) -> Option<i64> {
        self.groups
            .borrow()
            .committed(&self.group, tp)
            .map(|o| o.offset)
    }

    /// Moves the clock to `to_ms` a heartbeat interval at a time, every running consumer
    /// polling at each step.
    pub fn advance_to(&mut self, to_ms: i64) {
        while self.now_ms() < to_ms {
            let step = (to_ms - self.now_ms()).min(STEP_MS);
            self.clock.advance(step);
            self.groups.borrow_mut().tick();
            for _ in 0..POLLS_PER_STEP {
                self.poll_all();
            }
        }
    }

    fn poll_all(&mut self) {
        for m in self
            .members
            .iter_mut()
            .filter(|m| m.running == Running::Yes)
        {
            // A poll refused (a commit during a rebalance, a fenced member) is retried at the
            // next one, as the Java consumer's loop does.
            if let Ok(records) = m.consumer.poll() {
                for r in records {
                    let tp = TopicPartition::new(r.topic.clone(), r.partition);
                    self.read.push((m.client_id.clone(), tp, r.offset));
                }
            }
        }
    }
}
