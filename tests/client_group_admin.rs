//! What `kafka-consumer-groups.sh` shows and does: describe (lag), members, state, list,
//! reset offsets, delete.
#![cfg(not(target_arch = "wasm32"))]

#[path = "client_support.rs"]
mod client_support;

use brooklet::broker::Acks;
use brooklet::client::group_admin::{
    delete_groups, describe_members, describe_offsets, describe_state, format_delete,
    format_describe_offsets, format_list, format_members, format_reset_plans, format_state,
    reset_offsets, ResetScenario, ResetScope,
};
use brooklet::client::{Consumer, GroupAdminError};
use brooklet::log::NewRecord;
use client_support::{tp, World};

fn append(w: &World, topic: &str, partition: i32, n: usize) {
    let now = w.broker.borrow().now_ms();
    let records: Vec<NewRecord> = (0..n)
        .map(|i| NewRecord::new(None, Some(format!("v{i}").into()), now))
        .collect();
    w.broker
        .borrow_mut()
        .append(topic, partition, &records, Acks::All)
        .expect("appended");
}

/// kafka.md §6.5's example: one member owns t1-0..2; committed 2 / none / 5; HW 4 / 3 / 5.
fn example(w: &World) -> Consumer {
    w.topic("t1", 3);
    append(w, "t1", 0, 4);
    append(w, "t1", 1, 3);
    append(w, "t1", 2, 5);
    let mut config = w.config("my-group");
    config.client_id = Some("console-consumer".into());
    config.enable_auto_commit = false;
    config.auto_offset_reset = brooklet::client::OffsetResetPolicy::Latest;
    let mut c = w.consumer_with(config, &["t1"]);
    w.drive(&mut [&mut c], 10, 500);
    c.commit_offsets(&[(tp("t1", 0), 2), (tp("t1", 2), 5)])
        .expect("committed");
    c
}

#[test]
fn lag_is_hw_minus_committed_and_dash_where_nothing_is_committed() {
    let w = World::new();
    let c = example(&w);
    let id = c.member_id().expect("joined").to_owned();
    assert!(id.starts_with("console-consumer-") && id.len() == 53);
    let view = describe_offsets(&w.groups.borrow(), "my-group");
    let lags: Vec<(i32, Option<i64>, Option<i64>)> = view
        .rows
        .iter()
        .map(|r| (r.partition, r.current_offset, r.lag))
        .collect();
    assert_eq!(
        lags,
        [
            (2, Some(5), Some(0)),
            (1, None, None),
            (0, Some(2), Some(2))
        ]
    );
    let out = format_describe_offsets(&[view]);
    let expected = "
GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                           HOST            CLIENT-ID
my-group        t1              2          5               5               0               <ID> /127.0.0.1      console-consumer
my-group        t1              1          -               3               -               <ID> /127.0.0.1      console-consumer
my-group        t1              0          2               4               2               <ID> /127.0.0.1      console-consumer
"
    .replace("<ID>", &id);
    assert_eq!(out.stdout, expected);
    assert_eq!(out.stderr, "");
}

#[test]
fn an_empty_group_warns_and_shows_committed_partitions_without_a_consumer() {
    let w = World::new();
    let mut c = example(&w);
    c.close().expect("closed");
    let out = format_describe_offsets(&[describe_offsets(&w.groups.borrow(), "my-group")]);
    assert_eq!(
        out.stderr,
        "\nConsumer group 'my-group' has no active members.\n"
    );
    assert!(out.stdout.contains(
        "\nmy-group        t1              0          2               4               2               -               -               -"
    ));
    let unknown = format_describe_offsets(&[describe_offsets(&w.groups.borrow(), "nope")]);
    assert_eq!(
        unknown.stdout,
        "\nError: Consumer group 'nope' does not exist.\n"
    );
}

#[test]
fn members_state_and_list_views_print_kafkas_columns() {
    let w = World::new();
    let c = example(&w);
    let groups = w.groups.borrow();
    let (_, rows) = describe_members(&groups, "my-group");
    let text = format_members(&rows);
    let id = c.member_id().unwrap_or_default();
    assert!(text.starts_with("\nGROUP           CONSUMER-ID"));
    assert!(text.contains(&format!(
        "\nmy-group        {id} /127.0.0.1      console-consumer 3               "
    )));
    let state = format_state(&describe_state(&groups, "my-group"));
    assert_eq!(
        state,
        "\nGROUP                     COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS\nmy-group                  localhost:9092  (1)       range                Stable          1\n"
    );
    assert_eq!(format_list(&groups), "my-group\n");
}

