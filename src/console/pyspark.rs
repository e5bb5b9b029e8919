//! `pyspark`: Spark's Python shell over this tab's topics. `pyspark <<'EOF' … EOF` (or
//! `pyspark < file.py`) runs the text as one program and prints what it prints, with no banner
//! or prompts; `pyspark` alone starts the interactive shell (`>>> `), which the console feeds
//! line by line until `exit()`, `quit()` or Ctrl-D.
//!
//! Owns the command's options and the banner; the shell itself is
//! [`crate::streams::shell::PySparkShell`]. Options of `spark-submit` (`--master`,
//! `--packages`, `--conf`, …) are accepted and ignored: the session always runs locally and
//! the Kafka connector is built in. The banner is PySpark 3.5.0's (`shell.py`) under Python
//! 3.11.6, with an application id made from the broker's clock.

use std::cell::RefCell;
use std::rc::Rc;

use super::output::Output;
use super::Ctx;
use crate::streams::session::{Catalog, SparkSession};
use crate::streams::shell::{PySparkShell, ShellOutput, SPARK_VERSION};

/// `spark-submit` options that take a value (all accepted, none used).
const VALUE_OPTIONS: &[&str] = &[
    "--master",
    "--deploy-mode",
    "--name",
    "--packages",
    "--jars",
    "--py-files",
    "--files",
    "--conf",
    "-c",
    "--properties-file",
    "--driver-memory",
    "--driver-cores",
    "--executor-memory",
    "--executor-cores",
    "--num-executors",
    "--repositories",
    "--exclude-packages",
];

/// `help pyspark`.
pub fn help() -> String {
    format!(
        "\
Usage: pyspark [options] [<<'EOF' … EOF | < file.py]

Spark {SPARK_VERSION}'s Python shell, reading and writing this tab's topics (localhost:9092).
  pyspark                      interactive: >>> prompts; exit(), quit() or Ctrl-D leave
  pyspark <<'EOF' … EOF        runs the text as one program (no banner, no prompts); it
                               stops at the first exception, as python < script does
Options of spark-submit (--master, --packages org.apache.spark:spark-sql-kafka-0-10_2.12:{SPARK_VERSION},
--conf k=v, --driver-memory, …) are accepted and ignored: Spark runs in the tab and the Kafka
connector is built in.
Streaming queries run when the program says so: query.processAllAvailable() reads everything
available now; query.awaitTermination() runs the triggers that are due. At the prompt, running
queries advance on the terminal's clock.
Tables written by queries (toTable) and checkpoints outlive the shell, like files on disk.
The PySpark subset supported: README, \"Spark in the tab\".
"
    )
}

/// What `pyspark` prints when it starts interactively: Python's greeting and Spark's log
/// notice (standard error), then PySpark's banner.
fn banner(now_ms: i64) -> Output {
    let mut out = Output::ok();
    out.err(
        "Python 3.11.6 (main, Oct  2 2023 13:45:54) [GCC 12.2.0] on linux\n\
Type \"help\", \"copyright\", \"credits\" or \"license\" for more information.\n\
Setting default log level to \"WARN\".\n\
To adjust logging level use sc.setLogLevel(newLevel). For SparkR, use setLogLevel(newLevel).\n",
    );
    out.out(&format!(
        r"Welcome to
      ____              __
     / __/__  ___ _____/ /__
    _\ \/ _ \/ _ `/ __/  '_/
   /__ / .__/\_,_/_/ /_/\_\   version {SPARK_VERSION}
      /_/

Using Python version 3.11.6 (main, Oct  2 2023 13:45:54)
Spark context Web UI available at http://localhost:4040
Spark context available as 'sc' (master = local[*], app id = local-{now_ms}).
SparkSession available as 'spark'.
"
    ));
    out
}

/// A shell's output as the console's: both streams in the order the shell wrote them, exit
/// status 1 after an uncaught exception.
pub fn to_output(printed: ShellOutput) -> Output {
    let mut out = Output::from(printed.printed);
    if printed.failed {
        out.exit_code = 1;
    }
    out
}

/// Runs `pyspark argv` with `stdin` (`None`: the terminal). Returns what it printed and, for
/// an interactive start, the shell the console then feeds.
pub fn run(
    ctx: &mut Ctx<'_>,
    argv: &[String],
    stdin: Option<String>,
    catalog: &Rc<RefCell<Catalog>>,
) -> (Output, Option<PySparkShell>) {
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        let name = arg.split_once('=').map_or(arg, |(n, _)| n);
        if arg == "--help" || arg == "-h" {
            return (Output::stdout(help()), None);
        }
        if VALUE_OPTIONS.contains(&name) {
            if !arg.contains('=') {
                if i + 1 >= argv.len() {
                    return (
                        Output::failure(format!(
                            "Error: Missing argument for option '{arg}'.\nRun `help pyspark` for usage.\n"
                        )),
                        None,
                    );
                }
                i += 1;
            }
        } else if arg.starts_with('-') {
            return (
                Output::failure(format!(
                    "Error: Unrecognized option: {arg}\nRun `help pyspark` for usage.\n"
                )),
                None,
            );
        } else {
            return (
                Output::failure(format!(
                    "pyspark: running a file given by name ({arg}) is not supported: use pyspark < {arg} or a heredoc (pyspark <<'EOF' … EOF)\n"
                )),
                None,
            );
        }
        i += 1;
    }
    let groups = match ctx.groups() {
        Ok(g) => g,
        Err(out) => return (out, None),
    };
    let seed = ctx.rng.u64(..);
    let session = SparkSession::new(
        Rc::clone(ctx.shared_broker),
        groups,
        Rc::clone(catalog),
        seed,
    );
    // The Kafka sink's batch commits once its records are in the log, without waiting for the
    // store's acknowledgement: the records and the commit are stored by the same flush (the
    // catalog goes with the chunks), so after a crash either both are there or neither is and
    // the batch runs again. A program cannot wait for the store (README, "Spark in the tab").
    let mut shell = PySparkShell::new(session);
    match stdin {
        Some(program) => {
            let printed = shell.run(&program);
            (to_output(printed), None)
        }
        None => {
            let now = ctx.broker.borrow().now_ms();
            (banner(now), Some(shell))
        }
    }
}
