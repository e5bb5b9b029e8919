//! Cases from Kafka's `AbstractStickyAssignorTest` not in vectors.json (rack-unaware expectations),
//! with Kafka's `verifyValidityAndBalance` check, for both sticky assignors.

use std::collections::{BTreeMap, BTreeSet};

use brooklet::broker::TopicPartition;
use brooklet::group::assignor::{
    Assignor, CooperativeStickyAssignor, GroupAssignment, MemberSubscription, StickyAssignor,
};
use proptest::prelude::*;

fn topics(counts: &[(&str, i32)]) -> BTreeMap<String, i32> {
    counts.iter().map(|&(t, c)| (t.to_string(), c)).collect()
}

/// Parses Kafka's test notation `"t1-0, t1-3"`.
fn parse(list: &str) -> Vec<TopicPartition> {
    list.split(", ")
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (topic, p) = s.rsplit_once('-').expect("topic-N");
            TopicPartition::new(topic, p.parse().expect("partition number"))
        })
        .collect()
}

fn member(
    id: &str,
    subscribed: &[&str],
    owned: &str,
    generation: Option<i32>,
) -> MemberSubscription {
    MemberSubscription::new(id, subscribed.iter().copied()).with_owned(parse(owned), generation)
}

fn set(assignment: &GroupAssignment, id: &str) -> BTreeSet<TopicPartition> {
    assignment
        .partitions(id)
        .unwrap_or_default()
        .iter()
        .cloned()
        .collect()
}

fn sorted_set(list: &str) -> BTreeSet<TopicPartition> {
    parse(list).into_iter().collect()
}

fn both() -> [&'static dyn Assignor; 2] {
    [&StickyAssignor, &CooperativeStickyAssignor]
}

/// Kafka's `verifyValidityAndBalance`: only subscribed topics, no partition twice, and two members
/// whose loads differ by more than one share no topic among their partitions.
fn verify_validity_and_balance(members: &[MemberSubscription], assignment: &GroupAssignment) {
    assert_eq!(assignment.len(), members.len());
    let lists: Vec<(&str, &[TopicPartition])> = assignment.iter().collect();
    for (i, (member, partitions)) in lists.iter().enumerate() {
        let subscription = members.iter().find(|m| m.member_id == *member).unwrap();
        for p in partitions.iter() {
            assert!(
                subscription.topics.contains(&p.topic),
                "{member} got {p} unsubscribed"
            );
        }
        for (other, other_partitions) in &lists[i + 1..] {
            assert!(
                partitions.iter().all(|p| !other_partitions.contains(p)),
                "{member} and {other} share a partition"
            );
            if partitions.len().abs_diff(other_partitions.len()) <= 1 {
                continue;
            }
            let topics: BTreeSet<&str> = partitions.iter().map(|p| p.topic.as_str()).collect();
            assert!(
                other_partitions
                    .iter()
                    .all(|p| !topics.contains(p.topic.as_str())),
                "some partitions could move between {member} and {other}"
            );
        }
    }
}

#[test]
fn a_member_owning_the_minimum_quota_gets_one_more() {
    let counts = topics(&[("topic1", 2), ("topic2", 3)]);
    let subscribed = ["topic1", "topic2"];
    let members = [
        member("consumer1", &subscribed, "topic1-0, topic2-1", Some(1)),
        member("consumer2", &subscribed, "topic1-1, topic2-2", Some(1)),
    ];
    for assignor in both() {
        let result = assignor.assign(&counts, &members).unwrap();
        assert_eq!(
            result.partitions("consumer1").unwrap(),
            parse("topic1-0, topic2-1, topic2-0")
        );
        assert_eq!(
            result.partitions("consumer2").unwrap(),
            parse("topic1-1, topic2-2")
        );
        verify_validity_and_balance(&members, &result);
    }
}

