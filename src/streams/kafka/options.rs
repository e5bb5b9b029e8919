//! [`KafkaSourceOptions`]: `spark.readStream.format("kafka").option(…)…` checked as Spark's
//! `KafkaSourceProvider` checks them, with its texts.
//!
//! Option names are case-insensitive, as in Spark. Kafka client settings (`kafka.*`, such as
//! the SASL/SSL options a Confluent Cloud snippet carries) are accepted and have no effect:
//! the playground's broker needs no authentication (README, "Spark in the tab").

use super::offsets::{OffsetsJsonError, PartitionOffsets, EARLIEST, LATEST};

/// Which partitions a source reads (`subscribe`, `subscribePattern`, `assign`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    /// `subscribe`: a comma-separated list of topics.
    Subscribe(Vec<String>),
    /// `subscribePattern`: a Java regular expression over topic names.
    SubscribePattern(String),
    /// `assign`: `{"topicA":[0,1]}`.
    Assign(Vec<(String, i32)>),
}

/// Where a read starts or ends (`startingOffsets` / `endingOffsets`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffsetLimit {
    /// `earliest`: each partition's log start.
    Earliest,
    /// `latest`: each partition's end (high watermark).
    Latest,
    /// A JSON object of offsets; `-2` is earliest and `-1` latest for that partition.
    Specific(PartitionOffsets),
}

/// A Kafka source's options, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KafkaSourceOptions {
    /// `kafka.bootstrap.servers`, as given.
    pub bootstrap_servers: String,
    /// Which partitions to read.
    pub strategy: Strategy,
    /// `startingOffsets` (streaming default `latest`, batch default `earliest`).
    pub starting: OffsetLimit,
    /// `endingOffsets` (batch only; default `latest`).
    pub ending: OffsetLimit,
    /// `maxOffsetsPerTrigger`: at most this many offsets per micro-batch, over all partitions.
    pub max_offsets_per_trigger: Option<i64>,
    /// `failOnDataLoss` (default `true`).
    pub fail_on_data_loss: bool,
    /// `includeHeaders` (default `false`): adds the `headers` column.
    pub include_headers: bool,
}

