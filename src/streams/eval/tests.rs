//! Tests of binding and evaluation through the public API, over ASTs built by hand (the parser
//! is another module's).

use std::rc::Rc;

use super::*;
use crate::streams::sql::ast::{BinaryOp, Expr, Literal, UnaryOp};
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;

fn col(path: &str) -> Expr {
    Expr::Column(path.split('.').map(String::from).collect())
}
fn int(n: i64) -> Expr {
    Expr::Literal(Literal::Integer(n))
}
fn text(s: &str) -> Expr {
    Expr::Literal(Literal::String(s.to_string()))
}
fn dbl(x: f64) -> Expr {
    Expr::Literal(Literal::Double(x))
}
fn f(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function {
        name: name.to_string(),
        args,
        distinct: false,
    }
}
fn bin(l: Expr, op: BinaryOp, r: Expr) -> Expr {
    Expr::Binary(Box::new(l), op, Box::new(r))
}
fn cast(e: Expr, t: DataType) -> Expr {
    Expr::Cast(Box::new(e), t)
}

fn order_type() -> DataType {
    DataType::Struct(vec![
        StructField::new("order_id", DataType::Long),
        StructField::new("city", DataType::String),
        StructField::new(
            "line_items",
            DataType::array_of(DataType::Struct(vec![
                StructField::new("order_item_id", DataType::Long),
                StructField::new("order_item_subtotal", DataType::Float),
            ])),
        ),
    ])
}

fn schema() -> Vec<StructField> {
    vec![
        StructField::new("key", DataType::Binary),
        StructField::new("value", order_type()),
        StructField::not_null("topic", DataType::String),
        StructField::new("n", DataType::Integer),
        StructField::new("big", DataType::Long),
        StructField::new("name", DataType::String),
        StructField::new("ts", DataType::Timestamp),
        StructField::new("tags", DataType::array_of(DataType::String)),
    ]
}

fn row() -> Vec<Value> {
    let items = Value::Array(Rc::from(vec![
        Value::Struct(Rc::from(vec![Value::Long(1), Value::Float(299.98)])),
        Value::Struct(Rc::from(vec![Value::Long(2), Value::Float(10.5)])),
    ]));
    vec![
        Value::Binary(Rc::from(&b"k1"[..])),
        Value::Struct(Rc::from(vec![
            Value::Long(7),
            Value::string("chicago"),
            items,
        ])),
        Value::string("orders"),
        Value::Integer(i32::MAX),
        Value::Long(10),
        Value::string("  ada lovelace "),
        Value::Timestamp(1_733_480_430_123_000), // 2024-12-06 10:20:30.123
        Value::Array(Rc::from(vec![
            Value::string("a"),
            Value::Null,
            Value::string("b"),
        ])),
    ]
}

fn ctx() -> BindContext {
    BindContext {
        current_timestamp_micros: 1_700_000_000_000_000,
        qualifiers: vec![],
    }
}

fn eval(e: &Expr) -> Value {
    match bind(e, &schema(), &ctx()) {
        Ok(b) => b.eval(&row()),
        Err(err) => panic!("{e:?} did not bind: {err}"),
    }
}

fn eval_text(e: &Expr) -> String {
    match eval(e) {
        Value::Null => "NULL".to_string(),
        v => cast::value_to_text(&v),
    }
}

