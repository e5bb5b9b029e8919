//! Consumers driven by a front end's own loop rather than by the page: the JavaScript API's
//! `consumer.run` polls its consumer, hands each record to the user's `eachMessage`, and
//! commits what was processed. Such a consumer is one of the groups page's members (a card,
//! a colour, its positions on the lanes, its lines in the timeline), but the playground's
//! tick (which polls the page's consumers) and Step leave its records alone; a clock jump still keeps its membership alive, as for
//! every member.
//!
//! Owns starting, polling, committing, seeking and closing those consumers by client id.
//! Must not run a loop or a timer (the front end does), nor hold Kafka's rules (the
//! [`Consumer`] does).

use super::{GroupActionError, GroupsEvent};
#[cfg(test)]
use crate::playground::PlaygroundError;
use thiserror::Error;

use super::{group_name_problem, ConsumerStatus, GroupsModel};
use crate::broker::{BrokerError, TopicPartition};
use crate::client::{Consumer, ConsumerConfig, ConsumerError, ConsumerRecord, OffsetResetPolicy};
use crate::group::coordinator::MemberGeneration;
use crate::protocol::ErrorCode;

/// The assignors an external consumer offers: the Java client's default list, so it can
/// share a group with the page's consumers.
const STRATEGY: &str = "range,cooperative-sticky";

/// Why an external consumer's call was refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ExternalError {
    /// It is not among the groups page's consumers any more.
    #[error("There is no consumer {0} in the playground any more: it left its group (disconnect, or Leave on the groups page). Create a new consumer to read again.")]
    Gone(String),
    /// The learner crashed it from the groups page.
    #[error("{0} was crashed from the groups page: it no longer polls or heartbeats, and its group removes it once session.timeout.ms passes. Disconnect it and create a new consumer.")]
    Crashed(String),
    /// The group id is empty or has spaces.
    #[error(transparent)]
    InvalidGroupId(GroupActionError),
    /// A subscribed topic does not exist.
    #[error(transparent)]
    Broker(#[from] BrokerError),
    /// The consumer refused (poll, commit, seek).
    #[error(transparent)]
    Consumer(#[from] ConsumerError),
}

impl ExternalError {
    /// Kafka's error, where one applies (a consumer gone from its group is an unknown member).
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ExternalError::Gone(_) | ExternalError::Crashed(_) => Some(ErrorCode::UnknownMemberId),
            ExternalError::InvalidGroupId(_) => Some(ErrorCode::InvalidGroupId),
            ExternalError::Broker(e) => Some(e.code()),
            ExternalError::Consumer(e) => e.code(),
        }
    }
}

/// Where a seek goes: an offset, or kafkajs's special offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeekTo {
    /// That offset.
    Offset(i64),
    /// The log start (kafkajs's `-2`).
    Earliest,
    /// The log end (kafkajs's `-1`).
    Latest,
}

impl GroupsModel {
    /// Starts a consumer in `group` subscribed to `topics`, driven by the caller: named
    /// `client_id` (or `client_id-2`, ... when a consumer of that name exists), with
    /// `reset` as `auto.offset.reset` and no auto-commit (the caller commits what it
    /// processed). It polls once (its JoinGroup). Returns the client id it got.
    pub fn start_external(
        &mut self,
        group: &str,
        client_id: &str,
        topics: &[String],
        reset: OffsetResetPolicy,
    ) -> Result<String, ExternalError> {
        if let Some(problem) = group_name_problem(group) {
            return Err(ExternalError::InvalidGroupId(problem));
        }
        let group = group.trim();
        let broker = crate::client::SharedBroker::clone(self.groups.borrow().broker());
        if let Some(missing) = topics.iter().find(|t| broker.borrow().topic(t).is_none()) {
            return Err(BrokerError::UnknownTopic(missing.clone()).into());
        }
        let client_id = self.free_client_id(client_id);
        let mut config = ConsumerConfig::with_group(group);
        config.client_id = Some(client_id.clone());
        config.auto_offset_reset = reset;
        config.enable_auto_commit = false;
        config
            .set("partition.assignment.strategy", STRATEGY)
            .map_err(ConsumerError::from)?;
        let mut consumer = Consumer::new(broker, self.groups(), config);
        consumer.subscribe(topics)?;
        self.add_consumer(group, topics.to_vec(), STRATEGY, consumer, true);
        self.record(GroupsEvent::ScriptConsumerStarted {
            client_id: client_id.clone(),
            group: group.to_owned(),
            topics: topics.to_vec(),
        });
        // A refused first poll shows on the card and comes back from the driver's next poll.
        let _ = self.poll_external(&client_id);
        Ok(client_id)
    }

