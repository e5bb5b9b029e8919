//! Which lines a console tool prints to stderr as a notice, not an error: Kafka's console
//! consumer ends with `Processed a total of N messages` on stderr (so a pipe of its stdout
//! holds only records), and a learner reading it in red takes it for a failure.
//!
//! Owns the list of such lines. The line stays on stderr, as in Kafka; only the terminal's
//! styling uses this. Must not change what a console prints.

/// True when `text`, printed on stderr, is a notice (a summary), not an error.
pub fn is_notice(text: &str) -> bool {
    text.strip_prefix("Processed a total of ")
        .and_then(|rest| rest.strip_suffix(" messages"))
        .is_some_and(|count| !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_consumers_closing_count_is_a_notice_and_errors_are_not() {
        assert!(is_notice("Processed a total of 14 messages"));
        assert!(is_notice("Processed a total of 0 messages"));
        assert!(!is_notice("Processed a total of many messages"));
        assert!(!is_notice(
            "[2026-12-06 02:40:00,000] ERROR Error processing message, terminating consumer process"
        ));
        assert!(!is_notice("Error: Consumer group 'g' does not exist."));
    }
}
