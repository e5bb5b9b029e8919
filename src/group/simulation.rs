//! Simulated consumers driving the coordinator as Kafka's Java consumer would: join (and rejoin
//! on MEMBER_ID_REQUIRED), sync, heartbeat every `heartbeat.interval.ms`, rejoin on
//! REBALANCE_IN_PROGRESS, commit positions before giving partitions up, and optionally crash
//! (go silent), leave or restart. The playground and the tests use it to move a group through
//! time step by step.
//!
//! Owns the client side of the protocol and each consumer's fetch positions. Must not reach into
//! the coordinator's internals (only its public API) and must not read the clock.

use std::collections::BTreeMap;

use super::coordinator::{
    GroupCoordinator, GroupError, GroupEvent, GroupState, JoinOutcome, JoinRequest,
    MemberGeneration, OffsetCommit, SyncOutcome, DEFAULT_HEARTBEAT_INTERVAL_MS,
};
use crate::clock::TimestampMs;
use crate::protocol::TopicPartition;

/// Where a simulated consumer is in the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsumerPhase {
    /// Must send JoinGroup.
    Unjoined,
    /// Sent JoinGroup and waits for the join phase to finish.
    Joining,
    /// Has a generation and must send SyncGroup.
    Syncing(i32),
    /// Has its assignment for this generation.
    Stable(i32),
    /// Crashed, closed or fenced: sends nothing.
    Stopped,
}

/// One simulated consumer.
#[derive(Debug, Clone)]
pub struct SimConsumer {
    /// `client.id`, also the name the simulation knows it by.
    pub client_id: String,
    /// `group.instance.id`, for a static member.
    pub instance_id: Option<String>,
    /// Subscribed topics.
    pub topics: Vec<String>,
    /// `partition.assignment.strategy`.
    pub protocols: Vec<String>,
    /// Its member id, once it has one.
    pub member_id: Option<String>,
    /// Where it is in the protocol.
    pub phase: ConsumerPhase,
    /// The partitions it consumes, each with its position (the next offset to read).
    pub positions: BTreeMap<TopicPartition, i64>,
}

impl SimConsumer {
    fn generation(&self) -> Option<i32> {
        match self.phase {
            ConsumerPhase::Syncing(g) | ConsumerPhase::Stable(g) => Some(g),
            _ => None,
        }
    }
}

/// One group of simulated consumers around a coordinator.
#[derive(Debug, Clone)]
pub struct GroupSimulation {
    /// The coordinator being driven.
    pub coordinator: GroupCoordinator,
    group: String,
    consumers: Vec<SimConsumer>,
    now_ms: TimestampMs,
    events: Vec<GroupEvent>,
}

/// A guard against a protocol bug looping a step forever; far above real round counts.
const MAX_ROUNDS_PER_STEP: usize = 64;

impl GroupSimulation {
    /// A simulation of group `group` starting at `now_ms`, member ids from `seed`.
    pub fn new(group: impl Into<String>, seed: u64, now_ms: TimestampMs) -> Self {
        Self {
            coordinator: GroupCoordinator::new(seed),
            group: group.into(),
            consumers: Vec::new(),
            now_ms,
            events: Vec::new(),
        }
    }

    /// The simulated time.
    pub fn now_ms(&self) -> TimestampMs {
        self.now_ms
    }

    /// The group id.
    pub fn group(&self) -> &str {
        &self.group
    }

    /// The consumers, running or stopped.
    pub fn consumers(&self) -> &[SimConsumer] {
        &self.consumers
    }

    /// The consumer named `client_id`.
    pub fn consumer(&self, client_id: &str) -> Option<&SimConsumer> {
        self.consumers.iter().find(|c| c.client_id == client_id)
    }

    /// Starts a consumer; it joins at the next step. A running consumer of the same name is
    /// left as it is.
    pub fn start(
        &mut self,
        client_id: &str,
        instance_id: Option<&str>,
        topics: &[&str],
        protocols: &[&str],
    ) {
        let consumer = SimConsumer {
            client_id: client_id.to_string(),
            instance_id: instance_id.map(str::to_string),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            protocols: protocols.iter().map(|p| p.to_string()).collect(),
            member_id: None,
            phase: ConsumerPhase::Unjoined,
            positions: BTreeMap::new(),
        };
        match self.consumers.iter_mut().find(|c| c.client_id == client_id) {
            Some(existing) if existing.phase == ConsumerPhase::Stopped => *existing = consumer,
            Some(_) => {}
            None => self.consumers.push(consumer),
        }
    }

    /// The consumer crashes: it stops sending anything and loses its uncommitted progress.
    pub fn crash(&mut self, client_id: &str) {
        if let Some(c) = self.consumers.iter_mut().find(|c| c.client_id == client_id) {
            c.phase = ConsumerPhase::Stopped;
            c.positions.clear();
        }
    }