#[test]
fn a_consumer_joining_and_leaving_one_topic_moves_one_partition_each_time() {
    let counts = topics(&[("topic", 3)]);
    let first = StickyAssignor
        .assign(&counts, &[member("consumer1", &["topic"], "", None)])
        .unwrap();
    assert_eq!(
        first.partitions("consumer1").unwrap(),
        parse("topic-0, topic-1, topic-2")
    );

    let members = [
        member(
            "consumer1",
            &["topic"],
            "topic-0, topic-1, topic-2",
            Some(1),
        ),
        member("consumer2", &["topic"], "", Some(1)),
    ];
    let second = StickyAssignor
        .assign_with_transfers(&counts, &members)
        .unwrap();
    assert_eq!(
        second.assignment.partitions("consumer1").unwrap(),
        parse("topic-0, topic-1")
    );
    assert_eq!(
        second.assignment.partitions("consumer2").unwrap(),
        parse("topic-2")
    );
    let expected = BTreeMap::from([(TopicPartition::new("topic", 2), "consumer2".to_string())]);
    assert_eq!(second.transferring, Some(expected));

    let alone = [member("consumer2", &["topic"], "topic-2", Some(1))];
    let third = StickyAssignor
        .assign_with_transfers(&counts, &alone)
        .unwrap();
    assert_eq!(
        set(&third.assignment, "consumer2"),
        sorted_set("topic-0, topic-1, topic-2")
    );
    assert_eq!(third.transferring, Some(BTreeMap::new()));
}

#[test]
fn two_consumers_joining_then_the_first_two_leaving_keep_what_they_can() {
    let counts = topics(&[("topic1", 3), ("topic2", 4)]);
    let all = ["topic1", "topic2"];
    let fresh = [
        member("consumer1", &all, "", None),
        member("consumer2", &all, "", None),
    ];
    let first = StickyAssignor.assign(&counts, &fresh).unwrap();
    assert_eq!(
        first.partitions("consumer1").unwrap(),
        parse("topic1-0, topic1-2, topic2-1, topic2-3")
    );
    assert_eq!(
        first.partitions("consumer2").unwrap(),
        parse("topic1-1, topic2-0, topic2-2")
    );

    // (The step where consumer3 and consumer4 join is in vectors.json.)
    let remaining = [
        member("consumer3", &all, "topic1-2, topic2-3", Some(1)),
        member("consumer4", &all, "topic2-2", Some(1)),
    ];
    let last = StickyAssignor
        .assign_with_transfers(&counts, &remaining)
        .unwrap();
    assert_eq!(
        last.assignment.partitions("consumer3").unwrap(),
        parse("topic1-2, topic2-3, topic1-0, topic2-1")
    );
    assert_eq!(
        last.assignment.partitions("consumer4").unwrap(),
        parse("topic2-2, topic1-1, topic2-0")
    );
    assert_eq!(last.transferring, Some(BTreeMap::new()));
}

#[test]
fn members_at_their_quota_are_considered_filled() {
    let counts = topics(&[("topic", 4)]);
    let members = [
        member("consumer1", &["topic"], "topic-0, topic-1", Some(1)),
        member("consumer2", &["topic"], "topic-2", Some(1)),
        member("consumer3", &["topic"], "", Some(1)),
    ];
    for assignor in both() {
        let result = assignor.assign(&counts, &members).unwrap();
        assert_eq!(
            result.partitions("consumer1").unwrap(),
            parse("topic-0, topic-1")
        );
        assert_eq!(result.partitions("consumer2").unwrap(), parse("topic-2"));
        assert_eq!(result.partitions("consumer3").unwrap(), parse("topic-3"));
    }
}

#[test]
fn partitions_stay_with_the_highest_generation() {
    let counts = topics(&[("topic", 3), ("topic2", 3), ("topic3", 3)]);
    let all = ["topic", "topic2", "topic3"];
    let members = [
        member("consumer1", &all, "topic-0, topic2-0, topic3-0", Some(10)),
        member("consumer2", &all, "topic-1, topic2-1, topic3-1", Some(9)),
        member("consumer3", &all, "topic2-1, topic3-0, topic3-2", Some(8)),
    ];
    for assignor in both() {
        let result = assignor.assign(&counts, &members).unwrap();
        assert_eq!(
            set(&result, "consumer1"),
            sorted_set("topic-0, topic2-0, topic3-0")
        );
        assert_eq!(
            set(&result, "consumer2"),
            sorted_set("topic-1, topic2-1, topic3-1")
        );
        assert_eq!(
            set(&result, "consumer3"),
            sorted_set("topic-2, topic2-2, topic3-2")
        );
        verify_validity_and_balance(&members, &result);
    }
}

#[test]
fn current_members_keep_partitions_nobody_else_claims() {
    let counts = topics(&[("topic", 3), ("topic1", 3), ("topic2", 3), ("topic3", 3)]);
    let all = ["topic", "topic2", "topic3", "topic1"];
    let members = [
        member("consumer1", &all, "", None),
        member("consumer2", &all, "topic-0, topic2-0, topic1-0", Some(9)),
        member("consumer3", &all, "topic3-2, topic2-2, topic1-1", Some(8)),
        member("consumer4", &all, "topic3-1, topic-1, topic-2", Some(7)),
    ];
    for assignor in both() {
        let result = assignor.assign(&counts, &members).unwrap();
        assert_eq!(
            set(&result, "consumer1"),
            sorted_set("topic1-2, topic2-1, topic3-0")
        );
        verify_validity_and_balance(&members, &result);
    }
}

