//! Syntax errors print Python's line (CPython 3.12's texts), and Python the shell does not run
//! gets one line naming what is not supported and what is.

use super::{error, parsed};

const SUPPORTED: &str = "in Brooklet's pyspark shell: it runs assignments, imports and expression statements (README, \"Spark in the tab\")";

fn refused(what: &str) -> String {
    format!("SyntaxError: {what} are not supported {SUPPORTED}")
}

#[test]
fn an_unterminated_string_names_the_line_it_was_detected_on() {
    assert_eq!(
        error("x = 'abc"),
        (
            "SyntaxError: unterminated string literal (detected at line 1)".to_string(),
            1
        )
    );
    assert_eq!(
        error("a = 1\nx = \"abc\ny = 2\n").0,
        "SyntaxError: unterminated string literal (detected at line 2)"
    );
}

#[test]
fn an_unterminated_triple_quoted_string_names_the_last_line() {
    assert_eq!(
        error("x = '''abc\ndef\n"),
        (
            "SyntaxError: unterminated triple-quoted string literal (detected at line 2)"
                .to_string(),
            1
        )
    );
    assert_eq!(
        error("\"\"\"this is a test").0,
        "SyntaxError: unterminated triple-quoted string literal (detected at line 1)"
    );
}

#[test]
fn an_open_bracket_at_the_end_was_never_closed() {
    assert_eq!(
        error("df = spark.sql(\n  'select 1'\n"),
        ("SyntaxError: '(' was never closed".to_string(), 1)
    );
    assert_eq!(
        error("x = [1, {2: 3}").0,
        "SyntaxError: '[' was never closed"
    );
}

#[test]
fn a_closing_bracket_that_does_not_match_says_which_one_is_open() {
    assert_eq!(
        error("f(1]").0,
        "SyntaxError: closing parenthesis ']' does not match opening parenthesis '('"
    );
    assert_eq!(
        error("f(1,\n2]"),
        (
            "SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' on line 1"
                .to_string(),
            2
        )
    );
    assert_eq!(error("df.show())").0, "SyntaxError: unmatched ')'");
}

#[test]
fn plain_mistakes_are_invalid_syntax_and_missing_commas_are_named() {
    assert_eq!(error("df = = 1").0, "SyntaxError: invalid syntax");
    assert_eq!(error("a b").0, "SyntaxError: invalid syntax");
    assert_eq!(
        error("df.select('a' 'b' c)").0,
        "SyntaxError: invalid syntax. Perhaps you forgot a comma?"
    );
    assert_eq!(
        error("x = [1 2]").0,
        "SyntaxError: invalid syntax. Perhaps you forgot a comma?"
    );
    assert_eq!(error("x = $").0, "SyntaxError: invalid syntax");
    assert_eq!(
        error("x = 1 €").0,
        "SyntaxError: invalid character '€' (U+20AC)"
    );
    assert_eq!(
        error("x = \u{201c}a\u{201d}").0,
        "SyntaxError: invalid character '\u{201c}' (U+201C)"
    );
    assert_eq!(
        error("x =\u{a0}1").0,
        "SyntaxError: invalid non-printable character U+00A0"
    );
    assert_eq!(
        error("x = \u{1}").0,
        "SyntaxError: invalid non-printable character U+0001"
    );
}

#[test]
fn continuation_mistakes_are_reported_as_python_does() {
    assert_eq!(
        error("x = 1 \\ # comment\n").0,
        "SyntaxError: unexpected character after line continuation character"
    );
    assert_eq!(
        error("x = 1 \\").0,
        "SyntaxError: unexpected EOF while parsing"
    );
}

#[test]
fn an_indented_line_is_an_unexpected_indent_but_a_leading_dot_gets_a_hint() {
    assert_eq!(
        error("x = 1\n  y = 2\n"),
        ("IndentationError: unexpected indent".to_string(), 2)
    );
    let dot = "SyntaxError: invalid syntax: a line cannot start with '.'; end the line before it with '\\' or put the whole chain in parentheses";
    assert_eq!(
        error("df = spark.readStream\n  .load()\n"),
        (dot.to_string(), 2)
    );
    assert_eq!(
        error("df = spark.readStream\n.load()\n"),
        (dot.to_string(), 2)
    );
}

#[test]
fn blocks_and_other_statements_name_what_is_not_supported() {
    assert_eq!(
        error("for x in rows:\n    print(x)\n"),
        (refused("'for' loops"), 1)
    );
    assert_eq!(
        error("x = 1\nwhile True:\n  pass").0,
        refused("'while' loops")
    );
    assert_eq!(
        error("def f(x):\n  return x").0,
        refused("function definitions ('def')")
    );
    assert_eq!(
        error("class A:\n  pass").0,
        refused("class definitions ('class')")
    );
    assert_eq!(error("if x:\n  pass").0, refused("'if' statements"));
    assert_eq!(
        error("with open('f') as f:\n  pass").0,
        refused("'with' statements")
    );
    assert_eq!(
        error("try:\n  pass\nexcept:\n  pass").0,
        refused("'try' statements")
    );
    assert_eq!(error("@udf\ndef f(x): pass").0, refused("decorators ('@')"));
    assert_eq!(error("del df").0, refused("'del' statements"));
    assert_eq!(
        error("x += 1").0,
        refused("augmented assignments ('x += 1')")
    );
}

