//! Shared set-up for the client tests (included by each `client_*.rs` with `#[path]`): a broker on
//! a manual clock, the group service, and helpers to produce and to drive consumers round by round.
#![allow(dead_code)]
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use brooklet::broker::{Acks, Broker, NewTopic, TopicPartition};
use brooklet::client::{
    BrokerGroups, Consumer, ConsumerConfig, ConsumerRecord, OffsetResetPolicy, SharedBroker,
    SharedGroups,
};
use brooklet::clock::ManualClock;
use brooklet::log::NewRecord;

pub const START: i64 = 1_700_000_000_000;

pub struct World {
    pub clock: ManualClock,
    pub broker: SharedBroker,
    pub groups: SharedGroups,
}

impl World {
    pub fn new() -> Self {
        let clock = ManualClock::new(START);
        let broker = Rc::new(RefCell::new(Broker::new(Rc::new(clock.clone()), 7)));
        let groups = BrokerGroups::load(broker.clone(), 11)
            .expect("loads")
            .shared();
        Self {
            clock,
            broker,
            groups,
        }
    }

    pub fn topic(&self, name: &str, partitions: i32) {
        self.broker
            .borrow_mut()
            .create_topic(NewTopic::named(name).partitions(partitions))
            .expect("created");
    }

    /// Appends `n` records to each partition of `topic`, values `p<partition>-<i>`.
    pub fn fill(&self, topic: &str, partitions: i32, n: usize) {
        let now = self.broker.borrow().now_ms();
        for p in 0..partitions {
            let start = self.hw(topic, p);
            let records: Vec<NewRecord> = (0..n)
                .map(|i| {
                    let i = start as usize + i;
                    NewRecord::new(None, Some(format!("p{p}-{i}").into()), now)
                })
                .collect();
            self.broker
                .borrow_mut()
                .append(topic, p, &records, Acks::All)
                .expect("appended");
        }
    }

    pub fn hw(&self, topic: &str, p: i32) -> i64 {
        self.broker
            .borrow()
            .partition(topic, p)
            .map(|x| x.log.high_watermark())
            .expect("partition")
    }

    pub fn config(&self, group: &str) -> ConsumerConfig {
        let mut c = ConsumerConfig::with_group(group);
        c.auto_offset_reset = OffsetResetPolicy::Earliest;
        c
    }

    pub fn consumer(&self, group: &str, topics: &[&str]) -> Consumer {
        self.consumer_with(self.config(group), topics)
    }

    pub fn consumer_with(&self, config: ConsumerConfig, topics: &[&str]) -> Consumer {
        let mut c = Consumer::new(self.broker.clone(), self.groups.clone(), config);
        c.subscribe(topics).expect("subscribed");
        c
    }

    /// Polls every consumer once per round, advancing the clock `step_ms` after each round;
    /// returns what each consumer read, in order.
    pub fn drive(
        &self,
        consumers: &mut [&mut Consumer],
        rounds: usize,
        step_ms: i64,
    ) -> Vec<Vec<ConsumerRecord>> {
        let mut read = vec![Vec::new(); consumers.len()];
        for _ in 0..rounds {
            for (i, c) in consumers.iter_mut().enumerate() {
                read[i].extend(c.poll().expect("poll"));
            }
            self.clock.advance(step_ms);
        }
        read
    }
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

pub fn tp(topic: &str, p: i32) -> TopicPartition {
    TopicPartition::new(topic, p)
}

pub fn sorted(mut v: Vec<TopicPartition>) -> Vec<TopicPartition> {
    brooklet::sort::sort(&mut v);
    v
}

/// How many times each (partition, offset) was read.
pub fn counts(read: &[Vec<ConsumerRecord>]) -> BTreeMap<(i32, i64), usize> {
    let mut m = BTreeMap::new();
    for r in read.iter().flatten() {
        *m.entry((r.partition, r.offset)).or_insert(0) += 1;
    }
    m
}
