//! Logical lines: continuations, implicit joining, `;`, comments, blank lines, and when the
//! interactive shell must wait for another line.

use super::super::input_is_complete;
use super::parsed;

#[test]
fn a_backslash_joins_lines_even_with_indented_continuations() {
    assert_eq!(parsed("x = 1 + \\\n    2\n"), "x = (1 + 2)");
    assert_eq!(
        parsed("q = df.writeStream \\\r\n  .start()\r\n"),
        "q = df.writeStream.start()"
    );
    assert_eq!(parsed("\u{feff}s = '''a\r\nb'''\r\n"), r#"s = "a\nb""#);
}

#[test]
fn brackets_join_lines_with_comments_and_blank_lines_inside() {
    let source = "df = (spark.read  # the batch read\n\n    .format('kafka')\n\n    # options\n    .load())\n";
    assert_eq!(parsed(source), r#"df = spark.read.format("kafka").load()"#);
    assert_eq!(
        parsed("x = [\n  1,\n  2,\n]\ny = {\n 'a':\n 1}"),
        "x = [1, 2]\ny = {\"a\": 1}"
    );
}

#[test]
fn semicolons_separate_statements_on_one_line() {
    assert_eq!(parsed("a = 1; b = 2;"), "a = 1\nb = 2");
    assert_eq!(
        parsed("df.show() ; df.printSchema()"),
        "df.show()\ndf.printSchema()"
    );
}

#[test]
fn comments_blank_and_whitespace_lines_are_ignored() {
    assert_eq!(
        parsed("# only a comment\n\n   \n\t# indented comment\nx = 1  # trailing\n"),
        "x = 1"
    );
    assert_eq!(parsed(""), "");
    assert_eq!(parsed("\n\n"), "");
}

#[test]
fn the_last_line_needs_no_newline() {
    assert_eq!(parsed("x = 1\ny = 2"), "x = 1\ny = 2");
}

#[test]
fn the_shell_waits_while_a_bracket_is_open() {
    assert!(!input_is_complete("df = (spark.readStream"));
    assert!(!input_is_complete("df = spark.sql(\n"));
    assert!(!input_is_complete("x = [1,\n [2,\n"));
    assert!(input_is_complete("df = (spark.readStream\n  .load())\n"));
}

#[test]
fn the_shell_waits_after_a_trailing_backslash() {
    assert!(!input_is_complete("df = spark.readStream \\"));
    assert!(!input_is_complete("df = spark.readStream \\\n"));
    assert!(input_is_complete("df = spark.readStream \\\n  .load()\n"));
}

#[test]
fn the_shell_waits_inside_a_triple_quoted_string() {
    assert!(!input_is_complete("q = spark.sql(\"\"\"select *\n"));
    assert!(!input_is_complete("q = '''"));
    assert!(input_is_complete(
        "q = spark.sql(\"\"\"select *\nfrom t\"\"\")\n"
    ));
    assert!(!input_is_complete("s = 'one \\\n"));
}

#[test]
fn the_shell_does_not_wait_on_a_complete_line_or_a_syntax_error() {
    assert!(input_is_complete(""));
    assert!(input_is_complete("df.show()"));
    assert!(input_is_complete("x = 'abc"));
    assert!(input_is_complete("x = )"));
    assert!(input_is_complete("f(]"));
    assert!(input_is_complete("for x in y:"));
    assert!(input_is_complete("x = 1 \\ y"));
}
