//! Planning the next micro-batch: each source's end offsets (cut by `maxOffsetsPerTrigger`,
//! capped at the start's ends for `once` / `availableNow`), and the offset log entry written
//! before the batch runs.

use super::*;

impl StreamingQuery {
    /// Where stream `i` starts (`startingOffsets`, read now), written to the checkpoint's
    /// `sources/i/0` as Spark writes its initial offsets. Spark resolves `latest` when the query
    /// starts, so the session calls this from `start` (see [`StreamingQuery::initialize`]).
    pub(super) fn initialize_source(
        &mut self,
        broker: &SharedBroker,
        catalog: &mut Catalog,
        i: usize,
    ) -> PartitionOffsets {
        let location = self.spec.checkpoint.trim_end_matches('/').to_string();
        let Some(source) = self.sources.get(i) else {
            return PartitionOffsets::default();
        };
        let parts = partitions_of(broker, &source.options.strategy);
        let latest = offsets_of(broker, &parts, false);
        let earliest = offsets_of(broker, &parts, true);
        let initial = match &source.options.starting {
            OffsetLimit::Earliest => earliest,
            OffsetLimit::Latest => latest,
            OffsetLimit::Specific(o) => resolve_specific(o, &earliest, &latest),
        };
        catalog.checkpoints.write(
            &format!("{location}/sources/{i}/0"),
            format!("v1\n{}", initial.to_json()),
        );
        if let Some(c) = self.committed.get_mut(i) {
            *c = Some(initial.clone());
        }
        initial
    }

    /// Fixes where each new stream starts, at the query's start (a query resumed from its
    /// checkpoint keeps its offsets).
    pub fn initialize(&mut self, broker: &SharedBroker, catalog: &mut Catalog) {
        if self.pending.is_some() {
            return;
        }
        let location = self.spec.checkpoint.trim_end_matches('/').to_string();
        for i in 0..self.sources.len() {
            let fresh =
                self.sources[i].streaming && self.committed.get(i).is_some_and(Option::is_none);
            if !fresh || !self.sources[i].options.reaches_playground() {
                continue;
            }
            let stored = catalog
                .checkpoints
                .read(&format!("{location}/sources/{i}/0"))
                .and_then(|text| PartitionOffsets::from_json(text.lines().nth(1)?).ok());
            match stored {
                Some(initial) => self.committed[i] = Some(initial),
                None => {
                    self.initialize_source(broker, catalog, i);
                }
            }
        }
    }

    /// Decides the next batch's offsets and logs them; `false` when there is nothing to do.
    pub(super) fn plan_batch(&mut self, env: &mut QueryEnv<'_>, now: i64) -> Result<bool, String> {
        self.last_trigger_ms = Some(now);
        let location = self.spec.checkpoint.trim_end_matches('/').to_string();
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        let mut latests = Vec::new();
        for i in 0..self.sources.len() {
            let source = self.sources[i].clone();
            if !source.options.reaches_playground() {
                return Err(crate::streams::session::error::SessionError::Unreachable.to_string());
            }
            if !source.streaming {
                starts.push(PartitionOffsets::default());
                ends.push(PartitionOffsets::default());
                latests.push(PartitionOffsets::default());
                continue;
            }
            let parts = partitions_of(env.broker, &source.options.strategy);
            let latest = offsets_of(env.broker, &parts, false);
            let earliest = offsets_of(env.broker, &parts, true);
            let start = match &self.committed[i] {
                Some(c) => c.clone(),
                None => self.initialize_source(env.broker, env.catalog, i),
            };
            // Partitions that appeared since the start begin at their earliest offset.
            let mut from = start.clone();
            for (tp, off) in &earliest.0 {
                from.0.entry(tp.clone()).or_insert(*off);
            }
            // A partition whose end went back (the topic was deleted and made again): Spark's
            // data-loss rule, then the query goes on from the new end.
            for (tp, at) in from.0.iter_mut() {
                let Some(&end) = latest.0.get(tp) else {
                    continue;
                };
                if *at > end {
                    if source.options.fail_on_data_loss {
                        return Err(format!(
                            "Partition {}-{}'s offset was changed from {at} to {end}, some data may have been missed. Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you don't want your streaming query to fail on such cases, set the source option \"failOnDataLoss\" to \"false\".",
                            tp.0, tp.1
                        ));
                    }
                    *at = end;
                }
            }
            if self.target.is_none()
                && matches!(self.spec.trigger, Trigger::AvailableNow | Trigger::Once)
            {
                self.target = Some(Vec::new());
            }
            if let Some(t) = &mut self.target {
                if t.len() <= i {
                    t.push(latest.clone());
                }
            }
            let cap = match &self.target {
                Some(t) => t.get(i).cloned().unwrap_or_else(|| latest.clone()),
                None => latest.clone(),
            };
            let end = match source.options.max_offsets_per_trigger {
                Some(limit) if self.spec.trigger != Trigger::Once => {
                    rate_limit(limit, &from, &cap, &earliest)
                }
                _ => cap,
            };
            starts.push(from);
            ends.push(end);
            latests.push(latest);
        }
        let has_data = starts
            .iter()
            .zip(&ends)
            .any(|(s, e)| s.records_until(e) > 0);
        // Spark runs a batch without data when the watermark moved, to evict — in append and
        // update modes only (`StateStoreSaveExec.shouldRunAnotherBatch`).
        let watermark_moved = self.watermark_ms != self.batch_watermark_ms
            && !self.states.is_empty()
            && self.spec.mode != OutputMode::Complete;
        if !has_data && !watermark_moved {
            if matches!(self.spec.trigger, Trigger::Once | Trigger::AvailableNow) {
                self.end();
                self.status_message = "Stopped".to_string();
            } else {
                self.status_message = "Waiting for data to arrive".to_string();
            }
            return Ok(false);
        }
        let id = self.next_batch;
        let entry = OffsetLogEntry {
            batch_id: id,
            watermark_ms: self.watermark_ms.unwrap_or(0),
            timestamp_ms: now,
            offsets: ends.get(self.stream_index()).cloned().unwrap_or_default(),
        };
        env.catalog
            .checkpoints
            .write(&offsets_path(&location, id), offset_log_text(&entry));
        self.pending = Some(PlannedBatch {
            id,
            start: starts,
            end: ends,
            latest: latests,
            timestamp_ms: now,
            delivered: None,
        });
        Ok(true)
    }
}

fn resolve_specific(
    given: &PartitionOffsets,
    earliest: &PartitionOffsets,
    latest: &PartitionOffsets,
) -> PartitionOffsets {
    let mut out = PartitionOffsets::default();
    for (tp, off) in &given.0 {
        let resolved = match *off {
            crate::streams::kafka::offsets::EARLIEST => earliest.0.get(tp).copied().unwrap_or(0),
            crate::streams::kafka::offsets::LATEST => latest.0.get(tp).copied().unwrap_or(0),
            n => n,
        };
        out.0.insert(tp.clone(), resolved);
    }
    for (tp, off) in &earliest.0 {
        out.0.entry(tp.clone()).or_insert(*off);
    }
    out
}