/// A refused option: Spark's `IllegalArgumentException` texts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KafkaOptionError {
    /// No strategy option.
    #[error("One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.")]
    NoStrategy,
    /// More than one strategy option.
    #[error("Only one of the following options can be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.")]
    SeveralStrategies,
    /// `subscribe` lists no topic.
    #[error("No topics to subscribe to as specified value for option 'subscribe' is '{0}'")]
    NoTopics(String),
    /// `subscribePattern` is empty.
    #[error(
        "Pattern to subscribe is empty as specified value for option 'subscribePattern' is '{0}'"
    )]
    EmptyPattern(String),
    /// `assign` is not a JSON object.
    #[error("No topicpartitions to assign as specified value for option 'assign' is '{0}'")]
    NoAssignment(String),
    /// `assign`'s JSON is malformed.
    #[error("Expected e.g. {{\"topicA\":[0,1],\"topicB\":[0,1]}}, got {0}")]
    AssignJson(String),
    /// Offsets JSON is malformed.
    #[error(transparent)]
    OffsetsJson(#[from] OffsetsJsonError),
    /// No `kafka.bootstrap.servers`.
    #[error("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer")]
    NoBootstrap,
    /// `kafka.auto.offset.reset` is set.
    #[error("\nKafka option 'auto.offset.reset' is not supported.\nInstead set the source option 'startingoffsets' to 'earliest' or 'latest'\nto specify where to start. Structured Streaming manages which offsets are consumed\ninternally, rather than relying on the kafkaConsumer to do it. This will ensure that no\ndata is missed when new topics/partitions are dynamically subscribed. Note that\n'startingoffsets' only applies when a new Streaming query is started, and\nthat resuming will always pick up from where the query left off. See the docs for more\ndetails.\n")]
    AutoOffsetReset,
    /// A key or value deserializer is set.
    #[error("Kafka option '{0}.deserializer' is not supported as {0}s are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the {0}s.")]
    Deserializer(&'static str),
    /// `enable.auto.commit` or `interceptor.classes`.
    #[error("Kafka option '{0}' is not supported")]
    Unsupported(String),
    /// `endingOffsets` on a stream.
    #[error("ending offset not valid in streaming queries")]
    EndingInStream,
    /// `startingOffsets` latest in a batch read.
    #[error("starting offset can't be latest for batch queries on Kafka")]
    LatestStartInBatch,
    /// `endingOffsets` earliest in a batch read.
    #[error("ending offset can't be earliest for batch queries on Kafka")]
    EarliestEndInBatch,
    /// A number or boolean option that does not parse.
    #[error("Invalid value '{value}' for option '{option}': expected {expected}")]
    BadValue {
        /// The option's name as given.
        option: String,
        /// The value as given.
        value: String,
        /// What it must be.
        expected: &'static str,
    },
}

impl KafkaSourceOptions {
    /// Checks a stream's options (`spark.readStream`), in Spark's order.
    pub fn for_stream(options: &[(String, String)]) -> Result<Self, KafkaOptionError> {
        if find(options, "endingoffsets").is_some() {
            return Err(KafkaOptionError::EndingInStream);
        }
        Self::parse(options, OffsetLimit::Latest)
    }

    /// Checks a batch read's options (`spark.read`), in Spark's order.
    pub fn for_batch(options: &[(String, String)]) -> Result<Self, KafkaOptionError> {
        let checked = Self::parse(options, OffsetLimit::Earliest)?;
        match &checked.starting {
            OffsetLimit::Latest => return Err(KafkaOptionError::LatestStartInBatch),
            OffsetLimit::Specific(o) if o.0.values().any(|&v| v == LATEST) => {
                return Err(KafkaOptionError::LatestStartInBatch)
            }
            _ => {}
        }
        match &checked.ending {
            OffsetLimit::Earliest => return Err(KafkaOptionError::EarliestEndInBatch),
            OffsetLimit::Specific(o) if o.0.values().any(|&v| v == EARLIEST) => {
                return Err(KafkaOptionError::EarliestEndInBatch)
            }
            _ => {}
        }
        Ok(checked)
    }

    fn parse(
        options: &[(String, String)],
        default_start: OffsetLimit,
    ) -> Result<Self, KafkaOptionError> {
        let strategies: Vec<(&str, &str)> = ["subscribe", "subscribepattern", "assign"]
            .into_iter()
            .filter_map(|key| find(options, key).map(|v| (key, v)))
            .collect();
        let (key, value) = match strategies.as_slice() {
            [] => return Err(KafkaOptionError::NoStrategy),
            [one] => *one,
            _ => return Err(KafkaOptionError::SeveralStrategies),
        };
        let strategy = match key {
            "subscribe" => {
                let topics: Vec<String> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect();
                if topics.is_empty() {
                    return Err(KafkaOptionError::NoTopics(value.to_string()));
                }
                Strategy::Subscribe(topics)
            }
            "subscribepattern" => {
                if value.trim().is_empty() {
                    return Err(KafkaOptionError::EmptyPattern(value.to_string()));
                }
                Strategy::SubscribePattern(value.trim().to_string())
            }
            _ => {
                if !value.trim().starts_with('{') {
                    return Err(KafkaOptionError::NoAssignment(value.to_string()));
                }
                Strategy::Assign(parse_assign(value)?)
            }
        };
        if find(options, "kafka.auto.offset.reset").is_some() {
            return Err(KafkaOptionError::AutoOffsetReset);
        }
        for side in ["key", "value"] {
            if find(options, &format!("kafka.{side}.deserializer")).is_some() {
                return Err(KafkaOptionError::Deserializer(side));
            }
        }
        for unsupported in ["enable.auto.commit", "interceptor.classes"] {
            if find(options, &format!("kafka.{unsupported}")).is_some() {
                return Err(KafkaOptionError::Unsupported(unsupported.to_string()));
            }
        }
        let bootstrap_servers = find(options, "kafka.bootstrap.servers")
            .ok_or(KafkaOptionError::NoBootstrap)?
            .to_string();
        Ok(KafkaSourceOptions {
            bootstrap_servers,
            strategy,
            starting: offset_limit(find(options, "startingoffsets"), default_start)?,
            ending: offset_limit(find(options, "endingoffsets"), OffsetLimit::Latest)?,
            max_offsets_per_trigger: match find(options, "maxoffsetspertrigger") {
                None => None,
                Some(v) => Some(positive(options, "maxoffsetspertrigger", v)?),
            },
            fail_on_data_loss: boolean(options, "failondataloss", true)?,
            include_headers: boolean(options, "includeheaders", false)?,
        })
    }

    /// Whether the bootstrap list reaches the playground's broker (`localhost:9092` or
    /// `127.0.0.1:9092` among its entries), as a Kafka client needs one reachable server.
    pub fn reaches_playground(&self) -> bool {
        self.bootstrap_servers
            .split(',')
            .map(str::trim)
            .any(|entry| entry.eq_ignore_ascii_case("localhost:9092") || entry == "127.0.0.1:9092")
    }
}

/// The value of an option, its name compared case-insensitively; the last one set wins, as a
/// map of options keeps it.
fn find<'a>(options: &'a [(String, String)], key: &str) -> Option<&'a str> {
    options
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

fn option_name<'a>(options: &'a [(String, String)], key: &'a str) -> &'a str {
    options
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map_or(key, |(k, _)| k.as_str())
}

fn offset_limit(
    value: Option<&str>,
    default: OffsetLimit,
) -> Result<OffsetLimit, KafkaOptionError> {
    Ok(match value.map(|v| v.trim().to_ascii_lowercase()) {
        None => default,
        Some(v) if v == "earliest" => OffsetLimit::Earliest,
        Some(v) if v == "latest" => OffsetLimit::Latest,
        Some(_) => OffsetLimit::Specific(PartitionOffsets::from_json(
            value.unwrap_or_default().trim(),
        )?),
    })
}

