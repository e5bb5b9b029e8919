//! The consumer-groups playground as plain Rust: the group service loaded once from the broker
//! (so committed offsets recovered from `__consumer_offsets` are there) and the simulated
//! consumers the learner starts (`c1`, `c2`, ... each with a colour), stepped, paused, crashed
//! or closed; plus the views the group page draws (member cards, the partition table, the
//! timeline in plain words).
//!
//! Owns which simulated consumers exist and what they did. Must not hold Kafka rules (the
//! coordinator and [`Consumer`] do), touch the DOM, or read the wall clock (time is the
//! broker's clock). Tested natively.

use std::collections::{BTreeMap, BTreeSet};

use crate::broker::TopicPartition;
use crate::client::group_admin::{self, ResetScenario, ResetScope};
use crate::client::{
    BrokerGroups, Consumer, ConsumerConfig, ConsumerError, ConsumerRecord, GroupsError,
    OffsetResetPolicy, RebalanceEvent, SharedBroker, SharedGroups,
};
use crate::clock::SimulatedClock;
use crate::group::coordinator::{GroupEvent, MemberGeneration};

/// How far the clock moves per step while a jump watches sessions expire.
pub const JUMP_STEP_MS: i64 = 5_000;

/// How many timeline lines are kept.
const TIMELINE_LENGTH: usize = 200;

/// Colours a member card can take (CSS classes `member-0` .. `member-7`).
pub const MEMBER_COLOURS: u8 = 8;

/// The strategies a learner can pick, as `partition.assignment.strategy` values; the first is
/// the Java client's default list.
pub const STRATEGY_CHOICES: [(&str, &str); 5] = [
    (
        "range,cooperative-sticky",
        "range, cooperative-sticky (default)",
    ),
    ("range", "range"),
    ("roundrobin", "roundrobin"),
    ("sticky", "sticky"),
    ("cooperative-sticky", "cooperative-sticky"),
];

/// A new consumer polls as a Kafka consumer does, `poll()` in a loop, with Kafka's
/// `max.poll.records` (500): it drains a backlog as fast as the tab allows and keeps up with
/// anything the playground produces. A learner slows it down on its card to watch positions
/// creep up.
pub const DEFAULT_POLL_PACE: PollPace = PollPace::Loop;

/// What the learner made of a simulated consumer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsumerStatus {
    /// Polling at every step.
    Running,
    /// Polling (so heartbeating) but fetching nothing: every partition paused.
    Paused,
    /// Stopped dead: no poll, no heartbeat, no LeaveGroup. The coordinator removes it after
    /// `session.timeout.ms`.
    Crashed,
}

impl ConsumerStatus {
    /// The status in a word.
    pub fn label(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Crashed => "crashed",
        }
    }
}

/// One consumer the learner started.
struct SimConsumer {
    colour: u8,
    group: String,
    /// The topics it subscribed to (a script's consumer may take several).
    topics: Vec<String>,
    strategy: String,
    consumer: Consumer,
    status: ConsumerStatus,
    consumed: u64,
    error: Option<String>,
    /// Partitions gained at the latest step, highlighted on the card.
    fresh: Vec<TopicPartition>,
    /// How often it polls while the consumers run.
    pace: PollPace,
    /// When it polls next while the consumers run.
    next_poll_at: i64,
    /// In Kafka's loop, its last poll came back full: more records are waiting.
    behind: bool,
    /// Driven by a front end's own loop (the JavaScript API's `consumer.run`), not by the
    /// engine's tick or Step: see [`external`].
    external: bool,
}

/// Where a reset sends the group's offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetTarget {
    /// `--to-earliest`.
    Earliest,
    /// `--to-latest`.
    Latest,
}

