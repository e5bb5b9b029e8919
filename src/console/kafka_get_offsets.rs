//! `kafka-get-offsets.sh`: the earliest, latest, max-timestamp or by-time offset of each
//! partition, as `topic:partition:offset` lines.
//!
//! Owns GetOffsetShell's options, its topic-partition filters (`--topic` regex and
//! `--partitions`, or `--topic-partitions t:0,t2:1-3`), its `--time` values, its order
//! (sorted by `topic-partition` as text) and its `Error occurred: …` messages. Must not
//! compute offsets: the broker's ListOffsets does.

use super::args::{self, OptSpec};
use super::kafka_topics::include_list_regex;
use super::output::{usage_error, Output};
use super::Ctx;
use crate::broker::Broker;
use crate::client::TopicPattern;
use crate::log::partition_log::OffsetSpec;
use crate::log::{PartitionLog, Slot};

/// The options, in the order Kafka's help lists them.
pub const OPTIONS: &[OptSpec] = &[
    OptSpec::value("bootstrap-server", "HOST1:PORT1,...,HOST3:PORT3", "REQUIRED. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2. Brooklet's broker listens on localhost:9092."),
    OptSpec::value("command-config", "config file", "Property file containing configs to be passed to Admin Client (accepted, not needed here)."),
    OptSpec::flag("exclude-internal-topics", "By default, internal topics are included. If specified, internal topics are excluded."),
    OptSpec::flag("help", "Print usage information."),
    OptSpec::value("partitions", "partition ids", "Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present."),
    OptSpec::value("time", "<timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered / -6 or earliest-pending-upload", "timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.] (default: latest)"),
    OptSpec::value("topic", "topic", "The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present."),
    OptSpec::value("topic-partitions", "topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3", "Comma separated list of topic-partition patterns to get the offsets for, with the format of '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?'. The first group is an optional regex for the topic name, if omitted, it matches any topic name. The section after ':' describes a 'partition' pattern, which can be: a number, a range in the format of 'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions."),
    OptSpec::flag("version", "Display Kafka version."),
];

const USAGE_TEXT: &str = "An interactive shell for getting topic-partition offsets.";

/// Help text for `kafka-get-offsets.sh --help`.
pub fn help() -> String {
    format!("{USAGE_TEXT}\n{}", args::help_table(OPTIONS))
}

/// What `--time` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Time {
    /// A ListOffsets spec the broker answers.
    Spec(OffsetSpec),
    /// `-3`: the offset of the record with the largest timestamp.
    MaxTimestamp,
    /// `-5`, `-6`: tiered-storage offsets; without tiered storage the answer is unknown.
    Unknown,
}

/// One `--topic-partitions` rule, or `--topic` with `--partitions`.
struct Rule {
    topic: TopicPattern,
    partitions: Partitions,
}

enum Partitions {
    /// Any of these (all when empty).
    Set(Vec<i32>),
    /// `lower <= p < upper`.
    Range(i32, i32),
}

impl Partitions {
    fn allows(&self, p: i32) -> bool {
        match self {
            Self::Set(s) => s.is_empty() || s.contains(&p),
            Self::Range(lo, hi) => *lo <= p && p < *hi,
        }
    }
}

/// `Error occurred: <message>` on stderr, exit 1 (GetOffsetShell's TerseException).
fn terse(message: &str) -> Output {
    Output::failure(format!("Error occurred: {message}\n"))
}

/// An unexpected exception: the message, then its class and message as a stack trace starts.
fn thrown(class: &str, message: &str) -> Output {
    Output::failure(format!(
        "Error occurred: {message}\n{class}: {message}\n\tat org.apache.kafka.tools.GetOffsetShell.execute(GetOffsetShell.java)\n"
    ))
}

