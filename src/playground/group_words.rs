//! What the groups page says about a group and its members, in words that are true at the
//! moment: a group that does not exist yet is not shown as `Dead`, a consumer that has not
//! joined is not "member of generation -1", a stopped one is not "running", and a member with
//! no partitions is said to be idle, with the reason.
//!
//! Owns the sentences. Must not decide group membership or assignments (the coordinator does)
//! nor touch the DOM. Tested natively in `groups/tests.rs`.

use crate::group::coordinator::GroupState;

use super::groups::{ConsumerStatus, GroupsModel, MemberCard, PollPace};

/// A group's state as the page's badge shows it: the word Kafka prints, and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupStateWords {
    /// The badge: Kafka's state name, or "does not exist yet".
    pub badge: String,
    /// What it means for the learner.
    pub meaning: String,
}

/// The state of `group` in words. A group id nobody has used reports `Dead` in the
/// coordinator, but Kafka's tools say it does not exist, and so does the page.
pub fn group_state(model: &GroupsModel, group: &str) -> GroupStateWords {
    let known = model.group_names().iter().any(|g| g == group);
    let state = model.state(group);
    let meaning = match (known, state) {
        (false, _) => format!(
            "Kafka creates a group when its first consumer joins; until then kafka-consumer-groups.sh --describe --group {group} says \"Consumer group '{group}' does not exist.\""
        ),
        (true, GroupState::Empty) => {
            "no members now; its committed offsets are kept for the next consumer that joins"
                .to_owned()
        }
        (true, GroupState::PreparingRebalance) => {
            "rebalancing: waiting for the members to (re)join".to_owned()
        }
        (true, GroupState::CompletingRebalance) => {
            "rebalancing: waiting for the leader's assignment".to_owned()
        }
        (true, GroupState::Stable) => "every member has its partitions".to_owned(),
        (true, GroupState::Dead) => "deleted, with its committed offsets".to_owned(),
    };
    GroupStateWords {
        badge: if known {
            state.name().to_owned()
        } else {
            "does not exist yet".to_owned()
        },
        meaning,
    }
}

/// The state line of a member card: what the consumer does (polling, stopped, paused,
/// crashed) and where it stands in the group. `running` is whether the learner's consumers
/// run on their own.
pub fn member_state(card: &MemberCard, running: bool) -> String {
    let activity = match card.status {
        ConsumerStatus::Crashed if card.in_group => {
            return "crashed — still a member until session.timeout.ms passes".to_owned()
        }
        ConsumerStatus::Crashed => return "crashed — removed by the coordinator".to_owned(),
        ConsumerStatus::Paused => "paused (polls, fetches nothing)",
        ConsumerStatus::Running if card.external => "polled by its JavaScript run loop",
        ConsumerStatus::Running if running => "polling",
        ConsumerStatus::Running => "stopped: polls only when you step",
    };
    let membership = match (&card.member_id, card.in_group, card.generation) {
        (None, _, _) => "not joined yet".to_owned(),
        (Some(_), true, generation) if generation < 0 => {
            "joining: no generation yet (the group's first rebalance is under way)".to_owned()
        }
        (Some(_), true, generation) => format!("member of generation {generation}"),
        (Some(_), false, _) => "not in the group now: it rejoins at its next poll".to_owned(),
    };
    format!("{activity} · {membership}")
}

/// How fast a member card's consumer reads, in words: its rate and `max.poll.records`.
pub fn member_pace(card: &MemberCard) -> String {
    if card.external {
        // Its script sets the pace: the run loop polls again as soon as eachMessage has
        // handled what the last poll returned (and waits a moment when it returned nothing).
        return format!(
            "up to {} record(s) a poll{}, polled again as soon as its eachMessage handled them",
            card.max_poll_records,
            if card.max_poll_records == 500 {
                " (Kafka's default)"
            } else {
                ""
            }
        );
    }
    let kafka = if card.max_poll_records == 500 {
        " (Kafka's default)"
    } else {
        ""
    };
    let PollPace::Every(interval) = card.pace else {
        return format!(
            "polls in a loop, as a Kafka consumer does: up to {} record(s) a poll{kafka}, again at once while more are waiting",
            card.max_poll_records
        );
    };
    let polls_per_second = 1000.0 / interval.max(1) as f64;
    let most = polls_per_second * card.max_poll_records as f64;
    format!(
        "up to {} record(s) a poll{kafka}, so at most {} a second",
        card.max_poll_records,
        crate::playground::sample_orders::grouped(most.round() as u64)
    )
}

/// Why a member holds no partition, when it is a settled member of a stable group: each
/// partition goes to exactly one consumer of a group, so members beyond the partition count
/// wait idle. `None` when it holds partitions or is not settled in the group.
pub fn idle_reason(model: &GroupsModel, group: &str, card: &MemberCard) -> Option<String> {
    if !card.partitions.is_empty()
        || !card.in_group
        || card.generation < 0
        || card.status == ConsumerStatus::Crashed
        || model.state(group) != GroupState::Stable
    {
        return None;
    }
    let groups = model.groups();
    let groups = groups.borrow();
    let description = groups.describe(group);
    let members = description.members.len();
    let partitions: usize = card
        .topics
        .iter()
        .filter_map(|t| {
            groups
                .broker()
                .borrow()
                .topic(t)
                .map(|t| t.partition_count())
        })
        .map(|n| usize::try_from(n).unwrap_or(0))
        .sum();
    let topics = topic_list(&card.topics);
    let client = &card.client_id;
    if members > partitions {
        return Some(format!(
            "idle: {group} has {members} consumers for {partitions} partition(s) of {topics}, and each partition goes to exactly one consumer of a group, so {client} has none. It takes over a partition if another member leaves or crashes."
        ));
    }
    // Enough partitions in all, yet none for this member: range splits each topic on its own,
    // so every topic with fewer partitions than its consumers leaves the last ones out.
    let why = if description.protocol.starts_with("range") {
        ", because range assigns each topic on its own and each of them has fewer partitions than the consumers reading it"
    } else {
        ""
    };
    Some(format!(
        "idle: {group}'s assignor gave {client} none of the {partitions} partition(s) of {topics}{why}. It takes over a partition if another member leaves or crashes."
    ))
}

/// Topic names as a sentence lists them: `orders`, `orders and payments`, `a, b and c`.
fn topic_list(topics: &[String]) -> String {
    match topics {
        [] => "no topic".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
