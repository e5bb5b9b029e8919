//! [`NotebookError`]: why the Streams page refused an action, each with what to do instead.
//!
//! Owns the refusals' wording. Must not decide when they apply (the engine does).

use crate::streams::kafka::reader::SourceError;

/// Why a Streams page action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotebookError {
    /// No sample has that id.
    #[error("There is no sample notebook '{id}': choose one of {choices}.")]
    UnknownSample {
        /// The id asked for.
        id: String,
        /// The samples' ids.
        choices: String,
    },
    /// The query's session was restarted.
    #[error("That query is gone (the session was restarted): run its cell again.")]
    QueryGone,
    /// The query stopped.
    #[error("The query has stopped: run its cell again to start it (over its checkpointLocation it goes on where it was).")]
    QueryStopped,
    /// A late event means nothing without a watermark.
    #[error("This query has no watermark, so Spark never drops late rows: add .withWatermark(\"event_time\", \"5 minutes\") before its aggregation.")]
    NoWatermark,
    /// The query has not read anything yet.
    #[error("The query has not read a batch yet: step it once, then send the late event.")]
    NoBatchYet,
    /// The oldest record's batch is not loaded yet.
    #[error("The topic's oldest records are still loading from storage: try again in a moment.")]
    StillLoading,
    /// The partition is empty.
    #[error("The source partition holds no record to send again: produce some first.")]
    NothingToResend,
    /// The oldest record could not be read.
    #[error(transparent)]
    Source(#[from] SourceError),
}
