//! The console never panics, whatever is typed: random lines, random words from the tools'
//! vocabulary, random heredocs, fed line by line as a terminal would — also in a console whose
//! consumers follow, polled as time passes and interrupted at random.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use proptest::prelude::*;

use brooklet::broker::Broker;
use brooklet::clock::ManualClock;
use brooklet::console::{Console, MemoryFiles};

fn console() -> Console {
    console_on(ManualClock::new(1_700_000_000_000))
}

fn console_on(clock: ManualClock) -> Console {
    let broker = Rc::new(RefCell::new(Broker::new(Rc::new(clock), 1)));
    let mut files = MemoryFiles::new();
    files.insert("f.txt", "k\tv\nno-tab\n");
    Console::new(broker, Box::new(files), 1)
}

const WORDS: &[&str] = &[
    "kafka-topics.sh",
    "kafka-configs.sh",
    "kafka-console-producer.sh",
    "kafka-console-consumer.sh",
    "kafka-consumer-groups.sh",
    "--group",
    "g",
    "--all-groups",
    "--members",
    "--verbose",
    "--state",
    "--offsets",
    "--reset-offsets",
    "--all-topics",
    "t:0,x",
    "--to-earliest",
    "--to-latest",
    "--to-offset",
    "--shift-by",
    "--to-datetime",
    "2023-11-14T00:00:00.000",
    "--by-duration",
    "PT1H",
    "--execute",
    "--dry-run",
    "--consumer-property",
    "group.id=h",
    "help",
    "echo",
    "--bootstrap-server",
    "localhost:9092",
    "--create",
    "--list",
    "--describe",
    "--alter",
    "--delete",
    "--topic",
    "t",
    "t.x",
    "t_x",
    "--partitions",
    "3",
    "-1",
    "0",
    "--replication-factor",
    "--config",
    "retention.ms=1",
    "--if-exists",
    "--if-not-exists",
    "--property",
    "parse.key=true",
    "parse.headers=true",
    "key.separator=",
    "null.marker=x",
    "print.key=true",
    "line.separator=",
    "--from-beginning",
    "--offset",
    "earliest",
    "99",
    "--partition",
    "--max-messages",
    "--include",
    ".*",
    "(",
    "[",
    "--add-config",
    "--delete-config",
    "cleanup.policy=[compact,delete]",
    "--entity-type",
    "topics",
    "--entity-name",
    "--timeout-ms",
    "<<EOF",
    "<",
    "f.txt",
    "'",
    "\"",
    "\\",
    "#",
    "$'\\t'",
    "--producer-property",
    "acks=0",
    "batch.size=1",
    "--sync",
    "--group",
    "g",
    "--topics-with-overrides",
    "kafka-get-offsets.sh",
    "kafka-dump-log.sh",
    "--time",
    "-2",
    "-3",
    "max-timestamp",
    "1700000000000",
    "--topic-partitions",
    "t:0-2,:1,x:-",
    "--exclude-internal-topics",
    "--files",
    "t-0/00000000000000000000.log",
    "t-0/0.index,t-9/x.log",
    "--print-data-log",
    "--deep-iteration",
    "--skip-record-metadata",
    "kafka:9092,localhost:9092",
    "127.0.0.1:9093",
];

fn line_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,80}",
        prop::collection::vec(prop::sample::select(WORDS), 0..14).prop_map(|w| w.join(" ")),
    ]
}

/// 400 random sessions in every `cargo test`; a longer campaign sets `BROOKLET_FUZZ_CASES`
/// (README, "Benchmarks" records one).
fn fuzz_cases() -> u32 {
    std::env::var("BROOKLET_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), ..ProptestConfig::default() })]

    #[test]
    fn no_typed_input_makes_the_console_panic(lines in prop::collection::vec(line_strategy(), 1..12)) {
        let mut c = console();
        for line in &lines {
            let _ = c.feed_line(line);
            let _ = c.complete(line);
        }
        let _ = c.end_of_input();
        let _ = c.execute(&lines.join("\n"));
        let _ = c.run_script(&lines.join("\n"));
    }

    #[test]
    fn no_typed_input_makes_a_following_console_panic(
        lines in prop::collection::vec(line_strategy(), 1..12),
        interrupts in prop::collection::vec(any::<bool>(), 12),
    ) {
        let clock = ManualClock::new(1_700_000_000_000);
        let mut c = console_on(clock.clone());
        c.set_follow(true);
        for (line, interrupt) in lines.iter().zip(&interrupts) {
            let _ = c.feed_line(line);
            clock.advance(1_000);
            let _ = c.poll_follow();
            let _ = c.follow_hint();
            if *interrupt {
                let _ = c.interrupt();
            }
        }
        let _ = c.interrupt();
        let _ = c.run_script(&lines.join("\n"));
    }
}
