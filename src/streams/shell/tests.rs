//! The shell end to end over a broker on a manual clock: what programs print, on which stream,
//! and where they stop.

use std::cell::RefCell;
use std::rc::Rc;

use crate::broker::{Acks, Broker, NewTopic};
use crate::client::BrokerGroups;
use crate::clock::ManualClock;
use crate::log::NewRecord;
use crate::streams::session::{Catalog, SparkSession};

use super::{PySparkShell, CONTINUATION, PROMPT};

const READ: &str = "df = spark.read.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\").option(\"subscribe\", \"orders\").load()\n";

/// A shell over a broker holding topic `orders` with `values` as records keyed `1`, `2`, ….
fn shell(values: &[&str]) -> PySparkShell {
    let clock = ManualClock::new(1_700_000_000_000);
    let broker = Rc::new(RefCell::new(Broker::new(Rc::new(clock), 7)));
    broker
        .borrow_mut()
        .create_topic(NewTopic::named("orders").partitions(1))
        .expect("created");
    let records: Vec<NewRecord> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            NewRecord::new(
                Some((i + 1).to_string().into()),
                Some(v.to_string().into()),
                1_700_000_000_000,
            )
        })
        .collect();
    broker
        .borrow_mut()
        .append("orders", 0, &records, Acks::All)
        .expect("appended");
    let groups = BrokerGroups::load(broker.clone(), 11)
        .expect("loads")
        .shared();
    let catalog = Rc::new(RefCell::new(Catalog::default()));
    PySparkShell::new(SparkSession::new(broker, groups, catalog, 3))
}

pub(super) fn orders() -> PySparkShell {
    shell(&[
        r#"{"customer_id": 1, "city": "chicago", "total": 10}"#,
        r#"{"customer_id": 2, "city": "denver", "total": 5}"#,
        r#"{"customer_id": 1, "city": "chicago", "total": 7}"#,
    ])
}

#[test]
fn an_expression_statement_echoes_its_repr_and_none_prints_nothing() {
    let mut sh = orders();
    let out = sh.run(&format!("{READ}df\nNone\nprint('a', 1, 2.5, True)\n"));
    assert_eq!(
        out.stdout,
        "DataFrame[key: binary, value: binary, topic: string, partition: int, offset: bigint, timestamp: timestamp, timestampType: int]\na 1 2.5 True\n"
    );
    assert_eq!(out.stderr, "");
    assert!(!out.failed);
}

#[test]
fn column_expressions_filter_and_aggregate_as_sql_would() {
    let mut sh = orders();
    let program = format!(
        "{READ}from pyspark.sql.functions import *\n\
         o = df.select(from_json(col('value').cast('string'), 'customer_id long, city string, total long').alias('o')).select('o.*')\n\
         t = o.filter((col('city') == 'chicago') & ~col('total').isNull()).groupBy('customer_id').agg(count('*').alias('n'), sum('total').alias('total'))\n\
         t.collect()\n"
    );
    let out = sh.run(&program);
    assert_eq!(out.stderr, "");
    assert_eq!(out.stdout, "[Row(customer_id=1, n=2, total=17)]\n");
}