#[test]
fn reset_offsets_is_a_dry_run_unless_executed_and_refused_with_active_members() {
    let w = World::new();
    let mut c = example(&w);
    let scope = ResetScope::Topics(vec![("t1".into(), None)]);
    let refused = reset_offsets(
        &mut w.groups.borrow_mut(),
        "my-group",
        &scope,
        ResetScenario::ToEarliest,
        false,
    )
    .expect_err("active members");
    assert_eq!(
        refused.to_string(),
        "Assignments can only be reset if the group 'my-group' is inactive, but the current state is Stable."
    );
    c.close().expect("closed");
    let plan = reset_offsets(
        &mut w.groups.borrow_mut(),
        "my-group",
        &scope,
        ResetScenario::ToEarliest,
        false,
    )
    .expect("dry run");
    assert!(!plan.executed);
    assert_eq!(
        plan.offsets,
        [(tp("t1", 2), 0), (tp("t1", 1), 0), (tp("t1", 0), 0)]
    );
    let committed = |p| {
        w.groups
            .borrow()
            .committed("my-group", &tp("t1", p))
            .map(|o| o.offset)
    };
    assert_eq!(committed(0), Some(2), "a dry run changes nothing");
    assert_eq!(
        format_reset_plans(&[plan]),
        format!(
            "\n{:<30} {:<30} {:<10} {:<15}\n{:<30} {:<30} {:<10} {:<15}\n{:<30} {:<30} {:<10} {:<15}\n{:<30} {:<30} {:<10} {:<15}\n",
            "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET",
            "my-group", "t1", "2", "0",
            "my-group", "t1", "1", "0",
            "my-group", "t1", "0", "0"
        )
    );
    let executed = reset_offsets(
        &mut w.groups.borrow_mut(),
        "my-group",
        &scope,
        ResetScenario::ShiftBy(10),
        true,
    );
    assert!(
        matches!(executed, Err(GroupAdminError::NoCommittedOffsetToShift(ref p)) if *p == tp("t1", 1))
    );
    let scope0 = ResetScope::Topics(vec![("t1".into(), Some(vec![0]))]);
    let plan = reset_offsets(
        &mut w.groups.borrow_mut(),
        "my-group",
        &scope0,
        ResetScenario::ShiftBy(10),
        true,
    )
    .expect("executed");
    assert_eq!(plan.offsets, [(tp("t1", 0), 4)]);
    assert_eq!(
        plan.warnings,
        ["New offset (12) is higher than latest offset for topic partition t1-0. Value will be set to 4"]
    );
    assert_eq!(committed(0), Some(4));
    let plan = reset_offsets(
        &mut w.groups.borrow_mut(),
        "my-group",
        &ResetScope::AllTopics,
        ResetScenario::ToOffset(1),
        true,
    )
    .expect("executed");
    assert_eq!(plan.offsets.len(), 2, "partitions with a committed offset");
    assert_eq!(committed(2), Some(1));
}

#[test]
fn reset_to_a_datetime_finds_the_first_record_at_or_after_it() {
    let w = World::new();
    w.topic("t1", 1);
    append(&w, "t1", 0, 2);
    let later = w.broker.borrow().now_ms() + 60_000;
    w.clock.set(later);
    append(&w, "t1", 0, 1);
    let scope = ResetScope::Topics(vec![("t1".into(), None)]);
    let plan = reset_offsets(
        &mut w.groups.borrow_mut(),
        "new-group",
        &scope,
        ResetScenario::ToDatetime(later),
        true,
    )
    .expect("executed on an unknown group");
    assert_eq!(plan.offsets, [(tp("t1", 0), 2)]);
    let plan = reset_offsets(
        &mut w.groups.borrow_mut(),
        "new-group",
        &scope,
        ResetScenario::ToDatetime(later + 1),
        false,
    )
    .expect("dry run");
    assert_eq!(plan.offsets, [(tp("t1", 0), 3)]);
    assert_eq!(
        plan.warnings,
        ["\nWarn: Partition 0 from topic t1 is empty. Falling back to latest known offset."]
    );
    let plan = reset_offsets(
        &mut w.groups.borrow_mut(),
        "new-group",
        &scope,
        ResetScenario::ByDuration(90_000),
        false,
    )
    .expect("dry run");
    assert_eq!(plan.offsets, [(tp("t1", 0), 0)]);
}

#[test]
fn only_an_empty_group_can_be_deleted() {
    let w = World::new();
    let mut c = example(&w);
    let ids = vec!["my-group".to_owned(), "ghost".to_owned()];
    let results = delete_groups(&mut w.groups.borrow_mut(), &ids);
    let out = format_delete(&results);
    // printError prints on standard output.
    assert_eq!(out.stderr, "");
    assert_eq!(
        out.stdout,
        "\nError: Deletion of some consumer groups failed:\n* Group 'my-group' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.\n* Group 'ghost' could not be deleted due to: org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.\n"
    );
    c.close().expect("closed");
    let results = delete_groups(&mut w.groups.borrow_mut(), &ids[..1]);
    assert_eq!(
        format_delete(&results).stdout,
        "Deletion of requested consumer groups ('my-group') was successful.\n"
    );
    assert!(w.groups.borrow().committed_offsets("my-group").is_empty());
    let reloaded = brooklet::client::BrokerGroups::load(w.broker.clone(), 1).expect("replayed");
    assert!(
        reloaded.committed_offsets("my-group").is_empty(),
        "tombstones replayed"
    );
}
