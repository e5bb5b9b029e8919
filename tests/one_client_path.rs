//! One produce path (issue 12): every front end (the pages, the terminal, the JavaScript API)
//! produces through `client::Producer`, so a write to a partition log goes through the client's
//! batching and its store acknowledgement. Checked on the source: outside the client and the
//! layers beneath it (`src/client/`, `src/broker/`, `src/log/`), no code calls the broker's
//! `produce` / `produce_limited` / `append` / `append_internal`. Test modules (`tests.rs`,
//! after `#[cfg(test)]`) may set a log up directly: they are no front end.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/source_files.rs"]
mod source_files;

use std::fs;
use std::path::Path;

use source_files::rust_files;

/// Where writing to the broker is the point.
const WRITERS: [&str; 3] = ["src/client/", "src/broker/", "src/log/"];

/// The broker's write calls.
const CALLS: [&str; 4] = [
    ".produce(",
    ".produce_limited(",
    ".append(",
    ".append_internal(",
];

/// The code of `text` before its first `#[cfg(test)]`, comments left out.
fn shipped_code(text: &str) -> String {
    let shipped = text.split("#[cfg(test)]").next().unwrap_or("");
    shipped
        .lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Names bound to a borrowed broker (`let mut b = broker.borrow_mut();`).
fn broker_aliases(code: &str) -> Vec<String> {
    code.split(';')
        .filter_map(|statement| {
            let (binding, value) = statement.trim().strip_prefix("let ")?.split_once('=')?;
            let value = value.to_lowercase();
            (value.contains("broker") && value.contains("borrow"))
                .then(|| binding.trim().trim_start_matches("mut ").trim().to_owned())
        })
        .collect()
}

/// The broker write calls in `path`'s shipped code, as `path:line: code`. A call is the
/// broker's when its receiver chain (back to the statement's start) names a broker or a
/// borrowed broker's binding, when its arguments carry `Acks` or a partitioner (the broker's
/// `append(topic, partition, records, acks)`, `produce(topic, record, partitioner, acks)`),
/// or when it is `produce_limited` / `append_internal`, names only the broker has; a
/// `Broker::produce` path counts too.
fn broker_writes(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).expect("readable source file");
    let code = shipped_code(&text);
    let aliases = broker_aliases(&code);
    let mut found = Vec::new();
    for call in CALLS {
        let mut from = 0;
        while let Some(at) = code[from..].find(call).map(|i| i + from) {
            from = at + call.len();
            let start = code[..at].rfind([';', '{', '}']).map_or(0, |i| i + 1);
            let receiver = code[start..at].trim();
            let args_end = code[at..].find(';').map_or(code.len(), |i| at + i);
            let args = &code[at..args_end];
            let names_broker = receiver.to_lowercase().contains("broker")
                || aliases
                    .iter()
                    .any(|a| receiver == a || receiver.ends_with(&format!(" {a}")));
            let broker_only = matches!(call, ".produce_limited(" | ".append_internal(");
            if names_broker
                || broker_only
                || args.contains("Acks::")
                || args.contains("partitioner")
            {
                found.push(at);
            }
        }
    }
    let mut from = 0;
    while let Some(at) = code[from..].find("Broker::produce").map(|i| i + from) {
        found.push(at);
        from = at + 1;
    }
    brooklet::sort::sort(&mut found);
    found
        .into_iter()
        .map(|at| {
            let line = code[..at].matches('\n').count() + 1;
            let text = code.lines().nth(line - 1).unwrap_or("").trim();
            format!("{}:{line}: {text}", path.display())
        })
        .collect()
}

fn writes_under(dir: &str) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(Path::new(dir), &mut files);
    brooklet::sort::sort(&mut files);
    files
        .iter()
        .filter(|p| p.file_name().is_none_or(|n| n != "tests.rs"))
        .flat_map(|p| broker_writes(p))
        .collect()
}

#[test]
fn nothing_outside_the_client_and_the_broker_writes_to_a_partition_log() {
    let outside: Vec<String> = writes_under("src")
        .into_iter()
        .filter(|hit| !WRITERS.iter().any(|w| hit.starts_with(w)))
        .collect();
    assert!(
        outside.is_empty(),
        "produce through client::Producer instead of the broker:\n{}",
        outside.join("\n")
    );
}

#[test]
fn the_check_sees_a_borrowed_brokers_produce_written_over_lines() {
    let code = "let sent = {\n    let mut b = broker.borrow_mut();\n    let now = b.now_ms();\n    b.produce_limited(\n        topic, record, &mut p, acks, max)\n};\nlet mut c = self.broker.borrow_mut();\nc.produce(topic, record, &mut p, acks);\nplayground.produce(topic, &form);";
    let dir = std::env::temp_dir().join(format!("one_client_path_{}", std::process::id()));
    fs::create_dir_all(&dir).expect("a temporary folder");
    let file = dir.join("front_end.rs");
    fs::write(&file, code).expect("written");
    let hits = broker_writes(&file);
    fs::remove_dir_all(&dir).ok();
    let lines: Vec<&str> = hits
        .iter()
        .map(|h| h.rsplit_once(".rs:").map_or("", |(_, l)| l))
        .collect();
    assert_eq!(
        lines,
        vec![
            "4: b.produce_limited(",
            "8: c.produce(topic, record, &mut p, acks);"
        ],
        "the playground's own produce is no broker write"
    );
}

#[test]
fn the_check_sees_the_clients_own_appends() {
    // Proof the scan can fail: the producer's append, written over three lines, is found.
    let client = writes_under("src/client");
    assert!(
        client
            .iter()
            .any(|hit| hit.starts_with("src/client/producer.rs") && hit.contains(".append(")),
        "{client:?}"
    );
}
