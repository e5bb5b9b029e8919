//! The worked examples of kafka.md §4 and the everyday shapes a learner sees in the playground.

use std::collections::BTreeMap;

use brooklet::broker::TopicPartition;
use brooklet::group::assignor::{
    all_assignors, assignor_by_name, default_assignors, Assignor, AssignorError,
    CooperativeStickyAssignor, GroupAssignment, MemberSubscription, RangeAssignor,
    RebalanceProtocol, RoundRobinAssignor, StickyAssignor, DEFAULT_PARTITION_ASSIGNMENT_STRATEGY,
};

fn topics(counts: &[(&str, i32)]) -> BTreeMap<String, i32> {
    counts.iter().map(|&(t, c)| (t.to_string(), c)).collect()
}

fn tp(topic: &str, partition: i32) -> TopicPartition {
    TopicPartition::new(topic, partition)
}

fn tps(list: &[(&str, i32)]) -> Vec<TopicPartition> {
    list.iter().map(|&(t, p)| tp(t, p)).collect()
}

fn member(id: &str, topics: &[&str]) -> MemberSubscription {
    MemberSubscription::new(id, topics.iter().copied())
}

fn list<'a>(assignment: &'a GroupAssignment, id: &str) -> &'a [TopicPartition] {
    assignment
        .partitions(id)
        .unwrap_or_else(|| panic!("{id} has an entry"))
}

#[test]
fn range_gives_the_extra_partitions_to_the_first_members() {
    let counts = topics(&[("t0", 3), ("t1", 3)]);
    let members = [member("C0", &["t0", "t1"]), member("C1", &["t0", "t1"])];
    let result = RangeAssignor.assign(&counts, &members).unwrap();
    assert_eq!(
        list(&result, "C0"),
        tps(&[("t0", 0), ("t0", 1), ("t1", 0), ("t1", 1)])
    );
    assert_eq!(list(&result, "C1"), tps(&[("t0", 2), ("t1", 2)]));
}

#[test]
fn range_with_many_one_partition_topics_gives_everything_to_the_first_member() {
    let counts = topics(&[("a", 1), ("b", 1), ("c", 1)]);
    let members = [
        member("m1", &["a", "b", "c"]),
        member("m2", &["a", "b", "c"]),
    ];
    let result = RangeAssignor.assign(&counts, &members).unwrap();
    let mut first = list(&result, "m1").to_vec();
    brooklet::sort::sort(&mut first);
    assert_eq!(first, tps(&[("a", 0), ("b", 0), ("c", 0)]));
    assert!(list(&result, "m2").is_empty());
}

#[test]
fn range_puts_static_members_first_by_instance_id() {
    let counts = topics(&[("t", 3)]);
    let members = [
        member("a-dynamic", &["t"]),
        member("z-static", &["t"]).with_group_instance_id("i1"),
    ];
    let result = RangeAssignor.assign(&counts, &members).unwrap();
    assert_eq!(list(&result, "z-static"), tps(&[("t", 0), ("t", 1)]));
    assert_eq!(list(&result, "a-dynamic"), tps(&[("t", 2)]));
}

#[test]
fn roundrobin_deals_in_turn_and_skips_members_not_subscribed() {
    let counts = topics(&[("t0", 1), ("t1", 2), ("t2", 3)]);
    let members = [
        member("C0", &["t0"]),
        member("C1", &["t0", "t1"]),
        member("C2", &["t0", "t1", "t2"]),
    ];
    let result = RoundRobinAssignor.assign(&counts, &members).unwrap();
    assert_eq!(list(&result, "C0"), tps(&[("t0", 0)]));
    assert_eq!(list(&result, "C1"), tps(&[("t1", 0)]));
    assert_eq!(
        list(&result, "C2"),
        tps(&[("t1", 1), ("t2", 0), ("t2", 1), ("t2", 2)])
    );
}

