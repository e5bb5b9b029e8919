//! Which batches the broker's logs hold in memory: the cold ones to load (what readers
//! wanted, or the newest after a reopen), feeding their stored bytes in, the stored
//! watermark a commit raises, and evicting stored batches down to a byte budget.
//!
//! Owns the order across partitions (which log loads or gives up bytes first). Must not read
//! storage (the loader brings the bytes) nor choose the budget (the batch cache does); what
//! one log keeps is the log's rule ([`PartitionLog::evict_oldest`]).

use bytes::Bytes;

use super::topic::TopicId;
use super::{Broker, TopicPartition};
use crate::log::{ColdRun, HydrateReport, Keep, OnBadChunk, PartitionLog, RunLimit, StoredMark};

/// A partition's run of cold batches: what one read from storage loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColdPartition {
    /// The partition.
    pub partition: TopicPartition,
    /// Its topic's id (storage keys chunks by it).
    pub topic_id: TopicId,
    /// The batches to load.
    pub run: ColdRun,
}

impl Broker {
    fn logs(&self) -> impl Iterator<Item = (TopicPartition, TopicId, &PartitionLog)> + '_ {
        self.topics.values().flat_map(|t| {
            t.partitions
                .iter()
                .map(move |p| (TopicPartition::new(t.name.clone(), p.index), t.id, &p.log))
        })
    }

    /// True when every partition's batches are loaded (nothing is cold in storage).
    pub fn is_loaded(&self) -> bool {
        self.logs().all(|(_, _, log)| log.is_loaded())
    }

    /// Cold batches across all partitions (bytes in storage only).
    pub fn cold_batch_count(&self) -> u64 {
        self.logs()
            .map(|(_, _, log)| log.cold_batch_count() as u64)
            .sum()
    }

    /// Bytes of every loaded batch: what the logs hold in memory.
    pub fn cached_bytes(&self) -> u64 {
        self.logs().map(|(_, _, log)| log.loaded_bytes()).sum()
    }

    /// True when a reader wants cold batches.
    pub fn has_wanted(&self) -> bool {
        self.logs().any(|(_, _, log)| log.has_wanted())
    }

    /// The cold runs readers wanted since the last call (each within `limit`), in topic then
    /// partition order; offsets whose batches were loaded meanwhile are dropped.
    pub fn take_wanted(&self, limit: RunLimit) -> Vec<ColdPartition> {
        let mut runs: Vec<ColdPartition> = Vec::new();
        for (partition, topic_id, log) in self.logs() {
            for offset in log.take_wanted() {
                let Some(run) = log.cold_run_at(offset, limit) else {
                    continue;
                };
                if runs
                    .iter()
                    .any(|r| r.partition == partition && r.run == run)
                {
                    continue;
                }
                runs.push(ColdPartition {
                    partition: partition.clone(),
                    topic_id,
                    run,
                });
            }
        }
        runs
    }

    /// The next cold run to load after a reopen, newest first: of a log that compacts when
    /// one has cold batches (the cleaner needs all of a segment, so such a log is kept
    /// whole), else of the log with the fewest bytes loaded, so every partition's newest
    /// records come in before anyone's older ones. `None` when nothing is cold.
    pub fn next_cold_run(&self, limit: RunLimit) -> Option<ColdPartition> {
        let cold = self.logs().filter(|(_, _, log)| !log.is_loaded());
        let (partition, topic_id, log) = cold.min_by_key(|(_, _, log)| {
            (!log.config().cleanup_policy.compacts(), log.loaded_bytes())
        })?;
        Some(ColdPartition {
            partition,
            topic_id,
            run: log.newest_cold_run(limit)?,
        })
    }

    /// Feeds the stored bytes of `cold.run` (one chunk per batch, in order) into its log; see
    /// [`PartitionLog::hydrate`]. `None` when the topic or partition is gone or the log changed
    /// since `cold` was taken (take a fresh one). A corrupt chunk truncates the log there
    /// (its change events stay queued so storage follows), or is only reported (`on_bad`).
    pub fn hydrate_partition(
        &mut self,
        cold: &ColdPartition,
        chunks: Vec<Bytes>,
        on_bad: OnBadChunk,
    ) -> Option<HydrateReport> {
        let log = self.log_by_id(cold.topic_id, cold.partition.partition)?;
        log.hydrate_or(&cold.run, chunks, on_bad)
    }

    /// A commit holding partition `partition` of topic `topic_id` as `mark` saw it
    /// succeeded; see [`PartitionLog::mark_stored`]. Nothing happens when the topic is gone.
    pub fn mark_stored(&mut self, topic_id: TopicId, partition: i32, mark: StoredMark) {
        if let Some(log) = self.log_by_id(topic_id, partition) {
            log.mark_stored(mark);
        }
    }

    /// Evicts stored batches until the logs hold at most `budget` bytes or nothing more may
    /// go ([`PartitionLog::evict_oldest`] with `keep`): the log holding the most goes first.
    /// Logs that compact are left whole (the cleaner needs every byte of a segment). Returns
    /// the bytes freed.
    pub fn evict_to(&mut self, budget: u64, keep: Keep) -> u64 {
        let mut excess = self.cached_bytes().saturating_sub(budget);
        if excess == 0 {
            return 0;
        }
        let mut logs: Vec<&mut PartitionLog> = self
            .topics
            .values_mut()
            .flat_map(|t| t.partitions.iter_mut().map(|p| &mut p.log))
            .filter(|log| !log.config().cleanup_policy.compacts())
            .collect();
        crate::sort::sort_by_key(&mut logs, |log| std::cmp::Reverse(log.loaded_bytes()));
        let mut freed = 0;
        for log in logs {
            if excess == 0 {
                break;
            }
            let n = log.evict_oldest(excess, keep);
            excess = excess.saturating_sub(n);
            freed += n;
        }
        freed
    }

    fn log_by_id(&mut self, topic_id: TopicId, partition: i32) -> Option<&mut PartitionLog> {
        let topic = self.topics.values_mut().find(|t| t.id == topic_id)?;
        let p = topic.partitions.iter_mut().find(|p| p.index == partition)?;
        Some(&mut p.log)
    }
}