/// The consumer groups the learner plays with.
pub struct GroupsModel {
    groups: SharedGroups,
    consumers: Vec<SimConsumer>,
    next_client: u32,
    timeline: Vec<GroupsEvent>,
    /// Every member id a learner's consumer ever had, to its client id, for readable lines.
    names: BTreeMap<String, String>,
    /// True while the consumers run on their own (each at its rate), on whatever page is open.
    running: bool,
    /// How many timeline events were recorded (the timeline keeps only the newest), so a
    /// change to it shows in [`GroupsModel::fingerprint`] even once it is full.
    recorded: u64,
}

impl std::fmt::Debug for GroupsModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupsModel")
            .field("consumers", &self.consumers.len())
            .finish_non_exhaustive()
    }
}

/// A group id's problem, if any: Kafka refuses an empty one.
pub fn group_name_problem(name: &str) -> Option<GroupActionError> {
    let name = name.trim();
    if name.is_empty() {
        return Some(GroupActionError::EmptyGroupId);
    }
    if name.chars().any(char::is_whitespace) {
        return Some(GroupActionError::GroupIdWithSpaces {
            id: name.to_owned(),
        });
    }
    None
}

impl GroupsModel {
    /// The group service over `broker`, its offsets replayed from `__consumer_offsets`.
    pub fn load(broker: SharedBroker, seed: u64) -> Result<Self, GroupsError> {
        let mut model = Self::with_groups(BrokerGroups::load(broker, seed)?.shared());
        let recovered = model.group_names();
        if !recovered.is_empty() {
            model.record(GroupsEvent::OffsetsRecovered { groups: recovered });
        }
        Ok(model)
    }

    /// The model over an existing group service (tests shorten its timers).
    pub fn with_groups(groups: SharedGroups) -> Self {
        Self {
            groups,
            consumers: Vec::new(),
            next_client: 0,
            timeline: Vec::new(),
            names: BTreeMap::new(),
            running: false,
            recorded: 0,
        }
    }

    /// The group service, shared with whoever else needs it (the console).
    pub fn groups(&self) -> SharedGroups {
        SharedGroups::clone(&self.groups)
    }

    /// Starts consumer `cN` in `group` subscribed to `topic` with `strategy` (a
    /// comma-separated assignor list) and `reset` as `auto.offset.reset`, and polls it once
    /// (its JoinGroup). Returns what happened.
    pub fn start_consumer(
        &mut self,
        group: &str,
        topic: &str,
        strategy: &str,
        reset: OffsetResetPolicy,
    ) -> Result<String, GroupActionError> {
        if let Some(problem) = group_name_problem(group) {
            return Err(problem);
        }
        let group = group.trim();
        let broker = SharedBroker::clone(self.groups.borrow().broker());
        if broker.borrow().topic(topic).is_none() {
            return Err(GroupActionError::NoSuchTopic {
                topic: topic.to_owned(),
            });
        }
        let client_id = format!("c{}", self.next_client + 1);
        let mut config = ConsumerConfig::with_group(group);
        config.client_id = Some(client_id.clone());
        config.auto_offset_reset = reset;
        config.set("partition.assignment.strategy", strategy)?;
        let mut consumer = Consumer::new(broker, self.groups(), config);
        consumer.subscribe(&[topic])?;
        self.add_consumer(group, vec![topic.to_owned()], strategy, consumer, false);
        self.record(GroupsEvent::ConsumerStarted {
            client_id: client_id.clone(),
            group: group.to_owned(),
            topic: topic.to_owned(),
        });
        self.step();
        Ok(format!(
            "{client_id} started in {group}: it joins at its first poll (a new group waits group.initial.rebalance.delay.ms first){}",
            if self.running {
                "."
            } else {
                ". The consumers are stopped: tick “Run the consumers” to keep them polling, or press Step."
            }
        ))
    }

