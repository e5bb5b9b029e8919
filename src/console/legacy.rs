//! Commands and options from older Kafka course notes (ZooKeeper, starting a broker by hand,
//! `--broker-list`, `--zookeeper`, Windows `.bat` launchers), and the one line Brooklet adds
//! after Kafka's own answer to say what to do instead.
//!
//! Owns those hint lines (each starts with `Brooklet hint:`, so it never reads as Kafka's
//! output) and recognising a Windows launcher path whose backslashes the shell-like lexer
//! removed. Must not change what a tool prints: the hint comes after it, on standard error.

/// The tools the console runs, by their script name without `.sh`.
const TOOLS: [&str; 7] = [
    "kafka-topics",
    "kafka-configs",
    "kafka-console-consumer",
    "kafka-console-producer",
    "kafka-consumer-groups",
    "kafka-get-offsets",
    "kafka-dump-log",
];

/// What to say about a command that is not one of the console's.
pub fn unknown_command_hint(tool: &str) -> Option<&'static str> {
    Some(match tool {
        "zookeeper-server-start" | "zookeeper-server-stop" | "zookeeper-shell" => {
            "Brooklet hint: Kafka 4.0 has no ZooKeeper: the broker runs in KRaft mode and is already running at localhost:9092, so there is nothing to start. Go on with kafka-topics.sh --bootstrap-server localhost:9092 ..."
        }
        "kafka-server-start" => {
            "Brooklet hint: the broker is already running (KRaft mode, no ZooKeeper) at localhost:9092; there is nothing to start. Go on with kafka-topics.sh --bootstrap-server localhost:9092 ..."
        }
        "kafka-server-stop" => {
            "Brooklet hint: the broker runs inside Brooklet and stays up at localhost:9092; there is nothing to stop."
        }
        "kafka-storage" => {
            "Brooklet hint: the broker's KRaft storage is already formatted; kafka-storage.sh random-uuid and format are not needed here."
        }
        "jps" => {
            "Brooklet hint: there is no Java process to list: Brooklet's broker runs inside Brooklet (this page, or this brooklet process) and is always up at localhost:9092."
        }
        _ => return None,
    })
}

/// What to say after a tool refused an option from older Kafka versions.
pub fn old_option_hint(argv: &[String]) -> Option<&'static str> {
    argv.iter().find_map(|a| match a.split('=').next().unwrap_or(a) {
        "--broker-list" => Some(
            "Brooklet hint: --broker-list is the old name of --bootstrap-server (Kafka 4.0 removed it): use --bootstrap-server localhost:9092.",
        ),
        "--zookeeper" => Some(
            "Brooklet hint: since Kafka 3.0 the tools talk to the brokers, not to ZooKeeper: use --bootstrap-server localhost:9092 instead of --zookeeper.",
        ),
        _ => None,
    })
}

/// A Windows launcher (`bin\windows\kafka-topics.bat`, or `.binwindowskafka-topics.bat` once
/// the lexer took its backslashes as escapes): the tool it launches.
pub fn windows_launcher(program: &str) -> Option<&'static str> {
    let stem = program.strip_suffix(".bat")?;
    TOOLS.iter().copied().find(|tool| {
        stem.strip_suffix(tool)
            .is_some_and(|before| before.is_empty() || !before.ends_with(['-', '_']))
    })
}

/// The line after a Windows launcher's output.
pub fn windows_launcher_hint(tool: &str) -> String {
    format!("Brooklet hint: {tool}.bat is Kafka's Windows launcher for the same tool; here it runs as {tool}.sh.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_path_is_recognised_with_or_without_its_backslashes() {
        assert_eq!(
            windows_launcher(".binwindowskafka-topics.bat"),
            Some("kafka-topics")
        );
        assert_eq!(
            windows_launcher("bin/windows/kafka-console-producer.bat"),
            Some("kafka-console-producer")
        );
        assert_eq!(windows_launcher("kafka-topics.sh"), None);
        assert_eq!(windows_launcher("my-kafka-topicsx.bat"), None);
    }

    #[test]
    fn old_options_are_named_with_their_replacement() {
        let argv = ["--broker-list".to_owned(), "localhost:9092".to_owned()];
        assert!(old_option_hint(&argv).is_some_and(|h| h.contains("--bootstrap-server")));
        assert_eq!(old_option_hint(&["--topic".to_owned()]), None);
    }
}
