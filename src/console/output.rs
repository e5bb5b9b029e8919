//! What one command prints: standard output, standard error and an exit code, plus the
//! shapes Kafka's tools give their messages (usage errors, log4j lines, exception lines).
//!
//! Owns the text conventions shared by every tool. Must not decide what a tool says.

pub use crate::client::printed::{Printed, Stream};
use crate::clock::TimestampMs;
use crate::protocol::calendar::UtcTime;

/// The result of running one command, as a terminal shows it: what it printed on each stream,
/// in order (a [`Printed`], which this dereferences to), and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Standard output and standard error, in the order the command wrote them.
    pub printed: Printed,
    /// The exit status: 0 for success.
    pub exit_code: i32,
    /// True when the command asked the terminal to clear its screen (`clear`).
    pub clear_screen: bool,
    /// True when the command asked the session to end (`exit`).
    pub exit_requested: bool,
}

impl std::ops::Deref for Output {
    type Target = Printed;
    fn deref(&self) -> &Printed {
        &self.printed
    }
}

impl std::ops::DerefMut for Output {
    fn deref_mut(&mut self) -> &mut Printed {
        &mut self.printed
    }
}

impl From<Printed> for Output {
    /// What a tool printed, exit 0.
    fn from(printed: Printed) -> Self {
        Self {
            printed,
            ..Self::default()
        }
    }
}

impl Output {
    /// Nothing printed, exit 0.
    pub fn ok() -> Self {
        Self::default()
    }

    /// `text` on standard output, exit 0.
    pub fn stdout(text: impl Into<String>) -> Self {
        let mut out = Self::default();
        out.out(&text.into());
        out
    }

    /// `text` on standard error, exit 1.
    pub fn failure(text: impl Into<String>) -> Self {
        let mut out = Self::default();
        out.err(&text.into());
        out.exit_code = 1;
        out
    }

    /// Appends a line to standard output.
    pub fn out_line(&mut self, line: &str) {
        self.out(line);
        self.out("\n");
    }

    /// Appends a line to standard error.
    pub fn err_line(&mut self, line: &str) {
        self.err(line);
        self.err("\n");
    }

    /// Appends another output after this one (its exit code wins when it is an error).
    pub fn append(&mut self, other: Output) {
        self.printed.append(&other.printed);
        if other.exit_code != 0 {
            self.exit_code = other.exit_code;
        }
        self.clear_screen |= other.clear_screen;
        self.exit_requested |= other.exit_requested;
    }
}

/// `CommandLineUtils.printUsageAndExit`: the message, then the options, on stderr; exit 1.
pub fn usage_error(message: &str, help: &str) -> Output {
    let mut out = Output::failure(format!("{message}\n"));
    out.err(help);
    out
}

/// A log4j line as Kafka's tools log them (`config/tools-log4j.properties`):
/// `[yyyy-MM-dd HH:mm:ss,SSS] LEVEL message (logger)`, in UTC.
pub fn log_line(now_ms: TimestampMs, level: &str, message: &str, logger: &str) -> String {
    format!("[{}] {level} {message} ({logger})", timestamp(now_ms))
}

/// `yyyy-MM-dd HH:mm:ss,SSS` in UTC.
pub fn timestamp(ms: TimestampMs) -> String {
    let t = UtcTime::from_epoch_ms(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02},{:03}",
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.millis
    )
}

/// The Java exception class Kafka's clients raise for an error code, e.g.
/// `UNKNOWN_TOPIC_OR_PARTITION` → `org.apache.kafka.common.errors.UnknownTopicOrPartitionException`.
pub fn java_exception(code: crate::broker::ErrorCode) -> String {
    let name = code.name();
    let simple = match name {
        "INVALID_TOPIC_EXCEPTION" => "InvalidTopicException".to_owned(),
        "INVALID_CONFIG" => "InvalidConfigurationException".to_owned(),
        "CORRUPT_MESSAGE" => "CorruptRecordException".to_owned(),
        "KAFKA_STORAGE_ERROR" => "KafkaStorageException".to_owned(),
        "TOPIC_ALREADY_EXISTS" => "TopicExistsException".to_owned(),
        _ => {
            let camel: String = name
                .split('_')
                .map(|w| {
                    let lower = w.to_ascii_lowercase();
                    let mut cs = lower.chars();
                    cs.next()
                        .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                        .unwrap_or_default()
                })
                .collect();
            format!("{camel}Exception")
        }
    };
    format!("org.apache.kafka.common.errors.{simple}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_carry_a_utc_log4j_timestamp() {
        assert_eq!(timestamp(0), "1970-01-01 00:00:00,000");
        assert_eq!(timestamp(1_700_000_000_123), "2023-11-14 22:13:20,123");
        assert_eq!(
            log_line(0, "WARN", "m", "x.Y"),
            "[1970-01-01 00:00:00,000] WARN m (x.Y)"
        );
    }
}
