//! Kafka's client-side partition assignors: range, roundrobin, sticky, cooperative-sticky
//! (kafka.md §4), one per file, all behind the same [`Assignor`] trait.
//!
//! Pure functions from subscriptions and metadata to assignments, giving Kafka's exact results
//! (rack-unaware path). Must not know about the coordinator's state, storage or the clock.

mod common;
pub mod cooperative_sticky;
pub mod range;
pub mod round_robin;
pub mod sticky;

use std::collections::BTreeMap;

use thiserror::Error;

use crate::protocol::TopicPartition;

pub use cooperative_sticky::{CooperativeAssignment, CooperativeStickyAssignor};
pub use range::RangeAssignor;
pub use round_robin::RoundRobinAssignor;
pub use sticky::{StickyAssignor, StickyOutcome};

/// How members give up partitions during a rebalance (`ConsumerPartitionAssignor.RebalanceProtocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RebalanceProtocol {
    /// Every member revokes everything before rejoining (range, roundrobin, sticky).
    Eager,
    /// Members keep their partitions; only those moving are revoked, then a follow-up rebalance
    /// assigns them (cooperative-sticky).
    Cooperative,
}

/// What one member told the group leader when it joined: its subscription and, for the sticky
/// assignors, what it owned before.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberSubscription {
    /// The member id the coordinator gave it (`<client.id>-<uuid>`).
    pub member_id: String,
    /// Its `group.instance.id` if it is a static member.
    pub group_instance_id: Option<String>,
    /// The topics it subscribes to; topics missing from the metadata are ignored.
    pub topics: Vec<String>,
    /// The partitions it owned in its last generation, in the order it reported them.
    pub owned_partitions: Vec<TopicPartition>,
    /// The generation it owned them in; `None` is Kafka's `DEFAULT_GENERATION` (-1).
    pub generation: Option<i32>,
}

impl MemberSubscription {
    /// A dynamic member `member_id` subscribed to `topics`, owning nothing.
    pub fn new<S: Into<String>>(
        member_id: impl Into<String>,
        topics: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            member_id: member_id.into(),
            topics: topics.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// The same member made static with `group.instance.id` = `instance_id`.
    pub fn with_group_instance_id(mut self, instance_id: impl Into<String>) -> Self {
        self.group_instance_id = Some(instance_id.into());
        self
    }

    /// The same member reporting that it owned `partitions` in `generation`.
    pub fn with_owned(mut self, partitions: Vec<TopicPartition>, generation: Option<i32>) -> Self {
        self.owned_partitions = partitions;
        self.generation = generation;
        self
    }
}

/// The result of one assignment: every member's ordered list of partitions (possibly empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupAssignment {
    by_member: BTreeMap<String, Vec<TopicPartition>>,
}

impl GroupAssignment {
    /// Wraps a map from member id to its partitions.
    pub fn from_map(by_member: BTreeMap<String, Vec<TopicPartition>>) -> Self {
        Self { by_member }
    }

    /// The partitions `member_id` gets, in the order the assignor produced them; `None` if the
    /// member was not part of the assignment.
    pub fn partitions(&self, member_id: &str) -> Option<&[TopicPartition]> {
        self.by_member.get(member_id).map(Vec::as_slice)
    }

    /// Every member and its partitions, members in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[TopicPartition])> {
        self.by_member
            .iter()
            .map(|(member, partitions)| (member.as_str(), partitions.as_slice()))
    }

    /// The member a partition went to, if any.
    pub fn owner_of(&self, partition: &TopicPartition) -> Option<&str> {
        self.iter()
            .find(|(_, partitions)| partitions.contains(partition))
            .map(|(member, _)| member)
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.by_member.len()
    }

    /// Whether no member is assigned anything (there were no members).
    pub fn is_empty(&self) -> bool {
        self.by_member.is_empty()
    }

    /// The underlying map from member id to partitions.
    pub fn into_map(self) -> BTreeMap<String, Vec<TopicPartition>> {
        self.by_member
    }
}

/// Why an assignment could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AssignorError {
    /// Two subscriptions carry the same member id; the coordinator never sends that.
    #[error(
        "member id \"{0}\" appears in more than one subscription; each member must be listed once"
    )]
    DuplicateMember(String),
    /// `partition.assignment.strategy` named an assignor Brooklet does not have.
    #[error(
        "unknown partition assignment strategy \"{0}\"; use one of range, roundrobin, sticky, cooperative-sticky"
    )]
    UnknownStrategy(String),
    /// The sticky algorithm reached a state Kafka treats as a bug (`IllegalStateException`).
    #[error("the sticky assignor reached an inconsistent state: {0}")]
    Inconsistent(&'static str),
}

/// A partition assignor, as the group leader runs it during SyncGroup.
pub trait Assignor {
    /// The name members advertise in JoinGroup (`range`, `roundrobin`, ...).
    fn name(&self) -> &'static str;

    /// The rebalance protocol the assignor is used with.
    fn protocol(&self) -> RebalanceProtocol;

    /// Assigns the partitions of every subscribed topic present in `partitions_per_topic` to
    /// `members`; every member gets an entry, possibly empty.
    fn assign(
        &self,
        partitions_per_topic: &BTreeMap<String, i32>,
        members: &[MemberSubscription],
    ) -> Result<GroupAssignment, AssignorError>;
}

/// The consumer's default `partition.assignment.strategy`: `[RangeAssignor, CooperativeStickyAssignor]`.
pub const DEFAULT_PARTITION_ASSIGNMENT_STRATEGY: [&str; 2] = ["range", "cooperative-sticky"];

static RANGE: RangeAssignor = RangeAssignor;
static ROUND_ROBIN: RoundRobinAssignor = RoundRobinAssignor;
static STICKY: StickyAssignor = StickyAssignor;
static COOPERATIVE_STICKY: CooperativeStickyAssignor = CooperativeStickyAssignor;

/// Every assignor Brooklet has, in the order Kafka documents them.
pub fn all_assignors() -> [&'static dyn Assignor; 4] {
    [&RANGE, &ROUND_ROBIN, &STICKY, &COOPERATIVE_STICKY]
}

/// The assignor a member advertises as `name` (`range`, `roundrobin`, `sticky`, `cooperative-sticky`).
pub fn assignor_by_name(name: &str) -> Result<&'static dyn Assignor, AssignorError> {
    all_assignors()
        .into_iter()
        .find(|assignor| assignor.name() == name)
        .ok_or_else(|| AssignorError::UnknownStrategy(name.to_string()))
}

/// The assignors of the consumer's default strategy list, in preference order.
pub fn default_assignors() -> [&'static dyn Assignor; 2] {
    [&RANGE, &COOPERATIVE_STICKY]
}
