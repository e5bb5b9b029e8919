//! Random PySpark for the shell: snippets built from the course's tokens, and the course's
//! own programs cut and spliced at random places, must each end with printed output or a
//! Python exception — never a panic, and never a loop that does not end (the test finishes).
//!
//! Deterministic: a fixed-seed xorshift generator, so a failure repeats with its seed.

use super::tests::orders as orders_shell;

/// Pieces the course's PySpark is made of; random sequences of them are mostly nonsense,
/// sometimes a valid call on an odd value.
const TOKENS: &[&str] = &[
    "df",
    "spark",
    "F",
    "col",
    "q",
    "x",
    "=",
    ".",
    ",",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "\\\n",
    "\n",
    " ",
    "\"value\"",
    "'key'",
    "\"*\"",
    "\"value.*\"",
    "\"value.city\"",
    "0",
    "1",
    "-1",
    "20",
    "2.5",
    "None",
    "True",
    "False",
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "&",
    "|",
    "~",
    "==",
    "<",
    ">=",
    "and",
    "or",
    "not",
    "in",
    "is",
    "readStream",
    "read",
    "format",
    "\"kafka\"",
    "\"console\"",
    "\"memory\"",
    "option",
    "options",
    "\"subscribe\"",
    "\"orders\"",
    "\"startingOffsets\"",
    "\"earliest\"",
    "\"maxOffsetsPerTrigger\"",
    "load",
    "select",
    "selectExpr",
    "\"CAST(value AS STRING)\"",
    "\"CAST(key AS STRING) AS key\"",
    "filter",
    "where",
    "\"offset > 0\"",
    "withColumn",
    "from_json",
    "\"city string, total long\"",
    "alias",
    "cast",
    "\"string\"",
    "\"timestamp\"",
    "groupBy",
    "agg",
    "count",
    "sum",
    "min",
    "max",
    "window",
    "\"10 minutes\"",
    "withWatermark",
    "\"timestamp\"",
    "orderBy",
    "desc",
    "show",
    "printSchema",
    "collect",
    "first",
    "take",
    "columns",
    "schema",
    "writeStream",
    "outputMode",
    "\"append\"",
    "\"update\"",
    "\"complete\"",
    "start",
    "toTable",
    "\"t\"",
    "trigger",
    "once",
    "availableNow",
    "processingTime",
    "\"1 second\"",
    "processAllAvailable",
    "awaitTermination",
    "stop",
    "status",
    "lastProgress",
    "recentProgress",
    "isActive",
    "spark.sql",
    "\"select * from v\"",
    "createOrReplaceTempView",
    "\"v\"",
    "explode",
    "split",
    "lit",
    "expr",
    "when",
    "otherwise",
    "display",
    "print",
    "len",
    "str",
    "repr",
    "import",
    "from",
    "pyspark.sql.functions",
    "pyspark.sql.types",
    "*",
    "as",
    "StructType",
    "StructField",
    "LongType()",
    "StringType()",
    "getItem",
    "join",
    "\"inner\"",
    "limit",
    "distinct",
    "drop",
    "foreachBatch",
    "'''",
    "\"\"\"",
    "#",
    "b'x'",
    "r'\\d'",
    "9223372036854775807",
    "<<",
    ">>",
    "lambda",
    "def",
    "if",
    "for",
    "spark.streams.active",
    "exit",
    "sc",
    "\"\"",
    "\"a\" * 100",
    "10**18",
    "1 << 62",
];

/// The course's programs, whole; the test also cuts and splices them.
const PROGRAMS: &[&str] = &[
    "df = spark.readStream.format(\"kafka\") \\\n  .option(\"kafka.bootstrap.servers\", \"localhost:9092\") \\\n  .option(\"subscribe\", \"orders\").option(\"startingOffsets\", \"earliest\") \\\n  .option(\"maxOffsetsPerTrigger\", 50).load()\ndf = df.selectExpr(\"CAST(key AS STRING)\", \"CAST(value AS STRING)\")\nquery = df.writeStream.outputMode(\"append\").format(\"console\").start()\nquery.processAllAvailable()\nquery.lastProgress\nquery.stop()\n",
    "from pyspark.sql.functions import *\norders_schema = \"customer_id long, city string, total long\"\nd = spark.read.format(\"kafka\").option(\"kafka.bootstrap.servers\", \"localhost:9092\").option(\"subscribe\", \"orders\").load()\np = d.select(\"key\", from_json(col(\"value\").cast(\"string\"), orders_schema).alias(\"value\"), \"topic\", \"partition\", \"offset\", \"timestamp\")\np.createOrReplaceTempView(\"orders\")\nspark.sql(\"\"\"select key, value.city as city, sum(value.total) as t from orders group by key, value.city order by t desc\"\"\").show()\np.groupBy(\"value.customer_id\").agg(count(\"*\").alias(\"n\"), sum(\"value.total\")).orderBy(desc(\"n\")).show(5, False)\ndisplay(p.select(\"value.*\"))\n",
    "from pyspark.sql import functions as F\ns = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'localhost:9092').option('subscribe', 'orders').option('startingOffsets', 'earliest').load()\nw = s.withWatermark('timestamp', '10 minutes').groupBy(F.window('timestamp', '10 minutes', '5 minutes'), F.col('key')).agg(F.count('*').alias('c'))\nq = w.writeStream.outputMode('update').format('memory').queryName('m').trigger(availableNow=True).start()\nq.processAllAvailable()\nspark.table('m').orderBy('c').collect()\nq.awaitTermination(1)\nspark.streams.active\n",
];

/// xorshift64*: small, fixed-seed, good enough to pick tokens.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn random_tokens(rng: &mut Rng) -> String {
    let n = 1 + rng.below(40);
    (0..n).map(|_| TOKENS[rng.below(TOKENS.len())]).collect()
}

/// A course program with a random cut, a random deletion, or another program's tail spliced
/// in at a random character.
fn mangled_program(rng: &mut Rng) -> String {
    let program = PROGRAMS[rng.below(PROGRAMS.len())];
    let chars: Vec<char> = program.chars().collect();
    let at = rng.below(chars.len());
    let head: String = chars[..at].iter().collect();
    match rng.below(3) {
        0 => head,
        1 => {
            let skip = (at + 1 + rng.below(8)).min(chars.len());
            head + &chars[skip..].iter().collect::<String>()
        }
        _ => {
            let other: Vec<char> = PROGRAMS[rng.below(PROGRAMS.len())].chars().collect();
            let from = rng.below(other.len());
            head + &other[from..].iter().collect::<String>()
        }
    }
}

#[test]
fn random_course_snippets_never_panic_as_a_program_or_typed_line_by_line() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut failures = 0;
    for round in 0..2000 {
        let text = if round % 2 == 0 {
            random_tokens(&mut rng)
        } else {
            mangled_program(&mut rng)
        };
        let mut sh = orders_shell();
        let out = sh.run(&text);
        failures += usize::from(out.failed);
        let mut typed = orders_shell();
        for line in text.lines() {
            let _ = typed.feed_line(line);
        }
        let _ = typed.interrupt();
        let _ = typed.poll();
    }
    // Most random snippets are errors; the count shows the generator reached the shell.
    assert!(failures > 100, "only {failures} snippets failed");
}

#[test]
fn every_course_program_runs_without_an_exception() {
    for program in PROGRAMS {
        let mut sh = orders_shell();
        let out = sh.run(program);
        assert!(!out.failed, "{program}\n{}", out.stderr);
    }
}
