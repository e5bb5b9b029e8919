//! Expressions: the course's, Spark's precedence, literals, errors, and no panic on any input.

use super::*;
use crate::streams::sql::ast::{BinaryOp, Literal, UnaryOp};

fn col(path: &str) -> Expr {
    Expr::Column(path.split('.').map(str::to_string).collect())
}

fn lit_i(v: i64) -> Expr {
    Expr::Literal(Literal::Integer(v))
}

fn lit_s(v: &str) -> Expr {
    Expr::Literal(Literal::String(v.to_string()))
}

fn bin(l: Expr, op: BinaryOp, r: Expr) -> Expr {
    Expr::Binary(Box::new(l), op, Box::new(r))
}

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function {
        name: name.to_string(),
        args,
        distinct: false,
    }
}

fn alias(e: Expr, name: &str) -> Expr {
    Expr::Alias(Box::new(e), name.to_string())
}

fn parse(text: &str) -> Expr {
    match parse_expression(text) {
        Ok(e) => e,
        Err(e) => panic!("{text:?} did not parse:\n{e}"),
    }
}

fn error(text: &str) -> String {
    match parse_expression(text) {
        Ok(e) => panic!("{text:?} parsed to {e:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_courses_select_expr_casts_key_and_value_to_string() {
    assert_eq!(
        parse_select_item("CAST(key AS STRING)").ok(),
        Some(Expr::Cast(Box::new(col("key")), DataType::String))
    );
    assert_eq!(
        parse_select_item("CAST(key as string) as k").ok(),
        Some(alias(
            Expr::Cast(Box::new(col("key")), DataType::String),
            "k"
        ))
    );
}

#[test]
fn a_select_item_takes_a_bare_alias_and_a_star() {
    assert_eq!(
        parse_select_item("value.city city").ok(),
        Some(alias(col("value.city"), "city"))
    );
    assert_eq!(parse_select_item("*").ok(), Some(Expr::Star(None)));
    assert_eq!(
        parse_select_item("o.*").ok(),
        Some(Expr::Star(Some("o".into())))
    );
    assert_eq!(
        parse_select_item("1 AS `my col`").ok(),
        Some(alias(lit_i(1), "my col"))
    );
}

#[test]
fn the_chicago_filter_compares_a_struct_field_with_a_string() {
    assert_eq!(
        parse("value.city = 'chicago'"),
        bin(col("value.city"), BinaryOp::Eq, lit_s("chicago"))
    );
}

#[test]
fn from_json_with_a_ddl_string_and_explode_are_calls() {
    assert_eq!(
        parse("from_json(value, 'a int, b string')"),
        call("from_json", vec![col("value"), lit_s("a int, b string")])
    );
    assert_eq!(
        parse("explode(value.line_items) as lines"),
        alias(call("explode", vec![col("value.line_items")]), "lines")
    );
}

#[test]
fn count_star_and_count_distinct_keep_their_forms() {
    assert_eq!(parse("count(*)"), call("count", vec![Expr::Star(None)]));
    assert_eq!(
        parse("COUNT(DISTINCT x)"),
        Expr::Function {
            name: "COUNT".into(),
            args: vec![col("x")],
            distinct: true
        }
    );
    assert_eq!(
        parse("current_timestamp()"),
        call("current_timestamp", vec![])
    );
}

#[test]
fn multiplication_binds_tighter_than_addition_and_both_associate_left() {
    assert_eq!(
        parse("1 + 2 * 3 - 4"),
        bin(
            bin(
                lit_i(1),
                BinaryOp::Plus,
                bin(lit_i(2), BinaryOp::Multiply, lit_i(3))
            ),
            BinaryOp::Minus,
            lit_i(4)
        )
    );
    assert_eq!(
        parse("a DIV 2 % 3"),
        bin(
            bin(col("a"), BinaryOp::IntDivide, lit_i(2)),
            BinaryOp::Modulo,
            lit_i(3)
        )
    );
    assert_eq!(
        parse("a || 'x' = b"),
        bin(
            bin(col("a"), BinaryOp::Concat, lit_s("x")),
            BinaryOp::Eq,
            col("b")
        )
    );
}

#[test]
fn not_covers_one_predicate_and_and_binds_tighter_than_or() {
    let not = |e: Expr| Expr::Unary(UnaryOp::Not, Box::new(e));
    assert_eq!(
        parse("NOT a = 1 AND b OR c"),
        bin(
            bin(
                not(bin(col("a"), BinaryOp::Eq, lit_i(1))),
                BinaryOp::And,
                col("b")
            ),
            BinaryOp::Or,
            col("c")
        )
    );
    assert_eq!(parse("!x"), not(col("x")));
}

#[test]
fn a_predicate_applies_to_the_whole_comparison_before_it() {
    assert_eq!(
        parse("a = b IS NULL"),
        Expr::IsNull {
            expr: Box::new(bin(col("a"), BinaryOp::Eq, col("b"))),
            negated: false
        }
    );
    assert!(parse_expression("a IS NULL = b").is_err());
}

#[test]
fn predicates_parse_with_their_negations() {
    assert_eq!(
        parse("x NOT BETWEEN 1 AND 2 AND y"),
        bin(
            Expr::Between {
                expr: Box::new(col("x")),
                low: Box::new(lit_i(1)),
                high: Box::new(lit_i(2)),
                negated: true
            },
            BinaryOp::And,
            col("y")
        )
    );
    assert_eq!(
        parse("state NOT IN ('IL', 'NY')"),
        Expr::InList {
            expr: Box::new(col("state")),
            list: vec![lit_s("IL"), lit_s("NY")],
            negated: true
        }
    );
    assert_eq!(
        parse("name rlike '^a'"),
        Expr::Like {
            expr: Box::new(col("name")),
            pattern: Box::new(lit_s("^a")),
            negated: false,
            regex: true
        }
    );
    assert_eq!(
        parse("name NOT LIKE 'a%'"),
        Expr::Like {
            expr: Box::new(col("name")),
            pattern: Box::new(lit_s("a%")),
            negated: true,
            regex: false
        }
    );
    assert_eq!(
        parse("x IS NOT NULL"),
        Expr::IsNull {
            expr: Box::new(col("x")),
            negated: true
        }
    );
}

#[test]
fn literals_are_typed_as_spark_types_them() {
    assert_eq!(parse("10L"), Expr::Literal(Literal::Long(10)));
    assert_eq!(parse("-10"), lit_i(-10));
    assert_eq!(parse("2.5"), Expr::Literal(Literal::Double(2.5)));
    assert_eq!(parse("1e3"), Expr::Literal(Literal::Double(1000.0)));
    assert_eq!(parse("1.5D"), Expr::Literal(Literal::Double(1.5)));
    assert_eq!(parse("TRUE"), Expr::Literal(Literal::Boolean(true)));
    assert_eq!(parse("null"), Expr::Literal(Literal::Null));
    assert_eq!(
        parse("99999999999999999999"),
        Expr::Literal(Literal::Double(1e20))
    );
    assert_eq!(parse(r#""it\'s" ' ok'"#), lit_s("it's ok"));
    assert_eq!(parse("-x"), Expr::Unary(UnaryOp::Minus, Box::new(col("x"))));
}

#[test]
fn an_out_of_range_long_literal_is_sparks_error() {
    assert_eq!(
        error("99999999999999999999L"),
        "[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal 99999999999999999999 is outside the \
         valid range for bigint with minimum value of -9223372036854775808 and maximum value of \
         9223372036854775807. Please adjust the value accordingly.(line 1, pos 0)\n\n== SQL ==\n\
         99999999999999999999L\n^^^\n"
    );
}

#[test]
fn indexes_fields_and_double_colon_casts_are_postfix() {
    assert_eq!(
        parse("a[0].b"),
        Expr::Field(
            Box::new(Expr::Index(Box::new(col("a")), Box::new(lit_i(0)))),
            "b".into()
        )
    );
    assert_eq!(
        parse("m['k']"),
        Expr::Index(Box::new(col("m")), Box::new(lit_s("k")))
    );
    // As Spark's AstBuilder.visitDereference: a name in parentheses is still a name.
    assert_eq!(parse("(x).y"), col("x.y"));
    assert_eq!(
        parse("f(x).y"),
        Expr::Field(Box::new(call("f", vec![col("x")])), "y".into())
    );
    assert_eq!(parse("o.value.order_id"), col("o.value.order_id"));
    assert_eq!(
        parse("a + b::int"),
        bin(
            col("a"),
            BinaryOp::Plus,
            Expr::Cast(Box::new(col("b")), DataType::Integer)
        )
    );
    assert_eq!(parse("`my col`"), Expr::Column(vec!["my col".into()]));
}

#[test]
fn case_takes_both_forms() {
    assert_eq!(
        parse("CASE WHEN a > 1 THEN 'big' ELSE 'small' END"),
        Expr::Case {
            operand: None,
            branches: vec![(bin(col("a"), BinaryOp::Gt, lit_i(1)), lit_s("big"))],
            otherwise: Some(Box::new(lit_s("small")))
        }
    );
    assert_eq!(
        parse("case x when 1 then 'one' when 2 then 'two' end"),
        Expr::Case {
            operand: Some(Box::new(col("x"))),
            branches: vec![(lit_i(1), lit_s("one")), (lit_i(2), lit_s("two"))],
            otherwise: None
        }
    );
}

#[test]
fn intervals_keep_sparks_text() {
    assert_eq!(
        parse("INTERVAL 10 MINUTES"),
        Expr::Interval("10 minutes".into())
    );
    assert_eq!(
        parse("interval '10 minutes'"),
        Expr::Interval("10 minutes".into())
    );
    assert_eq!(
        parse("INTERVAL 1 HOUR 30 MINUTES"),
        Expr::Interval("1 hour 30 minutes".into())
    );
    assert_eq!(
        parse("timestamp - INTERVAL 5 SECONDS"),
        bin(
            col("timestamp"),
            BinaryOp::Minus,
            Expr::Interval("5 seconds".into())
        )
    );
}

#[test]
fn comparisons_take_every_spelling() {
    for (text, op) in [
        ("a = 1", BinaryOp::Eq),
        ("a == 1", BinaryOp::Eq),
        ("a <=> 1", BinaryOp::NullSafeEq),
        ("a != 1", BinaryOp::NotEq),
        ("a <> 1", BinaryOp::NotEq),
        ("a < 1", BinaryOp::Lt),
        ("a <= 1", BinaryOp::LtEq),
        ("a > 1", BinaryOp::Gt),
        ("a >= 1", BinaryOp::GtEq),
    ] {
        assert_eq!(parse(text), bin(col("a"), op, lit_i(1)), "{text}");
    }
}

#[test]
fn a_reserved_word_where_a_value_belongs_is_sparks_syntax_error() {
    assert_eq!(
        error("a = NOT b"),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near 'NOT'.(line 1, pos 4)\n\n== SQL ==\n\
         a = NOT b\n----^^^\n"
    );
}

#[test]
fn an_expression_cut_short_errs_at_end_of_input() {
    assert_eq!(
        error("count(a"),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 1, pos 7)\n\n\
         == SQL ==\ncount(a\n-------^^^\n"
    );
}

#[test]
fn an_empty_expression_is_sparks_empty_statement_error() {
    assert_eq!(
        error("  "),
        "[PARSE_EMPTY_STATEMENT] Syntax Error, unexpected empty statement.(line 1, pos 0)\n\n\
         == SQL ==\n  \n^^^\n"
    );
}

#[test]
fn an_unclosed_string_is_reported_at_its_quote() {
    assert_eq!(
        error("city = 'chi"),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near '''.(line 1, pos 7)\n\n== SQL ==\n\
         city = 'chi\n-------^^^\n"
    );
}

#[test]
fn nesting_past_the_limit_is_refused_with_a_clear_error() {
    let ok = format!(
        "{}1{}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    assert_eq!(parse_expression(&ok).ok(), Some(lit_i(1)));
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    let e = parse_expression(&deep).err();
    assert!(
        matches!(
            e,
            Some(SqlError::TooDeep {
                limit: MAX_DEPTH,
                ..
            })
        ),
        "{e:?}"
    );
    let minus = "- ".repeat(10_000) + "x";
    assert!(matches!(
        parse_expression(&minus),
        Err(SqlError::TooDeep { .. })
    ));
    let calls = "f(".repeat(10_000);
    assert!(matches!(
        parse_expression(&calls),
        Err(SqlError::TooDeep { .. })
    ));
}

/// A deterministic generator of SQL-ish text: fragments of real syntax glued at random, plus
/// random characters, so that both near-misses and garbage reach every entry point.
fn random_texts(count: usize) -> Vec<String> {
    const PIECES: &[&str] = &[
        "select",
        " ",
        "from",
        "where",
        "(",
        ")",
        "[",
        "]",
        ",",
        ".",
        "*",
        "'",
        "\"",
        "`",
        "a",
        "value.city",
        "1",
        "10L",
        "1.5e",
        "-",
        "+",
        "::",
        "int",
        "array<",
        "struct<",
        ">",
        ":",
        "CAST(",
        " AS ",
        "CASE",
        "WHEN",
        "THEN",
        "END",
        "NOT",
        "IS",
        "NULL",
        "IN",
        "BETWEEN",
        "AND",
        "OR",
        "INTERVAL",
        "join",
        "on",
        "group by",
        "order by",
        "limit",
        "/*",
        "*/",
        "--",
        "\n",
        "\\",
        "é",
        "window(",
        "'10 minutes'",
        "<=>",
        "!",
        "||",
        "DESCRIBE",
        "HISTORY",
        "SHOW",
        "TABLES",
        ";",
        "map<",
        "decimal(",
        "NOT NULL",
        "COMMENT",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let len = (next() % 24) as usize;
            (0..len)
                .map(|_| {
                    let r = next();
                    if r % 7 == 0 {
                        char::from_u32((r >> 8) as u32 % 0x250).map_or(String::new(), String::from)
                    } else {
                        PIECES[(r >> 8) as usize % PIECES.len()].to_string()
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn no_input_makes_any_entry_point_panic() {
    for text in random_texts(20_000) {
        let _ = parse_expression(&text);
        let _ = parse_select_item(&text);
        let _ = parse_statement(&text);
        let _ = parse_data_type(&text);
        let _ = parse_ddl_schema(&text);
    }
}

#[test]
fn every_error_points_inside_or_just_past_its_text() {
    for text in random_texts(5_000) {
        if let Err(SqlError::Syntax { at, .. }) = parse_statement(&text) {
            let lines: Vec<&str> = text.split('\n').collect();
            let line = lines.get(at.line - 1).map_or(0, |l| l.chars().count());
            assert!(at.pos <= line, "{text:?}: {at:?}");
        }
    }
}

mod property {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_text_parses_or_errs_without_panicking(text in "\\PC{0,60}") {
            let _ = parse_statement(&text);
            let _ = parse_expression(&text);
            let _ = parse_ddl_schema(&text);
        }
    }
}

#[test]
fn calls_cases_and_casts_nested_just_under_the_limit_still_parse() {
    let n = MAX_DEPTH / 2 - 1;
    let calls = format!("{}x{}", "f(".repeat(n), ")".repeat(n));
    assert!(parse_expression(&calls).is_ok());
    let cases = format!("{}1{}", "CASE WHEN a THEN ".repeat(n), " END".repeat(n));
    assert!(parse_expression(&cases).is_ok());
    let arrays = format!("CAST(x AS {}int{})", "array<".repeat(n), ">".repeat(n));
    assert!(parse_expression(&arrays).is_ok());
    let index = format!("{}0{}", "a[".repeat(n), "]".repeat(n));
    assert!(parse_expression(&index).is_ok());
}

#[test]
fn a_dot_without_a_name_errs_at_what_follows_it() {
    assert_eq!(
        error("f(x).1"),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near '.1'.(line 1, pos 4)\n\n== SQL ==\n\
         f(x).1\n----^^^\n"
    );
    assert_eq!(
        error("f(x). + 1"),
        "[PARSE_SYNTAX_ERROR] Syntax error at or near '+'.(line 1, pos 6)\n\n== SQL ==\n\
         f(x). + 1\n------^^^\n"
    );
}
