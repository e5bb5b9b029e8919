//! `kafka-dump-log.sh`: prints a log segment's batches (and with `--print-data-log` its
//! records) as Kafka's DumpLogSegments does.
//!
//! Brooklet keeps no files: a segment "file" is named as Kafka names it on disk,
//! `<topic>-<partition>/<20-digit base offset>.log`, and read from the tab's log. Owns the
//! tool's options, the name lookup and the output lines. Must not decode batches itself: the
//! log's batch codec does.

use super::args::{self, OptSpec};
use super::output::{usage_error, Output};
use super::Ctx;
use crate::broker::Broker;
use crate::log::{RecordBatch, Segment, TimestampType};

/// The options, in the order Kafka's help lists them.
pub const OPTIONS: &[OptSpec] = &[
    OptSpec::flag("deep-iteration", "if set, uses deep instead of shallow iteration. Automatically set if print-data-log is enabled."),
    OptSpec::value("files", "String: file1, file2, ...", "REQUIRED: The comma separated list of data and index log files to be dumped. In Brooklet, segments are named as Kafka names them inside the tab's log, e.g. orders-0/00000000000000000000.log."),
    OptSpec::flag("help", "Print usage information."),
    OptSpec::flag("print-data-log", "If set, printing the messages content when dumping data logs. Automatically set if any decoder option is specified."),
    OptSpec::flag("skip-record-metadata", "Whether to skip printing metadata for each record."),
    OptSpec::flag("version", "Display Kafka version."),
];

const USAGE_TEXT: &str = "This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.";

/// How many segment names an unknown-file error lists.
const LISTED: usize = 20;

/// Help text for `kafka-dump-log.sh --help`.
pub fn help() -> String {
    format!(
        "{USAGE_TEXT}\nBrooklet has no files: segment \"files\" are named as Kafka names them inside the tab's log, `<topic>-<partition>/<20-digit base offset>.log`, e.g. orders-0/00000000000000000000.log.\n{}",
        args::help_table(OPTIONS)
    )
}

/// Runs `kafka-dump-log.sh`.
pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Output {
    let usage = |m: &str| usage_error(m, &args::help_table(OPTIONS));
    if argv.is_empty() {
        return usage(USAGE_TEXT);
    }
    let opts = match args::parse(OPTIONS, argv) {
        Ok(o) => o,
        Err(e) => {
            return Output::failure(format!(
                "Exception in thread \"main\" {}: {e}\n",
                e.java_class()
            ))
        }
    };
    if opts.has("help") {
        return Output::stdout(help());
    }
    if opts.has("version") {
        return Output::stdout(format!("{}\n", super::KAFKA_VERSION));
    }
    if let Err(e) = args::require(&opts, &["files"]) {
        return usage(&e.to_string());
    }
    let print_data = opts.has("print-data-log");
    let deep = print_data || opts.has("deep-iteration");
    let skip_metadata = opts.has("skip-record-metadata");
    let broker = ctx.broker.borrow();
    let mut out = Output::ok();
    for file in opts.value("files").unwrap_or("").split(',') {
        out.out_line(&format!("Dumping {file}"));
        let Some(stem) = file.strip_suffix(".log") else {
            out.err_line(&format!("Ignoring unknown file {file}"));
            continue;
        };
        let name = stem.rsplit(['/', '\\']).next().unwrap_or(stem);
        let Ok(base) = name.parse::<i64>() else {
            out.append(Output::failure(format!(
                "Exception in thread \"main\" java.lang.NumberFormatException: For input string: \"{name}\"\n"
            )));
            return out;
        };
        out.out_line(&format!("Log starting offset: {base}"));
        let Some(segment) = find(&broker, stem, base) else {
            out.append(no_such_file(&broker, file));
            return out;
        };
        if segment.is_cold() {
            // Brooklet: some of the segment's batches are in storage only (after a reload, or
            // evicted from the batch cache once stored); this tool prints only what is in
            // memory, and a segment larger than the cache is never all in memory at once.
            out.append(Output::failure(format!(
                "Brooklet: segment {file} has {} batch(es) in this browser's storage only (records leave memory once stored and are read back when a consumer reads them), and kafka-dump-log prints a segment only when all of it is in memory. Read the topic first (kafka-console-consumer.sh --from-beginning), or give the topic smaller segments (kafka-configs.sh --alter --add-config segment.bytes=1048576) so each one fits.\n",
                segment.cold_count()
            )));
            return out;
        }
        dump(&mut out, segment, deep, print_data, skip_metadata);
    }
    out
}

/// The segment `<topic>-<partition>/<base>` (any leading directories ignored).
fn find<'b>(broker: &'b Broker, stem: &str, base: i64) -> Option<&'b Segment> {
    let mut parts = stem.rsplit(['/', '\\']);
    let file = parts.next()?;
    let dir = parts.next()?;
    if file.len() != 20 {
        return None;
    }
    let (topic, partition) = dir.rsplit_once('-')?;
    let partition: i32 = partition.parse().ok()?;
    let p = broker.partition(topic, partition).ok()?;
    p.log.segments().iter().find(|s| s.base_offset() == base)
}