    /// The consumer closes: commits, then (if dynamic) sends LeaveGroup; a static one just stops.
    pub fn close(&mut self, client_id: &str) {
        let Some(i) = self.consumers.iter().position(|c| c.client_id == client_id) else {
            return;
        };
        let revoked: Vec<TopicPartition> = self.consumers[i].positions.keys().cloned().collect();
        self.revoke(i, &revoked);
        let c = &mut self.consumers[i];
        if c.instance_id.is_none() && c.phase != ConsumerPhase::Stopped {
            if let Some(id) = c.member_id.clone() {
                // A refused leave means the coordinator already dropped it: nothing to undo.
                let _ = self
                    .coordinator
                    .leave_group(&self.group, &id, None, self.now_ms);
            }
        }
        self.consumers[i].phase = ConsumerPhase::Stopped;
    }

    /// Processes records: each running consumer advances every partition it owns to
    /// `log_end[partition]`, returning what it processed as (consumer, partition, offset).
    pub fn consume(
        &mut self,
        log_end: &BTreeMap<TopicPartition, i64>,
    ) -> Vec<(String, TopicPartition, i64)> {
        let mut processed = Vec::new();
        for c in &mut self.consumers {
            if !matches!(c.phase, ConsumerPhase::Stable(_)) {
                continue;
            }
            for (tp, position) in c.positions.iter_mut() {
                let end = log_end.get(tp).copied().unwrap_or(0);
                while *position < end {
                    processed.push((c.client_id.clone(), tp.clone(), *position));
                    *position += 1;
                }
            }
        }
        processed
    }

    /// Every running consumer commits its positions (auto-commit); refusals are ignored, as
    /// the Java consumer logs and carries on.
    pub fn commit_all(&mut self) {
        for i in 0..self.consumers.len() {
            let all: Vec<TopicPartition> = self.consumers[i].positions.keys().cloned().collect();
            self.commit(i, &all);
        }
    }

    fn commit(&mut self, i: usize, partitions: &[TopicPartition]) {
        let c = &self.consumers[i];
        let (Some(member_id), Some(generation)) = (c.member_id.clone(), c.generation()) else {
            return;
        };
        if partitions.is_empty() {
            return;
        }
        let offsets: Vec<OffsetCommit> = partitions
            .iter()
            .filter_map(|tp| {
                c.positions
                    .get(tp)
                    .map(|p| OffsetCommit::new(tp.clone(), *p))
            })
            .collect();
        let mut who = MemberGeneration::new(member_id, generation);
        who.group_instance_id = c.instance_id.clone();
        let _ = self
            .coordinator
            .commit_offsets(&self.group, Some(&who), &offsets, self.now_ms);
    }

    /// `onPartitionsRevoked`: commit, then drop the partitions.
    fn revoke(&mut self, i: usize, partitions: &[TopicPartition]) {
        self.commit(i, partitions);
        for tp in partitions {
            self.consumers[i].positions.remove(tp);
        }
    }

    /// Takes the coordinator's events since the last call.
    pub fn drain_events(&mut self) -> Vec<GroupEvent> {
        self.events.extend(self.coordinator.drain_events());
        std::mem::take(&mut self.events)
    }

    /// Moves time to `to_ms` in heartbeat-interval steps: at each, every running consumer does
    /// its protocol work, then the coordinator's timers run.
    pub fn advance_to(&mut self, to_ms: TimestampMs) {
        while self.now_ms < to_ms {
            self.now_ms = (self.now_ms + DEFAULT_HEARTBEAT_INTERVAL_MS).min(to_ms);
            self.step();
        }
    }

    /// One step at the current time: consumers act until nothing changes, then timers fire,
    /// then consumers react once more.
    pub fn step(&mut self) {
        self.settle();
        self.coordinator.tick(self.now_ms);
        self.settle();
    }

    fn settle(&mut self) {
        for _ in 0..MAX_ROUNDS_PER_STEP {
            let mut changed = false;
            for i in 0..self.consumers.len() {
                changed |= self.act(i);
            }
            if !changed {
                break;
            }
        }
    }

