//! Resuming a query from its checkpoint: the last commit's offsets, watermark and state, and a
//! batch that was logged but not committed, to run again with exactly its offsets.

use super::*;

impl StreamingQuery {
    pub(super) fn recover(
        &mut self,
        store: &mut dyn CheckpointStore,
        location: &str,
    ) -> Result<(), crate::streams::checkpoint::CheckpointError> {
        let last_commit = latest_batch(store, location, "commits");
        if let Some(c) = last_commit {
            let path = offsets_path(location, c);
            let entry = parse_offset_log(&path, c, &store.read(&path).unwrap_or_default())?;
            self.committed = vec![Some(entry.offsets); self.sources.len().max(1)];
            self.committed.truncate(self.sources.len());
            self.next_batch = c + 1;
            let commit = store.read(&commits_path(location, c)).unwrap_or_default();
            let next_wm = commit
                .lines()
                .nth(1)
                .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .and_then(|v| v.get("nextBatchWatermarkMs")?.as_i64());
            if self.watermark_ms.is_some() {
                self.watermark_ms = next_wm.or(Some(0));
                // As Spark after a restart: no batch runs for the watermark alone until a batch
                // with data has run.
                self.batch_watermark_ms = self.watermark_ms;
                self.late_watermark_ms = Some(entry.watermark_ms);
            }
            let mut op = 0;
            while let Some(text) = store.read(&format!("{location}/state/{op}/{c}")) {
                let groups = AggregationState::from_text(&text).ok_or(
                    crate::streams::checkpoint::CheckpointError {
                        path: format!("{location}/state/{op}/{c}"),
                        problem: "the state snapshot does not decode",
                    },
                )?;
                self.states.push(OperatorState {
                    groups,
                    ..OperatorState::default()
                });
                op += 1;
            }
        }
        if let Some(o) = latest_batch(store, location, "offsets") {
            if last_commit.is_none_or(|c| o > c) {
                let path = offsets_path(location, o);
                let entry = parse_offset_log(&path, o, &store.read(&path).unwrap_or_default())?;
                let stream = self.stream_index();
                let from = match self.committed.get(stream) {
                    Some(Some(c)) => c.clone(),
                    _ => self
                        .initial_offsets_from(store, location, stream)
                        .unwrap_or_default(),
                };
                // One entry per source, as `plan_batch` makes them; static sides have none.
                let n = self.sources.len();
                let only_stream = |offsets: &PartitionOffsets| -> Vec<PartitionOffsets> {
                    (0..n)
                        .map(|i| {
                            if i == stream {
                                offsets.clone()
                            } else {
                                PartitionOffsets::default()
                            }
                        })
                        .collect()
                };
                self.pending = Some(PlannedBatch {
                    id: o,
                    start: only_stream(&from),
                    end: only_stream(&entry.offsets),
                    latest: only_stream(&entry.offsets),
                    timestamp_ms: entry.timestamp_ms,
                    delivered: None,
                });
                self.next_batch = o;
            }
        }
        Ok(())
    }

    fn initial_offsets_from(
        &self,
        store: &dyn CheckpointStore,
        location: &str,
        stream: usize,
    ) -> Option<PartitionOffsets> {
        let text = store.read(&format!("{location}/sources/{stream}/0"))?;
        PartitionOffsets::from_json(text.lines().nth(1)?).ok()
    }
}