    /// Adds a started consumer's card, running, in the next colour: polled by the page's
    /// tick from its first interval on, or, when `external`, by a script's own loop at once.
    fn add_consumer(
        &mut self,
        group: &str,
        topics: Vec<String>,
        strategy: &str,
        consumer: Consumer,
        external: bool,
    ) {
        self.next_client += 1;
        let colour = ((self.next_client - 1) % u32::from(MEMBER_COLOURS)) as u8;
        let now = self.now_ms();
        self.consumers.push(SimConsumer {
            colour,
            group: group.to_owned(),
            topics,
            strategy: strategy.to_owned(),
            consumer,
            status: ConsumerStatus::Running,
            consumed: 0,
            error: None,
            fresh: Vec::new(),
            pace: DEFAULT_POLL_PACE,
            // A script's loop polls it at once; the page's, at the next tick its pace allows.
            next_poll_at: if external {
                now
            } else {
                DEFAULT_POLL_PACE.next_after(now)
            },
            behind: false,
            external,
        });
    }

    /// Every live consumer polls once (a few records each, auto-committing per its config);
    /// the group timers due by now fire first.
    pub fn step(&mut self) {
        self.step_reading(true);
    }

    /// [`GroupsModel::step`]; with `reading` false each poll keeps the membership alive (join,
    /// heartbeat, rebalance, auto-commit) but what it fetched is put back, as during a clock
    /// jump.
    fn step_reading(&mut self, reading: bool) {
        self.groups.borrow_mut().tick();
        let now = self.now_ms();
        for index in 0..self.consumers.len() {
            // An external consumer's records go to its own loop; a reading poll here would
            // swallow them.
            if reading && self.consumers.get(index).is_some_and(|c| c.external) {
                continue;
            }
            let _ = self.poll_one(index, reading);
            if let Some(sim) = self.consumers.get_mut(index) {
                sim.next_poll_at = sim.pace.next_after(now);
            }
        }
        self.drain();
    }

    /// The broker clock's time.
    fn now_ms(&self) -> i64 {
        self.groups.borrow().broker().borrow().now_ms()
    }

    /// Polls one consumer; returns what it read (nothing when not `reading`) or its error.
    fn poll_one(
        &mut self,
        index: usize,
        reading: bool,
    ) -> Result<Vec<ConsumerRecord>, ConsumerError> {
        let Some(sim) = self.consumers.get_mut(index) else {
            return Ok(Vec::new());
        };
        if sim.status == ConsumerStatus::Crashed {
            return Ok(Vec::new());
        }
        sim.fresh.clear();
        let result = sim.consumer.poll();
        let outcome = match result {
            Ok(records) if !reading => {
                // Put back what the poll fetched: the position returns to each partition's
                // first record fetched, so the records are read at the next real poll.
                let mut first: BTreeMap<TopicPartition, i64> = BTreeMap::new();
                for r in &records {
                    let tp = TopicPartition::new(r.topic.clone(), r.partition);
                    let offset = first.entry(tp).or_insert(r.offset);
                    *offset = (*offset).min(r.offset);
                }
                for (tp, offset) in first {
                    // The partition was assigned a moment ago (it was just fetched from), so
                    // the seek cannot be refused.
                    let _ = sim.consumer.seek(&tp, offset);
                }
                sim.error = None;
                Ok(Vec::new())
            }
            Ok(records) => {
                sim.consumed += records.len() as u64;
                sim.error = None;
                Ok(records)
            }
            Err(e) => {
                sim.error = Some(e.to_string());
                Err(e)
            }
        };
        if sim.status == ConsumerStatus::Paused {
            let assigned = sim.consumer.assignment().to_vec();
            let _ = sim.consumer.pause(&assigned);
        }
        let client = sim.consumer.client_id().to_owned();
        let mut told = Vec::new();
        for event in sim.consumer.drain_rebalance_events() {
            if let RebalanceEvent::Assigned(p) = &event {
                sim.fresh.extend(p.iter().cloned());
            }
            told.push(GroupsEvent::Rebalance {
                client_id: client.clone(),
                event,
            });
        }
        for event in told {
            self.record(event);
        }
        outcome
    }