    /// One consumer's next protocol action; returns whether its phase changed.
    fn act(&mut self, i: usize) -> bool {
        let before = self.consumers[i].phase;
        let now = self.now_ms;
        let group = self.group.clone();
        match before {
            ConsumerPhase::Stopped => {}
            ConsumerPhase::Unjoined => self.join(i),
            ConsumerPhase::Joining => {
                let id = self.consumers[i].member_id.clone().unwrap_or_default();
                if let Some(response) = self.coordinator.join_response(&group, &id) {
                    self.consumers[i].phase = ConsumerPhase::Syncing(response.generation);
                } else if self.coordinator.group_state(&group) != GroupState::PreparingRebalance
                    && self
                        .coordinator
                        .describe_group(&group)
                        .members
                        .iter()
                        .all(|m| m.member_id != id)
                {
                    // Dropped from the group while waiting: start over.
                    self.reset(i, true);
                }
            }
            ConsumerPhase::Syncing(generation) => {
                let who = self.who(i, generation);
                match self.coordinator.sync_group(&group, &who, now) {
                    Ok(SyncOutcome::Assigned {
                        partitions,
                        rejoin_needed,
                    }) => {
                        let revoked: Vec<TopicPartition> = self.consumers[i]
                            .positions
                            .keys()
                            .filter(|tp| !partitions.contains(tp))
                            .cloned()
                            .collect();
                        self.consumers[i].phase = ConsumerPhase::Stable(generation);
                        self.revoke(i, &revoked);
                        for tp in partitions {
                            if !self.consumers[i].positions.contains_key(&tp) {
                                // auto.offset.reset=earliest for the simulation's logs from 0.
                                let start = self
                                    .coordinator
                                    .committed_offset(&group, &tp)
                                    .map_or(0, |o| o.offset);
                                self.consumers[i].positions.insert(tp, start);
                            }
                        }
                        if rejoin_needed {
                            self.consumers[i].phase = ConsumerPhase::Unjoined;
                        }
                    }
                    Ok(SyncOutcome::AwaitingLeader) => {}
                    Err(e) => self.on_error(i, &e),
                }
            }
            ConsumerPhase::Stable(generation) => {
                let who = self.who(i, generation);
                let id = who.member_id.clone();
                match self.coordinator.heartbeat(&group, &who, now) {
                    Ok(()) => {
                        let _ = self.coordinator.poll(&group, &id, now);
                    }
                    Err(e) => self.on_error(i, &e),
                }
            }
        }
        self.consumers[i].phase != before
    }

    fn who(&self, i: usize, generation: i32) -> MemberGeneration {
        let c = &self.consumers[i];
        let mut who = MemberGeneration::new(c.member_id.clone().unwrap_or_default(), generation);
        who.group_instance_id = c.instance_id.clone();
        who
    }

    fn join(&mut self, i: usize) {
        let c = &self.consumers[i];
        let mut request = JoinRequest::new(c.client_id.clone(), c.topics.clone())
            .with_protocols(c.protocols.clone());
        request.group_instance_id = c.instance_id.clone();
        request.member_id = c.member_id.clone();
        let group = self.group.clone();
        match self.coordinator.join_group(&group, &request, self.now_ms) {
            Ok(JoinOutcome::Joined(response)) => {
                self.consumers[i].member_id = Some(response.member_id.clone());
                self.consumers[i].phase = ConsumerPhase::Syncing(response.generation);
            }
            Ok(JoinOutcome::Waiting { member_id }) => {
                self.consumers[i].member_id = Some(member_id);
                self.consumers[i].phase = ConsumerPhase::Joining;
            }
            Err(GroupError::MemberIdRequired { member_id, .. }) => {
                // Rejoins with it in the next round of the same step.
                self.consumers[i].member_id = Some(member_id);
            }
            Err(e) => self.on_error(i, &e),
        }
    }

    /// The Java consumer's reaction to an error answer.
    fn on_error(&mut self, i: usize, error: &GroupError) {
        match error {
            // Rejoin with the same id (eager: give everything up first).
            GroupError::RebalanceInProgress { .. } | GroupError::IllegalGeneration { .. } => {
                self.reset(i, false)
            }
            GroupError::UnknownMemberId { .. } => self.reset(i, true),
            GroupError::FencedInstanceId { .. } => {
                self.consumers[i].positions.clear();
                self.consumers[i].phase = ConsumerPhase::Stopped;
            }
            // Anything else is a configuration problem: the consumer stops.
            _ => self.consumers[i].phase = ConsumerPhase::Stopped,
        }
    }

    /// Prepares to rejoin: an eager consumer revokes (and commits) everything; a consumer that
    /// lost its membership loses its partitions without committing (`onPartitionsLost`).
    fn reset(&mut self, i: usize, lost: bool) {
        // The Java consumer is cooperative only if every assignor it lists is.
        let eager = !self.consumers[i]
            .protocols
            .iter()
            .all(|p| p == "cooperative-sticky");
        let owned: Vec<TopicPartition> = self.consumers[i].positions.keys().cloned().collect();
        if lost {
            self.consumers[i].positions.clear();
            self.consumers[i].member_id = None;
        } else if eager {
            self.revoke(i, &owned);
        }
        self.consumers[i].phase = ConsumerPhase::Unjoined;
    }
}
