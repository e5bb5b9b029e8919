//! kafkajs's `admin()` over the playground: create, list, describe and delete topics,
//! describe groups and fetch their offsets, each answer in kafkajs's shape.
//!
//! Owns reading the admin requests and shaping their answers. Must not hold Kafka's rules:
//! the broker and the group coordinator decide, this maps their answers (offsets as strings,
//! as kafkajs gives them).

use std::collections::BTreeSet;

use serde::Serialize;

use super::error::ApiError;
use super::{writable, Input};
use crate::broker::{BrokerError, NewTopic, TopicPartition};
use crate::playground::{Playground, PlaygroundError};

/// `createTopics`: creates each topic; `true` when all were created, `false` when some
/// already existed (kafkajs's answer), the first other refusal otherwise (the topics before
/// it are created, as Kafka creates each topic of a request on its own).
pub fn create_topics(p: &mut Playground, request: &Input) -> Result<bool, ApiError> {
    let topics = match request.field("topics") {
        Input::Array(items) => items,
        other => {
            return Err(ApiError::bad(
                "topics",
                "an array, e.g. [{ topic: 'orders', numPartitions: 3 }]",
                other,
            ))
        }
    };
    if request.field("validateOnly").flag("validateOnly", false)? {
        return Err(ApiError::bad(
            "validateOnly",
            "false or left out (Brooklet creates topics for real; a refused one creates nothing)",
            request.field("validateOnly"),
        ));
    }
    let mut requests = Vec::new();
    let mut names = BTreeSet::new();
    for (i, t) in topics.iter().enumerate() {
        let name = t
            .field("topic")
            .string(&format!("topics[{i}].topic"), "'orders'")?;
        if !names.insert(name.clone()) {
            return Err(ApiError::DuplicateTopic(name));
        }
        let mut new = NewTopic::named(name.as_str());
        // kafkajs sends -1 for "the broker's default".
        match t
            .field("numPartitions")
            .int32(&format!("topics[{i}].numPartitions"))?
        {
            None | Some(-1) => {}
            Some(n) => new = new.partitions(n),
        }
        match t
            .field("replicationFactor")
            .int32(&format!("topics[{i}].replicationFactor"))?
        {
            None | Some(-1) => {}
            Some(n) => new = new.replication_factor(n),
        }
        let entries_path = format!("topics[{i}].configEntries");
        for (j, entry) in t
            .field("configEntries")
            .list(&entries_path)?
            .iter()
            .enumerate()
        {
            let at = format!("{entries_path}[{j}]");
            let name = entry
                .field("name")
                .string(&format!("{at}.name"), "'cleanup.policy'")?;
            let value = match entry.field("value") {
                Input::Text(v) => v.clone(),
                other => {
                    return Err(ApiError::bad(
                        &format!("{at}.value"),
                        "a string, e.g. 'compact'",
                        other,
                    ))
                }
            };
            new = new.config(name, value);
        }
        requests.push(new);
    }
    writable(p)?;
    let mut existed = false;
    let mut refused = None;
    for new in requests {
        let created = p.broker().borrow_mut().create_topic(new);
        match created {
            Ok(_) => {}
            Err(BrokerError::TopicAlreadyExists(_)) => existed = true,
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    p.absorb_changes();
    match refused {
        Some(e) => Err(PlaygroundError::from(e).into()),
        None => Ok(!existed),
    }
}

/// `listTopics`: every topic's name, the internal `__consumer_offsets` too (Kafka's
/// metadata lists it, and so does kafkajs).
pub fn list_topics(p: &Playground) -> Vec<String> {
    p.broker().borrow().list_topic_names(true)
}

/// One partition in `fetchTopicMetadata`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartitionMetadata {
    /// 0: no error.
    pub partition_error_code: i16,
    /// The partition number.
    pub partition_id: i32,
    /// The leader's broker id (-1 without one).
    pub leader: i32,
    /// The replicas' broker ids.
    pub replicas: Vec<i32>,
    /// The in-sync replicas' broker ids.
    pub isr: Vec<i32>,
    /// Replicas that are offline (none: the one broker is up).
    pub offline_replicas: Vec<i32>,
}

/// One topic in `fetchTopicMetadata`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicMetadata {
    /// The topic.
    pub name: String,
    /// Its partitions, in order.
    pub partitions: Vec<PartitionMetadata>,
}

/// `fetchTopicMetadata({ topics })`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// The topics asked for (every topic when none were named).
    pub topics: Vec<TopicMetadata>,
}

