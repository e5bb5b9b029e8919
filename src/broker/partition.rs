//! One partition of a topic: its replicas, leader, in-sync replicas and its log.
//!
//! Owns the replication metadata of a partition and the leader's log. Must not choose
//! partitions (the partitioner does) nor know about topics' configs beyond what the log holds.

use crate::log::PartitionLog;

/// A partition: Kafka's replica list, leader and ISR, and the leader's log.
#[derive(Debug)]
pub struct Partition {
    /// The partition number, from 0.
    pub index: i32,
    /// Broker ids holding a copy; the first is the preferred leader.
    pub replicas: Vec<i32>,
    /// The broker that takes writes, or `None` (printed `Leader: none`).
    pub leader: Option<i32>,
    /// In-sync replicas, in replica order.
    pub isr: Vec<i32>,
    /// Bumped at each leader change.
    pub leader_epoch: i32,
    /// The leader's log.
    pub log: PartitionLog,
}

impl Partition {
    /// A new partition led by its first replica, all replicas in sync.
    pub fn new(index: i32, replicas: Vec<i32>, log: PartitionLog) -> Self {
        Self {
            index,
            leader: replicas.first().copied(),
            isr: replicas.clone(),
            replicas,
            leader_epoch: 0,
            log,
        }
    }
}
