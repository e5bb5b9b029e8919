//! [`SessionError`]: why a Spark call fails, with the texts PySpark prints after the exception's
//! name.

use crate::streams::analyze::AnalysisError;
use crate::streams::checkpoint::CheckpointError;
use crate::streams::kafka::reader::SourceError;
use crate::streams::kafka::KafkaOptionError;
use crate::streams::plan::OutputModeError;
use crate::streams::sql::SqlError;

/// A refused Spark call. [`SessionError::exception`] names the Python exception PySpark raises.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SessionError {
    /// The plan does not resolve.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// SQL that does not parse.
    #[error(transparent)]
    Parse(#[from] SqlError),
    /// A Kafka option.
    #[error(transparent)]
    KafkaOption(#[from] KafkaOptionError),
    /// A Kafka read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// An output mode the plan cannot use.
    #[error("{0};")]
    OutputMode(#[from] OutputModeError),
    /// A damaged checkpoint.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// A table or view name that is neither.
    #[error("[TABLE_OR_VIEW_NOT_FOUND] The table or view `{0}` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS.")]
    TableNotFound(String),
    /// A batch action (`show`, `collect`) on a streaming DataFrame.
    #[error("Queries with streaming sources must be executed with writeStream.start();")]
    StreamingSourceInBatch,
    /// `writeStream` on a batch DataFrame.
    #[error("'writeStream' can be called only on streaming Dataset/DataFrame")]
    WriteStreamOnBatch,
    /// A bootstrap list that does not reach the playground's broker.
    #[error("org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: describeTopics (the playground's broker listens on localhost:9092)")]
    Unreachable,
    /// A topic a batch read names that does not exist.
    #[error("org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.")]
    UnknownTopic(String),
    /// Records of a batch read still in the browser's storage.
    #[error("Some of the topic's records are still being read back from the browser's storage; run the command again in a moment.")]
    StillLoading,
    /// A batch whose Kafka sink's records the browser's storage has not acknowledged yet.
    #[error("The query's records are being written to the browser's storage, and its batch commits once they are stored; a program cannot wait for that. In the interactive pyspark shell the query goes on by itself at the page's next tick (call processAllAvailable() again to see it through); run as a program again, it redoes the uncommitted batch (Spark's Kafka sink writes at least once).")]
    WaitingForStore,
    /// A Kafka sink's columns.
    #[error(transparent)]
    KafkaSink(#[from] crate::streams::query::sink::KafkaSinkError),
    /// A sink option.
    #[error("{0}")]
    Sink(String),
    /// A format Brooklet does not read or write.
    #[error("Data source {0} is not supported in Brooklet: use kafka (readStream/read), or console, memory, kafka, delta or a table (writeStream).")]
    UnsupportedFormat(String),
    /// A second query with a name already in use.
    #[error("Cannot start query with name {0} as a query with that name is already active in this SparkSession")]
    DuplicateName(String),
    /// A query with this checkpoint already runs.
    #[error("Cannot start query with id {0} as another query with same id is already active. Perhaps you are attempting to restart a query from checkpoint that is already active.")]
    AlreadyActive(String),
    /// An unknown or finished query.
    #[error("The query has stopped: {0}")]
    Stopped(String),
}

impl SessionError {
    /// The exception PySpark raises for this error (`AnalysisException`, `ParseException`,
    /// `IllegalArgumentException`, `StreamingQueryException`, …), as the shell prints it.
    pub fn exception(&self) -> &'static str {
        match self {
            SessionError::Parse(_) => "pyspark.errors.exceptions.captured.ParseException",
            SessionError::KafkaOption(_)
            | SessionError::KafkaSink(_)
            | SessionError::Sink(_)
            | SessionError::DuplicateName(_)
            | SessionError::AlreadyActive(_) => {
                "pyspark.errors.exceptions.captured.IllegalArgumentException"
            }
            SessionError::Source(_)
            | SessionError::Unreachable
            | SessionError::UnknownTopic(_)
            | SessionError::Checkpoint(_)
            | SessionError::Stopped(_) => {
                "pyspark.errors.exceptions.captured.StreamingQueryException"
            }
            SessionError::StillLoading | SessionError::WaitingForStore => "BrookletStorageLoading",
            _ => "pyspark.errors.exceptions.captured.AnalysisException",
        }
    }
}