/// `fetchTopicMetadata({ topics })`: the partitions of each topic named (all topics when
/// none are); an unknown topic is refused with `UNKNOWN_TOPIC_OR_PARTITION` (Brooklet's
/// admin never auto-creates).
pub fn fetch_topic_metadata(p: &Playground, request: &Input) -> Result<Metadata, ApiError> {
    let mut names = request.field("topics").topic_names("topics")?;
    if names.is_empty() {
        names = list_topics(p);
    }
    let broker = p.broker();
    let broker = broker.borrow();
    let topics = names
        .iter()
        .map(|name| {
            if broker.topic(name).is_none() {
                return Err(ApiError::NoSuchTopic(name.clone()));
            }
            let description = broker.describe_topic(name).map_err(PlaygroundError::from)?;
            Ok(TopicMetadata {
                name: description.name,
                partitions: description
                    .partitions
                    .into_iter()
                    .map(|d| PartitionMetadata {
                        partition_error_code: 0,
                        partition_id: d.partition,
                        leader: d.leader.unwrap_or(-1),
                        replicas: d.replicas,
                        isr: d.isr,
                        offline_replicas: Vec::new(),
                    })
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Metadata { topics })
}

/// `deleteTopics({ topics })`: deletes each with its data; an unknown one is refused with
/// `UNKNOWN_TOPIC_OR_PARTITION` before anything is deleted.
pub fn delete_topics(p: &mut Playground, request: &Input) -> Result<(), ApiError> {
    let names = match request.field("topics") {
        list @ Input::Array(_) => list.topic_names("topics")?,
        other => {
            return Err(ApiError::bad(
                "topics",
                "an array of topic names, e.g. ['orders']",
                other,
            ))
        }
    };
    writable(p)?;
    if let Some(missing) = names
        .iter()
        .find(|n| p.broker().borrow().topic(n).is_none())
    {
        return Err(PlaygroundError::from(BrokerError::UnknownTopic(missing.clone())).into());
    }
    for name in names {
        p.delete_topic(&name)?;
    }
    Ok(())
}

/// A member's assignment as kafkajs's `AssignerProtocol.MemberAssignment.decode` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberAssignment {
    /// The consumer protocol version.
    pub version: i16,
    /// Partition numbers by topic.
    pub assignment: std::collections::BTreeMap<String, Vec<i32>>,
    /// None.
    pub user_data: Option<String>,
}

/// A member's subscription as `AssignerProtocol.MemberMetadata.decode` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberMetadata {
    /// The consumer protocol version.
    pub version: i16,
    /// The topics it subscribed to.
    pub topics: Vec<String>,
    /// None.
    pub user_data: Option<String>,
}

/// One member in `describeGroups`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupMember {
    /// The member id the coordinator gave it.
    pub member_id: String,
    /// Its `client.id`.
    pub client_id: String,
    /// Its host, as the coordinator saw it.
    pub client_host: String,
    /// Its subscription, decoded.
    pub member_metadata: MemberMetadata,
    /// Its partitions, decoded.
    pub member_assignment: MemberAssignment,
}

/// One group in `describeGroups`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupDescription {
    /// 0: no error.
    pub error_code: i16,
    /// The group id.
    pub group_id: String,
    /// `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Empty` or `Dead`.
    pub state: String,
    /// `consumer`, or empty.
    pub protocol_type: String,
    /// The assignor of the current generation, or empty.
    pub protocol: String,
    /// Its members, in join order.
    pub members: Vec<GroupMember>,
}

/// `describeGroups`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupDescriptions {
    /// One per group asked for, in order (an unknown group is `Dead` with no members).
    pub groups: Vec<GroupDescription>,
}

/// `describeGroups([groupIds])`.
pub fn describe_groups(
    p: &mut Playground,
    group_ids: &Input,
) -> Result<GroupDescriptions, ApiError> {
    let ids = match group_ids {
        list @ Input::Array(_) => list.strings("groupIds", "'g1'")?,
        other => {
            return Err(ApiError::bad(
                "groupIds",
                "an array of group ids, e.g. ['g1']",
                other,
            ))
        }
    };
    let groups = p.shared_groups()?;
    let groups = groups.borrow();
    let described = ids
        .iter()
        .map(|id| {
            let d = groups.describe(id);
            GroupDescription {
                error_code: 0,
                group_id: d.group_id,
                state: d.state.to_string(),
                protocol_type: d.protocol_type,
                protocol: d.protocol,
                members: d
                    .members
                    .into_iter()
                    .map(|m| {
                        let mut assignment = std::collections::BTreeMap::<String, Vec<i32>>::new();
                        for tp in &m.assignment {
                            assignment
                                .entry(tp.topic.clone())
                                .or_default()
                                .push(tp.partition);
                        }
                        GroupMember {
                            member_id: m.member_id,
                            client_id: m.client_id,
                            client_host: m.host,
                            member_metadata: MemberMetadata {
                                version: 0,
                                topics: m.topics,
                                user_data: None,
                            },
                            member_assignment: MemberAssignment {
                                version: 0,
                                assignment,
                                user_data: None,
                            },
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(GroupDescriptions { groups: described })
}

/// One partition in `fetchOffsets`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionOffset {
    /// The partition.
    pub partition: i32,
    /// The committed offset (the next to read), `"-1"` when none.
    pub offset: String,
    /// The metadata committed with it, or null.
    pub metadata: Option<String>,
}

/// One topic in `fetchOffsets`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicOffsets {
    /// The topic.
    pub topic: String,
    /// Every partition of it.
    pub partitions: Vec<PartitionOffset>,
}

/// `fetchOffsets({ groupId, topics })`: the group's committed offset on every partition of
/// each topic (`"-1"` where nothing is committed); without topics, every topic the group has
/// offsets for.
pub fn fetch_offsets(p: &mut Playground, request: &Input) -> Result<Vec<TopicOffsets>, ApiError> {
    let group = request.field("groupId").string("groupId", "'g1'")?;
    let mut topics = request.field("topics").topic_names("topics")?;
    let groups = p.shared_groups()?;
    let committed = groups.borrow().committed_offsets(&group);
    if topics.is_empty() {
        let named: BTreeSet<String> = committed.keys().map(|tp| tp.topic.clone()).collect();
        topics = named.into_iter().collect();
    }
    let broker = p.broker();
    let broker = broker.borrow();
    topics
        .into_iter()
        .map(|topic| {
            let t = broker
                .topic(&topic)
                .ok_or_else(|| PlaygroundError::from(BrokerError::UnknownTopic(topic.clone())))?;
            let partitions = (0..t.partition_count())
                .map(|partition| {
                    let found = committed.get(&TopicPartition::new(topic.clone(), partition));
                    PartitionOffset {
                        partition,
                        offset: found.map_or(-1, |o| o.offset).to_string(),
                        metadata: found.map(|o| o.metadata.clone()).filter(|m| !m.is_empty()),
                    }
                })
                .collect();
            Ok(TopicOffsets { topic, partitions })
        })
        .collect()
}
