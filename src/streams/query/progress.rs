//! [`Progress`]: Spark's `StreamingQueryProgress` for one micro-batch, as `query.lastProgress`
//! returns it (a dict, fields in Spark's order) and the Streams page shows it.

use crate::streams::calendar::{civil_from_days, MICROS_PER_DAY};
use crate::streams::kafka::PartitionOffsets;
use crate::streams::shell::PyValue;

/// One stateful operator's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct StateOperatorProgress {
    /// Groups kept.
    pub num_rows_total: u64,
    /// Groups updated by the batch.
    pub num_rows_updated: u64,
    /// Groups the watermark removed.
    pub num_rows_removed: u64,
    /// Input rows dropped as later than the watermark.
    pub num_rows_dropped_by_watermark: u64,
}

/// One source's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceProgress {
    /// `KafkaV2[Subscribe[orders]]`.
    pub description: String,
    /// Where the batch started (`None` for the first batch).
    pub start_offset: Option<PartitionOffsets>,
    /// Where it ended.
    pub end_offset: PartitionOffsets,
    /// The partitions' ends when the batch was planned.
    pub latest_offset: PartitionOffsets,
    /// Rows read.
    pub num_input_rows: u64,
}

/// One micro-batch's progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The query's id.
    pub id: String,
    /// This run's id.
    pub run_id: String,
    /// `queryName`.
    pub name: Option<String>,
    /// When the trigger fired (ms).
    pub timestamp_ms: i64,
    /// The batch.
    pub batch_id: u64,
    /// Rows read by every source.
    pub num_input_rows: u64,
    /// Rows a second since the previous trigger (NaN when no time passed: left out).
    pub input_rows_per_second: f64,
    /// Rows a second of processing (NaN when it took no measurable time: left out).
    pub processed_rows_per_second: f64,
    /// Wall time of the trigger (ms) as the page's clock measured it.
    pub trigger_execution_ms: i64,
    /// The watermark after the batch (ms), when the query has one.
    pub watermark_ms: Option<i64>,
    /// Event-time statistics of the batch (µs): min, max, avg.
    pub event_time: Option<(i64, i64, i64)>,
    /// Stateful operators.
    pub state_operators: Vec<StateOperatorProgress>,
    /// Sources.
    pub sources: Vec<SourceProgress>,
    /// `ConsoleTable$`, `MemorySink`, `org.apache.spark.sql.kafka010.KafkaTable`, …
    pub sink_description: String,
    /// Rows the sink received.
    pub sink_output_rows: u64,
}

/// `2026-12-06T10:20:30.123Z`: Spark's progress timestamps.
pub fn iso_millis(ms: i64) -> String {
    let micros = ms.saturating_mul(1000);
    let days = micros.div_euclid(MICROS_PER_DAY);
    let of_day_ms = micros.rem_euclid(MICROS_PER_DAY) / 1000;
    let (y, mo, d) = civil_from_days(days);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        of_day_ms / 3_600_000,
        of_day_ms / 60_000 % 60,
        of_day_ms / 1000 % 60,
        of_day_ms % 1000
    )
}

fn offsets_value(o: &PartitionOffsets) -> PyValue {
    let mut topics: Vec<(String, PyValue)> = Vec::new();
    for ((topic, partition), offset) in &o.0 {
        let entry = (partition.to_string(), PyValue::Int(*offset));
        match topics.last_mut() {
            Some((t, PyValue::Dict(parts))) if t == topic => parts.push(entry),
            _ => topics.push((topic.clone(), PyValue::Dict(vec![entry]))),
        }
    }
    PyValue::Dict(topics)
}

fn rate(x: f64) -> PyValue {
    PyValue::Float(x)
}

