//! Runs every transcript in `tests/transcripts/*.txt` through the console and checks that each
//! command prints exactly what the transcript says.
//!
//! Format, line by line:
//! - `$ text`: a new command; `text` is typed at the prompt.
//! - `> text` (or `>` alone): one more typed line (a heredoc line, a continuation, or a line
//!   the console producer reads); `^D` presses Ctrl-D.
//! - `@advance N`: moves the simulated clock forward N ms before the next command.
//! - `! text` (or `!` alone): a line expected on standard error; `!...` ignores the rest of it.
//!   Output lines are listed in the order the command printed them, stdout and stderr
//!   interleaved as on a terminal.
//! - `[exit N]`: the expected exit status (0 when absent).
//! - `## ...` and blank lines: comments. `| text` (or `|` alone) is a stdout line, written
//!   so when it could be read as one of the above; any other line is a stdout line as is.
//!
//! Every transcript starts with a one-broker cluster at 2023-11-14 22:13:20 UTC (a
//! `ManualClock`), broker seed 42 and console seed 7, so topic ids and group ids repeat.
//! `BLESS=1 cargo test --test console_transcripts` rewrites the expectations from the output
//! (then read the diff before committing it).
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::fmt::Write as _;
use std::path::Path;
use std::rc::Rc;

use brooklet::broker::Broker;
use brooklet::clock::ManualClock;
use brooklet::console::{Console, Output, Stream};
use brooklet::playground::terminal::sample_files;

const START_MS: i64 = 1_700_000_000_000;

#[derive(Debug, Default)]
struct Block {
    input: Vec<Input>,
    stdout: String,
    stderr: String,
    stderr_prefix_only: bool,
    /// Every expected output line in order, with its stream.
    lines: Vec<(Stream, String)>,
    exit: i32,
    comments_before: Vec<String>,
}

#[derive(Debug, Clone)]
enum Input {
    Line(String),
    CtrlD,
    Advance(i64),
}

fn parse(text: &str) -> (Vec<Block>, Vec<String>) {
    let mut blocks: Vec<Block> = Vec::new();
    let mut pending_comments = Vec::new();
    let mut pending_inputs = Vec::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with("##") {
            pending_comments.push(line.to_owned());
            continue;
        }
        if let Some(n) = line.strip_prefix("@advance ") {
            pending_inputs.push(Input::Advance(n.trim().parse().unwrap_or(0)));
            pending_comments.push(line.to_owned());
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            let mut input = std::mem::take(&mut pending_inputs);
            input.push(Input::Line(cmd.to_owned()));
            blocks.push(Block {
                input,
                comments_before: std::mem::take(&mut pending_comments),
                ..Block::default()
            });
            continue;
        }
        let Some(block) = blocks.last_mut() else {
            pending_comments.push(line.to_owned());
            continue;
        };
        if line == ">" || line.starts_with("> ") {
            block
                .input
                .push(Input::Line(line.get(2..).unwrap_or("").to_owned()));
        } else if line == "^D" {
            block.input.push(Input::CtrlD);
        } else if line == "!..." {
            block.stderr_prefix_only = true;
        } else if line == "!" || line.starts_with("! ") {
            let text = line.get(2..).unwrap_or("");
            block.stderr.push_str(text);
            block.stderr.push('\n');
            block.lines.push((Stream::Stderr, text.to_owned()));
        } else if let Some(code) = line
            .strip_prefix("[exit ")
            .and_then(|r| r.strip_suffix(']'))
        {
            block.exit = code.parse().unwrap_or(-1);
        } else {
            let out = if line == "|" {
                ""
            } else {
                line.strip_prefix("| ").unwrap_or(line)
            };
            block.stdout.push_str(out);
            block.stdout.push('\n');
            block.lines.push((Stream::Stdout, out.to_owned()));
        }
    }
    (blocks, pending_comments)
}

fn run_block(console: &mut Console, clock: &ManualClock, block: &Block) -> Output {
    let mut out = Output::default();
    for input in &block.input {
        match input {
            Input::Line(l) => {
                if let Some(o) = console.feed_line(l) {
                    out.append(o);
                }
            }
            Input::CtrlD => out.append(console.end_of_input()),
            Input::Advance(ms) => clock.advance(*ms),
        }
    }
    out
}

fn visible(s: &str) -> String {
    s.replace('\t', "⇥").replace('\n', "⏎\n")
}

fn is_special(line: &str) -> bool {
    line.is_empty()
        || line.starts_with("##")
        || line.starts_with("$ ")
        || line.starts_with('>')
        || line.starts_with('!')
        || line.starts_with('|')
        || line.starts_with("[exit ")
        || line.starts_with("@advance ")
        || line == "^D"
}

