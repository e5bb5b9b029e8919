//! The `help` built-in: what this terminal can run, and where it differs from a real shell
//! with Kafka installed.
//!
//! Owns the overview text and `help <tool>`. Must not describe options itself: each tool's
//! own `help()` (its `--help`) does.

use super::output::Output;
use super::{
    console_consumer, console_producer, kafka_configs, kafka_consumer_groups, kafka_dump_log,
    kafka_get_offsets, kafka_topics, pyspark, tool_name,
};

/// The overview `help` prints.
pub const OVERVIEW: &str = "\
Brooklet console: Kafka's command-line tools, running against the cluster in this tab.

Tools (also as bin/kafka-*.sh, or without .sh):
  kafka-topics.sh            create, list, describe, alter (partitions), delete topics
  kafka-configs.sh           describe and alter topic configs
  kafka-console-producer.sh  send lines as records (heredoc <<EOF, < file, or type lines then Ctrl-D)
  kafka-console-consumer.sh  print records (--group g joins group g and commits where it stopped;
                             without --group: random group, nothing committed)
  kafka-consumer-groups.sh   list, describe (offsets, lag, members, state), reset offsets, delete groups
  kafka-get-offsets.sh       earliest, latest, max-timestamp or by-time offsets (topic:partition:offset)
  kafka-dump-log.sh          print a segment's batches and records (--files orders-0/00000000000000000000.log)
  pyspark                    Spark's Python shell over these topics (pyspark <<'EOF' … EOF runs a program)

Built-ins: help [tool], clear, echo, exit

Notes:
  --bootstrap-server is required as in Kafka; the broker listens on localhost:9092
  (127.0.0.1:9092 works too; any other address fails to connect).
  The console consumer keeps printing new records until Ctrl-C (or --max-messages N,
  or --timeout-ms T without a record); in a script it prints the records there are and stops.
  Quotes, backslash escapes, line continuations (\\), # comments, <<EOF heredocs and
  < file work as in bash; pipes, ; and > do not.
  A console consumer with --group is a member while it runs; on exit it commits and leaves,
  so kafka-consumer-groups.sh --describe then shows the group Empty with its offsets and lag.
";

/// Runs `help [tool]`.
pub fn run(argv: &[String]) -> Output {
    match argv.first().map(|t| tool_name(t)) {
        None => Output::stdout(OVERVIEW),
        Some("kafka-topics") => Output::stdout(kafka_topics::help()),
        Some("kafka-configs") => Output::stdout(kafka_configs::help()),
        Some("kafka-console-producer") => Output::stdout(console_producer::help()),
        Some("kafka-console-consumer") => Output::stdout(console_consumer::help()),
        Some("kafka-consumer-groups") => Output::stdout(kafka_consumer_groups::help()),
        Some("kafka-get-offsets") => Output::stdout(kafka_get_offsets::help()),
        Some("kafka-dump-log") => Output::stdout(kafka_dump_log::help()),
        Some("pyspark") => Output::stdout(pyspark::help()),
        Some(other) => Output::failure(format!("help: no help for '{other}'\n")),
    }
}
