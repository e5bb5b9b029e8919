//! Every assignor against every case of `vectors.json` (`assignors`), taken from Kafka's own tests.
//! A case whose note says "illustrative" is not an exact test and is skipped.

use std::collections::BTreeMap;

use brooklet::broker::TopicPartition;
use brooklet::group::assignor::{
    Assignor, CooperativeStickyAssignor, GroupAssignment, MemberSubscription, RangeAssignor,
    RoundRobinAssignor, StickyAssignor,
};
use serde_json::Value;

fn vectors() -> Value {
    let text = include_str!("data/vectors.json");
    serde_json::from_str(text).expect("tests/data/vectors.json is valid JSON")
}

fn cases(kind: &str) -> Vec<Value> {
    vectors()["assignors"][kind]["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("vectors.json has assignors.{kind}.cases"))
        .iter()
        .filter(|case| {
            !case["note"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .contains("illustrative")
        })
        .cloned()
        .collect()
}

fn partition(text: &str) -> TopicPartition {
    let (topic, number) = text.rsplit_once('-').expect("partition written topic-N");
    TopicPartition::new(topic, number.parse().expect("partition number"))
}

fn partitions(value: &Value) -> Vec<TopicPartition> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| partition(p.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

fn partitions_per_topic(case: &Value) -> BTreeMap<String, i32> {
    case["partitions_per_topic"]
        .as_object()
        .expect("partitions_per_topic")
        .iter()
        .map(|(topic, count)| (topic.clone(), count.as_i64().expect("count") as i32))
        .collect()
}

fn members(case: &Value) -> Vec<MemberSubscription> {
    case["subscriptions"]
        .as_object()
        .expect("subscriptions")
        .iter()
        .map(|(id, topics)| {
            let topics: Vec<String> = topics
                .as_array()
                .expect("topic list")
                .iter()
                .map(|t| t.as_str().expect("topic").to_string())
                .collect();
            let mut member = MemberSubscription::new(id.clone(), topics);
            if let Some(instance) = case["group_instance_ids"][id].as_str() {
                member = member.with_group_instance_id(instance);
            }
            let generation = case["generations"][id].as_i64().map(|g| g as i32);
            member.with_owned(partitions(&case["owned_partitions"][id]), generation)
        })
        .collect()
}

fn expected(value: &Value) -> BTreeMap<String, Vec<TopicPartition>> {
    value
        .as_object()
        .expect("expected assignment")
        .iter()
        .map(|(id, list)| (id.clone(), partitions(list)))
        .collect()
}

fn transfers(value: &Value) -> BTreeMap<TopicPartition, String> {
    value
        .as_object()
        .expect("transfer map")
        .iter()
        .map(|(p, member)| (partition(p), member.as_str().expect("member").to_string()))
        .collect()
}

/// Compares as lists when the case says order is significant, as sets otherwise.
fn assert_assignment(
    name: &str,
    who: &str,
    actual: &GroupAssignment,
    expected: &BTreeMap<String, Vec<TopicPartition>>,
    ordered: bool,
) {
    let normalise = |mut list: Vec<TopicPartition>| {
        if !ordered {
            brooklet::sort::sort(&mut list);
        }
        list
    };
    let actual: BTreeMap<String, Vec<TopicPartition>> = actual
        .iter()
        .map(|(member, list)| (member.to_string(), normalise(list.to_vec())))
        .collect();
    let expected: BTreeMap<String, Vec<TopicPartition>> = expected
        .iter()
        .map(|(member, list)| (member.clone(), normalise(list.clone())))
        .collect();
    assert_eq!(actual, expected, "{who}: vector case {name:?}");
}

fn run_plain(kind: &str, assignor: &dyn Assignor) -> usize {
    let cases = cases(kind);
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let actual = assignor
            .assign(&partitions_per_topic(case), &members(case))
            .unwrap_or_else(|e| panic!("{}: vector case {name:?} failed: {e}", assignor.name()));
        let ordered = case["order_significant"].as_bool().unwrap_or(false);
        assert_assignment(
            name,
            assignor.name(),
            &actual,
            &expected(&case["expected"]),
            ordered,
        );
    }
    cases.len()
}

fn applies_to(case: &Value, assignor: &str) -> bool {
    case["applies_to"]
        .as_array()
        .is_none_or(|list| list.iter().any(|a| a.as_str() == Some(assignor)))
}

#[test]
fn range_matches_every_kafka_vector() {
    assert_eq!(run_plain("range", &RangeAssignor), 7);
}

#[test]
fn roundrobin_matches_every_kafka_vector() {
    assert_eq!(run_plain("roundrobin", &RoundRobinAssignor), 5);
}

#[test]
fn sticky_matches_every_kafka_vector_and_its_transfers() {
    let mut ran = 0;
    for case in cases("sticky_and_cooperative_sticky") {
        if !applies_to(&case, "sticky") {
            continue;
        }
        let name = case["name"].as_str().unwrap_or("?");
        let outcome = StickyAssignor
            .assign_with_transfers(&partitions_per_topic(&case), &members(&case))
            .unwrap_or_else(|e| panic!("sticky: vector case {name:?} failed: {e}"));
        let ordered = case["order_significant"].as_bool().unwrap_or(false);
        assert_assignment(
            name,
            "sticky",
            &outcome.assignment,
            &expected(&case["expected"]),
            ordered,
        );
        if case
            .get("expected_partitions_transferring_ownership")
            .is_some()
        {
            assert_eq!(
                outcome.transferring,
                Some(transfers(
                    &case["expected_partitions_transferring_ownership"]
                )),
                "sticky transfers: vector case {name:?}"
            );
        }
        ran += 1;
    }
    assert_eq!(ran, 9);
}

#[test]
fn cooperative_sticky_matches_every_kafka_vector_first_round() {
    let mut ran = 0;
    for case in cases("sticky_and_cooperative_sticky") {
        if !applies_to(&case, "cooperative-sticky") {
            continue;
        }
        let name = case["name"].as_str().unwrap_or("?");
        let outcome = CooperativeStickyAssignor
            .assign_with_transfers(&partitions_per_topic(&case), &members(&case))
            .unwrap_or_else(|e| panic!("cooperative-sticky: vector case {name:?} failed: {e}"));
        // The first round withholds transferring partitions; `expected` is Kafka's eager result,
        // reached after the follow-up rebalance.
        let first_round = match case.get("cooperative_first_round_derived") {
            Some(derived) => expected(derived),
            None => expected(&case["expected"]),
        };
        let ordered = case["order_significant"].as_bool().unwrap_or(false);
        assert_assignment(
            name,
            "cooperative-sticky",
            &outcome.assignment,
            &first_round,
            ordered,
        );
        if let Some(transferring) = case.get("expected_partitions_transferring_ownership") {
            assert_eq!(
                outcome.transferring,
                transfers(transferring),
                "cooperative transfers: vector case {name:?}"
            );
        }
        ran += 1;
    }
    assert_eq!(ran, 10);
}

#[test]
fn cooperative_sticky_reaches_the_eager_result_after_the_follow_up_rebalance() {
    for case in cases("sticky_and_cooperative_sticky") {
        if !applies_to(&case, "sticky") || !applies_to(&case, "cooperative-sticky") {
            continue;
        }
        let name = case["name"].as_str().unwrap_or("?");
        let counts = partitions_per_topic(&case);
        let mut group = members(&case);
        let first = CooperativeStickyAssignor
            .assign_with_transfers(&counts, &group)
            .unwrap_or_else(|e| panic!("vector case {name:?}: {e}"));
        // Everyone now owns its first-round share, in the next generation; rebalance again.
        let generation = group.iter().filter_map(|m| m.generation).max().unwrap_or(0) + 1;
        for member in &mut group {
            let owned = first
                .assignment
                .partitions(&member.member_id)
                .unwrap_or_default()
                .to_vec();
            member.owned_partitions = owned;
            member.generation = Some(generation);
        }
        let second = CooperativeStickyAssignor
            .assign_with_transfers(&counts, &group)
            .unwrap_or_else(|e| panic!("vector case {name:?}: {e}"));
        assert!(
            second.transferring.is_empty(),
            "vector case {name:?}: second round still transfers"
        );
        assert_assignment(
            name,
            "cooperative-sticky (second round)",
            &second.assignment,
            &expected(&case["expected"]),
            false,
        );
    }
}