    fn find(&mut self, client_id: &str) -> Result<&mut SimConsumer, GroupActionError> {
        self.consumers
            .iter_mut()
            .find(|c| c.consumer.client_id() == client_id)
            .ok_or_else(|| GroupActionError::NoSuchConsumer {
                client_id: client_id.to_owned(),
            })
    }

    /// Stops `client_id` dead: no more polls or heartbeats, no LeaveGroup.
    pub fn crash(&mut self, client_id: &str) -> Result<String, GroupActionError> {
        let sim = self.find(client_id)?;
        sim.status = ConsumerStatus::Crashed;
        let timeout = sim.consumer.config().session_timeout_ms;
        let group = sim.group.clone();
        self.record(GroupsEvent::ConsumerCrashed {
            client_id: client_id.to_owned(),
        });
        Ok(format!(
            "{client_id} crashed. {group}'s coordinator removes it once session.timeout.ms ({} s) passes without a heartbeat: wait, or jump the clock ahead.",
            timeout / 1000
        ))
    }

    /// Closes `client_id`: it commits (auto-commit), sends LeaveGroup, and the group
    /// rebalances at once.
    pub fn leave(&mut self, client_id: &str) -> Result<String, GroupActionError> {
        let sim = self.find(client_id)?;
        if sim.status == ConsumerStatus::Crashed {
            return Err(GroupActionError::CrashedCannotLeave {
                client_id: client_id.to_owned(),
            });
        }
        let _ = sim.consumer.close();
        let group = sim.group.clone();
        self.drain();
        self.consumers
            .retain(|c| c.consumer.client_id() != client_id);
        Ok(format!(
            "{client_id} left {group}: the group rebalances now."
        ))
    }

    /// Removes a crashed consumer's card (the coordinator keeps it until its session ends).
    pub fn remove(&mut self, client_id: &str) -> Result<String, GroupActionError> {
        let sim = self.find(client_id)?;
        if sim.status != ConsumerStatus::Crashed {
            return Err(GroupActionError::StillRunning {
                client_id: client_id.to_owned(),
            });
        }
        self.consumers
            .retain(|c| c.consumer.client_id() != client_id);
        Ok(format!("{client_id}'s card removed."))
    }

    /// Pauses or resumes every partition `client_id` holds; a paused consumer still polls,
    /// so it stays in the group, but fetches nothing.
    pub fn set_paused(
        &mut self,
        client_id: &str,
        paused: bool,
    ) -> Result<String, GroupActionError> {
        let sim = self.find(client_id)?;
        if sim.status == ConsumerStatus::Crashed {
            return Err(GroupActionError::CrashedCannotPause {
                client_id: client_id.to_owned(),
            });
        }
        let assigned = sim.consumer.assignment().to_vec();
        let result = if paused {
            sim.consumer.pause(&assigned)
        } else {
            sim.consumer.resume(&assigned)
        };
        result?;
        sim.status = if paused {
            ConsumerStatus::Paused
        } else {
            ConsumerStatus::Running
        };
        let event = GroupsEvent::ConsumerPaused {
            client_id: client_id.to_owned(),
            paused,
        };
        let line = event.to_string();
        self.record(event);
        Ok(line)
    }

    /// Jumps `clock` ahead by `ms` with the live consumers keeping their membership all
    /// along: the first minute in steps of [`JUMP_STEP_MS`] (so a crashed member's session
    /// expires and the live ones rejoin the rebalance it starts, as they would), the rest at
    /// once, with the live members' heartbeat and poll timers restarted at the new time — so a
    /// day-long jump does not poll a day's worth of times. The jump's polls read nothing: a
    /// clock jump is not turned into a burst of catch-up reads; the consumers read again at
    /// their own rate afterwards.
    pub fn fast_forward(&mut self, clock: &SimulatedClock, ms: i64) {
        let watched = self
            .consumers
            .iter()
            .map(|c| c.consumer.config().session_timeout_ms)
            .max()
            .map_or(0, |t| t + 3 * JUMP_STEP_MS);
        let mut done = 0;
        while done < ms.min(watched) {
            let step = JUMP_STEP_MS.min(ms - done);
            clock.fast_forward(step);
            done += step;
            self.step_reading(false);
        }
        if done < ms {
            clock.fast_forward(ms - done);
            self.restart_live_timers();
            for _ in 0..3 {
                self.step_reading(false);
            }
        }
    }

