//! The native `brooklet` binary runs a piped script and prints exactly what the commands
//! print: no prompt, no echo.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `command` with `script` on its standard input; what it printed.
fn feed(mut command: Command, script: &str) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(script.as_bytes())
            .unwrap_or_else(|e| panic!("cannot write the script: {e}"));
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("brooklet did not finish: {e}"))
}

fn run(script: &str) -> (String, String, i32) {
    let out = feed(Command::new(env!("CARGO_BIN_EXE_brooklet")), script);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn a_piped_script_prints_what_kafka_would_and_nothing_else() {
    let script = "\
# the course notes' first steps
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3
kafka-topics.sh --bootstrap-server localhost:9092 --list
kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders \\
  --property parse.key=true --property key.separator=: <<EOF
11599:chicago
11599:again
EOF
kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning \\
  --property print.key=true
";
    let (stdout, stderr, code) = run(script);
    assert_eq!(
        stdout,
        "Created topic orders.\norders\n11599\tchicago\n11599\tagain\n"
    );
    assert_eq!(stderr, "Processed a total of 2 messages\n");
    assert_eq!(code, 0);
}

#[test]
fn a_producer_without_a_heredoc_reads_the_rest_of_the_script() {
    let script = "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t\nline one\nline two\n";
    let (stdout, stderr, code) = run(script);
    assert_eq!(stdout, "");
    assert!(stderr.contains("{t=LEADER_NOT_AVAILABLE}"), "{stderr}");
    assert_eq!(code, 0);
}

#[test]
fn the_exit_status_is_the_last_commands() {
    let (stdout, _, code) =
        run("kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic nope\n");
    assert_eq!(
        stdout,
        "Error while executing topic command : Topic 'Optional[nope]' does not exist as expected\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn the_binary_runs_consumer_groups_and_a_group_continues_where_it_stopped() {
    let script = "\
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 1
kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders <<EOF
one
two
EOF
kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group g1 --from-beginning
kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --group g1 --from-beginning
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --list
";
    let (stdout, stderr, code) = run(script);
    assert_eq!(stdout, "Created topic orders.\none\ntwo\ng1\n");
    assert_eq!(
        stderr,
        "Processed a total of 2 messages\nProcessed a total of 0 messages\n"
    );
    assert_eq!(code, 0);
}

/// Both streams into one pipe, as a terminal shows them (`2>&1` through `sh`).
#[cfg(unix)]
fn run_merged(script: &str) -> String {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("'{}' 2>&1", env!("CARGO_BIN_EXE_brooklet")));
    String::from_utf8_lossy(&feed(sh, script).stdout).into_owned()
}

#[cfg(unix)]
#[test]
fn stderr_lines_come_where_the_tool_printed_them_not_after_all_of_stdout() {
    let merged = run_merged(
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t\n\
         kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g --from-beginning\n\
         kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group g\n",
    );
    let notice = merged
        .find("Consumer group 'g' has no active members.")
        .unwrap_or_else(|| panic!("no notice in {merged}"));
    let table = merged
        .find("GROUP ")
        .unwrap_or_else(|| panic!("no table in {merged}"));
    assert!(notice < table, "the notice must come first:\n{merged}");
}

#[test]
fn a_piped_script_runs_a_pyspark_heredoc_and_prints_what_the_program_prints() {
    let script = "\
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t1 --partitions 1
kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t1 <<EOF
hello
world
EOF
pyspark <<'EOF'
df = spark.read.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\") \\
    .option(\"subscribe\", \"t1\").load()
df.selectExpr(\"CAST(value AS STRING) AS v\").collect()
df.count()
EOF
";
    let (stdout, stderr, code) = run(script);
    assert_eq!(
        stdout,
        "Created topic t1.\n[Row(v='hello'), Row(v='world')]\n2\n"
    );
    assert_eq!(stderr, "");
    assert_eq!(code, 0);
}