#[test]
fn four_partitions_and_two_consumers_get_two_each() {
    let counts = topics(&[("orders", 4)]);
    let members = [member("c1", &["orders"]), member("c2", &["orders"])];
    for assignor in all_assignors() {
        let result = assignor.assign(&counts, &members).unwrap();
        assert_eq!(list(&result, "c1").len(), 2, "{}", assignor.name());
        assert_eq!(list(&result, "c2").len(), 2, "{}", assignor.name());
    }
}

#[test]
fn more_consumers_than_partitions_leaves_some_idle() {
    let counts = topics(&[("orders", 2)]);
    let members = [
        member("c1", &["orders"]),
        member("c2", &["orders"]),
        member("c3", &["orders"]),
    ];
    for assignor in all_assignors() {
        let result = assignor.assign(&counts, &members).unwrap();
        let sizes: Vec<usize> = result.iter().map(|(_, l)| l.len()).collect();
        assert_eq!(
            result.len(),
            3,
            "{}: every member has an entry",
            assignor.name()
        );
        assert_eq!(sizes.iter().sum::<usize>(), 2, "{}", assignor.name());
        assert_eq!(
            sizes.iter().filter(|&&s| s == 0).count(),
            1,
            "{}",
            assignor.name()
        );
    }
}

#[test]
fn sticky_keeps_what_members_owned_and_deals_the_rest() {
    // kafka.md §4.4: hash order consumer3, consumer2, consumer1; consumer2 keeps both.
    let counts = topics(&[("topic1", 2), ("topic2", 2)]);
    let members = [
        member("consumer1", &["topic1", "topic2"])
            .with_owned(tps(&[("topic1", 0), ("topic2", 0)]), Some(1)),
        member("consumer2", &["topic1", "topic2"])
            .with_owned(tps(&[("topic1", 1), ("topic2", 1)]), Some(1)),
        member("consumer3", &["topic1", "topic2"]).with_owned(vec![], Some(1)),
    ];
    let outcome = StickyAssignor
        .assign_with_transfers(&counts, &members)
        .unwrap();
    assert_eq!(
        list(&outcome.assignment, "consumer1"),
        tps(&[("topic1", 0)])
    );
    assert_eq!(
        list(&outcome.assignment, "consumer2"),
        tps(&[("topic1", 1), ("topic2", 1)])
    );
    assert_eq!(
        list(&outcome.assignment, "consumer3"),
        tps(&[("topic2", 0)])
    );
    let expected_transfers = BTreeMap::from([(tp("topic2", 0), "consumer3".to_string())]);
    assert_eq!(outcome.transferring, Some(expected_transfers));
}

#[test]
fn sticky_with_unequal_subscriptions_balances_what_it_can() {
    // kafka.md §4.6.
    let counts = topics(&[("topic1", 3), ("topic2", 2)]);
    let members = [
        member("consumer1", &["topic1"]),
        member("consumer2", &["topic1", "topic2"]),
        member("consumer3", &["topic1"]),
    ];
    let outcome = StickyAssignor
        .assign_with_transfers(&counts, &members)
        .unwrap();
    assert_eq!(
        list(&outcome.assignment, "consumer1"),
        tps(&[("topic1", 0), ("topic1", 2)])
    );
    assert_eq!(
        list(&outcome.assignment, "consumer2"),
        tps(&[("topic2", 0), ("topic2", 1)])
    );
    assert_eq!(
        list(&outcome.assignment, "consumer3"),
        tps(&[("topic1", 1)])
    );
    assert_eq!(outcome.transferring, None);
}

#[test]
fn cooperative_sticky_moves_only_what_must_move() {
    // kafka.md §4.5: topic-0 is claimed by two members of the same generation.
    let counts = topics(&[("topic", 3)]);
    let members = [
        member("consumer1", &["topic"]).with_owned(tps(&[("topic", 0), ("topic", 1)]), Some(1)),
        member("consumer2", &["topic"]).with_owned(tps(&[("topic", 0), ("topic", 2)]), Some(1)),
        member("consumer3", &["topic"]).with_owned(vec![], Some(1)),
    ];
    let eager = StickyAssignor.assign(&counts, &members).unwrap();
    assert_eq!(list(&eager, "consumer3"), tps(&[("topic", 0)]));

    let first = CooperativeStickyAssignor
        .assign_with_transfers(&counts, &members)
        .unwrap();
    assert_eq!(list(&first.assignment, "consumer1"), tps(&[("topic", 1)]));
    assert_eq!(list(&first.assignment, "consumer2"), tps(&[("topic", 2)]));
    assert!(list(&first.assignment, "consumer3").is_empty());
    assert_eq!(
        first.transferring,
        BTreeMap::from([(tp("topic", 0), "consumer3".to_string())])
    );
}

