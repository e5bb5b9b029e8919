//! Native tests of the standalone reader, beside a consumer group on the same topic.

use std::rc::Rc;

use super::*;
use crate::client::OffsetResetPolicy;
use crate::clock::ManualClock;
use crate::playground::engine::Playground;
use crate::playground::forms::ProduceForm;
use crate::playground::test_support::{orders_playground, START};

/// A playground with `orders` (4 partitions) holding 20 keyed orders, produced 1 s apart on
/// the clock (so the n-th order has timestamp START + n s), and its real clock.
fn playground() -> (Playground, Rc<ManualClock>) {
    orders_playground(20, 1000)
}

fn produce(p: &mut Playground, key: &str, partition: &str) {
    let record = ProduceForm {
        key: key.to_owned(),
        value: format!(r#"{{"customer_id":"{key}"}}"#),
        partition: partition.to_owned(),
        ..ProduceForm::default()
    };
    p.produce("orders", &record).expect("produced");
}

fn reader(p: &mut Playground) -> Reader {
    let groups = p.with_groups_text(|g| Ok(g.groups())).expect("loaded");
    Reader::new(groups)
}

fn committed(p: &Playground, group: &str) -> Vec<(String, Option<i64>, Option<i64>)> {
    p.groups()
        .expect("loaded")
        .partitions(group)
        .into_iter()
        .map(|r| (r.partition.to_string(), r.committed, r.lag))
        .collect()
}

#[test]
fn reading_everything_does_not_move_any_groups_committed_offsets_or_lag() {
    let (mut p, real) = playground();
    p.with_groups_text(|g| {
        g.start_consumer(
            "g1",
            "orders",
            "range,cooperative-sticky",
            OffsetResetPolicy::Earliest,
        )
    })
    .expect("started");
    // A few records a poll, so g1 has read only part of the topic when it leaves.
    p.with_groups_text(|g| g.set_max_poll_records("c1", "1"))
        .expect("set");
    for _ in 0..4 {
        real.advance(1000);
        p.with_groups_text(|g| {
            g.step();
            Ok(())
        })
        .expect("stepped");
    }
    // g1 read a little and committed it; then it leaves, so its offsets stay put.
    p.with_groups_text(|g| g.leave("c1")).expect("left");
    let before = committed(&p, "g1");
    assert!(
        before
            .iter()
            .any(|(_, c, lag)| c.is_some() && *lag > Some(0)),
        "g1 committed part of the topic: {before:?}"
    );
    let groups_before = p.groups().expect("loaded").group_names();

    let mut r = reader(&mut p);
    r.assign("orders", &[0, 1, 2, 3]).expect("assigned");
    r.poll(500).expect("polled");
    r.poll(500).expect("polled");
    assert_eq!(r.total_read(), 20);

    assert_eq!(committed(&p, "g1"), before, "the reader committed nothing");
    assert_eq!(
        p.groups().expect("loaded").group_names(),
        groups_before,
        "the reader made no group"
    );
    let positions = r.positions();
    assert!(positions.iter().all(|x| x.position == Some(x.log_end)));
}

#[test]
fn seeking_to_an_offset_then_stepping_reads_exactly_that_record() {
    let (mut p, _) = playground();
    let mut r = reader(&mut p);
    r.assign("orders", &[1]).expect("assigned");
    let end = r.positions()[0].log_end;
    assert!(end >= 3, "partition 1 holds a few orders: {end}");
    let told = r.seek(Some(1), SeekTarget::Offset(2)).expect("sought");
    assert_eq!(told, "Sought: orders-1 at 2.");
    assert_eq!(r.poll(1).expect("stepped"), "Read 1 record.");
    let read: Vec<&ReadRecord> = r.records().collect();
    assert_eq!((read[0].partition, read[0].offset), (1, 2));
    assert_eq!(r.positions()[0].position, Some(3));
}

#[test]
fn a_reader_at_the_end_reads_only_what_is_produced_after() {
    let (mut p, _) = playground();
    let mut r = reader(&mut p);
    r.assign("orders", &[0]).expect("assigned");
    r.seek(None, SeekTarget::End).expect("sought");
    assert_eq!(
        r.poll(10).expect("polled"),
        "Nothing to read: the reader is at the end of what it holds."
    );
    produce(&mut p, "new", "0");
    r.poll(10).expect("polled");
    let read: Vec<&ReadRecord> = r.records().collect();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].key, "new");
}