    /// `wanted`, or `wanted-2`, `wanted-3`, ... whichever no consumer of the page has.
    fn free_client_id(&self, wanted: &str) -> String {
        let taken = |id: &str| self.consumers.iter().any(|c| c.consumer.client_id() == id);
        if !taken(wanted) {
            return wanted.to_owned();
        }
        (2..)
            .map(|n| format!("{wanted}-{n}"))
            .find(|id| !taken(id))
            .unwrap_or_else(|| wanted.to_owned())
    }

    fn external_index(&self, client_id: &str) -> Result<usize, ExternalError> {
        let index = self
            .consumers
            .iter()
            .position(|c| c.external && c.consumer.client_id() == client_id)
            .ok_or_else(|| ExternalError::Gone(client_id.to_owned()))?;
        match self.consumers.get(index) {
            Some(c) if c.status == ConsumerStatus::Crashed => {
                Err(ExternalError::Crashed(client_id.to_owned()))
            }
            _ => Ok(index),
        }
    }

    fn external_mut(&mut self, client_id: &str) -> Result<&mut Consumer, ExternalError> {
        let index = self.external_index(client_id)?;
        self.consumers
            .get_mut(index)
            .map(|c| &mut c.consumer)
            .ok_or_else(|| ExternalError::Gone(client_id.to_owned()))
    }

    /// One poll of `client_id` (the group timers due by now fire first): its records, or
    /// why not. A paused card fetches nothing, as the page's consumers do.
    pub fn poll_external(&mut self, client_id: &str) -> Result<Vec<ConsumerRecord>, ExternalError> {
        self.groups.borrow_mut().tick();
        let index = self.external_index(client_id)?;
        let polled = self.poll_one(index, true);
        self.drain();
        Ok(polled?)
    }

    /// True once `client_id` has joined a generation of its group.
    pub fn external_joined(&self, client_id: &str) -> bool {
        self.consumers.iter().any(|c| {
            c.external
                && c.consumer.client_id() == client_id
                && c.consumer.member_id().is_some()
                && c.consumer.generation() >= 0
        })
    }

    /// The partitions `client_id` holds now (none once gone).
    pub fn external_assignment(&self, client_id: &str) -> Vec<TopicPartition> {
        self.consumers
            .iter()
            .find(|c| c.external && c.consumer.client_id() == client_id)
            .map(|c| c.consumer.assignment().to_vec())
            .unwrap_or_default()
    }

    /// Tells the coordinator `client_id` is alive while its records are being processed
    /// (kafkajs heartbeats between messages). A refusal is left for the next poll, which
    /// rejoins if a rebalance started.
    pub fn heartbeat_external(&mut self, client_id: &str) {
        let Ok(index) = self.external_index(client_id) else {
            return;
        };
        let Some(sim) = self.consumers.get(index) else {
            return;
        };
        if let Some(id) = sim.consumer.member_id() {
            let who = MemberGeneration::new(id.to_owned(), sim.consumer.generation());
            let _ = self.groups.borrow_mut().heartbeat(&sim.group, &who);
        }
    }

    /// Commits `offsets` (each the next offset to read) for `client_id`'s group.
    pub fn commit_external(
        &mut self,
        client_id: &str,
        offsets: &[(TopicPartition, i64)],
    ) -> Result<(), ExternalError> {
        self.external_mut(client_id)?.commit_offsets(offsets)?;
        self.drain();
        Ok(())
    }

    /// Moves `client_id`'s position on `partition` (which it must hold); returns the offset
    /// it will read next.
    pub fn seek_external(
        &mut self,
        client_id: &str,
        partition: &TopicPartition,
        to: SeekTo,
    ) -> Result<i64, ExternalError> {
        let consumer = self.external_mut(client_id)?;
        let one = std::slice::from_ref(partition);
        match to {
            SeekTo::Offset(offset) => consumer.seek(partition, offset)?,
            SeekTo::Earliest => consumer.seek_to_beginning(one)?,
            SeekTo::Latest => consumer.seek_to_end(one)?,
        }
        Ok(consumer.position(partition)?)
    }

