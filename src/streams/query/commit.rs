//! Committing a micro-batch once its sink has the rows: the watermark moves, the state snapshots
//! and the commit log are written, and the batch's progress is recorded.

use super::*;

impl StreamingQuery {
    /// Commits the batch once the Kafka sink's records are acknowledged (at once for the
    /// other sinks).
    pub(super) fn await_deliveries(
        &mut self,
        env: &mut QueryEnv<'_>,
        batch: &PlannedBatch,
        summary: RunSummary,
        now: i64,
    ) -> Step {
        let RunSummary {
            input_rows,
            output_rows,
            event_time,
        } = summary;
        if let Some(p) = &mut self.producer {
            p.poll();
            let failed = self.delivery_failures.borrow_mut().drain(..).next();
            if let Some(why) = failed {
                // The store refused the sink's records: the batch is not committed, and the
                // query stops as Spark's does when its Kafka producer fails.
                self.pending = None;
                self.fail(why);
                return Step::default();
            }
            if p.outstanding() > 0 {
                self.status_message = "Waiting for the sink's records to be stored".to_string();
                return Step {
                    waiting_for_store: true,
                    ..Step::default()
                };
            }
        }
        let location = self.spec.checkpoint.trim_end_matches('/').to_string();
        self.late_watermark_ms = self.batch_watermark_ms;
        if let (Some(max), Some(delay)) =
            (self.max_event_time, self.analyzed.watermark_delays.first())
        {
            let candidate = (max - delay).div_euclid(1000);
            self.watermark_ms = Some(self.watermark_ms.unwrap_or(0).max(candidate));
        }
        for (op, state) in self.states.iter().enumerate() {
            env.catalog.checkpoints.write(
                &format!("{location}/state/{op}/{}", batch.id),
                state.groups.to_text(),
            );
        }
        env.catalog.checkpoints.write(
            &commits_path(&location, batch.id),
            commit_log_text(self.watermark_ms.unwrap_or(0)),
        );
        forget_old_batches(
            &mut env.catalog.checkpoints,
            &location,
            batch.id,
            self.states.len(),
        );
        for (i, end) in batch.end.iter().enumerate() {
            if let Some(c) = self.committed.get_mut(i) {
                *c = Some(end.clone());
            }
        }
        let since_last = self.progress.last().map(|p| now - p.timestamp_ms);
        let input_rate = match since_last {
            Some(ms) if ms > 0 => input_rows as f64 * 1000.0 / ms as f64,
            _ => f64::NAN,
        };
        let sources = self
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.streaming)
            .map(|(i, s)| SourceProgress {
                description: describe_source(s),
                start_offset: if batch.id == 0 {
                    None
                } else {
                    batch.start.get(i).cloned()
                },
                end_offset: batch.end.get(i).cloned().unwrap_or_default(),
                latest_offset: batch.latest.get(i).cloned().unwrap_or_default(),
                num_input_rows: input_rows,
            })
            .collect();
        let progress = Progress {
            id: self.id.clone(),
            run_id: self.run_id.clone(),
            name: self.spec.name.clone(),
            timestamp_ms: batch.timestamp_ms,
            batch_id: batch.id,
            num_input_rows: input_rows,
            input_rows_per_second: input_rate,
            processed_rows_per_second: f64::NAN,
            trigger_execution_ms: now - batch.timestamp_ms,
            // Spark reports the watermark the batch ran with (`batchWatermarkMs`), not the one
            // it moved to for the next batch.
            watermark_ms: self.batch_watermark_ms,
            event_time,
            state_operators: self
                .states
                .iter()
                .map(|s| StateOperatorProgress {
                    num_rows_total: s.groups.len() as u64,
                    num_rows_updated: s.updated,
                    num_rows_removed: s.removed,
                    num_rows_dropped_by_watermark: s.dropped_by_watermark,
                })
                .collect(),
            sources,
            sink_description: sink_description(&self.spec.sink),
            sink_output_rows: output_rows,
        };
        self.progress.push(progress);
        if self.progress.len() > RECENT_PROGRESS {
            self.progress.remove(0);
        }
        self.pending = None;
        self.next_batch = batch.id + 1;
        self.status_message = "Waiting for next trigger".to_string();
        if self.spec.trigger == Trigger::Once {
            self.end();
            self.status_message = "Stopped".to_string();
        }
        Step {
            ran: true,
            ..Step::default()
        }
    }
}

pub(super) fn sink_description(sink: &Sink) -> String {
    match sink {
        Sink::Console { .. } => {
            "org.apache.spark.sql.execution.streaming.ConsoleTable$".to_string()
        }
        Sink::Memory { .. } => "MemorySink".to_string(),
        Sink::Kafka { .. } => "org.apache.spark.sql.kafka010.KafkaTable".to_string(),
        Sink::Table { name } => format!("DeltaSink[{name}]"),
    }
}

/// Spark's `spark.sql.streaming.minBatchesToRetain`: the checkpoint keeps the last 100 batches.
const BATCHES_TO_RETAIN: u64 = 100;

/// Removes the offset log, commit log and state files of batches older than the last
/// [`BATCHES_TO_RETAIN`], once batch `committed` is committed, so a long-running query's
/// checkpoint stays bounded.
fn forget_old_batches(
    store: &mut dyn CheckpointStore,
    location: &str,
    committed: u64,
    operators: usize,
) {
    let Some(old) = committed.checked_sub(BATCHES_TO_RETAIN) else {
        return;
    };
    store.remove(&offsets_path(location, old));
    store.remove(&commits_path(location, old));
    for op in 0..operators {
        store.remove(&format!("{location}/state/{op}/{old}"));
    }
}