/// The output lines in the order they were printed; after `!...` only as many stderr lines
/// as the transcript lists.
fn printed_lines(block: &Block, out: &Output) -> Vec<(Stream, String)> {
    let keep = if block.stderr_prefix_only {
        block
            .lines
            .iter()
            .filter(|(s, _)| *s == Stream::Stderr)
            .count()
            .max(1)
    } else {
        usize::MAX
    };
    let mut kept = 0;
    out.lines()
        .into_iter()
        .filter(|(stream, _)| {
            if *stream == Stream::Stderr {
                kept += 1;
                kept <= keep
            } else {
                true
            }
        })
        .map(|(stream, line)| (stream, line.to_owned()))
        .collect()
}

fn render(block: &Block, out: &Output) -> String {
    let mut s = String::new();
    for c in &block.comments_before {
        if !c.starts_with("@advance") {
            let _ = writeln!(s, "{c}");
        }
    }
    let mut first = true;
    for input in &block.input {
        match input {
            Input::Advance(ms) => {
                let _ = writeln!(s, "@advance {ms}");
            }
            Input::Line(l) if first => {
                let _ = writeln!(s, "$ {l}");
                first = false;
            }
            Input::Line(l) if l.is_empty() => {
                let _ = writeln!(s, ">");
            }
            Input::Line(l) => {
                let _ = writeln!(s, "> {l}");
            }
            Input::CtrlD => {
                let _ = writeln!(s, "^D");
            }
        }
    }
    for (stream, line) in printed_lines(block, out) {
        match stream {
            Stream::Stderr => {
                let _ = writeln!(s, "! {line}");
            }
            Stream::Stdout if is_special(&line) => {
                let _ = writeln!(s, "| {line}");
            }
            Stream::Stdout => {
                let _ = writeln!(s, "{line}");
            }
        }
    }
    if block.stderr_prefix_only {
        let _ = writeln!(s, "!...");
    }
    if out.exit_code != 0 {
        let _ = writeln!(s, "[exit {}]", out.exit_code);
    }
    s.replace("| \n", "|\n").replace("! \n", "!\n")
}

fn check_file(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (blocks, trailing) = parse(&text);
    let clock = ManualClock::new(START_MS);
    let broker = Rc::new(RefCell::new(Broker::new(Rc::new(clock.clone()), 42)));
    // The terminal's bundled samples (orders.jsonl, webclicks.dat, …) plus the transcripts' own.
    let mut files = sample_files();
    files.insert("orders.txt", "1\t{\"customer_id\": 1, \"city\": \"Chicago\"}\n2\t{\"customer_id\": 2, \"city\": \"Boston\"}\n");
    files.insert(
        "client.properties",
        "acks=1\n# a comment\nclient.id=my-producer\n",
    );
    let mut console = Console::new(broker, Box::new(files), 7);
    let mut failures = String::new();
    let mut blessed = String::new();
    for block in &blocks {
        let out = run_block(&mut console, &clock, block);
        blessed.push_str(&render(block, &out));
        let stderr_ok = if block.stderr_prefix_only {
            out.stderr.starts_with(&block.stderr)
        } else {
            out.stderr == block.stderr
        };
        let in_order = printed_lines(block, &out) == block.lines;
        if out.stdout != block.stdout || !stderr_ok || !in_order || out.exit_code != block.exit {
            let command = match block.input.iter().find(|i| matches!(i, Input::Line(_))) {
                Some(Input::Line(l)) => l.clone(),
                _ => String::new(),
            };
            let _ = write!(
                failures,
                "\n--- {}: `{command}`{}\n--- expected stdout:\n{}--- actual stdout:\n{}--- expected stderr{}:\n{}--- actual stderr:\n{}--- exit expected {} actual {}\n",
                path.display(),
                if in_order { "" } else { " (printed in another order)" },
                visible(&block.stdout),
                visible(&out.stdout),
                if block.stderr_prefix_only { " (prefix)" } else { "" },
                visible(&block.stderr),
                visible(&out.stderr),
                block.exit,
                out.exit_code
            );
        }
    }
    for c in trailing {
        let _ = writeln!(blessed, "{c}");
    }
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, blessed).map_err(|e| e.to_string())?;
        return Ok(());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures)
    }
}

#[test]
fn every_transcript_prints_exactly_what_kafka_would() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    brooklet::sort::sort(&mut paths);
    assert!(!paths.is_empty(), "no transcripts in {}", dir.display());
    let failures: Vec<String> = paths.iter().filter_map(|p| check_file(p).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
