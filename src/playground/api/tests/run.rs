//! What the consumer's run loop is told to do after a failure (retry after kafkajs's growing
//! wait, end, or crash), and a consumer of several topics on the groups page.

use super::*;
use crate::client::ConsumerError;
use crate::group::coordinator::GroupError;
use crate::playground::group_words::idle_reason;
use crate::playground::groups::ExternalError;

fn create(p: &mut Playground, topic: &str, partitions: f64) {
    let topic = obj(&[("topic", text(topic)), ("numPartitions", num(partitions))]);
    admin::create_topics(p, &obj(&[("topics", Input::Array(vec![topic]))])).expect("created");
}

fn produce(p: &mut Playground, topic: &str, values: &[&str]) {
    let mut session = connected(p);
    let messages = values.iter().map(|v| obj(&[("value", text(v))])).collect();
    let request = obj(&[("topic", text(topic)), ("messages", Input::Array(messages))]);
    producer::send(p, &mut session, &request).expect("sent");
}

/// A running consumer `client` of `group` reading `topics` from the beginning.
fn running(p: &mut Playground, group: &str, client: &str, topics: &[&str]) -> ConsumerSession {
    let mut session =
        ConsumerSession::new(&obj(&[("groupId", text(group))]), client).expect("made");
    session
        .subscribe(&obj(&[
            (
                "topics",
                Input::Array(topics.iter().map(|t| text(t)).collect()),
            ),
            ("fromBeginning", Input::Bool(true)),
        ]))
        .expect("subscribed");
    assert!(session.start(p, &each_message()).expect("started"));
    session
}

fn thrown(name: &str, retriable: Option<bool>) -> Thrown {
    Thrown {
        name: name.to_owned(),
        message: "order.total is undefined".to_owned(),
        retriable,
    }
}

#[test]
fn a_consumer_on_a_tab_another_tab_took_over_crashes_instead_of_retrying_for_ever() {
    let (mut p, real) = playground();
    create(&mut p, "orders", 1.0);
    produce(&mut p, "orders", &["a", "b"]);
    let mut session = running(&mut p, "billing", "shop", &["orders"]);
    assert_eq!(consume(&mut p, &real, &mut session, 2).len(), 2);

    p.make_read_only("Another tab took this playground over.");
    let error = session.poll(&mut p).unwrap_err();
    assert_eq!(error.shape().kafka_type, Some("NOT_LEADER_OR_FOLLOWER"));
    let after = session.poll_failed(&mut p, &error);
    assert_eq!(
        after,
        AfterFailure::Crashed(
            "[Consumer] Crash: KafkaJSProtocolError: Another tab took this playground over. — shop in billing stopped; fix the cause, then call consumer.run again.".to_owned()
        )
    );
    assert_eq!(session.member(), None, "the run loop ends");
    assert!(matches!(session.poll(&mut p), Err(ApiError::NotRunning)));
}

#[test]
fn retriable_failures_wait_longer_each_time_in_a_row_as_kafkajs_retries() {
    let (mut p, real) = playground();
    create(&mut p, "orders", 1.0);
    produce(&mut p, "orders", &["a"]);
    let mut session = running(&mut p, "billing", "shop", &["orders"]);
    let rebalancing = ApiError::Member(ExternalError::Consumer(ConsumerError::from(
        crate::client::GroupsError::from(GroupError::RebalanceInProgress {
            group: "billing".into(),
        }),
    )));
    let unknown_topic = ApiError::Member(ExternalError::Broker(
        crate::broker::BrokerError::UnknownTopic("orders".into()),
    ));
    let failures = [
        ApiError::Busy,
        rebalancing.clone(),
        unknown_topic,
        ApiError::Busy,
        rebalancing,
        ApiError::Busy,
        ApiError::Busy,
        ApiError::Busy,
        ApiError::Busy,
    ];
    let waits: Vec<AfterFailure> = failures
        .iter()
        .map(|e| session.poll_failed(&mut p, e))
        .collect();
    let expected: Vec<AfterFailure> = [300, 600, 1200, 2400, 4800, 9600, 19_200, 30_000, 30_000]
        .into_iter()
        .map(AfterFailure::RetryAfterMs)
        .collect();
    assert_eq!(waits, expected);
    assert_eq!(session.member(), Some("shop"), "it still runs");

    // A message processed ends the run of failures: the next waits the first wait again.
    consume(&mut p, &real, &mut session, 1);
    assert_eq!(
        session.poll_failed(&mut p, &ApiError::Busy),
        AfterFailure::RetryAfterMs(300)
    );
}

