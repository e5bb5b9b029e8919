//! [`PartitionOffsets`]: an offset per topic-partition, in Spark's JSON form
//! (`{"orders":{"0":50,"1":48}}`), as `startingOffsets`, the offset log and the progress print it.

use std::collections::BTreeMap;

/// The `-2` that stands for "earliest" in `startingOffsets` JSON.
pub const EARLIEST: i64 = -2;
/// The `-1` that stands for "latest" in `startingOffsets` JSON.
pub const LATEST: i64 = -1;

/// An offset per (topic, partition), ordered by topic then partition as Spark sorts them
/// before writing them (`JsonUtils.partitionOffsets`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartitionOffsets(pub BTreeMap<(String, i32), i64>);

/// Offsets JSON that does not parse: Spark's `JsonUtils` text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Expected e.g. {{\"topicA\":{{\"0\":23,\"1\":-1}},\"topicB\":{{\"0\":-2}}}}, got {0}")]
pub struct OffsetsJsonError(pub String);

impl PartitionOffsets {
    /// The offset of one partition.
    pub fn get(&self, topic: &str, partition: i32) -> Option<i64> {
        self.0.get(&(topic.to_string(), partition)).copied()
    }

    /// Sets the offset of one partition.
    pub fn set(&mut self, topic: &str, partition: i32, offset: i64) {
        self.0.insert((topic.to_string(), partition), offset);
    }

    /// Reads Spark's JSON form: an object of topics, each an object of partition numbers (as
    /// strings) to offsets.
    pub fn from_json(text: &str) -> Result<Self, OffsetsJsonError> {
        let fail = || OffsetsJsonError(text.to_string());
        let parsed: serde_json::Value = serde_json::from_str(text).map_err(|_| fail())?;
        let topics = parsed.as_object().ok_or_else(fail)?;
        let mut offsets = PartitionOffsets::default();
        for (topic, partitions) in topics {
            for (partition, offset) in partitions.as_object().ok_or_else(fail)? {
                let partition: i32 = partition.parse().map_err(|_| fail())?;
                let offset = offset.as_i64().ok_or_else(fail)?;
                offsets.set(topic, partition, offset);
            }
        }
        Ok(offsets)
    }

    /// Spark's JSON form, compact, topics and partitions in order.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        let mut current: Option<&str> = None;
        for ((topic, partition), offset) in &self.0 {
            if current != Some(topic.as_str()) {
                if current.is_some() {
                    out.push_str("},");
                }
                out.push_str(&serde_json::Value::from(topic.as_str()).to_string());
                out.push_str(":{");
                current = Some(topic);
            } else {
                out.push(',');
            }
            out.push_str(&format!("\"{partition}\":{offset}"));
        }
        if current.is_some() {
            out.push('}');
        }
        out.push('}');
        out
    }

    /// The number of offsets between `self` (the start) and `end`, over `end`'s partitions.
    pub fn records_until(&self, end: &PartitionOffsets) -> i64 {
        end.0
            .iter()
            .map(|(tp, until)| until - self.0.get(tp).copied().unwrap_or(*until).min(*until))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_print_in_sparks_json_form_sorted_by_topic_and_partition() {
        let mut o = PartitionOffsets::default();
        o.set("t2", 0, 7);
        o.set("t1", 1, 48);
        o.set("t1", 0, 50);
        assert_eq!(o.to_json(), r#"{"t1":{"0":50,"1":48},"t2":{"0":7}}"#);
        assert_eq!(PartitionOffsets::from_json(&o.to_json()).unwrap(), o);
        assert_eq!(PartitionOffsets::default().to_json(), "{}");
    }

    #[test]
    fn malformed_offsets_json_gets_sparks_example_in_the_error() {
        let err = PartitionOffsets::from_json("{\"t1\": 5}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Expected e.g. {\"topicA\":{\"0\":23,\"1\":-1},\"topicB\":{\"0\":-2}}, got {\"t1\": 5}"
        );
    }
}