/// Kafka's `NoSuchFileException`, then the segment names there are.
fn no_such_file(broker: &Broker, file: &str) -> Output {
    let mut out = Output::failure(format!(
        "Exception in thread \"main\" java.nio.file.NoSuchFileException: {file}\n"
    ));
    let names = segment_names(broker);
    if names.is_empty() {
        out.err_line("Brooklet: there are no segments yet (create a topic first).");
        return out;
    }
    out.err_line(
        "Brooklet's segment files are named <topic>-<partition>/<base offset>.log; there are:",
    );
    for n in names.iter().take(LISTED) {
        out.err_line(&format!("  {n}"));
    }
    if names.len() > LISTED {
        out.err_line(&format!("  ... and {} more", names.len() - LISTED));
    }
    out
}

/// Every segment of the non-internal topics, as Kafka names its file.
pub fn segment_names(broker: &Broker) -> Vec<String> {
    let mut names = Vec::new();
    for topic in broker.list_topic_names(false) {
        let Some(t) = broker.topic(&topic) else {
            continue;
        };
        for (i, p) in t.partitions.iter().enumerate() {
            for s in p.log.segments() {
                names.push(format!("{topic}-{i}/{:020}.log", s.base_offset()));
            }
        }
    }
    names
}

fn timestamp_type(t: TimestampType) -> &'static str {
    match t {
        TimestampType::CreateTime => "CreateTime",
        TimestampType::LogAppendTime => "LogAppendTime",
    }
}

fn codec(batch: &RecordBatch) -> &'static str {
    match batch.attributes() & 0x7 {
        0 => "none",
        1 => "gzip",
        2 => "snappy",
        3 => "lz4",
        4 => "zstd",
        _ => "unknown",
    }
}

/// `printBatchLevel` and, deep, one `| offset: …` line per record.
fn dump(out: &mut Output, segment: &Segment, deep: bool, print_data: bool, skip_metadata: bool) {
    let mut position: u64 = 0;
    for batch in segment.batches() {
        let last_sequence = if batch.base_sequence() < 0 {
            -1
        } else {
            batch
                .base_sequence()
                .wrapping_add(batch.last_offset_delta())
        };
        let horizon = match batch.delete_horizon_ms() {
            Some(ms) => format!("OptionalLong[{ms}]"),
            None => "OptionalLong.empty".to_owned(),
        };
        let ts_type = timestamp_type(batch.timestamp_type());
        out.out_line(&format!(
            "baseOffset: {} lastOffset: {} count: {} baseSequence: {} lastSequence: {last_sequence} producerId: {} producerEpoch: {} partitionLeaderEpoch: {} isTransactional: {} isControl: {} deleteHorizonMs: {horizon} position: {position} {ts_type}: {} size: {} magic: 2 compresscodec: {} crc: {} isvalid: true",
            batch.base_offset(),
            batch.last_offset(),
            batch.record_count(),
            batch.base_sequence(),
            batch.producer_id(),
            batch.producer_epoch(),
            batch.partition_leader_epoch(),
            batch.is_transactional(),
            batch.is_control(),
            batch.max_timestamp(),
            batch.size_in_bytes(),
            codec(batch),
            batch.crc(),
        ));
        position += u64::from(batch.size_in_bytes());
        if !deep {
            continue;
        }
        let records = match batch.records() {
            Ok(r) => r,
            Err(e) => {
                out.err_line(&format!("Brooklet: could not decode the batch: {e}"));
                continue;
            }
        };
        for r in records {
            let mut line = String::from("|");
            let mut prefix = " ";
            if !skip_metadata {
                let delta = i32::try_from(r.offset - batch.base_offset()).unwrap_or(0);
                let sequence = if batch.base_sequence() < 0 {
                    -1
                } else {
                    batch.base_sequence().wrapping_add(delta)
                };
                let headers: Vec<&str> = r.headers.iter().map(|h| h.key.as_str()).collect();
                line.push_str(&format!(
                    " offset: {} {ts_type}: {} keySize: {} valueSize: {} sequence: {sequence} headerKeys: [{}]",
                    r.offset,
                    r.timestamp,
                    r.key.as_ref().map_or(-1, |k| i64::try_from(k.len()).unwrap_or(-1)),
                    r.value.as_ref().map_or(-1, |v| i64::try_from(v.len()).unwrap_or(-1)),
                    headers.join(", ")
                ));
                prefix = " ";
            }
            if print_data && !batch.is_control() {
                if let Some(k) = &r.key {
                    line.push_str(&format!("{prefix}key: {}", String::from_utf8_lossy(k)));
                }
                if let Some(v) = &r.value {
                    line.push_str(&format!(" payload: {}", String::from_utf8_lossy(v)));
                }
            }
            out.out_line(&line);
        }
    }
}
