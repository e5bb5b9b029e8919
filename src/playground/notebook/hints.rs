//! What to do next after the errors a notebook learner meets most: one line under Spark's own
//! message, which stays as Spark prints it.
//!
//! Owns the hints' wording and which error each answers. Must not change the error.

use super::cell::CellKind;

/// Each hint and the text of the error it answers.
const HINTS: &[(&str, &str)] = &[
    (
        "Append output mode not supported when there are streaming aggregations",
        "To fix it: use .outputMode(\"complete\") or .outputMode(\"update\"), or add .withWatermark(\"event_time\", \"10 minutes\") before the aggregation, so that append mode can emit each window once the watermark closes it.",
    ),
    (
        "Complete output mode not supported when there are no streaming aggregations",
        "Complete mode re-emits the whole result every batch, so it needs an aggregation: use .outputMode(\"append\") for a query that passes rows through.",
    ),
    (
        "Queries with streaming sources must be executed with writeStream.start()",
        "In this notebook, write the stream to a memory table, .writeStream.format(\"memory\").queryName(\"name\").start(), then query name in a SQL cell (Databricks' display() of a stream does that for you).",
    ),
    (
        "ModuleNotFoundError",
        "The notebook runs the PySpark calls the course uses, not all of Python: imports from pyspark.sql work (README, \"Spark in the tab\", lists what is supported).",
    ),
    (
        "NameError: name",
        "Cells share one Spark session: run the cells above that define it first (a reload or Restart session starts a new session).",
    ),
];

/// The hint for a cell whose run printed `error` (its standard error), if there is one.
pub fn hint(kind: CellKind, source: &str, error: &str) -> Option<&'static str> {
    if kind == CellKind::Sql
        && error.contains("PARSE_SYNTAX_ERROR")
        && source.trim().trim_end_matches(';').contains(';')
    {
        return Some("A SQL cell runs one statement: put each statement in its own cell.");
    }
    HINTS
        .iter()
        .find(|(text, _)| error.contains(text))
        .map(|(_, hint)| *hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_statements_in_a_sql_cell_are_told_apart_from_one_bad_statement() {
        let error = "[PARSE_SYNTAX_ERROR] Syntax error at or near 'select'.";
        assert!(hint(CellKind::Sql, "select 1; select 2", error)
            .is_some_and(|h| h.contains("one statement")));
        assert_eq!(hint(CellKind::Sql, "selec 1;", error), None);
    }

    #[test]
    fn an_append_mode_aggregation_gets_the_three_ways_out() {
        let error = "pyspark.errors.exceptions.captured.AnalysisException: Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark;";
        let h = hint(CellKind::Python, "", error).expect("a hint");
        assert!(h.contains("complete") && h.contains("update") && h.contains("withWatermark"));
    }
}