#[test]
fn a_script_stops_at_its_first_exception_with_a_stdin_traceback() {
    let mut sh = orders();
    let out = sh.run(&format!("{READ}df.select('nope')\nprint('not reached')\n"));
    assert!(out.failed);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with("Traceback (most recent call last):\n  File \"<stdin>\", line 2, in <module>\npyspark.errors.exceptions.captured.AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION]"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_prompt_continues_an_open_bracket_and_the_shell_goes_on_after_an_error() {
    let mut sh = orders();
    assert_eq!(sh.prompt(), PROMPT);
    assert!(sh.feed_line("x = (1 +").is_none());
    assert_eq!(sh.prompt(), CONTINUATION);
    let out = sh.feed_line("  2)").expect("complete");
    assert_eq!(out.stdout, "");
    let err = sh.feed_line("y").expect("complete");
    assert_eq!(
        err.stderr,
        "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nNameError: name 'y' is not defined\n"
    );
    let out = sh.feed_line("x * 2").expect("complete");
    assert_eq!(out.stdout, "6\n");
}

#[test]
fn a_syntax_error_runs_nothing_and_prints_the_line_as_cpython_does() {
    let mut sh = orders();
    let out = sh.run("print('first')\ndf = spark.read.load(\n");
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "  File \"<stdin>\", line 2\n    df = spark.read.load(\nSyntaxError: '(' was never closed\n"
    );
}

#[test]
fn show_on_a_streaming_dataframe_is_refused_with_sparks_text() {
    let mut sh = orders();
    let out = sh.run("df = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'localhost:9092').option('subscribe', 'orders').load()\ndf.show()\n");
    assert!(out.stderr.ends_with("pyspark.errors.exceptions.captured.AnalysisException: Queries with streaming sources must be executed with writeStream.start();\n"), "{}", out.stderr);
}

#[test]
fn unknown_and_unsupported_methods_say_what_they_are() {
    let mut sh = orders();
    let out = sh.run(&format!("{READ}df.foo()\n"));
    assert!(out
        .stderr
        .ends_with("AttributeError: 'DataFrame' object has no attribute 'foo'\n"));
    let out = sh.run("df.toPandas()\n");
    assert!(out.stderr.ends_with("NotImplementedError: DataFrame.toPandas is not supported in Brooklet's pyspark shell: use show() or collect()\n"), "{}", out.stderr);
}

#[test]
fn a_memory_sink_query_fills_its_table_when_all_available_data_is_processed() {
    let mut sh = orders();
    let program = "df = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'localhost:9092').option('subscribe', 'orders').option('startingOffsets', 'earliest').load()\n\
        q = df.selectExpr('CAST(key AS STRING) AS k').writeStream.format('memory').queryName('keys').start()\n\
        q.lastProgress\n\
        q.processAllAvailable()\n\
        spark.sql('select count(*) as n from keys').collect()\n\
        q.lastProgress['numInputRows']\n\
        q.isActive\n";
    let out = sh.run(program);
    assert_eq!(out.stderr, "");
    assert_eq!(out.stdout, "[Row(n=3)]\n3\nTrue\n");
}

#[test]
fn python_integers_refuse_overflow_and_division_by_zero() {
    let mut sh = orders();
    assert!(sh.run("9223372036854775807 + 1\n").stderr.ends_with(
        "ValueError: integer overflow: Brooklet's pyspark shell holds 64-bit integers\n"
    ));
    assert!(sh
        .run("1 // 0\n")
        .stderr
        .ends_with("ZeroDivisionError: integer division or modulo by zero\n"));
    assert_eq!(sh.run("-7 // 2, -7 % 2, 7 / 2\n").stdout, "(-4, 1, 3.5)\n");
}

#[test]
fn a_column_used_as_a_truth_value_gets_pysparks_hint() {
    let mut sh = orders();
    let out = sh.run("from pyspark.sql.functions import col\ncol('a') > 1 and col('b') < 2\n");
    assert!(out.stderr.ends_with("ValueError: Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions.\n"), "{}", out.stderr);
}

#[test]
fn struct_types_build_the_schema_from_json_takes() {
    let mut sh = orders();
    let program = format!(
        "{READ}from pyspark.sql.types import *\nfrom pyspark.sql import functions as F\n\
         schema = StructType([StructField('customer_id', LongType()), StructField('city', StringType())])\n\
         schema\n\
         df.select(F.from_json(F.col('value').cast('string'), schema).alias('o')).select('o.city').distinct().orderBy(F.desc('city')).collect()\n"
    );
    let out = sh.run(&program);
    assert_eq!(out.stderr, "");
    assert_eq!(
        out.stdout,
        "StructType([StructField('customer_id', LongType(), True), StructField('city', StringType(), True)])\n[Row(city='denver'), Row(city='chicago')]\n"
    );
}

#[test]
fn exit_ends_the_shell() {
    let mut sh = orders();
    let out = sh.run("print(1)\nexit()\nprint(2)\n");
    assert_eq!(out.stdout, "1\n");
    assert!(sh.exited());
}

#[test]
fn polling_runs_a_started_query_at_the_prompt() {
    let mut sh = orders();
    for line in [
        "df = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'localhost:9092') \\",
        "  .option('subscribe', 'orders').option('startingOffsets', 'earliest').load()",
        "q = df.selectExpr('CAST(key AS STRING) AS k').writeStream.format('console').start()",
    ] {
        if let Some(out) = sh.feed_line(line) {
            assert_eq!(out.stderr, "");
        }
    }
    let printed = sh.poll();
    assert!(
        printed.starts_with("-------------------------------------------\nBatch: 0\n"),
        "{printed}"
    );
    assert!(printed.contains("|  3|\n"), "{printed}");
    assert_eq!(sh.poll(), "");
}

#[test]
fn a_left_shift_that_loses_bits_is_an_overflow_not_a_wrong_number() {
    let mut sh = orders();
    assert_eq!(
        sh.run("1 << 62, -1 << 63, 5 << 0\n").stdout,
        "(4611686018427387904, -9223372036854775808, 5)\n"
    );
    for text in ["3 << 62\n", "1 << 63\n", "1 << 64\n", "-3 << 62\n"] {
        assert!(
            sh.run(text).stderr.ends_with(
                "ValueError: integer overflow: Brooklet's pyspark shell holds 64-bit integers\n"
            ),
            "{text}"
        );
    }
}

#[test]
fn doubling_a_string_or_list_stops_at_the_shells_limit_instead_of_freezing_the_tab() {
    let mut sh = orders();
    let doubling = "x = 'ab' * 4000000\n".to_owned() + &"x = x + x\n".repeat(3);
    let out = sh.run(&doubling);
    assert!(out.stderr.ends_with("ValueError: a string longer than 16777216 bytes is more than Brooklet's pyspark shell builds\n"), "{}", out.stderr);
    assert_eq!(sh.run("len(x)\n").stdout, "16000000\n");
    let out = sh.run("y = [0] * 1048576\ny = y + [1]\n");
    assert!(out.stderr.ends_with("ValueError: a list longer than 1048576 items is more than Brooklet's pyspark shell builds\n"), "{}", out.stderr);
}

#[test]
fn lists_and_tuples_repeat_and_concatenate_as_in_python() {
    let mut sh = orders();
    assert_eq!(
        sh.run("[1] * 3, 2 * (0,), (1, 2) + (3,), [1] * -1\n")
            .stdout,
        "([1, 1, 1], (0, 0), (1, 2, 3), [])\n"
    );
}

#[test]
fn an_unimported_pyspark_name_says_which_import_it_needs() {
    let mut sh = orders();
    assert!(sh.run("col('a')\n").stderr.ends_with(
        "NameError: name 'col' is not defined. Did you forget to import 'col'? (from pyspark.sql.functions import col)\n"
    ));
    assert!(sh.run("LongType()\n").stderr.ends_with(
        "NameError: name 'LongType' is not defined. Did you forget to import 'LongType'? (from pyspark.sql.types import LongType)\n"
    ));
    assert!(sh
        .run("nope\n")
        .stderr
        .ends_with("NameError: name 'nope' is not defined\n"));
}

#[test]
fn a_python_builtin_the_shell_lacks_says_what_it_has() {
    let mut sh = orders();
    let out = sh.run("int('3')\n");
    assert!(out.stderr.ends_with("NotImplementedError: Python's built-in int() is not supported in Brooklet's pyspark shell: it has print, len, str, repr and display; for columns use pyspark.sql.functions (from pyspark.sql import functions as F)\n"), "{}", out.stderr);
    // After `import *`, PySpark's functions shadow Python's, as in PySpark.
    let out = sh.run("from pyspark.sql.functions import *\nround('x', 1)\n");
    assert_eq!(out.stdout, "Column<'round(x, 1)'>\n");
}

#[test]
fn a_schema_gives_its_fields_by_name_or_position_as_pyspark_does() {
    let mut sh = orders();
    let out = sh.run(&format!("{READ}df.schema['offset']\ndf.schema[-1].name\n"));
    assert_eq!(
        out.stdout,
        "StructField('offset', LongType(), True)\n'timestampType'\n"
    );
    assert!(sh.run("df.schema['nope']\n").stderr.ends_with(
        "pyspark.errors.exceptions.base.PySparkKeyError: [KEY_NOT_EXISTS] Key `nope` is not exists.\n"
    ));
    assert!(sh.run("df.schema[7]\n").stderr.ends_with(
        "pyspark.errors.exceptions.base.PySparkIndexError: [INDEX_OUT_OF_RANGE] StructType index out of range, got '7'.\n"
    ));
}

#[test]
fn dataframe_methods_the_shell_lacks_are_refused_with_what_to_use() {
    let mut sh = orders();
    let out = sh.run(&format!("{READ}df.describe()\n"));
    assert!(out.stderr.ends_with("NotImplementedError: DataFrame.describe is not supported in Brooklet's pyspark shell: use agg(count(c), avg(c), min(c), max(c)) on the columns\n"), "{}", out.stderr);
    let out = sh.run("df.toDF('a', 'b')\n");
    assert!(
        out.stderr.contains("DataFrame.toDF is not supported"),
        "{}",
        out.stderr
    );
}
