//! Tests of `show()`'s table and cells against Spark's `showString` and `ToPrettyString`.

use super::*;
use crate::streams::calendar::parse_timestamp;
use crate::streams::types::StructField;
use std::rc::Rc;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn rows(list: &[&[&str]]) -> Vec<Vec<String>> {
    list.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn two_orders() -> Vec<Vec<String>> {
    rows(&[
        &["1", "{1, chicago, NULL}"],
        &["2", "a very long string that is long"],
    ])
}

#[test]
fn show_right_aligns_and_cuts_long_cells_to_seventeen_characters_and_dots() {
    let out = show_string(&names(&["key", "value"]), &two_orders(), false, 20, 20);
    let expected = "\
+---+--------------------+
|key|               value|
+---+--------------------+
|  1|  {1, chicago, NULL}|
|  2|a very long strin...|
+---+--------------------+
";
    assert_eq!(out, expected);
}

#[test]
fn show_without_truncation_left_aligns_whole_cells() {
    let out = show_string(&names(&["key", "value"]), &two_orders(), false, 20, 0);
    let expected = "\
+---+-------------------------------+
|key|value                          |
+---+-------------------------------+
|1  |{1, chicago, NULL}             |
|2  |a very long string that is long|
+---+-------------------------------+
";
    assert_eq!(out, expected);
}

#[test]
fn more_rows_than_shown_print_the_footer_with_the_singular_for_one() {
    let data = rows(&[&["a"], &["b"], &["c"]]);
    let one = show_string(&names(&["x"]), &data, false, 1, 20);
    assert_eq!(
        one,
        "+---+\n|  x|\n+---+\n|  a|\n+---+\nonly showing top 1 row\n"
    );
    let two = show_string(&names(&["x"]), &data, false, 2, 20);
    assert!(two.ends_with("|  b|\n+---+\nonly showing top 2 rows\n"));
    let told = show_string(&names(&["x"]), &data[..1], true, 1, 20);
    assert!(told.ends_with("only showing top 1 row\n"));
    let all = show_string(&names(&["x"]), &data, false, 3, 20);
    assert!(all.ends_with("|  c|\n+---+\n"));
}

#[test]
fn an_empty_result_prints_the_header_between_two_separators() {
    let out = show_string(&names(&["key", "value"]), &[], false, 20, 20);
    assert_eq!(out, "+---+-----+\n|key|value|\n+---+-----+\n+---+-----+\n");
}

#[test]
fn null_cells_print_as_null_in_capitals() {
    let cell = pretty_cell(&Value::Null, &DataType::String);
    let out = show_string(&names(&["city"]), &[vec![cell]], false, 20, 20);
    assert_eq!(out, "+----+\n|city|\n+----+\n|NULL|\n+----+\n");
}

#[test]
fn full_width_characters_take_two_columns_as_in_sparks_terminal() {
    let out = show_string(
        &names(&["city"]),
        &rows(&[&["北京"], &["chicago"]]),
        false,
        20,
        20,
    );
    let expected = "\
+-------+
|   city|
+-------+
|   北京|
|chicago|
+-------+
";
    assert_eq!(out, expected);
    assert_eq!(string_half_width("北京 ab"), 7);
    assert_eq!(string_half_width("😀"), 2);
}

#[test]
fn a_truncate_under_four_cuts_without_dots_and_control_characters_are_escaped() {
    assert_eq!(truncate_cell("abcdef", 2), "ab");
    assert_eq!(truncate_cell("abcdef", 4), "a...");
    assert_eq!(truncate_cell("abcd", 4), "abcd");
    assert_eq!(truncate_cell("a😀bcdef", 6), "a😀...");
    assert_eq!(truncate_cell("a😀bcdef", 5), "a?...");
    let out = show_string(&names(&["v"]), &rows(&[&["a\nb\tc"]]), false, 20, 0);
    assert_eq!(
        out,
        "+-------+\n|v      |\n+-------+\n|a\\nb\\tc|\n+-------+\n"
    );
}

#[test]
fn vertical_show_prints_one_block_per_record() {
    let out = show_string_vertical(
        &names(&["key", "value"]),
        &rows(&[&["1", "x"], &["2", "chicago"]]),
        true,
        2,
        20,
    );
    let expected = "\
-RECORD 0--------
 key   | 1       
 value | x       
-RECORD 1--------
 key   | 2       
 value | chicago 
only showing top 2 rows
";
    assert_eq!(out, expected);
    let empty = show_string_vertical(&names(&["key"]), &[], false, 20, 20);
    assert_eq!(empty, "(0 rows)\n");
}

#[test]
fn pretty_cells_print_nested_values_as_to_pretty_string() {
    let line_item = DataType::Struct(vec![
        StructField::new("id", DataType::Long),
        StructField::new("price", DataType::Float),
    ]);
    let order = DataType::Struct(vec![
        StructField::new("order_id", DataType::Long),
        StructField::new("city", DataType::String),
        StructField::new("zipcode", DataType::Long),
        StructField::new("line_items", DataType::array_of(line_item.clone())),
    ]);
    let item = Value::Struct(Rc::from(vec![Value::Long(7), Value::Float(299.98)]));
    let empty_item = Value::Struct(Rc::from(vec![Value::Long(8), Value::Null]));
    let value = Value::Struct(Rc::from(vec![
        Value::Long(1),
        Value::string("chicago"),
        Value::Null,
        Value::Array(Rc::from(vec![item, Value::Null, empty_item])),
    ]));
    assert_eq!(
        pretty_cell(&value, &order),
        "{1, chicago, NULL, [{7, 299.98}, NULL, {8, NULL}]}"
    );
    assert_eq!(
        pretty_cell(&Value::Binary(Rc::from(&b"Key"[..])), &DataType::Binary),
        "[4B 65 79]"
    );
    assert_eq!(
        pretty_cell(&Value::Binary(Rc::from(&b""[..])), &DataType::Binary),
        "[]"
    );
    let map_type = DataType::Map {
        key: Box::new(DataType::String),
        value: Box::new(DataType::Double),
        value_contains_null: true,
    };
    let map = Value::Map(Rc::from(vec![
        (Value::string("a"), Value::Double(1.0)),
        (Value::string("b"), Value::Null),
    ]));
    assert_eq!(pretty_cell(&map, &map_type), "{a -> 1.0, b -> NULL}");
    let ts = parse_timestamp("2026-12-06 10:20:30.120").unwrap();
    assert_eq!(
        pretty_cell(&Value::Timestamp(ts), &DataType::Timestamp),
        "2026-12-06 10:20:30.12"
    );
    assert_eq!(pretty_cell(&Value::Double(1e7), &DataType::Double), "1.0E7");
    assert_eq!(
        pretty_cell(&Value::Boolean(true), &DataType::Boolean),
        "true"
    );
}