fn error(e: &Expr) -> String {
    match bind(e, &schema(), &ctx()) {
        Ok(b) => panic!("{e:?} bound as {b:?}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn unaliased_items_are_named_as_sparks_resolve_aliases_names_them() {
    let cases = [
        (cast(col("key"), DataType::String), "key"),
        (col("value.city"), "city"),
        (
            cast(col("value.city"), DataType::String),
            "CAST(value.city AS STRING)",
        ),
        (f("count", vec![Expr::Star(None)]), "count(1)"),
        (f("sum", vec![col("x")]), "sum(x)"),
        (bin(col("a"), BinaryOp::Plus, col("b")), "(a + b)"),
        (f("UPPER", vec![col("name")]), "upper(name)"),
        (f("round", vec![col("x"), int(2)]), "round(x, 2)"),
        (f("round", vec![col("x")]), "round(x, 0)"),
        (
            cast(bin(col("a"), BinaryOp::Plus, int(1)), DataType::Long),
            "CAST((a + 1) AS BIGINT)",
        ),
        (
            f("split", vec![col("value"), text(" ")]),
            "split(value,  , -1)",
        ),
        (
            f("substr", vec![col("s"), int(2)]),
            "substr(s, 2, 2147483647)",
        ),
        (f("ceil", vec![col("x")]), "CEIL(x)"),
        (bin(col("a"), BinaryOp::NotEq, int(1)), "(NOT (a = 1))"),
        (f("upper", vec![text("abc")]), "upper(abc)"),
        (Expr::Alias(Box::new(col("a")), "total".into()), "total"),
        (f("current_timestamp", vec![]), "current_timestamp()"),
        (
            Expr::Between {
                expr: Box::new(col("n")),
                low: Box::new(int(1)),
                high: Box::new(int(5)),
                negated: false,
            },
            "((n >= 1) AND (n <= 5))",
        ),
        (
            Expr::IsNull {
                expr: Box::new(col("n")),
                negated: true,
            },
            "(n IS NOT NULL)",
        ),
        (Expr::Unary(UnaryOp::Minus, Box::new(int(1))), "-1"),
        (f("if", vec![col("c"), int(1), int(2)]), "(IF(c, 1, 2))"),
        (f("explode", vec![col("value.line_items")]), "col"),
    ];
    for (expr, name) in cases {
        assert_eq!(output_name(&expr), name, "{expr:?}");
    }
}

#[test]
fn a_from_alias_is_dropped_from_names_and_resolves_its_columns() {
    let ctx = BindContext {
        current_timestamp_micros: 0,
        qualifiers: vec![Qualifier {
            name: "o".into(),
            start: 0,
            end: 8,
        }],
    };
    assert_eq!(
        output_name_in(&cast(col("o.key"), DataType::String), &ctx),
        "key"
    );
    assert_eq!(output_name_in(&col("o.value.city"), &ctx), "city");
    let bound = bind(&col("o.value.city"), &schema(), &ctx).unwrap();
    assert_eq!(bound.eval(&row()), Value::string("chicago"));
}

#[test]
fn an_unknown_column_is_reported_with_suggestions_ordered_by_similarity() {
    let input = vec![
        StructField::new("key", DataType::String),
        StructField::new("value", DataType::String),
        StructField::new("city", DataType::String),
    ];
    let err = bind(&col("citi"), &input, &ctx()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `citi` cannot be resolved. Did you mean one of the following? [`city`, `key`, `value`]."
    );
    let none = bind(&col("x"), &[], &ctx()).unwrap_err();
    assert_eq!(
        none.to_string(),
        "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column or function parameter with name `x` cannot be resolved."
    );
}

#[test]
fn suggestions_stop_at_five() {
    let input: Vec<StructField> = ["a1", "a2", "a3", "a4", "a5", "a6"]
        .iter()
        .map(|n| StructField::new(*n, DataType::Integer))
        .collect();
    let EvalError::UnresolvedColumn { suggestions, .. } =
        bind(&col("a7"), &input, &ctx()).unwrap_err()
    else {
        panic!("expected an unresolved column");
    };
    assert_eq!(suggestions.len(), 5);
}

#[test]
fn a_missing_struct_field_and_an_ambiguous_name_have_sparks_texts() {
    assert_eq!(
        error(&col("value.citi")),
        "[FIELD_NOT_FOUND] No such struct field `citi` in `order_id`, `city`, `line_items`."
    );
    let input = vec![
        StructField::new("key", DataType::String),
        StructField::new("key", DataType::String),
    ];
    let ctx = BindContext {
        current_timestamp_micros: 0,
        qualifiers: vec![
            Qualifier {
                name: "o".into(),
                start: 0,
                end: 1,
            },
            Qualifier {
                name: "c".into(),
                start: 1,
                end: 2,
            },
        ],
    };
    assert_eq!(
        bind(&col("key"), &input, &ctx).unwrap_err().to_string(),
        "[AMBIGUOUS_REFERENCE] Reference `key` is ambiguous, could be: [`o`.`key`, `c`.`key`]."
    );
    assert!(bind(&col("c.key"), &input, &ctx).is_ok());
}

#[test]
fn an_unknown_function_is_an_unresolved_routine() {
    assert_eq!(
        error(&f("foo", vec![])),
        "[UNRESOLVED_ROUTINE] Cannot resolve function `foo` on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."
    );
}

#[test]
fn the_chicago_filter_reads_a_struct_field() {
    let filter = bin(col("value.city"), BinaryOp::Eq, text("chicago"));
    assert_eq!(eval(&filter), Value::Boolean(true));
    let other = bin(col("value.city"), BinaryOp::Eq, text("boston"));
    assert_eq!(eval(&other), Value::Boolean(false));
    let mut null_row = row();
    null_row[1] = Value::Null;
    let bound = bind(&filter, &schema(), &ctx()).unwrap();
    assert_eq!(bound.eval(&null_row), Value::Null);
}

#[test]
fn a_kafka_key_casts_to_its_text() {
    assert_eq!(
        eval(&cast(col("key"), DataType::String)),
        Value::string("k1")
    );
    assert_eq!(eval(&cast(text("12x"), DataType::Long)), Value::Null);
}

#[test]
fn arithmetic_widens_as_spark_does_and_wraps_on_overflow() {
    let e = bind(
        &bin(col("n"), BinaryOp::Plus, col("big")),
        &schema(),
        &ctx(),
    )
    .unwrap();
    assert_eq!(e.data_type(), DataType::Long);
    assert_eq!(
        eval(&bin(col("n"), BinaryOp::Plus, int(1))),
        Value::Integer(i32::MIN)
    );
    assert_eq!(
        eval(&bin(int(1), BinaryOp::Divide, int(2))),
        Value::Double(0.5)
    );
    assert_eq!(eval(&bin(int(1), BinaryOp::Divide, int(0))), Value::Null);
    assert_eq!(eval(&bin(int(7), BinaryOp::Modulo, int(0))), Value::Null);
    assert_eq!(
        eval(&bin(int(7), BinaryOp::IntDivide, int(2))),
        Value::Long(3)
    );
    assert_eq!(
        eval(&bin(text("1.5"), BinaryOp::Plus, int(1))),
        Value::Double(2.5)
    );
    assert_eq!(
        eval(&bin(text("10"), BinaryOp::Eq, int(10))),
        Value::Boolean(true)
    );
    assert!(error(&bin(col("tags"), BinaryOp::Plus, int(1))).starts_with(
        "[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve \"(tags + 1)\" due to data type mismatch: the left and right operands of the binary operator have incompatible types (\"ARRAY<STRING>\" and \"INT\")."
    ));
}

#[test]
fn logic_is_three_valued_and_null_safe_equality_never_is_null() {
    let null = Expr::Literal(Literal::Null);
    let t = Expr::Literal(Literal::Boolean(true));
    let fa = Expr::Literal(Literal::Boolean(false));
    assert_eq!(
        eval(&bin(null.clone(), BinaryOp::And, fa.clone())),
        Value::Boolean(false)
    );
    assert_eq!(
        eval(&bin(null.clone(), BinaryOp::And, t.clone())),
        Value::Null
    );
    assert_eq!(
        eval(&bin(null.clone(), BinaryOp::Or, t.clone())),
        Value::Boolean(true)
    );
    assert_eq!(
        eval(&Expr::Unary(UnaryOp::Not, Box::new(null.clone()))),
        Value::Null
    );
    assert_eq!(
        eval(&bin(null.clone(), BinaryOp::NullSafeEq, null.clone())),
        Value::Boolean(true)
    );
    assert_eq!(eval(&bin(int(1), BinaryOp::Eq, null.clone())), Value::Null);
    let in_list = |negated| Expr::InList {
        expr: Box::new(int(3)),
        list: vec![int(1), null.clone()],
        negated,
    };
    assert_eq!(eval(&in_list(false)), Value::Null);
    assert_eq!(eval(&in_list(true)), Value::Null);
    let found = Expr::InList {
        expr: Box::new(col("value.city")),
        list: vec![text("chicago"), text("boston")],
        negated: false,
    };
    assert_eq!(eval(&found), Value::Boolean(true));
}

#[test]
fn like_case_and_between_evaluate_as_in_spark() {
    let like = Expr::Like {
        expr: Box::new(col("value.city")),
        pattern: Box::new(text("chi%")),
        negated: false,
        regex: false,
    };
    assert_eq!(eval(&like), Value::Boolean(true));
    let case = Expr::Case {
        operand: Some(Box::new(col("value.order_id"))),
        branches: vec![(int(7), text("seven"))],
        otherwise: Some(Box::new(text("other"))),
    };
    assert_eq!(eval(&case), Value::string("seven"));
    let between = Expr::Between {
        expr: Box::new(col("big")),
        low: Box::new(int(1)),
        high: Box::new(int(10)),
        negated: false,
    };
    assert_eq!(eval(&between), Value::Boolean(true));
    assert!(error(&Expr::Like {
        expr: Box::new(col("name")),
        pattern: Box::new(text("a\\x")),
        negated: false,
        regex: false,
    })
    .contains("ESCAPE_CHARACTER_IN_THE_MIDDLE"));
}

#[test]
fn nested_values_are_reached_by_field_index_and_array_paths() {
    assert_eq!(eval_text(&col("value.line_items.order_item_id")), "[1, 2]");
    let first = Expr::Index(Box::new(col("value.line_items")), Box::new(int(0)));
    assert_eq!(
        eval_text(&Expr::Field(Box::new(first), "order_item_subtotal".into())),
        "299.98"
    );
    assert_eq!(
        eval(&Expr::Index(Box::new(col("tags")), Box::new(int(9)))),
        Value::Null
    );
    assert_eq!(
        eval_text(&cast(col("value"), DataType::String)),
        "{7, chicago, [{1, 299.98}, {2, 10.5}]}"
    );
}

#[test]
fn string_functions_follow_sparks_positions_and_padding() {
    let name = || col("name");
    assert_eq!(
        eval_text(&f("upper", vec![f("trim", vec![name()])])),
        "ADA LOVELACE"
    );
    assert_eq!(eval_text(&f("length", vec![name()])), "15");
    assert_eq!(eval_text(&f("ltrim", vec![name()])), "ada lovelace ");
    assert_eq!(
        eval_text(&f("initcap", vec![f("trim", vec![name()])])),
        "Ada Lovelace"
    );
    assert_eq!(
        eval_text(&f("substring", vec![text("Spark SQL"), int(5)])),
        "k SQL"
    );
    assert_eq!(
        eval_text(&f("substr", vec![text("Spark SQL"), int(-3), int(2)])),
        "SQ"
    );
    assert_eq!(
        eval_text(&f("substring", vec![text("Spark"), int(0), int(2)])),
        "Sp"
    );
    assert_eq!(eval_text(&f("concat", vec![text("a"), int(1)])), "a1");
    assert_eq!(
        eval_text(&f("concat", vec![text("a"), Expr::Literal(Literal::Null)])),
        "NULL"
    );
    assert_eq!(
        eval_text(&f(
            "concat_ws",
            vec![
                text("-"),
                text("a"),
                Expr::Literal(Literal::Null),
                col("tags")
            ]
        )),
        "a-a-b"
    );
    assert_eq!(
        eval_text(&f("split", vec![text("a,b,,"), text(",")])),
        "[a, b, , ]"
    );
    assert_eq!(
        eval_text(&f("split", vec![text("a.b"), text("\\.")])),
        "[a, b]"
    );
    assert!(
        error(&f("split", vec![text("a,b"), text("[,;]")])).contains("only a literal separator")
    );
    assert_eq!(
        eval_text(&f("replace", vec![text("aXbX"), text("X"), text("-")])),
        "a-b-"
    );
    assert_eq!(
        eval_text(&f("lpad", vec![text("7"), int(3), text("0")])),
        "007"
    );
    assert_eq!(eval_text(&f("rpad", vec![text("abcd"), int(2)])), "ab");
    // A pad the tab cannot hold is NULL instead of freezing it.
    assert_eq!(
        eval_text(&f(
            "lpad",
            vec![text("7"), int(i64::from(i32::MAX)), text("x")]
        )),
        "NULL"
    );
    assert_eq!(
        eval_text(&f("instr", vec![text("chicago"), text("ca")])),
        "4"
    );
    assert!(error(&f("upper", vec![col("tags")])).starts_with(
        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"upper(tags)\" due to data type mismatch: Parameter 1 requires the \"STRING\" type, however \"tags\" has the type \"ARRAY<STRING>\"."
    ));
    assert!(error(&f("upper", vec![])).starts_with("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `upper` requires 1 parameters but the actual number is 0."));
}

#[test]
fn math_functions_round_half_up_and_keep_sparks_result_types() {
    assert_eq!(
        eval(&f("round", vec![dbl(2.675), int(2)])),
        Value::Double(2.68)
    );
    assert_eq!(eval(&f("round", vec![dbl(-2.5)])), Value::Double(-3.0));
    assert_eq!(eval(&f("bround", vec![dbl(2.5)])), Value::Double(2.0));
    assert_eq!(
        eval(&f("round", vec![int(125), int(-1)])),
        Value::Integer(130)
    );
    let sub = cast(dbl(299.98), DataType::Float);
    assert_eq!(eval(&f("round", vec![sub, int(1)])), Value::Float(300.0));
    assert_eq!(eval(&f("abs", vec![int(-3)])), Value::Integer(3));
    assert_eq!(eval(&f("ceil", vec![dbl(1.2)])), Value::Long(2));
    assert_eq!(eval(&f("floor", vec![dbl(-1.2)])), Value::Long(-2));
    assert_eq!(eval(&f("sqrt", vec![int(16)])), Value::Double(4.0));
    assert_eq!(
        eval(&f("pow", vec![int(2), int(10)])),
        Value::Double(1024.0)
    );
    assert_eq!(
        eval(&f(
            "greatest",
            vec![int(1), col("big"), Expr::Literal(Literal::Null)]
        )),
        Value::Long(10)
    );
    assert_eq!(eval(&f("least", vec![int(1), col("big")])), Value::Long(1));
    assert!(error(&f("round", vec![col("big"), col("n")])).contains("NON_FOLDABLE_INPUT"));
}

#[test]
fn conditional_functions_pick_the_first_present_value() {
    let null = || Expr::Literal(Literal::Null);
    assert_eq!(
        eval(&f("coalesce", vec![null(), int(2), int(3)])),
        Value::Integer(2)
    );
    assert_eq!(eval(&f("nvl", vec![null(), text("x")])), Value::string("x"));
    assert_eq!(eval(&f("ifnull", vec![int(1), int(2)])), Value::Integer(1));
    let cond = bin(col("big"), BinaryOp::Gt, int(5));
    assert_eq!(
        eval(&f("if", vec![cond, text("big"), text("small")])),
        Value::string("big")
    );
    assert_eq!(eval(&f("nullif", vec![int(1), int(1)])), Value::Null);
}

#[test]
fn collection_functions_count_from_one_and_size_of_null_is_minus_one() {
    assert_eq!(eval(&f("size", vec![col("tags")])), Value::Integer(3));
    assert_eq!(
        eval(&f(
            "size",
            vec![cast(
                Expr::Literal(Literal::Null),
                DataType::array_of(DataType::Integer)
            )]
        )),
        Value::Integer(-1)
    );
    assert_eq!(
        eval(&f("element_at", vec![col("tags"), int(1)])),
        Value::string("a")
    );
    assert_eq!(
        eval(&f("element_at", vec![col("tags"), int(-1)])),
        Value::string("b")
    );
    assert_eq!(
        eval(&f("element_at", vec![col("tags"), int(7)])),
        Value::Null
    );
    assert_eq!(
        eval(&f("array_contains", vec![col("tags"), text("b")])),
        Value::Boolean(true)
    );
    assert_eq!(
        eval(&f("array_contains", vec![col("tags"), text("z")])),
        Value::Null
    );
    let st = bind(
        &f("struct", vec![col("value.city"), int(1)]),
        &schema(),
        &ctx(),
    )
    .unwrap();
    assert_eq!(
        st.data_type().simple_string(),
        "struct<city:string,col2:int>"
    );
    assert_eq!(cast::value_to_text(&st.eval(&row())), "{chicago, 1}");
    let named = bind(
        &f("named_struct", vec![text("id"), col("big")]),
        &schema(),
        &ctx(),
    )
    .unwrap();
    assert_eq!(named.data_type().simple_string(), "struct<id:bigint>");
}

#[test]
fn datetime_functions_read_and_write_utc_text() {
    assert_eq!(
        eval_text(&f(
            "date_format",
            vec![col("ts"), text("yyyy-MM-dd HH:mm:ss.SSS")]
        )),
        "2024-12-06 10:20:30.123"
    );
    assert_eq!(
        eval_text(&f(
            "date_format",
            vec![col("ts"), text("dd MMM yy, EEE hh a")]
        )),
        "06 Dec 24, Fri 10 AM"
    );
    assert_eq!(eval(&f("year", vec![col("ts")])), Value::Integer(2024));
    assert_eq!(
        eval(&f("month", vec![text("2024-02-29")])),
        Value::Integer(2)
    );
    assert_eq!(eval(&f("dayofmonth", vec![col("ts")])), Value::Integer(6));
    assert_eq!(eval(&f("hour", vec![col("ts")])), Value::Integer(10));
    assert_eq!(eval(&f("minute", vec![col("ts")])), Value::Integer(20));
    assert_eq!(eval(&f("second", vec![col("ts")])), Value::Integer(30));
    assert_eq!(
        eval_text(&f("to_date", vec![text("2024-12-06 10:00:00")])),
        "2024-12-06"
    );
    assert_eq!(
        eval_text(&f("to_date", vec![text("06/12/2024"), text("dd/MM/yyyy")])),
        "2024-12-06"
    );
    assert_eq!(
        eval_text(&f("to_date", vec![text("6/12"), text("dd/MM/yyyy")])),
        "NULL"
    );
    assert_eq!(
        eval_text(&f("to_timestamp", vec![text("2024-12-06 10:20")])),
        "2024-12-06 10:20:00"
    );
    assert_eq!(
        eval_text(&f("date_add", vec![text("2024-02-28"), int(2)])),
        "2024-03-01"
    );
    assert_eq!(
        eval_text(&f("date_sub", vec![text("2024-03-01"), int(1)])),
        "2024-02-29"
    );
    assert_eq!(
        eval(&f("datediff", vec![text("2024-03-01"), text("2024-02-01")])),
        Value::Integer(29)
    );
    assert_eq!(
        eval(&f("unix_timestamp", vec![text("1970-01-02 00:00:00")])),
        Value::Long(86_400)
    );
    assert_eq!(
        eval(&f("unix_timestamp", vec![])),
        Value::Long(1_700_000_000)
    );
    assert_eq!(
        eval_text(&f("from_unixtime", vec![int(0)])),
        "1970-01-01 00:00:00"
    );
    assert_eq!(
        eval_text(&f("current_timestamp", vec![])),
        "2023-11-14 22:13:20"
    );
    assert_eq!(eval_text(&f("current_date", vec![])), "2023-11-14");
    assert!(error(&f("date_format", vec![col("ts"), text("yyyy QQ")])).contains("'Q'"));
}

#[derive(Debug)]
struct Twice;

impl ExternalFunction for Twice {
    fn name(&self) -> &str {
        "twice"
    }
    fn data_type(&self) -> DataType {
        DataType::Long
    }
    fn eval(&self, args: &[Value]) -> Value {
        match args.first() {
            Some(Value::Long(n)) => Value::Long(n.wrapping_mul(2)),
            _ => Value::Null,
        }
    }
}

#[test]
fn an_integrator_function_is_bound_through_the_hook() {
    let hook = |call: &ExternalCall<'_>| -> Option<Result<BoundExpr, EvalError>> {
        (call.lower_name == "twice").then(|| {
            Ok(BoundExpr::External {
                function: Rc::new(Twice),
                args: call.args.clone(),
            })
        })
    };
    let e = f("TWICE", vec![col("big")]);
    let bound = bind_with(&e, &schema(), &ctx(), &hook).unwrap();
    assert_eq!(bound.data_type(), DataType::Long);
    assert_eq!(bound.eval(&row()), Value::Long(20));
    // Built-ins still bind through the same hook; unknown names still fail.
    assert!(bind_with(&f("upper", vec![col("name")]), &schema(), &ctx(), &hook).is_ok());
    assert!(matches!(
        bind_with(&f("nope", vec![]), &schema(), &ctx(), &hook),
        Err(EvalError::UnknownFunction(_))
    ));
}

#[test]
fn an_expression_nested_too_deep_is_refused_not_overflowed() {
    let mut e = int(1);
    for _ in 0..300 {
        e = Expr::Unary(UnaryOp::Plus, Box::new(e));
    }
    assert_eq!(error(&e), EvalError::TooDeep(bind::MAX_DEPTH).to_string());
}

#[test]
fn a_bad_cast_is_refused_at_bind_time() {
    assert_eq!(
        error(&cast(col("n"), DataType::array_of(DataType::Integer))),
        "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"CAST(n AS ARRAY<INT>)\" due to data type mismatch: cannot cast \"INT\" to \"ARRAY<INT>\"."
    );
}