#[test]
fn owned_partitions_of_stale_or_missing_generations_are_invalidated() {
    let counts = topics(&[("topic", 3), ("topic2", 3)]);
    let all = ["topic", "topic2"];
    for stale in [Some(8), None] {
        let members = [
            member("consumer1", &all, "topic-0, topic2-1, topic-1", Some(10)),
            member("consumer2", &all, "topic-0, topic2-1, topic2-2", stale),
        ];
        for assignor in both() {
            let result = assignor.assign(&counts, &members).unwrap();
            assert_eq!(
                set(&result, "consumer1"),
                sorted_set("topic-0, topic2-1, topic-1")
            );
            assert_eq!(
                set(&result, "consumer2"),
                sorted_set("topic-2, topic2-2, topic2-0")
            );
        }
    }
}

#[test]
fn only_partitions_of_subscribed_topics_are_kept() {
    let counts = topics(&[("topic", 2)]);
    let members = [member(
        "consumer",
        &["topic"],
        "topic-0, topic-1, other-0, other-1",
        Some(1),
    )];
    for assignor in both() {
        let result = assignor.assign(&counts, &members).unwrap();
        assert_eq!(
            result.partitions("consumer").unwrap(),
            parse("topic-0, topic-1")
        );
    }
}

#[test]
fn three_generations_claiming_the_same_partition_never_assign_it_twice() {
    let counts = topics(&[("topic", 6), ("topic1", 1)]);
    for generations in [
        [1, 2, 3],
        [1, 3, 2],
        [2, 1, 3],
        [2, 3, 1],
        [3, 1, 2],
        [3, 2, 1],
    ] {
        let members = [
            member(
                "consumer1",
                &["topic"],
                "topic-0, topic-2",
                Some(generations[0]),
            ),
            member(
                "consumer2",
                &["topic"],
                "topic-1, topic-2, topic-3",
                Some(generations[1]),
            ),
            member(
                "consumer3",
                &["topic"],
                "topic-2, topic-4, topic-5",
                Some(generations[2]),
            ),
            member("consumer4", &["topic1"], "topic1-0", Some(2)),
        ];
        for assignor in both() {
            let result = assignor.assign(&counts, &members).unwrap();
            let all: Vec<&TopicPartition> = result.iter().flat_map(|(_, l)| l.iter()).collect();
            let distinct: BTreeSet<&TopicPartition> = all.iter().copied().collect();
            assert_eq!(all.len(), distinct.len(), "{generations:?}");
            for (_, list) in result.iter() {
                assert!((1..=2).contains(&list.len()), "{generations:?}: {list:?}");
            }
        }
    }
}

#[test]
fn uniform_subscriptions_match_kafkas_rack_unaware_assignment() {
    let counts = topics(&[("t1", 6), ("t2", 7), ("t3", 2)]);
    let expected = [
        "t1-0, t1-3, t2-0, t2-3, t2-6",
        "t1-1, t1-4, t2-1, t2-4, t3-0",
        "t1-2, t1-5, t2-2, t2-5, t3-1",
    ];
    let all = ["t1", "t2", "t3"];
    for owned in [["", "", ""], expected] {
        let members: Vec<MemberSubscription> = (0..3)
            .map(|i| member(&format!("consumer{i}"), &all, owned[i], None))
            .collect();
        for assignor in both() {
            let result = assignor.assign(&counts, &members).unwrap();
            for (i, list) in expected.iter().enumerate() {
                assert_eq!(
                    set(&result, &format!("consumer{i}")),
                    sorted_set(list),
                    "{}",
                    assignor.name()
                );
            }
        }
    }
}