#[test]
fn cooperative_sticky_withholds_partitions_moving_on_the_general_path_too() {
    // c1 owned everything of t; c2 joins subscribed to t and u, so the general builder runs.
    let counts = topics(&[("t", 4), ("u", 1)]);
    let members = [
        member("c1", &["t"]).with_owned(tps(&[("t", 0), ("t", 1), ("t", 2), ("t", 3)]), Some(3)),
        member("c2", &["t", "u"]).with_owned(vec![], Some(3)),
    ];
    let eager = StickyAssignor.assign(&counts, &members).unwrap();
    let first = CooperativeStickyAssignor
        .assign_with_transfers(&counts, &members)
        .unwrap();
    for (partition, to) in &first.transferring {
        assert_eq!(eager.owner_of(partition), Some(to.as_str()));
        assert_eq!(first.assignment.owner_of(partition), None);
    }
    assert!(
        !first.transferring.is_empty(),
        "c2 must take some of t from c1"
    );
    // c1 keeps what it is not giving away.
    assert!(list(&first.assignment, "c1")
        .iter()
        .all(|p| list(&eager, "c1").contains(p)));
}

#[test]
fn topics_missing_from_the_metadata_are_skipped_silently() {
    let counts = topics(&[("real", 2)]);
    let members = [member("c1", &["real", "ghost"]), member("c2", &["ghost"])];
    for assignor in all_assignors() {
        let result = assignor.assign(&counts, &members).unwrap();
        assert_eq!(list(&result, "c1").len(), 2, "{}", assignor.name());
        assert!(list(&result, "c2").is_empty(), "{}", assignor.name());
    }
}

#[test]
fn an_empty_group_gets_an_empty_assignment() {
    for assignor in all_assignors() {
        let result = assignor.assign(&topics(&[("t", 3)]), &[]).unwrap();
        assert!(result.is_empty(), "{}", assignor.name());
    }
}

#[test]
fn the_same_member_twice_is_rejected_with_a_message() {
    let members = [member("c1", &["t"]), member("c1", &["t"])];
    for assignor in all_assignors() {
        let error = assignor.assign(&topics(&[("t", 1)]), &members).unwrap_err();
        assert_eq!(error, AssignorError::DuplicateMember("c1".to_string()));
        assert!(error.to_string().contains("\"c1\""));
    }
}

#[test]
fn assignors_are_found_by_the_names_members_advertise() {
    for name in ["range", "roundrobin", "sticky", "cooperative-sticky"] {
        assert_eq!(assignor_by_name(name).unwrap().name(), name);
    }
    let error = assignor_by_name("uniform").err().unwrap();
    assert_eq!(
        error.to_string(),
        "unknown partition assignment strategy \"uniform\"; use one of range, roundrobin, sticky, cooperative-sticky"
    );
}

#[test]
fn the_default_strategy_is_range_then_cooperative_sticky() {
    assert_eq!(
        DEFAULT_PARTITION_ASSIGNMENT_STRATEGY,
        ["range", "cooperative-sticky"]
    );
    let names: Vec<&str> = default_assignors().iter().map(|a| a.name()).collect();
    assert_eq!(names, DEFAULT_PARTITION_ASSIGNMENT_STRATEGY);
}

#[test]
fn only_cooperative_sticky_uses_the_cooperative_protocol() {
    for assignor in all_assignors() {
        let expected = if assignor.name() == "cooperative-sticky" {
            RebalanceProtocol::Cooperative
        } else {
            RebalanceProtocol::Eager
        };
        assert_eq!(assignor.protocol(), expected, "{}", assignor.name());
    }
}
