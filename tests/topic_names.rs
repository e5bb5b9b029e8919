//! Every `topic_names` vector in `tests/data/vectors.json` (from Kafka's `TopicTest`) holds, and
//! the texts kafka-topics.sh prints for names are Kafka's.

use brooklet::broker::topic_name::{
    check_collision, has_collision, has_collision_chars, is_internal, is_valid,
    unify_collision_chars, validate, COLLISION_WARNING, INTERNAL_TOPICS,
};
use brooklet::broker::{ErrorCode, TopicName, TopicNameError};
use proptest::prelude::*;
use serde_json::Value;

fn topic_vectors() -> Value {
    let all: Value = serde_json::from_str(include_str!("data/vectors.json")).expect("valid JSON");
    all["topic_names"].clone()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

/// The vectors write some names as placeholders; expand them.
fn expand(name: &str) -> String {
    match name {
        "<any 249-char string of legal chars>" => "a-Z_0.9".repeat(36)[..249].to_owned(),
        "<250 x 'a'>" => "a".repeat(250),
        other => other.to_owned(),
    }
}

/// The illegal characters are written as Java source escapes.
fn unescape(c: &str) -> String {
    match c {
        "\\u0000" => "\0".to_owned(),
        "\\t" => "\t".to_owned(),
        "\\r" => "\r".to_owned(),
        "\\n" => "\n".to_owned(),
        other => other.to_owned(),
    }
}

#[test]
fn every_valid_vector_name_is_accepted() {
    for name in strings(&topic_vectors()["valid"]) {
        let name = expand(&name);
        assert!(
            TopicName::new(name.clone()).is_ok(),
            "{name:?} should be valid"
        );
    }
    assert_eq!(expand("<any 249-char string of legal chars>").len(), 249);
}

#[test]
fn every_invalid_vector_name_is_refused_as_an_invalid_topic() {
    for name in strings(&topic_vectors()["invalid"]) {
        let name = expand(&name);
        let err = TopicName::new(name.clone()).expect_err(&name);
        assert_eq!(err.error_code(), ErrorCode::InvalidTopicException);
        assert!(!is_valid(&name));
    }
}

#[test]
fn every_illegal_character_is_refused_with_kafkas_text() {
    for c in strings(&topic_vectors()["illegal_chars_tested"]) {
        let name = format!("Is {}illegal", unescape(&c));
        assert_eq!(
            validate(&name).unwrap_err().to_string(),
            format!("Topic name is invalid: '{name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'")
        );
    }
}

#[test]
fn collision_characters_are_detected_as_kafka_does() {
    let v = topic_vectors();
    for name in strings(&v["has_collision_chars_true"]) {
        assert!(has_collision_chars(&name), "{name}");
        assert!(TopicName::new(name).expect("valid").has_collision_chars());
    }
    for name in strings(&v["has_collision_chars_false"]) {
        assert!(!has_collision_chars(&name), "{name}");
    }
}

#[test]
fn unifying_collision_characters_replaces_dots_with_underscores() {
    for pair in topic_vectors()["unify_collision_chars"]
        .as_array()
        .expect("a list")
    {
        let (input, expected) = (
            pair[0].as_str().expect("in"),
            pair[1].as_str().expect("out"),
        );
        assert_eq!(unify_collision_chars(input), expected);
    }
}

#[test]
fn names_differing_only_by_dot_or_underscore_in_one_position_collide() {
    for pair in topic_vectors()["collide_same_position"]
        .as_array()
        .expect("a list")
    {
        let (a, b) = (pair[0].as_str().expect("a"), pair[1].as_str().expect("b"));
        assert!(has_collision(a, b));
        assert!(TopicName::new(a).expect("valid").collides_with(b));
    }
    assert!(!has_collision("a.b", "ab_"));
}

#[test]
fn creating_a_colliding_topic_is_refused_with_kafkas_text() {
    let err = check_collision("a.b", ["orders", "a_b"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Topic 'a.b' collides with existing topic: a_b"
    );
    assert!(matches!(err, TopicNameError::Collides { .. }));
}

#[test]
fn the_collision_warning_is_kafka_topics_text() {
    assert_eq!(
        COLLISION_WARNING,
        "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both."
    );
}

#[test]
fn the_internal_topics_are_kafkas_three() {
    assert_eq!(
        INTERNAL_TOPICS,
        [
            "__consumer_offsets",
            "__transaction_state",
            "__share_group_state"
        ]
    );
    assert!(INTERNAL_TOPICS
        .iter()
        .all(|t| is_internal(t) && is_valid(t)));
    assert!(!is_internal("__cluster_metadata"));
}

proptest! {
    #[test]
    fn any_legal_name_up_to_249_characters_is_valid(name in "[a-zA-Z0-9._-]{1,249}") {
        prop_assume!(name != "." && name != "..");
        prop_assert!(TopicName::new(name).is_ok());
    }

    #[test]
    fn validation_never_panics_and_names_round_trip(name in any::<String>()) {
        if let Ok(t) = TopicName::new(name.clone()) {
            prop_assert_eq!(t.as_str(), name.as_str());
        }
    }
}