    /// Heartbeats and poll marks for every live member at the current time, without firing
    /// timers first.
    fn restart_live_timers(&mut self) {
        for sim in &self.consumers {
            if sim.status == ConsumerStatus::Crashed {
                continue;
            }
            let Some(id) = sim.consumer.member_id() else {
                continue;
            };
            let who = MemberGeneration::new(id.to_owned(), sim.consumer.generation());
            let mut groups = self.groups.borrow_mut();
            let _ = groups.heartbeat(&sim.group, &who);
            let _ = groups.poll(&sim.group, id);
        }
    }

    /// Every group the coordinator knows, plus those of the learner's consumers, by name.
    pub fn group_names(&self) -> Vec<String> {
        let mut names: BTreeSet<String> = self
            .groups
            .borrow()
            .list()
            .into_iter()
            .map(|g| g.group_id)
            .collect();
        names.extend(self.consumers.iter().map(|c| c.group.clone()));
        names.into_iter().collect()
    }

    /// What happened, newest first.
    pub fn timeline(&self) -> impl Iterator<Item = &GroupsEvent> {
        self.timeline.iter().rev()
    }

    /// The timeline oldest first in words, as kept for the next visit.
    pub fn timeline_lines(&self) -> Vec<String> {
        self.timeline.iter().map(ToString::to_string).collect()
    }

    /// Puts an earlier visit's lines (oldest first) before this visit's, newest kept.
    pub fn restore_timeline(&mut self, earlier: Vec<String>) {
        let earlier = earlier.into_iter().map(GroupsEvent::kept).collect();
        let now = std::mem::replace(&mut self.timeline, earlier);
        self.timeline.extend(now);
        let excess = self.timeline.len().saturating_sub(TIMELINE_LENGTH);
        self.timeline.drain(..excess);
        self.recorded += 1;
    }

    /// Resets `group`'s committed offsets on the partitions the table shows, as
    /// `kafka-consumer-groups.sh --reset-offsets` does: a dry run unless `execute`, refused
    /// with Kafka's message while the group has active members.
    pub fn reset_offsets(
        &mut self,
        group: &str,
        target: ResetTarget,
        execute: bool,
    ) -> Result<String, GroupActionError> {
        let topics: BTreeSet<String> = self
            .partitions(group)
            .into_iter()
            .map(|r| r.partition.topic)
            .collect();
        if topics.is_empty() {
            return Err(GroupActionError::NothingToReset {
                group: group.to_owned(),
            });
        }
        let scope = ResetScope::Topics(topics.into_iter().map(|t| (t, None)).collect());
        let scenario = match target {
            ResetTarget::Earliest => ResetScenario::ToEarliest,
            ResetTarget::Latest => ResetScenario::ToLatest,
        };
        let plan = group_admin::reset_offsets(
            &mut self.groups.borrow_mut(),
            group,
            &scope,
            scenario,
            execute,
        )
        .map_err(GroupActionError::Reset)?;
        let table = group_admin::format_reset_plans(std::slice::from_ref(&plan));
        let mut text = plan.warnings.join("\n");
        if execute {
            self.drain();
            self.record(GroupsEvent::OffsetsReset {
                group: group.to_owned(),
            });
        } else {
            text.push_str("Dry run: nothing changed. Press Execute to commit these offsets.");
        }
        text.push_str(&table);
        Ok(text)
    }

