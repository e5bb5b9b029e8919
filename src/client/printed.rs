//! Text a tool prints on its two streams, in the order it printed it.
//!
//! Kafka's tools interleave standard output and standard error (`kafka-consumer-groups.sh
//! --describe` says "Consumer group 'g' has no active members." on stderr before its table on
//! stdout), so a terminal that shows all of stdout and then all of stderr tells a different
//! story. [`Printed`] keeps both streams whole (for callers that want one of them) and the order
//! of the runs written to them. Owns only that bookkeeping; must not decide what is printed.

/// One of a process's two output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// What a tool printed: both streams, and the order their runs were written in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Printed {
    /// Everything written to standard output.
    pub stdout: String,
    /// Everything written to standard error.
    pub stderr: String,
    /// The runs in the order they were written: which stream, how many bytes.
    runs: Vec<(Stream, usize)>,
}

impl Printed {
    /// Writes `text` to standard output.
    pub fn out(&mut self, text: &str) {
        self.write(Stream::Stdout, text);
    }

    /// Writes `text` to standard error.
    pub fn err(&mut self, text: &str) {
        self.write(Stream::Stderr, text);
    }

    /// Writes `text` to `stream`.
    pub fn write(&mut self, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        match stream {
            Stream::Stdout => self.stdout.push_str(text),
            Stream::Stderr => self.stderr.push_str(text),
        }
        match self.runs.last_mut() {
            Some((s, len)) if *s == stream => *len += text.len(),
            _ => self.runs.push((stream, text.len())),
        }
    }

    /// Writes everything `other` printed after what this printed, in `other`'s order.
    pub fn append(&mut self, other: &Printed) {
        for (stream, text) in other.pieces() {
            self.write(stream, text);
        }
    }

    /// The runs in the order they were printed. Text written to the public fields directly
    /// (not through [`Printed::write`]) comes last, stdout before stderr.
    pub fn pieces(&self) -> Vec<(Stream, &str)> {
        let (mut o, mut e) = (0, 0);
        let mut pieces = Vec::with_capacity(self.runs.len() + 2);
        for &(stream, len) in &self.runs {
            let (text, at) = match stream {
                Stream::Stdout => (&self.stdout, &mut o),
                Stream::Stderr => (&self.stderr, &mut e),
            };
            if let Some(run) = text.get(*at..*at + len) {
                pieces.push((stream, run));
                *at += len;
            }
        }
        for (stream, text, at) in [
            (Stream::Stdout, &self.stdout, o),
            (Stream::Stderr, &self.stderr, e),
        ] {
            if let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) {
                pieces.push((stream, rest));
            }
        }
        pieces
    }

    /// Each printed line with its stream, in order. A run that does not end in a newline
    /// still ends its line there, where the other stream takes over.
    pub fn lines(&self) -> Vec<(Stream, &str)> {
        let mut lines = Vec::new();
        for (stream, text) in self.pieces() {
            lines.extend(text.lines().map(|l| (stream, l)));
        }
        lines
    }

    /// True when nothing was printed.
    pub fn is_empty(&self) -> bool {
        self.stdout.is_empty() && self.stderr.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_come_back_in_the_order_they_were_written() {
        let mut p = Printed::default();
        p.err("\nConsumer group 'g' has no active members.\n");
        p.out("\nGROUP TOPIC\n");
        p.err("later\n");
        p.out("x\n");
        assert_eq!(
            p.lines(),
            vec![
                (Stream::Stderr, ""),
                (Stream::Stderr, "Consumer group 'g' has no active members."),
                (Stream::Stdout, ""),
                (Stream::Stdout, "GROUP TOPIC"),
                (Stream::Stderr, "later"),
                (Stream::Stdout, "x"),
            ]
        );
        assert_eq!(p.stdout, "\nGROUP TOPIC\nx\n");
    }

    #[test]
    fn text_written_to_the_fields_directly_comes_last() {
        let mut p = Printed::default();
        p.stdout.push_str("direct\n");
        p.err("e\n");
        assert_eq!(
            p.pieces(),
            vec![(Stream::Stderr, "e\n"), (Stream::Stdout, "direct\n")]
        );
    }
}
