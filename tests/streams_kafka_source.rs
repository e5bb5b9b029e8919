//! Spark's Kafka source over the broker: which partitions a strategy reads, their offsets, and
//! reading offset ranges through a consumer without a group.

#[path = "client_support.rs"]
mod client_support;

use brooklet::broker::NewTopic;
use brooklet::streams::kafka::reader::{
    offsets_of, partitions_of, read_ranges, OffsetRange, ReadOutcome, SourceError,
};
use brooklet::streams::kafka::Strategy;
use client_support::World;

#[test]
fn subscribe_reads_every_partition_of_the_topics_that_exist() {
    let w = World::new();
    w.topic("orders", 3);
    let strategy = Strategy::Subscribe(vec!["orders".into(), "not_yet".into()]);
    let parts = partitions_of(&w.broker, &strategy);
    assert_eq!(
        parts,
        vec![
            ("orders".into(), 0),
            ("orders".into(), 1),
            ("orders".into(), 2)
        ]
    );
    let pattern = Strategy::SubscribePattern("ord.*".into());
    assert_eq!(partitions_of(&w.broker, &pattern).len(), 3);
}

#[test]
fn a_range_reads_exactly_its_offsets_in_order() {
    let w = World::new();
    w.topic("t1", 2);
    w.fill("t1", 2, 30);
    let parts = partitions_of(&w.broker, &Strategy::Subscribe(vec!["t1".into()]));
    let latest = offsets_of(&w.broker, &parts, false);
    assert_eq!(latest.get("t1", 1), Some(30));
    let ranges = [
        OffsetRange {
            topic: "t1".into(),
            partition: 0,
            from: 5,
            until: 12,
        },
        OffsetRange {
            topic: "t1".into(),
            partition: 1,
            from: 29,
            until: 30,
        },
    ];
    let ReadOutcome::Done(records) = read_ranges(&w.broker, &w.groups, &ranges, true).unwrap()
    else {
        panic!("everything is in memory natively")
    };
    let got: Vec<(i32, i64)> = records.iter().map(|r| (r.partition, r.offset)).collect();
    let want: Vec<(i32, i64)> = (5..12).map(|o| (0, o)).chain([(1, 29)]).collect();
    assert_eq!(got, want);
    assert_eq!(records[0].value.as_deref(), Some(&b"p0-5"[..]));
}

#[test]
fn offsets_below_the_log_start_are_data_loss_unless_told_otherwise() {
    let w = World::new();
    w.broker
        .borrow_mut()
        .create_topic(
            NewTopic::named("t1")
                .config("segment.bytes", "14")
                .config("retention.ms", "1000"),
        )
        .expect("created");
    w.fill("t1", 1, 4);
    w.clock.advance(600_000);
    w.fill("t1", 1, 6);
    w.broker.borrow_mut().run_log_maintenance();
    let ranges = [OffsetRange {
        topic: "t1".into(),
        partition: 0,
        from: 0,
        until: 10,
    }];
    let err = read_ranges(&w.broker, &w.groups, &ranges, true).unwrap_err();
    assert!(
        matches!(err, SourceError::DataLoss { offset: 0, .. }),
        "{err}"
    );
    let ReadOutcome::Done(records) = read_ranges(&w.broker, &w.groups, &ranges, false).unwrap()
    else {
        panic!("in memory")
    };
    assert_eq!(records.first().map(|r| r.offset), Some(4));
    assert_eq!(records.len(), 6);
}