#[test]
fn unequal_subscriptions_match_kafkas_rack_unaware_assignment() {
    let counts = topics(&[("t1", 6), ("t2", 7), ("t3", 2)]);
    let subscriptions: [&[&str]; 3] = [&["t1", "t2", "t3"], &["t1", "t2", "t3"], &["t1", "t3"]];
    let expected = [
        "t1-5, t2-0, t2-2, t2-4, t2-6",
        "t1-3, t2-1, t2-3, t2-5, t3-0",
        "t1-0, t1-1, t1-2, t1-4, t3-1",
    ];
    let group = |owned: [&str; 3]| -> Vec<MemberSubscription> {
        (0..3)
            .map(|i| member(&format!("consumer{i}"), subscriptions[i], owned[i], None))
            .collect()
    };
    let check = |result: &GroupAssignment, expected: [&str; 3]| {
        for (i, list) in expected.iter().enumerate() {
            assert_eq!(set(result, &format!("consumer{i}")), sorted_set(list));
        }
    };
    for owned in [["", "", ""], expected] {
        for assignor in both() {
            check(&assignor.assign(&counts, &group(owned)).unwrap(), expected);
        }
    }

    // Cooperative, starting from an unbalanced ownership: first the partitions that stay, then
    // the settled assignment after the follow-up rebalance.
    let owned = [
        "t1-0, t1-1, t1-2, t1-3, t1-4",
        "t1-5, t2-0, t2-1, t2-2, t2-3",
        "t2-4, t2-5, t2-6, t3-0, t3-1",
    ];
    let intermediate = ["t1-2, t1-3, t1-4", "t2-0, t2-1, t2-2, t2-3", "t3-0, t3-1"];
    let first = CooperativeStickyAssignor
        .assign(&counts, &group(owned))
        .unwrap();
    check(&first, intermediate);
    let settled = CooperativeStickyAssignor
        .assign(&counts, &group(intermediate))
        .unwrap();
    check(
        &settled,
        [
            "t1-2, t1-3, t1-4, t2-4, t2-5",
            "t2-0, t2-1, t2-2, t2-3, t2-6",
            "t1-0, t1-1, t1-5, t3-0, t3-1",
        ],
    );
}

#[test]
fn topics_stay_balanced_as_consumers_come_and_go() {
    let counts = topics(&[("topic1", 12), ("topic2", 12)]);
    let all = ["topic1", "topic2"];
    let per_topic = |result: &GroupAssignment, expected: usize| {
        for (member, list) in result.iter() {
            for topic in all {
                let n = list.iter().filter(|p| p.topic == topic).count();
                assert_eq!(n, expected, "{member} holds {n} of {topic}");
            }
        }
    };
    let owned = |result: &GroupAssignment, id: &str| {
        let list = result.partitions(id).unwrap_or_default().to_vec();
        MemberSubscription::new(id, all).with_owned(list, Some(1))
    };
    let one = StickyAssignor
        .assign(&counts, &[MemberSubscription::new("consumer1", all)])
        .unwrap();
    per_topic(&one, 12);
    let two_members = [owned(&one, "consumer1"), owned(&one, "consumer2")];
    let two = StickyAssignor.assign(&counts, &two_members).unwrap();
    per_topic(&two, 6);
    let four_members = [
        owned(&two, "consumer1"),
        owned(&two, "consumer2"),
        owned(&two, "consumer3"),
        owned(&two, "consumer4"),
    ];
    let four = StickyAssignor.assign(&counts, &four_members).unwrap();
    per_topic(&four, 3);
    let last_two = [owned(&four, "consumer3"), owned(&four, "consumer4")];
    let back = StickyAssignor
        .assign_with_transfers(&counts, &last_two)
        .unwrap();
    per_topic(&back.assignment, 6);
    assert_eq!(back.transferring, Some(BTreeMap::new()));
}

#[test]
fn a_consumer_leaving_a_staircase_of_subscriptions_keeps_the_rest_valid_and_balanced() {
    // c01..c19, consumer i subscribed to t01..ti; topic i has i partitions.
    let name = |prefix: &str, i: usize| format!("{prefix}{i:02}");
    let counts: BTreeMap<String, i32> = (1..20).map(|i| (name("t", i), i as i32)).collect();
    let members: Vec<MemberSubscription> = (1..20)
        .map(|i| MemberSubscription::new(name("c", i), (1..=i).map(|j| name("t", j))))
        .collect();
    for assignor in both() {
        let first = assignor.assign(&counts, &members).unwrap();
        verify_validity_and_balance(&members, &first);
        let remaining: Vec<MemberSubscription> = members
            .iter()
            .filter(|m| m.member_id != "c10")
            .map(|m| {
                let owned = first.partitions(&m.member_id).unwrap().to_vec();
                m.clone().with_owned(owned, Some(1))
            })
            .collect();
        let second = assignor.assign(&counts, &remaining).unwrap();
        verify_validity_and_balance(&remaining, &second);
    }
}