    /// Closes `client_id`: it leaves its group (which rebalances at once) and its card goes.
    /// A consumer already gone is fine; a crashed one's card is removed without a LeaveGroup
    /// (it stopped dead), as the page's Remove does.
    pub fn close_external(&mut self, client_id: &str) {
        let Some(sim) = self
            .consumers
            .iter_mut()
            .find(|c| c.external && c.consumer.client_id() == client_id)
        else {
            return;
        };
        if sim.status != ConsumerStatus::Crashed {
            // Auto-commit is off, so closing commits nothing and cannot fail on a commit;
            // the caller committed what it processed.
            let _ = sim.consumer.close();
            let group = sim.group.clone();
            self.record(GroupsEvent::ScriptConsumerLeft {
                client_id: client_id.to_owned(),
                group,
            });
        }
        self.drain();
        self.consumers
            .retain(|c| !(c.external && c.consumer.client_id() == client_id));
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::clock::ManualClock;
    use crate::group::coordinator::GroupState;
    use crate::playground::engine::Playground;
    use crate::playground::forms::{ProduceForm, TopicForm};

    /// A playground with `orders` (2 partitions) holding 6 keyed orders, and its real clock.
    fn playground() -> (Playground, Rc<ManualClock>) {
        let real = Rc::new(ManualClock::new(1_700_000_000_000));
        let mut p = Playground::new(real.clone(), 7);
        let form = TopicForm {
            name: "orders".into(),
            partitions: "2".into(),
            ..TopicForm::default()
        };
        p.create_topic(&form).expect("created");
        for i in 0..6 {
            let record = ProduceForm {
                key: format!("{}", 11_000 + i),
                value: format!(r#"{{"order_id":{i}}}"#),
                ..ProduceForm::default()
            };
            p.produce("orders", &record).expect("produced");
        }
        (p, real)
    }

    fn start(p: &mut Playground, client: &str) -> String {
        p.with_groups(|g| {
            g.start_external(
                "g1",
                client,
                &["orders".to_owned()],
                OffsetResetPolicy::Earliest,
            )
            .map_err(PlaygroundError::from)
        })
        .expect("started")
    }

    /// Polls `client` every second of real time until it has read something or 10 s passed.
    fn poll_until_records(
        p: &mut Playground,
        real: &ManualClock,
        client: &str,
    ) -> Vec<ConsumerRecord> {
        let mut read = Vec::new();
        for _ in 0..10 {
            real.advance(1000);
            read = p
                .with_groups(|g| g.poll_external(client).map_err(PlaygroundError::from))
                .expect("polled");
            if !read.is_empty() {
                break;
            }
        }
        read
    }

    #[test]
    fn an_external_consumer_is_a_member_card_and_reads_only_through_its_own_polls() {
        let (mut p, real) = playground();
        let client = start(&mut p, "shop");
        assert_eq!(client, "shop");
        // The playground's tick and Step poll every consumer but this one.
        for _ in 0..6 {
            real.advance(1000);
            p.with_groups(|g| {
                g.step();
                g.poll_due();
                Ok(())
            })
            .expect("stepped");
        }
        let model = p.groups().expect("loaded");
        let cards = model.members("g1");
        assert_eq!(cards.len(), 1);
        assert_eq!(
            (cards[0].client_id.as_str(), cards[0].consumed),
            ("shop", 0)
        );
        let read = poll_until_records(&mut p, &real, "shop");
        assert_eq!(read.len(), 6, "it reads the six orders from the beginning");
        let model = p.groups().expect("loaded");
        assert_eq!(model.members("g1")[0].consumed, 6);
        assert!(model.external_joined("shop"));
        assert_eq!(model.state("g1"), GroupState::Stable);
        assert!(model
            .timeline()
            .any(|l| l.to_string() == "shop started in g1 from JavaScript, reading orders"));
        // Its card says who polls it, whether or not the page's consumers run.
        let said = crate::playground::group_words::member_state(&model.members("g1")[0], false);
        assert_eq!(
            said,
            "polled by its JavaScript run loop · member of generation 1"
        );
        // Its pace is its script's, not a poll rate the page picks.
        assert_eq!(
            crate::playground::group_words::member_pace(&model.members("g1")[0]),
            "up to 500 record(s) a poll (Kafka's default), polled again as soon as its eachMessage handled them"
        );
    }

    #[test]
    fn nothing_is_committed_until_the_driver_commits_what_it_processed() {
        let (mut p, real) = playground();
        start(&mut p, "shop");
        let read = poll_until_records(&mut p, &real, "shop");
        let first = read.first().expect("a record");
        let tp = TopicPartition::new(first.topic.clone(), first.partition);
        let model = p.groups().expect("loaded");
        assert!(model.partitions("g1").iter().all(|r| r.committed.is_none()));
        p.with_groups(|g| {
            g.commit_external("shop", &[(tp.clone(), first.offset + 1)])
                .map_err(PlaygroundError::from)
        })
        .expect("committed");
        let rows = p.groups().expect("loaded").partitions("g1");
        let row = rows.iter().find(|r| r.partition == tp).expect("its row");
        assert_eq!(row.committed, Some(first.offset + 1));
    }

    #[test]
    fn a_second_consumer_named_alike_gets_its_own_client_id_and_a_seek_moves_the_position() {
        let (mut p, real) = playground();
        start(&mut p, "shop");
        poll_until_records(&mut p, &real, "shop");
        let assigned = p.groups().expect("loaded").external_assignment("shop");
        let tp = assigned.first().expect("a partition").clone();
        let at = p
            .with_groups(|g| {
                g.seek_external("shop", &tp, SeekTo::Earliest)
                    .map_err(PlaygroundError::from)
            })
            .expect("sought");
        assert_eq!(at, 0);
        let again = p
            .with_groups(|g| g.poll_external("shop").map_err(PlaygroundError::from))
            .expect("polled");
        assert!(again
            .iter()
            .any(|r| r.partition == tp.partition && r.offset == 0));
        assert_eq!(start(&mut p, "shop"), "shop-2");
    }

    #[test]
    fn closing_leaves_the_group_and_later_calls_say_the_consumer_is_gone() {
        let (mut p, real) = playground();
        start(&mut p, "shop");
        poll_until_records(&mut p, &real, "shop");
        p.with_groups(|g| {
            g.close_external("shop");
            Ok(())
        })
        .expect("closed");
        let model = p.groups().expect("loaded");
        assert!(model.members("g1").is_empty());
        assert_eq!(model.state("g1"), GroupState::Empty);
        let error = p
            .with_groups(|g| Ok(g.poll_external("shop")))
            .expect("ran")
            .unwrap_err();
        assert!(matches!(error, ExternalError::Gone(_)));
        assert_eq!(error.code(), Some(ErrorCode::UnknownMemberId));
    }

    #[test]
    fn a_consumer_crashed_from_the_page_refuses_its_driver_and_a_missing_topic_refuses_the_start() {
        let (mut p, real) = playground();
        start(&mut p, "shop");
        poll_until_records(&mut p, &real, "shop");
        p.with_groups(|g| Ok(g.crash("shop")?)).expect("crashed");
        let error = p
            .with_groups(|g| Ok(g.poll_external("shop")))
            .expect("ran")
            .unwrap_err();
        assert!(matches!(error, ExternalError::Crashed(_)), "{error}");
        let refused = p
            .with_groups(|g| {
                Ok(g.start_external(
                    "g1",
                    "x",
                    &["payments".to_owned()],
                    OffsetResetPolicy::Latest,
                ))
            })
            .expect("ran")
            .unwrap_err();
        assert_eq!(refused.code(), Some(ErrorCode::UnknownTopicOrPartition));
    }

    #[test]
    fn a_group_id_kafka_would_refuse_is_refused_with_invalid_group_id() {
        let (mut p, _) = playground();
        for group in ["", "two words"] {
            let refused = p
                .with_groups(|g| {
                    Ok(g.start_external(
                        group,
                        "shop",
                        &["orders".to_owned()],
                        OffsetResetPolicy::Latest,
                    ))
                })
                .expect("ran")
                .unwrap_err();
            assert!(
                matches!(refused, ExternalError::InvalidGroupId(_)),
                "{refused}"
            );
            let code = refused.code().expect("a Kafka error");
            assert_eq!((code.name(), code.code()), ("INVALID_GROUP_ID", 24));
        }
        assert!(p.groups().expect("loaded").group_names().is_empty());
    }
}
