//! Tab completion: candidates for the last word of a partly typed line.
//!
//! Owns what to offer where: tool and built-in names first, then a tool's flags, topic names
//! after `--topic`/`--entity-name`, group ids after `--group`, property keys after `--property`, config names after
//! `--config`/`--add-config`, file names after `<`. Must not change anything.

use super::args::OptSpec;
use super::files::FileSource;
use super::{
    console_consumer, console_producer, kafka_configs, kafka_consumer_groups, kafka_dump_log,
    kafka_get_offsets, kafka_topics, tool_name,
};
use crate::broker::{Broker, TopicConfigs};

/// Names offered for the first word.
pub const COMMANDS: &[&str] = &[
    "clear",
    "echo",
    "exit",
    "help",
    "kafka-configs.sh",
    "kafka-console-consumer.sh",
    "kafka-console-producer.sh",
    "kafka-consumer-groups.sh",
    "kafka-dump-log.sh",
    "kafka-get-offsets.sh",
    "kafka-topics.sh",
    "pyspark",
];

const PRODUCER_PROPERTIES: &[&str] = &[
    "headers.delimiter=",
    "headers.key.separator=",
    "headers.separator=",
    "ignore.error=",
    "key.separator=",
    "null.marker=",
    "parse.headers=true",
    "parse.key=true",
];

const CONSUMER_PROPERTIES: &[&str] = &[
    "headers.separator=",
    "key.separator=",
    "line.separator=",
    "null.literal=",
    "print.headers=true",
    "print.key=true",
    "print.offset=true",
    "print.partition=true",
    "print.timestamp=true",
    "print.value=false",
];

/// The completions of the last word of `partial` (everything after its last space), sorted.
/// Each candidate is the whole word to put in its place; `groups` are the group ids to offer
/// after `--group`.
pub fn complete(
    broker: &Broker,
    files: &dyn FileSource,
    groups: &[String],
    partial: &str,
) -> Vec<String> {
    let words: Vec<&str> = partial.split_whitespace().collect();
    let ends_with_space = partial.ends_with([' ', '\t']) || partial.is_empty();
    let (done, current) = if ends_with_space {
        (words.as_slice(), "")
    } else {
        match words.split_last() {
            Some((last, rest)) => (rest, *last),
            None => (words.as_slice(), ""),
        }
    };
    let mut out: Vec<String> = match done.first() {
        None => COMMANDS.iter().map(|c| (*c).to_owned()).collect(),
        Some(program) => {
            let tool = tool_name(program);
            let previous = done.last().copied().unwrap_or("");
            for_tool(broker, files, groups, tool, previous, done)
        }
    };
    out.retain(|c| c.starts_with(current));
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

fn for_tool(
    broker: &Broker,
    files: &dyn FileSource,
    groups: &[String],
    tool: &str,
    previous: &str,
    done: &[&str],
) -> Vec<String> {
    let topics = || broker.list_topic_names(true);
    let specs: &[OptSpec] = match tool {
        "kafka-topics" => kafka_topics::OPTIONS,
        "kafka-configs" => kafka_configs::OPTIONS,
        "kafka-console-producer" => console_producer::OPTIONS,
        "kafka-console-consumer" => console_consumer::OPTIONS,
        "kafka-consumer-groups" => kafka_consumer_groups::OPTIONS,
        "kafka-get-offsets" => kafka_get_offsets::OPTIONS,
        "kafka-dump-log" => kafka_dump_log::OPTIONS,
        "help" => return COMMANDS.iter().map(|c| (*c).to_owned()).collect(),
        _ => return Vec::new(),
    };
    let config_names = || {
        TopicConfigs::known_names()
            .into_iter()
            .map(|n| format!("{n}="))
            .collect()
    };
    match previous {
        "<" => files.names(),
        "--group" => groups.to_vec(),
        "--state" if tool == "kafka-consumer-groups" && done.contains(&"--list") => [
            "Empty",
            "Stable",
            "PreparingRebalance",
            "CompletingRebalance",
            "Dead",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        "--topic" | "--entity-name" | "--include" => topics(),
        "--entity-type" => vec!["topics".to_owned()],
        "--files" => kafka_dump_log::segment_names(broker),
        "--time" => ["earliest", "latest", "max-timestamp"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        "--offset" => vec!["earliest".to_owned(), "latest".to_owned()],
        "--config" | "--add-config" => config_names(),
        "--delete-config" => config_names()
            .into_iter()
            .map(|n| n.trim_end_matches('=').to_owned())
            .collect(),
        "--property" if tool == "kafka-console-producer" => PRODUCER_PROPERTIES
            .iter()
            .map(|p| (*p).to_owned())
            .collect(),
        "--property" => CONSUMER_PROPERTIES
            .iter()
            .map(|p| (*p).to_owned())
            .collect(),
        "--bootstrap-server" | "--bootstrap-controller" => vec!["localhost:9092".to_owned()],
        _ => specs
            .iter()
            .map(|s| format!("--{}", s.name))
            // Flags already given are not offered again; options that repeat are.
            .filter(|f| {
                !done.contains(&f.as_str())
                    || matches!(
                        f.as_str(),
                        "--config"
                            | "--property"
                            | "--producer-property"
                            | "--consumer-property"
                            | "--group"
                    )
                    || (tool == "kafka-consumer-groups" && f == "--topic")
            })
            .collect(),
    }
}