fn parse_assign(text: &str) -> Result<Vec<(String, i32)>, KafkaOptionError> {
    let fail = || KafkaOptionError::AssignJson(text.to_string());
    let parsed: serde_json::Value = serde_json::from_str(text).map_err(|_| fail())?;
    let mut out = Vec::new();
    for (topic, partitions) in parsed.as_object().ok_or_else(fail)? {
        for p in partitions.as_array().ok_or_else(fail)? {
            let p = p
                .as_i64()
                .and_then(|p| i32::try_from(p).ok())
                .ok_or_else(fail)?;
            out.push((topic.clone(), p));
        }
    }
    Ok(out)
}

fn positive(options: &[(String, String)], key: &str, value: &str) -> Result<i64, KafkaOptionError> {
    match value.trim().parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(KafkaOptionError::BadValue {
            option: option_name(options, key).to_string(),
            value: value.to_string(),
            expected: "a positive whole number",
        }),
    }
}

fn boolean(
    options: &[(String, String)],
    key: &str,
    default: bool,
) -> Result<bool, KafkaOptionError> {
    match find(options, key) {
        None => Ok(default),
        Some(v) if v.trim().eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.trim().eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(KafkaOptionError::BadValue {
            option: option_name(options, key).to_string(),
            value: v.to_string(),
            expected: "true or false",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_courses_stream_options_read_as_spark_reads_them() {
        let o = KafkaSourceOptions::for_stream(&opts(&[
            ("kafka.bootstrap.servers", "localhost:9092"),
            ("subscribe", "t1"),
            ("startingOffsets", "earliest"),
            ("maxOffsetsPerTrigger", "50"),
        ]))
        .unwrap();
        assert_eq!(o.strategy, Strategy::Subscribe(vec!["t1".into()]));
        assert_eq!(o.starting, OffsetLimit::Earliest);
        assert_eq!(o.max_offsets_per_trigger, Some(50));
        assert!(o.reaches_playground());
    }

    #[test]
    fn a_stream_starts_at_latest_and_a_batch_read_at_earliest_by_default() {
        let base = opts(&[("kafka.bootstrap.servers", "x:1"), ("SUBSCRIBE", "t1")]);
        assert_eq!(
            KafkaSourceOptions::for_stream(&base).unwrap().starting,
            OffsetLimit::Latest
        );
        let batch = KafkaSourceOptions::for_batch(&base).unwrap();
        assert_eq!(batch.starting, OffsetLimit::Earliest);
        assert!(!batch.reaches_playground());
    }

    #[test]
    fn missing_or_conflicting_options_get_sparks_texts() {
        let none = opts(&[("kafka.bootstrap.servers", "localhost:9092")]);
        assert_eq!(
            KafkaSourceOptions::for_stream(&none).unwrap_err().to_string(),
            "One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details."
        );
        let no_bootstrap = opts(&[("subscribe", "t1")]);
        assert_eq!(
            KafkaSourceOptions::for_stream(&no_bootstrap).unwrap_err(),
            KafkaOptionError::NoBootstrap
        );
        let ending = opts(&[("subscribe", "t1"), ("endingOffsets", "latest")]);
        assert_eq!(
            KafkaSourceOptions::for_stream(&ending)
                .unwrap_err()
                .to_string(),
            "ending offset not valid in streaming queries"
        );
        let latest = opts(&[
            ("subscribe", "t1"),
            ("kafka.bootstrap.servers", "localhost:9092"),
            ("startingOffsets", "latest"),
        ]);
        assert_eq!(
            KafkaSourceOptions::for_batch(&latest).unwrap_err(),
            KafkaOptionError::LatestStartInBatch
        );
    }

    #[test]
    fn specific_offsets_and_assignments_read_as_json() {
        let o = KafkaSourceOptions::for_batch(&opts(&[
            ("kafka.bootstrap.servers", "localhost:9092"),
            ("assign", r#"{"t1":[0,1]}"#),
            ("startingOffsets", r#"{"t1":{"0":5,"1":-2}}"#),
        ]))
        .unwrap();
        assert_eq!(
            o.strategy,
            Strategy::Assign(vec![("t1".into(), 0), ("t1".into(), 1)])
        );
        match o.starting {
            OffsetLimit::Specific(offsets) => assert_eq!(offsets.get("t1", 1), Some(EARLIEST)),
            other => panic!("{other:?}"),
        }
        let bad = opts(&[
            ("kafka.bootstrap.servers", "h:1"),
            ("maxOffsetsPerTrigger", "-3"),
            ("subscribe", "t"),
        ]);
        assert_eq!(
            KafkaSourceOptions::for_stream(&bad).unwrap_err().to_string(),
            "Invalid value '-3' for option 'maxOffsetsPerTrigger': expected a positive whole number"
        );
    }
}
