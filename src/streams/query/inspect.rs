//! What the Streams page reads of a query besides its progress: its plan as operators with the
//! rows each produced in the last batch, its state store's groups, and where it stands in its
//! source topic's partitions.
//!
//! Owns these read-only views. Must not change the query (stepping and stopping go through
//! the session).

use super::{describe_source, StreamingQuery};
use crate::streams::exec::describe::{operators, state_tables, OperatorNode, StateTable};
use crate::streams::kafka::options::Strategy;

impl StreamingQuery {
    /// The plan's operators, root first (see [`operators`]), each with the rows it produced in
    /// the last batch (`None` before the first batch).
    pub fn plan_operators(&self) -> Vec<(OperatorNode, Option<u64>)> {
        let sources: Vec<(String, bool)> = self
            .sources
            .iter()
            .map(|s| (describe_source(s), s.streaming))
            .collect();
        operators(&self.analyzed.physical, &sources, true)
            .into_iter()
            .enumerate()
            .map(|(i, node)| (node, self.operator_rows.get(i).copied()))
            .collect()
    }

    /// The groups each stateful operator keeps, at most `limit` rows per operator.
    pub fn state_store(&self, limit: usize) -> Vec<StateTable> {
        state_tables(&self.analyzed.physical, &self.states, limit)
    }

    /// The streaming source's `KafkaV2[Subscribe[orders]]`.
    pub fn source_description(&self) -> String {
        self.sources
            .get(self.stream_index())
            .map(describe_source)
            .unwrap_or_default()
    }

    /// Where the streaming source's last committed batch ended: `(topic, partition, offset)`,
    /// the next offset the query reads in each partition (empty before the first commit).
    pub fn source_positions(&self) -> Vec<(String, i32, i64)> {
        self.committed
            .get(self.stream_index())
            .and_then(Option::as_ref)
            .map(|offsets| {
                offsets
                    .0
                    .iter()
                    .map(|((topic, partition), offset)| (topic.clone(), *partition, *offset))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The sink as Spark's progress names it (`…ConsoleTable$`, `MemorySink`, `KafkaTable`).
    pub fn sink_description(&self) -> String {
        super::commit::sink_description(&self.spec.sink)
    }

    /// The topics the streaming source subscribes to by name (`subscribe`), empty for a
    /// pattern or an assignment.
    pub fn subscribed_topics(&self) -> Vec<String> {
        match self
            .sources
            .get(self.stream_index())
            .map(|s| &s.options.strategy)
        {
            Some(Strategy::Subscribe(topics)) => topics.clone(),
            _ => Vec::new(),
        }
    }

    /// Whether the query has an event-time watermark (`withWatermark`), so late rows can be
    /// dropped.
    pub fn has_watermark(&self) -> bool {
        !self.analyzed.watermark_delays.is_empty()
    }
}