#[test]
fn the_scenario_roundrobin_handles_poorly_is_balanced() {
    let counts: BTreeMap<String, i32> = (1..=5).map(|i| (format!("topic{i}"), i % 2 + 1)).collect();
    let every = ["topic1", "topic2", "topic3", "topic4", "topic5"];
    let odd = ["topic1", "topic3", "topic5"];
    let members = [
        MemberSubscription::new("consumer1", every),
        MemberSubscription::new("consumer2", odd),
        MemberSubscription::new("consumer3", odd),
        MemberSubscription::new("consumer4", every),
    ];
    for assignor in both() {
        let result = assignor.assign(&counts, &members).unwrap();
        verify_validity_and_balance(&members, &result);
    }
}

#[test]
fn existing_assignments_move_when_subscriptions_overlap() {
    let counts: BTreeMap<String, i32> = (1..=6).map(|i| (format!("topic{i}"), 1)).collect();
    let members = [
        member("consumer1", &["topic1", "topic2"], "topic1-0", Some(1)),
        member(
            "consumer2",
            &["topic1", "topic2", "topic3", "topic4"],
            "topic2-0, topic3-0",
            Some(1),
        ),
        member(
            "consumer3",
            &["topic2", "topic3", "topic4", "topic5", "topic6"],
            "topic4-0, topic5-0, topic6-0",
            Some(1),
        ),
    ];
    let outcome = StickyAssignor
        .assign_with_transfers(&counts, &members)
        .unwrap();
    assert_eq!(
        outcome.transferring, None,
        "unequal subscriptions take the general path"
    );
    verify_validity_and_balance(&members, &outcome.assignment);
}

#[test]
fn with_four_members_on_three_partitions_each_keeps_its_partition_when_one_leaves() {
    let counts = topics(&[("topic1", 3)]);
    let members: Vec<MemberSubscription> = (1..=4)
        .map(|i| MemberSubscription::new(format!("consumer{i}"), ["topic1"]))
        .collect();
    let first = StickyAssignor.assign(&counts, &members).unwrap();
    assert!(first.iter().all(|(_, l)| l.len() <= 1));
    let remaining: Vec<MemberSubscription> = members[1..]
        .iter()
        .map(|m| {
            let owned = first.partitions(&m.member_id).unwrap().to_vec();
            m.clone().with_owned(owned, Some(1))
        })
        .collect();
    let second = StickyAssignor.assign(&counts, &remaining).unwrap();
    for m in &remaining {
        let now = second.partitions(&m.member_id).unwrap();
        assert_eq!(now.len(), 1);
        assert!(
            m.owned_partitions.iter().all(|p| now.contains(p)),
            "{} lost its partition",
            m.member_id
        );
    }
}

/// Per member, per topic: subscribed or not.
type Flags = Vec<Vec<bool>>;

/// Random subscriptions over topics `t0..`, topic i having i + 1 partitions.
fn random_group() -> impl Strategy<Value = (BTreeMap<String, i32>, Flags, Flags)> {
    (2..=8usize, 2..=10usize).prop_flat_map(|(topic_count, member_count)| {
        let subscriptions = prop::collection::vec(
            prop::collection::vec(any::<bool>(), topic_count),
            member_count,
        );
        let counts: BTreeMap<String, i32> = (0..topic_count)
            .map(|i| (format!("t{i}"), i as i32 + 1))
            .collect();
        (Just(counts), subscriptions.clone(), subscriptions)
    })
}

fn subscribe(counts: &BTreeMap<String, i32>, flags: &[Vec<bool>]) -> Vec<MemberSubscription> {
    flags
        .iter()
        .enumerate()
        .map(|(i, flags)| {
            let topics = counts
                .keys()
                .zip(flags)
                .filter(|(_, &on)| on)
                .map(|(t, _)| t.clone());
            MemberSubscription::new(format!("c{i:02}"), topics)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Kafka's `testReassignmentWithRandomSubscriptionsAndChanges`: fresh, then with every
    /// subscription changed and the first assignment owned, the result is valid and balanced.
    #[test]
    fn random_subscriptions_and_changes_stay_valid_and_balanced((counts, before, after) in random_group()) {
        let members = subscribe(&counts, &before);
        let first = StickyAssignor.assign(&counts, &members).unwrap();
        verify_validity_and_balance(&members, &first);

        let changed: Vec<MemberSubscription> = subscribe(&counts, &after)
            .into_iter()
            .map(|m| {
                let owned = first.partitions(&m.member_id).unwrap_or_default().to_vec();
                m.with_owned(owned, Some(1))
            })
            .collect();
        let second = StickyAssignor.assign(&counts, &changed).unwrap();
        verify_validity_and_balance(&changed, &second);
    }
}