impl Progress {
    /// The dict `query.lastProgress` returns (Spark's JSON, read by Python); rates that are not
    /// finite are left out, as Spark leaves them out of its JSON.
    pub fn to_py(&self) -> PyValue {
        let mut fields: Vec<(String, PyValue)> = vec![
            ("id".into(), PyValue::Str(self.id.clone())),
            ("runId".into(), PyValue::Str(self.run_id.clone())),
            (
                "name".into(),
                self.name.clone().map_or(PyValue::None, PyValue::Str),
            ),
            (
                "timestamp".into(),
                PyValue::Str(iso_millis(self.timestamp_ms)),
            ),
            ("batchId".into(), PyValue::Int(self.batch_id as i64)),
            (
                "batchDuration".into(),
                PyValue::Int(self.trigger_execution_ms),
            ),
            (
                "numInputRows".into(),
                PyValue::Int(self.num_input_rows as i64),
            ),
        ];
        if self.input_rows_per_second.is_finite() {
            fields.push((
                "inputRowsPerSecond".into(),
                rate(self.input_rows_per_second),
            ));
        }
        if self.processed_rows_per_second.is_finite() {
            fields.push((
                "processedRowsPerSecond".into(),
                rate(self.processed_rows_per_second),
            ));
        }
        fields.push((
            "durationMs".into(),
            PyValue::Dict(vec![
                ("addBatch".into(), PyValue::Int(self.trigger_execution_ms)),
                (
                    "triggerExecution".into(),
                    PyValue::Int(self.trigger_execution_ms),
                ),
            ]),
        ));
        if let Some(wm) = self.watermark_ms {
            let mut event_time = Vec::new();
            if let Some((min, max, avg)) = self.event_time {
                event_time.push(("avg".into(), PyValue::Str(iso_millis(avg / 1000))));
                event_time.push(("max".into(), PyValue::Str(iso_millis(max / 1000))));
                event_time.push(("min".into(), PyValue::Str(iso_millis(min / 1000))));
            }
            event_time.push(("watermark".into(), PyValue::Str(iso_millis(wm))));
            fields.push(("eventTime".into(), PyValue::Dict(event_time)));
        }
        let operators = self
            .state_operators
            .iter()
            .map(|s| {
                PyValue::Dict(vec![
                    ("operatorName".into(), PyValue::Str("stateStoreSave".into())),
                    ("numRowsTotal".into(), PyValue::Int(s.num_rows_total as i64)),
                    (
                        "numRowsUpdated".into(),
                        PyValue::Int(s.num_rows_updated as i64),
                    ),
                    (
                        "numRowsRemoved".into(),
                        PyValue::Int(s.num_rows_removed as i64),
                    ),
                    (
                        "numRowsDroppedByWatermark".into(),
                        PyValue::Int(s.num_rows_dropped_by_watermark as i64),
                    ),
                ])
            })
            .collect();
        fields.push(("stateOperators".into(), PyValue::List(operators)));
        let sources = self
            .sources
            .iter()
            .map(|s| {
                PyValue::Dict(vec![
                    ("description".into(), PyValue::Str(s.description.clone())),
                    (
                        "startOffset".into(),
                        s.start_offset.as_ref().map_or(PyValue::None, offsets_value),
                    ),
                    ("endOffset".into(), offsets_value(&s.end_offset)),
                    ("latestOffset".into(), offsets_value(&s.latest_offset)),
                    ("numInputRows".into(), PyValue::Int(s.num_input_rows as i64)),
                ])
            })
            .collect();
        fields.push(("sources".into(), PyValue::List(sources)));
        fields.push((
            "sink".into(),
            PyValue::Dict(vec![
                (
                    "description".into(),
                    PyValue::Str(self.sink_description.clone()),
                ),
                (
                    "numOutputRows".into(),
                    PyValue::Int(self.sink_output_rows as i64),
                ),
            ]),
        ));
        PyValue::Dict(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_timestamps_are_iso_with_milliseconds() {
        assert_eq!(iso_millis(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(iso_millis(0), "1970-01-01T00:00:00.000Z");
    }
}