/// Runs `kafka-get-offsets.sh`.
pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Output {
    if argv.is_empty() {
        return usage_error(USAGE_TEXT, &args::help_table(OPTIONS));
    }
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => return terse(&e.to_string()),
    };
    if opts.has("help") {
        return Output::stdout(help());
    }
    if opts.has("version") {
        return Output::stdout(format!("{}\n", super::KAFKA_VERSION));
    }
    if let Err(e) = args::require(&opts, &["bootstrap-server"]) {
        return usage_error(&e.to_string(), &args::help_table(OPTIONS));
    }
    if opts.has("topic-partitions") && (opts.has("topic") || opts.has("partitions")) {
        return terse("--topic-partitions cannot be used with --topic or --partitions");
    }
    let time = match parse_time(opts.value("time").unwrap_or("latest")) {
        Ok(t) => t,
        Err(out) => return out,
    };
    let rules = match opts.value("topic-partitions") {
        Some(list) => {
            let mut rules = Vec::new();
            for spec in list.split(',') {
                match parse_rule(spec) {
                    Ok(r) => rules.push(r),
                    Err(out) => return out,
                }
            }
            rules
        }
        None => {
            let partitions = match partition_set(opts.value("partitions")) {
                Ok(p) => p,
                Err(out) => return out,
            };
            match include_list(opts.value("topic").unwrap_or(".*")) {
                Ok(topic) => vec![Rule {
                    topic,
                    partitions: Partitions::Set(partitions),
                }],
                Err(out) => return out,
            }
        }
    };
    // fetchOffsets builds its admin client once the time and the filters parsed, then lists
    // the topics.
    if let Err(out) = ctx.connect(&opts).and_then(|client| client.request()) {
        return out;
    }
    let broker = ctx.broker.borrow();
    let mut found: Vec<(String, i32)> = Vec::new();
    for name in broker.list_topic_names(!opts.has("exclude-internal-topics")) {
        let Some(topic) = broker.topic(&name) else {
            continue;
        };
        if !rules.iter().any(|r| r.topic.matches(&name)) {
            continue;
        }
        for p in 0..topic.partition_count() {
            if rules
                .iter()
                .any(|r| r.topic.matches(&name) && r.partitions.allows(p))
            {
                found.push((name.clone(), p));
            }
        }
    }
    if found.is_empty() {
        return terse("Could not match any topic-partitions with the specified filters");
    }
    // A TreeMap ordered by TopicPartition.toString(): `topic-partition` compared as text.
    crate::sort::sort_by_key(&mut found, |(t, p)| format!("{t}-{p}"));
    let mut out = Output::ok();
    for (t, p) in found {
        match offset(&broker, &t, p, time) {
            Ok(Some(o)) => out.out_line(&format!("{t}:{p}:{o}")),
            Ok(None) => {}
            Err(e) => out.err_line(&format!(
                "Skip getting offsets for topic-partition {t}-{p} due to error: {e}"
            )),
        }
    }
    out
}

/// GetOffsetShell.parseOffsetSpec.
fn parse_time(raw: &str) -> Result<Time, Output> {
    let named = match raw {
        "earliest" | "earliest-local" => Some(Time::Spec(OffsetSpec::Earliest)),
        "latest" => Some(Time::Spec(OffsetSpec::Latest)),
        "max-timestamp" => Some(Time::MaxTimestamp),
        "latest-tiered" | "earliest-pending-upload" => Some(Time::Unknown),
        _ => None,
    };
    if let Some(t) = named {
        return Ok(t);
    }
    let Ok(ms) = raw.parse::<i64>() else {
        return Err(terse(&format!("Malformed time argument {raw}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered / -6 or earliest-pending-upload, or a specified long format timestamp")));
    };
    Ok(match ms {
        -1 => Time::Spec(OffsetSpec::Latest),
        -2 | -4 => Time::Spec(OffsetSpec::Earliest),
        -3 => Time::MaxTimestamp,
        -5 | -6 => Time::Unknown,
        t => Time::Spec(OffsetSpec::Timestamp(t)),
    })
}

/// `IncludeList`: Kafka's topic regex (commas as alternatives), whole-name match.
fn include_list(raw: &str) -> Result<TopicPattern, Output> {
    let regex = include_list_regex(raw);
    TopicPattern::new(&regex).map_err(|_| {
        thrown(
            "java.lang.RuntimeException",
            &format!("{regex} is an invalid regex."),
        )
    })
}