#[test]
fn seeking_to_a_time_finds_the_first_record_at_or_after_it() {
    let (mut p, _) = playground();
    let mut r = reader(&mut p);
    r.assign("orders", &[0, 1, 2, 3]).expect("assigned");
    // Order 10 was produced at START + 10 s: reading from then on yields orders 10..19.
    r.seek(None, SeekTarget::Timestamp(START + 10_000))
        .expect("sought");
    r.poll(500).expect("polled");
    assert_eq!(r.total_read(), 10);
    let mut keys: Vec<String> = r.records().map(|x| x.key.clone()).collect();
    crate::sort::sort(&mut keys);
    assert_eq!(keys.first().map(String::as_str), Some("11010"));
    let later = r
        .seek(Some(0), SeekTarget::Timestamp(START + 86_400_000))
        .expect("sought");
    assert!(
        later.ends_with(
            "orders-0 has no record at or after that time, so the reader goes to its end."
        ),
        "{later}"
    );
}

#[test]
fn assigning_again_starts_afresh_from_the_beginning() {
    let (mut p, _) = playground();
    let mut r = reader(&mut p);
    r.assign("orders", &[0]).expect("assigned");
    r.poll(500).expect("polled");
    assert!(r.total_read() > 0);
    let told = r.assign("orders", &[2, 3]).expect("assigned");
    assert!(told.contains("orders-2, orders-3"), "{told}");
    assert_eq!(r.total_read(), 0);
    assert_eq!(r.records().count(), 0);
    assert!(r
        .positions()
        .iter()
        .all(|x| x.position == Some(x.log_start)));
}

#[test]
fn bad_choices_get_a_message_naming_the_problem_and_the_fix() {
    let (mut p, _) = playground();
    let mut r = reader(&mut p);
    assert_eq!(r.poll(1), Err(ReaderError::NotAssigned));
    assert_eq!(
        r.assign("nope", &[0]),
        Err(ReaderError::UnknownTopic("nope".to_owned()))
    );
    assert_eq!(
        r.assign("orders", &[4]),
        Err(ReaderError::NoSuchPartition {
            topic: "orders".to_owned(),
            partition: 4,
            last: 3
        })
    );
    assert_eq!(r.assign("orders", &[]), Err(ReaderError::NoPartitionPicked));
    r.assign("orders", &[0]).expect("assigned");
    assert_eq!(
        r.seek(Some(3), SeekTarget::Beginning),
        Err(ReaderError::NotHeld(3))
    );
    assert_eq!(
        SeekTarget::parse("offset", "-1"),
        Err(ReaderError::NotAnOffset("-1".to_owned()))
    );
    // Each refusal says what is wrong and how to fix it.
    let texts = [
        ReaderError::NotAssigned.to_string(),
        ReaderError::NoSuchPartition {
            topic: "orders".to_owned(),
            partition: 4,
            last: 3,
        }
        .to_string(),
        ReaderError::NotAnOffset("-1".to_owned()).to_string(),
    ];
    assert_eq!(
        texts,
        [
            "The reader holds no partitions yet: pick a topic and partitions, then Assign.",
            "orders has no partition 4: it has partitions 0 to 3.",
            "'-1' is not an offset: write a whole number from 0 up, e.g. 12.",
        ]
    );
    assert_eq!(
        ReaderError::UnknownTopic("nope".to_owned()).code(),
        Some(crate::protocol::ErrorCode::UnknownTopicOrPartition)
    );
    assert!(SeekTarget::parse("timestamp", "yesterday")
        .expect_err("not a time")
        .to_string()
        .starts_with("'yesterday' is not a time"));
    assert_eq!(
        SeekTarget::parse("timestamp", "2023-11-14 22:13:30"),
        Ok(SeekTarget::Timestamp(1_700_000_010_000))
    );
    assert_eq!(SeekTarget::parse("end", ""), Ok(SeekTarget::End));
}