#[test]
fn a_bug_in_each_message_crashes_the_consumer_and_it_leaves_its_group_other_errors_are_retried() {
    let (mut p, real) = playground();
    create(&mut p, "orders", 1.0);
    produce(&mut p, "orders", &["a"]);
    let mut session = running(&mut p, "billing", "shop", &["orders"]);
    consume(&mut p, &real, &mut session, 1);
    assert_eq!(
        session.handler_threw(&mut p, &thrown("Error", None)),
        AfterFailure::RetryAfterMs(300)
    );
    assert_eq!(
        session.handler_threw(&mut p, &thrown("KafkaJSProtocolError", Some(true))),
        AfterFailure::RetryAfterMs(600)
    );
    let after = session.handler_threw(&mut p, &thrown("TypeError", None));
    assert_eq!(
        after,
        AfterFailure::Crashed(
            "[Consumer] Crash: TypeError: order.total is undefined — shop in billing stopped and left its group; fix the cause, then call consumer.run again.".to_owned()
        )
    );
    assert_eq!(session.member(), None);
    let model = p.groups().expect("loaded");
    assert!(model.members("billing").is_empty(), "its card is gone");
    assert_eq!(
        model.state("billing"),
        crate::group::coordinator::GroupState::Empty
    );

    // A new run starts it again; an error that says it is not retriable crashes it too.
    assert!(session.start(&mut p, &each_message()).expect("started"));
    assert!(matches!(
        session.handler_threw(&mut p, &thrown("KafkaJSNonRetriableError", Some(false))),
        AfterFailure::Crashed(_)
    ));
}

#[test]
fn a_consumer_left_from_the_page_ends_its_run_loop_with_a_warning() {
    let (mut p, real) = playground();
    create(&mut p, "orders", 1.0);
    let mut session = running(&mut p, "billing", "shop", &["orders"]);
    consume(&mut p, &real, &mut session, 0);
    p.with_groups(|g| {
        g.close_external("shop");
        Ok(())
    })
    .expect("left");
    let error = session.poll(&mut p).unwrap_err();
    let after = session.poll_failed(&mut p, &error);
    assert!(
        matches!(&after, AfterFailure::Ended(why) if why.starts_with("There is no consumer shop in the playground any more")),
        "{after:?}"
    );
    assert_eq!(session.member(), None);
}

#[test]
fn a_consumer_of_two_topics_reads_both_and_the_groups_page_shows_both() {
    let (mut p, real) = playground();
    create(&mut p, "orders", 1.0);
    create(&mut p, "payments", 1.0);
    produce(&mut p, "orders", &["o1", "o2"]);
    produce(&mut p, "payments", &["p1"]);
    let mut shop = running(&mut p, "billing", "shop", &["orders", "payments"]);
    let mut read = consume(&mut p, &real, &mut shop, 3);
    crate::sort::sort(&mut read);
    assert_eq!(read, vec!["o1", "o2", "p1"]);

    let model = p.groups().expect("loaded");
    let card = &model.members("billing")[0];
    assert_eq!(
        card.topics,
        vec!["orders".to_owned(), "payments".to_owned()]
    );
    let rows: Vec<String> = model
        .partitions("billing")
        .iter()
        .map(|r| format!("{} {:?} {:?}", r.partition, r.owner, r.committed))
        .collect();
    assert_eq!(
        rows,
        vec![
            r#"orders-0 Some("shop") Some(2)"#,
            r#"payments-0 Some("shop") Some(1)"#
        ]
    );
    assert!(model
        .timeline()
        .any(|l| l.to_string()
            == "shop started in billing from JavaScript, reading orders, payments"));

    // A second consumer of both: range gives each topic's one partition to the same member,
    // and the other's card says why it has none.
    let mut second = running(&mut p, "billing", "shop", &["orders", "payments"]);
    for _ in 0..20 {
        real.advance(1000);
        shop.poll(&mut p).expect("polled");
        second.poll(&mut p).expect("polled");
    }
    let model = p.groups().expect("loaded");
    let cards = model.members("billing");
    assert_eq!(cards.len(), 2);
    let idle = cards
        .iter()
        .find(|c| c.partitions.is_empty())
        .expect("one member holds nothing");
    assert_eq!(
        idle_reason(model, "billing", idle),
        Some(format!(
            "idle: billing's assignor gave {} none of the 2 partition(s) of orders and payments, because range assigns each topic on its own and each of them has fewer partitions than the consumers reading it. It takes over a partition if another member leaves or crashes.",
            idle.client_id
        ))
    );
}

#[test]
fn a_consumer_goes_on_reading_when_one_of_its_topics_is_deleted_where_kafkajs_would_crash() {
    let (mut p, real) = playground();
    create(&mut p, "orders", 1.0);
    create(&mut p, "payments", 1.0);
    let mut session = running(&mut p, "billing", "shop", &["orders", "payments"]);
    consume(&mut p, &real, &mut session, 0);
    admin::delete_topics(
        &mut p,
        &obj(&[("topics", Input::Array(vec![text("payments")]))]),
    )
    .expect("deleted");
    produce(&mut p, "orders", &["o1"]);
    let read = consume(&mut p, &real, &mut session, 1);
    assert_eq!(read, vec!["o1"]);
    for _ in 0..5 {
        real.advance(1000);
        session.poll(&mut p).expect("it polls on, without an error");
    }
    assert_eq!(session.member(), Some("shop"), "it still runs");
}