/// `--partitions 0,1`: a set of partition ids.
fn partition_set(raw: Option<&str>) -> Result<Vec<i32>, Output> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(|p| p.parse::<i32>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| terse(&format!("--partitions expects a comma separated list of numeric partition ids, but received: {raw}")))
}

/// One rule of `--topic-partitions`: `([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?`.
fn parse_rule(spec: &str) -> Result<Rule, Output> {
    let invalid = || {
        thrown(
            "java.lang.RuntimeException",
            &format!("org.apache.kafka.tools.TerseException: Invalid rule specification: {spec}"),
        )
    };
    let (topic, partition) = match spec.split_once(':') {
        Some((t, p)) => (t, Some(p)),
        None => (spec, None),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let number = |s: &str, default: i32| -> Result<i32, Output> {
        if s.is_empty() {
            return Ok(default);
        }
        s.parse::<i32>().map_err(|_| {
            thrown(
                "java.lang.NumberFormatException",
                &format!("For input string: \"{s}\""),
            )
        })
    };
    let partitions = match partition {
        None => Partitions::Range(0, i32::MAX),
        Some(p) if digits(p) && !p.is_empty() => Partitions::Set(vec![number(p, 0)?]),
        Some("") => Partitions::Range(0, i32::MAX),
        Some(p) => match p.split_once('-') {
            Some((lo, hi)) if digits(lo) && digits(hi) => {
                Partitions::Range(number(lo, 0)?, number(hi, i32::MAX)?)
            }
            _ => return Err(invalid()),
        },
    };
    if topic.contains(':') {
        return Err(invalid());
    }
    let topic = include_list(if topic.is_empty() { ".*" } else { topic })?;
    Ok(Rule { topic, partitions })
}

/// The offset ListOffsets answers, `None` when it is unknown (GetOffsetShell prints nothing).
fn offset(broker: &Broker, topic: &str, p: i32, time: Time) -> Result<Option<i64>, String> {
    match time {
        Time::Spec(spec) => broker
            .list_offsets(topic, p, spec)
            .map(|o| o.map(|o| o.offset))
            .map_err(|e| e.to_string()),
        Time::Unknown => Ok(None),
        Time::MaxTimestamp => {
            let partition = broker.partition(topic, p).map_err(|e| e.to_string())?;
            max_timestamp_offset(&partition.log).map_err(|cold| match cold {
                // Brooklet: the batch to read is in this browser's storage only; asking for
                // it has the loading loop bring it back.
                MaxTimestampError::Cold => format!(
                    "The log of {topic}-{p} is still loading from this browser's storage. Try again in a moment."
                ),
                MaxTimestampError::Corrupt(e) => e,
            })
        }
    }
}

/// Why the offset of the largest timestamp is not known.
enum MaxTimestampError {
    /// The batch that holds it is in storage only (it was asked for).
    Cold,
    /// A batch could not be decoded.
    Corrupt(String),
}

/// The offset of the first record with the largest timestamp between the log start and the
/// high watermark. Batches' summaries say which batches hold the largest timestamp, so only
/// those are decoded: an evicted log needs just that batch back, not every record.
fn max_timestamp_offset(log: &PartitionLog) -> Result<Option<i64>, MaxTimestampError> {
    let (start, hw) = (log.log_start_offset(), log.high_watermark());
    let slots: Vec<&Slot> = log
        .segments()
        .iter()
        .flat_map(|s| s.slots())
        .filter(|s| s.base_offset() < hw && s.last_offset() >= start)
        .collect();
    // Batches in order of their largest timestamp, newest first, then by offset: the first
    // batch with an in-range record at its largest timestamp answers (a batch cut by the log
    // start or the high watermark may hold it outside the range; then the next one is read).
    let mut order = slots;
    crate::sort::sort_by_key(&mut order, |s| {
        (
            std::cmp::Reverse(s.summary().max_timestamp),
            s.base_offset(),
        )
    });
    let mut best: Option<(i64, i64)> = None;
    for slot in order {
        let max = slot.summary().max_timestamp;
        // Batches with the same largest timestamp come in offset order, so one found at it
        // already is the first.
        if best.is_some_and(|(ts, _)| ts >= max) {
            break;
        }
        let Some(batch) = slot.batch() else {
            log.want(slot.base_offset());
            return Err(MaxTimestampError::Cold);
        };
        let records = batch
            .records()
            .map_err(|e| MaxTimestampError::Corrupt(e.to_string()))?;
        for r in records {
            if r.offset >= hw || r.offset < start {
                continue;
            }
            if best.is_none_or(|(ts, offset)| {
                r.timestamp > ts || (r.timestamp == ts && r.offset < offset)
            }) {
                best = Some((r.timestamp, r.offset));
            }
        }
    }
    Ok(best.map(|(_, o)| o))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log of five 3-record batches whose timestamps peak in the middle one (offset 7),
    /// everything stored and then evicted, and the batches' bytes.
    fn evicted_log() -> (PartitionLog, Vec<bytes::Bytes>) {
        use crate::log::{Keep, LogConfig, NewRecord};
        let mut log = PartitionLog::new(
            crate::protocol::TopicPartition::new("t", 0),
            LogConfig::default(),
            0,
        );
        for b in 0..5i64 {
            let records: Vec<NewRecord> = (0..3i64)
                .map(|i| {
                    let ts = if b * 3 + i == 7 {
                        9_000
                    } else {
                        1_000 + b * 3 + i
                    };
                    NewRecord::new(None, Some(bytes::Bytes::from(format!("{b}-{i}"))), ts)
                })
                .collect();
            log.append(&records, 0).expect("appended");
        }
        log.set_high_watermark(15);
        let chunks = log.segments()[0]
            .batches()
            .map(|b| b.as_bytes().clone())
            .collect();
        log.mark_stored(log.stored_mark());
        let keep = Keep {
            tail_bytes: 0,
            ahead_bytes: 0,
        };
        log.evict_oldest(u64::MAX, keep);
        (log, chunks)
    }

    #[test]
    fn the_largest_timestamp_of_an_evicted_log_needs_only_the_batch_that_holds_it() {
        let (mut log, chunks) = evicted_log();
        assert!(matches!(
            max_timestamp_offset(&log),
            Err(MaxTimestampError::Cold)
        ));
        // Only the batch holding the largest timestamp was asked for.
        assert_eq!(log.take_wanted(), vec![6]);
        let run = log
            .cold_run_at(6, crate::log::RunLimit::batches(1))
            .expect("cold");
        log.hydrate(&run, vec![chunks[2].clone()]).expect("loaded");
        assert!(matches!(max_timestamp_offset(&log), Ok(Some(7))));
        assert!(
            log.segments()[0].slots()[0].batch().is_none(),
            "still evicted"
        );
    }

    #[test]
    fn time_names_and_numbers_map_to_kafkas_offset_specs() {
        assert_eq!(parse_time("-1"), Ok(Time::Spec(OffsetSpec::Latest)));
        assert_eq!(parse_time("earliest"), Ok(Time::Spec(OffsetSpec::Earliest)));
        assert_eq!(parse_time("-3"), Ok(Time::MaxTimestamp));
        assert_eq!(
            parse_time("1700000000000"),
            Ok(Time::Spec(OffsetSpec::Timestamp(1_700_000_000_000)))
        );
        assert!(parse_time("yesterday").is_err());
    }

    #[test]
    fn partition_rules_accept_numbers_ranges_and_open_bounds() {
        let allows = |spec: &str, p: i32| parse_rule(spec).map(|r| r.partitions.allows(p));
        assert_eq!(allows("t:1", 1), Ok(true));
        assert_eq!(allows("t:1", 2), Ok(false));
        assert_eq!(allows("t:0-2", 2), Ok(false));
        assert_eq!(allows("t:1-", 5), Ok(true));
        assert_eq!(allows("t:-2", 1), Ok(true));
        assert_eq!(allows("t", 7), Ok(true));
        assert!(parse_rule("t:x").is_err());
        assert!(parse_rule("t:1:2").is_err());
    }
}