    /// Deletes `group` and its offsets (only an Empty group), as `--delete` does.
    pub fn delete_group(&mut self, group: &str) -> Result<String, GroupActionError> {
        let results =
            group_admin::delete_groups(&mut self.groups.borrow_mut(), &[group.to_owned()]);
        let out = group_admin::format_delete(&results);
        let code = results
            .iter()
            .find_map(|(_, r)| r.as_ref().err().map(GroupsError::code));
        match code {
            None => {
                self.consumers.retain(|c| c.group != group);
                self.record(GroupsEvent::GroupDeleted {
                    group: group.to_owned(),
                });
                Ok(out.stdout.trim().to_owned())
            }
            Some(code) => Err(GroupActionError::Delete {
                printed: format!("{}{}", out.stdout, out.stderr).trim().to_owned(),
                code: Some(code),
            }),
        }
    }

    fn record(&mut self, event: GroupsEvent) {
        self.recorded += 1;
        self.timeline.push(event);
        if self.timeline.len() > TIMELINE_LENGTH {
            let excess = self.timeline.len() - TIMELINE_LENGTH;
            self.timeline.drain(..excess);
        }
    }

    /// Remembers the member ids of the learner's consumers, for readable lines.
    fn learn_names(&mut self) {
        for c in &self.consumers {
            if let Some(id) = c.consumer.member_id() {
                self.names
                    .insert(id.to_owned(), c.consumer.client_id().to_owned());
            }
        }
    }

    /// Turns the coordinator's events into timeline lines, joining a member change and the
    /// rebalance it starts into one: "c2 joined g1 → rebalance → generation 3".
    fn drain(&mut self) {
        let events = self.groups.borrow_mut().drain_events();
        self.learn_names();
        for e in &events {
            if let GroupEvent::MemberJoined {
                member_id,
                client_id,
                ..
            } = e
            {
                self.names.insert(member_id.clone(), client_id.clone());
            }
        }
        let names = &self.names;
        let readable = |line: String| {
            names
                .iter()
                .fold(line, |l, (id, client)| l.replace(id.as_str(), client))
        };
        let mut told = Vec::new();
        let mut pending: Option<RebalanceCause> = None;
        let change = |cause, generation| GroupsEvent::MemberChange { cause, generation };
        for event in events {
            let cause = match &event {
                GroupEvent::MemberJoined {
                    group, client_id, ..
                } => Some(RebalanceCause::Joined {
                    client_id: client_id.clone(),
                    group: group.clone(),
                }),
                GroupEvent::MemberLeft { group, member_id } => Some(RebalanceCause::Left {
                    member: readable(member_id.clone()),
                    group: group.clone(),
                }),
                GroupEvent::MemberExpired { .. } => {
                    Some(RebalanceCause::Expired(readable(event.describe())))
                }
                _ => None,
            };
            if let Some(cause) = cause {
                told.extend(pending.replace(cause).map(|c| change(c, None)));
                continue;
            }
            let described = || GroupsEvent::Coordinator(readable(event.describe()));
            match &event {
                GroupEvent::RebalanceStarted { generation, .. } => match pending.take() {
                    Some(cause) => told.push(change(cause, Some(*generation))),
                    None => told.push(described()),
                },
                GroupEvent::RebalanceCompleted { .. } => {
                    told.extend(pending.take().map(|c| change(c, None)));
                    told.push(described());
                }
                GroupEvent::GroupStateChanged { .. } => told.push(described()),
                // The consumers' own callbacks tell revocations and assignments; commits show
                // in the partition table.
                _ => {}
            }
        }
        told.extend(pending.map(|c| change(c, None)));
        for event in told {
            self.record(event);
        }
    }
}

mod error;
mod event;
mod external;
mod rates;
mod views;
pub use error::GroupActionError;
pub use event::{GroupsEvent, RebalanceCause};
pub use external::{ExternalError, SeekTo};
pub use rates::{parse_poll_rate, PollPace, LOOP, LOOP_POLLS_PER_TICK, POLL_RATES};
pub use views::{MemberCard, PartitionRow};

#[cfg(test)]
mod tests;
