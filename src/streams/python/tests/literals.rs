//! Literals of every Python kind parse to the values Python gives them.

use super::super::ast::Expr;
use super::{error, expr, parsed};

fn text(source: &str) -> String {
    match expr(source) {
        Expr::Str(s) => s,
        other => panic!("{source:?} is not a string: {other:?}"),
    }
}

fn bytes(source: &str) -> Vec<u8> {
    match expr(source) {
        Expr::Bytes(b) => b,
        other => panic!("{source:?} is not bytes: {other:?}"),
    }
}

#[test]
fn single_and_double_quoted_strings_resolve_escapes_as_python_does() {
    assert_eq!(text(r#"'it\'s'"#), "it's");
    assert_eq!(text(r#""say \"hi\"""#), "say \"hi\"");
    assert_eq!(text(r#"'a\tb\nc\\d'"#), "a\tb\nc\\d");
    assert_eq!(text(r#"'\a\b\f\v\r'"#), "\x07\x08\x0c\x0b\r");
    assert_eq!(text(r#"'\x41\101\u00e9\U0001F600'"#), "AAé😀");
    assert_eq!(text(r#"'\0'"#), "\0");
    // Python keeps an unknown escape as written.
    assert_eq!(text(r#"'\d+\.'"#), "\\d+\\.");
    assert_eq!(text("'caf\u{e9}'"), "café");
}

#[test]
fn triple_quoted_strings_span_lines_and_hold_lone_quotes() {
    assert_eq!(text("'''a\nb's\"'''"), "a\nb's\"");
    assert_eq!(
        text("\"\"\"select *\n  from t where c = 'x'\"\"\""),
        "select *\n  from t where c = 'x'"
    );
    assert_eq!(
        text("\"\"\"ends with a quote\\\"\"\"\""),
        "ends with a quote\""
    );
    assert_eq!(text("'''line \\\ncontinued'''"), "line continued");
}

#[test]
fn raw_strings_keep_backslashes() {
    assert_eq!(text(r#"r'\d+\.\n'"#), "\\d+\\.\\n");
    assert_eq!(text(r#"R"a\"b""#), "a\\\"b");
    assert_eq!(text(r#"r'''C:\new'''"#), "C:\\new");
}

#[test]
fn unicode_prefix_is_accepted_and_changes_nothing() {
    assert_eq!(text(r#"u'\u00e9'"#), "é");
    assert_eq!(text(r#"U"x""#), "x");
}

#[test]
fn bytes_literals_hold_bytes_in_every_prefix_combination() {
    assert_eq!(bytes(r#"b'a\x00\xff\n'"#), vec![b'a', 0, 0xff, b'\n']);
    assert_eq!(bytes(r#"B"\u00e9""#), b"\\u00e9".to_vec());
    assert_eq!(bytes(r#"br'\x00'"#), b"\\x00".to_vec());
    assert_eq!(bytes(r#"Rb'\n'"#), b"\\n".to_vec());
    assert_eq!(bytes(r#"b'a' b'b'"#), b"ab".to_vec());
}

#[test]
fn adjacent_literals_concatenate_across_kinds_and_lines() {
    assert_eq!(text(r#"'a' "b" r'\c' '''d'''"#), "ab\\cd");
    assert_eq!(
        parsed("x = ('select * '\n     'from t')"),
        r#"x = "select * from t""#
    );
    assert_eq!(text("''"), "");
}

#[test]
fn a_name_that_is_not_a_prefix_stays_a_name() {
    assert_eq!(error("ub'x'").0, "SyntaxError: invalid syntax");
    assert_eq!(parsed("rb = 1\nrb"), "rb = 1\nrb");
}

#[test]
fn integers_in_every_base_with_underscores() {
    assert_eq!(expr("1_000"), Expr::Int(1000));
    assert_eq!(expr("0x_ff"), Expr::Int(255));
    assert_eq!(expr("0XFF"), Expr::Int(255));
    assert_eq!(expr("0o17"), Expr::Int(15));
    assert_eq!(expr("0b1010"), Expr::Int(10));
    assert_eq!(expr("0"), Expr::Int(0));
    assert_eq!(expr("000"), Expr::Int(0));
    assert_eq!(expr("9223372036854775807"), Expr::Int(i64::MAX));
}

#[test]
fn floats_with_fractions_and_exponents() {
    assert_eq!(expr("1.5"), Expr::Float(1.5));
    assert_eq!(expr(".5"), Expr::Float(0.5));
    assert_eq!(expr("1."), Expr::Float(1.0));
    assert_eq!(expr("1e3"), Expr::Float(1000.0));
    assert_eq!(expr("2.5E-1"), Expr::Float(0.25));
    assert_eq!(expr("1_0.0_1"), Expr::Float(10.01));
}

#[test]
fn true_false_none_lists_tuples_and_dicts() {
    assert_eq!(parsed("x = [True, False, None]"), "x = [True, False, None]");
    assert_eq!(parsed("x = (1,)"), "x = (1,)");
    assert_eq!(parsed("x = ()"), "x = ()");
    assert_eq!(parsed("x = (1, 2,)"), "x = (1, 2)");
    assert_eq!(parsed("x = 1, 2"), "x = (1, 2)");
    assert_eq!(parsed("x = []"), "x = []");
    assert_eq!(parsed("x = [1, [2],]"), "x = [1, [2]]");
    assert_eq!(parsed("x = {}"), "x = {}");
    assert_eq!(
        parsed(r#"opts = {"kafka.bootstrap.servers": "localhost:9092", 'n': 1,}"#),
        r#"opts = {"kafka.bootstrap.servers": "localhost:9092", "n": 1}"#
    );
    assert_eq!(parsed("x = (1)"), "x = 1");
}