#[test]
fn expressions_outside_the_subset_name_what_is_not_supported() {
    assert_eq!(error("f = lambda x: x").0, refused("lambda expressions"));
    assert_eq!(
        error("df.rdd.map(lambda r: r[0])").0,
        refused("lambda expressions")
    );
    assert_eq!(
        error("x = [c for c in cols]").0,
        refused("comprehensions ('[x for x in …]')")
    );
    assert_eq!(
        error("x = 1 if a else 2").0,
        refused("conditional expressions ('a if c else b')")
    );
    assert_eq!(
        error("(n := 10)").0,
        refused("assignment expressions (':=')")
    );
    assert_eq!(
        error("df.select(*cols)").0,
        refused("unpacking arguments with '*' or '**'")
    );
    assert_eq!(error("row[1:3]").0, refused("slices ('a[1:3]')"));
    assert_eq!(
        error("s = {1, 2}").0,
        refused("set literals and comprehensions ('{a, b}')")
    );
    assert_eq!(error("z = 1j").0, refused("complex numbers"));
}

#[test]
fn an_f_string_is_refused_with_the_fix() {
    let text = "SyntaxError: f-strings are not supported in Brooklet's pyspark shell: use a plain string (\"…\"), joined with + where a value goes in";
    assert_eq!(error("spark.sql(f\"select * from {t}\")").0, text);
    assert_eq!(error("x = RF'{a}'").0, text);
}

#[test]
fn chained_comparisons_are_refused_with_the_column_form() {
    assert_eq!(
        error("df.filter(1 < col('a') < 5)").0,
        "SyntaxError: chained comparisons are not supported in Brooklet's pyspark shell: write (a < b) & (b < c)"
    );
}

#[test]
fn assignment_targets_other_than_names_are_refused() {
    assert_eq!(
        error("spark.conf.x = 1").0,
        "SyntaxError: assigning to an attribute ('a.b = …') is not supported in Brooklet's pyspark shell: assign to a plain name (df = …)"
    );
    assert_eq!(
        error("a, b = 1, 2").0,
        "SyntaxError: assigning to several names at once ('a, b = …') is not supported in Brooklet's pyspark shell: assign to a plain name (df = …)"
    );
    assert_eq!(
        error("f() = 1").0,
        "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?"
    );
    assert_eq!(
        error("'a' = 1").0,
        "SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='?"
    );
}

#[test]
fn call_argument_mistakes_use_pythons_words() {
    assert_eq!(
        error("df.show(truncate=False, 5)").0,
        "SyntaxError: positional argument follows keyword argument"
    );
    assert_eq!(
        error("f(a=1, a=2)").0,
        "SyntaxError: keyword argument repeated: a"
    );
    assert_eq!(
        error("print df").0,
        "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?"
    );
}

#[test]
fn number_mistakes_use_pythons_words() {
    assert_eq!(error("x = 0123").0, "SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
    assert_eq!(error("x = 1abc").0, "SyntaxError: invalid decimal literal");
    assert_eq!(
        error("x = 1__000").0,
        "SyntaxError: invalid decimal literal"
    );
    assert_eq!(
        error("x = 0xfg").0,
        "SyntaxError: invalid hexadecimal literal"
    );
    assert_eq!(
        error("x = 99999999999999999999").0,
        "SyntaxError: integer 99999999999999999999 is too large for Brooklet's pyspark shell: it holds 64-bit integers (Spark's long)"
    );
}

#[test]
fn string_escape_mistakes_use_pythons_words() {
    assert_eq!(
        error(r#"x = "\x4""#).0,
        r"SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \xXX escape"
    );
    assert_eq!(
        error(r#"x = b"\x""#).0,
        r"SyntaxError: (value error) invalid \x escape at position 0"
    );
    assert_eq!(
        error("x = b'é'").0,
        "SyntaxError: bytes can only contain ASCII literal characters"
    );
    assert_eq!(
        error("x = 'a' b'b'").0,
        "SyntaxError: cannot mix bytes and nonbytes literals"
    );
    assert_eq!(
        error("x = 'a\0'").0,
        "SyntaxError: source code cannot contain null bytes"
    );
}

#[test]
fn nesting_past_the_limit_is_refused_not_overflowed() {
    let parens = format!("x = {}1{}", "(".repeat(201), ")".repeat(201));
    assert_eq!(error(&parens).0, "SyntaxError: too many nested parentheses");
    let within = format!("x = {}1{}", "(".repeat(100), ")".repeat(100));
    assert_eq!(parsed(&within), "x = 1");
    let deeper = format!("x = {}1{}", "[".repeat(101), "]".repeat(101));
    assert_eq!(
        error(&deeper).0,
        "SyntaxError: expression nested too deeply (more than 100 levels): split it into several assignments"
    );
    let sum = format!("x = 1{}", " + 1".repeat(10_000));
    assert!(error(&sum).0.contains("nested too deeply"));
    let chain = format!("x = df{}", ".a()".repeat(10_000));
    assert!(error(&chain).0.contains("nested too deeply"));
    let minus = format!("x = {}1", "-".repeat(10_000));
    assert_eq!(
        error(&minus).0,
        "SyntaxError: expression nested too deeply (more than 100 levels): split it into several assignments"
    );
    let powers = format!("x = 2{}", " ** 2".repeat(10_000));
    assert!(error(&powers).0.contains("nested too deeply"));
}

#[test]
fn the_first_error_in_the_script_is_the_one_reported() {
    assert_eq!(error("a = 1\nfor x in y:\n    z = )\n").1, 2);
}
