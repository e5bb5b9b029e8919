//! Tests of `from_json` and `to_json` against Spark's JSON rules (PERMISSIVE parsing, Jackson's output).

use super::*;
use crate::streams::calendar::{parse_date, parse_timestamp};
use crate::streams::types::print_schema::tests::{line_item, orders_schema};
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;
use std::rc::Rc;

const ORDER: &str = r#"{"order_id": 1, "customer_id": 11599, "customer_fname": "Mary",
  "customer_lname": "Malone", "city": "Hickory", "state": "NC", "zipcode": 28601,
  "line_items": [
    {"order_item_id": 1, "order_item_product_id": 957, "order_item_quantity": 1,
     "order_item_product_price": 299.98, "order_item_subtotal": 299.98},
    {"order_item_id": 2, "order_item_product_id": 1073, "order_item_quantity": 2,
     "order_item_product_price": 199.99, "order_item_subtotal": 399.98}]}"#;

fn fields(value: &Value) -> Vec<Value> {
    match value {
        Value::Struct(values) => values.to_vec(),
        other => panic!("not a struct: {other:?}"),
    }
}

fn schema_of(list: &[(&str, DataType)]) -> DataType {
    DataType::Struct(
        list.iter()
            .map(|(name, dt)| StructField::new(*name, dt.clone()))
            .collect(),
    )
}

fn item(values: Vec<Value>) -> Value {
    Value::Struct(Rc::from(values))
}

#[test]
fn a_course_order_parses_into_the_orders_schema_with_its_line_items() {
    let order = from_json(ORDER, &orders_schema());
    let f = fields(&order);
    assert_eq!(f[0], Value::Long(1));
    assert_eq!(f[2], Value::string("Mary"));
    assert_eq!(f[6], Value::Long(28601));
    let expected_items = Value::Array(Rc::from(vec![
        item(vec![
            Value::Long(1),
            Value::Long(957),
            Value::Long(1),
            Value::Float(299.98),
            Value::Float(299.98),
        ]),
        item(vec![
            Value::Long(2),
            Value::Long(1073),
            Value::Long(2),
            Value::Float(199.99),
            Value::Float(399.98),
        ]),
    ]));
    assert_eq!(f[7], expected_items);
}

#[test]
fn to_json_of_the_order_is_compact_in_schema_order_and_reads_back_the_same() {
    let order = from_json(ORDER, &orders_schema());
    let text = to_json(&order, &orders_schema());
    assert_eq!(
        text,
        "{\"order_id\":1,\"customer_id\":11599,\"customer_fname\":\"Mary\",\
         \"customer_lname\":\"Malone\",\"city\":\"Hickory\",\"state\":\"NC\",\"zipcode\":28601,\
         \"line_items\":[{\"order_item_id\":1,\"order_item_product_id\":957,\
         \"order_item_quantity\":1,\"order_item_product_price\":299.98,\
         \"order_item_subtotal\":299.98},{\"order_item_id\":2,\"order_item_product_id\":1073,\
         \"order_item_quantity\":2,\"order_item_product_price\":199.99,\
         \"order_item_subtotal\":399.98}]}"
    );
    assert_eq!(from_json(&text, &orders_schema()), order);
}

#[test]
fn malformed_text_gives_a_struct_of_nulls_and_blank_text_gives_null() {
    let all_null = Value::Struct(Rc::from(vec![Value::Null; 8]));
    for bad in [
        r#"{"order_id": 1,"#,
        "not json",
        r#"{"order_id": 01}"#,
        r#"{"order_id": 1,}"#,
        r#"{order_id: 1}"#,
        r#"{"city": "a	b"}"#,
        r#"{"city": "\x"}"#,
        "5",
        "null",
        r#"[{"order_id": 1}]"#,
    ] {
        assert_eq!(from_json(bad, &orders_schema()), all_null, "{bad}");
    }
    assert_eq!(from_json("", &orders_schema()), Value::Null);
    assert_eq!(from_json("  \n ", &orders_schema()), Value::Null);
    let longs = DataType::array_of(DataType::Long);
    assert_eq!(from_json("[1, 2", &longs), Value::Null);
}

#[test]
fn a_value_of_the_wrong_json_type_nulls_only_its_field() {
    let schema = schema_of(&[
        ("a", DataType::Long),
        ("b", DataType::Long),
        ("c", DataType::String),
        ("d", DataType::String),
        ("e", DataType::String),
        ("f", DataType::Integer),
        ("g", DataType::Boolean),
        ("h", DataType::Long),
    ]);
    let v = from_json(
        r#"{"a": "12", "b": 12.5, "c": 12, "d": 12.50, "e": {"x": [1, true] }, "f": 3000000000,
            "g": "true", "h": -7}"#,
        &schema,
    );
    assert_eq!(
        fields(&v),
        vec![
            Value::Null,
            Value::Null,
            Value::string("12"),
            Value::string("12.50"),
            Value::string(r#"{"x": [1, true] }"#),
            Value::Null,
            Value::Null,
            Value::Long(-7),
        ]
    );
}

#[test]
fn missing_fields_are_null_extra_fields_are_skipped_and_names_are_case_sensitive() {
    let schema = schema_of(&[("a", DataType::Long), ("b", DataType::String)]);
    let v = from_json(
        r#"{"A": 1, "extra": [1, {"z": null}, [[]]], "a": 2, "a": "no", "c": 'single'}"#,
        &schema,
    );
    assert_eq!(fields(&v), vec![Value::Long(2), Value::Null]);
    let v = from_json(
        r#"{'b': 'it\'s', "a": 3} trailing text is not read"#,
        &schema,
    );
    assert_eq!(fields(&v), vec![Value::Long(3), Value::string("it's")]);
}

#[test]
fn a_bad_element_nulls_its_array_but_a_bad_field_inside_an_element_only_that_field() {
    let bad_element = r#"{"order_id": 5, "line_items": [{"order_item_id": 1}, 7]}"#;
    let f = fields(&from_json(bad_element, &orders_schema()));
    assert_eq!(f[0], Value::Long(5));
    assert_eq!(f[7], Value::Null);
    let bad_field = r#"{"order_id": 6, "line_items": [{"order_item_id": 1,
        "order_item_product_price": "cheap", "order_item_subtotal": 9.5}]}"#;
    let f = fields(&from_json(bad_field, &orders_schema()));
    let expected = item(vec![
        Value::Long(1),
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Float(9.5),
    ]);
    assert_eq!(f[7], Value::Array(Rc::from(vec![expected])));
}

#[test]
fn an_array_schema_reads_a_top_level_array_or_one_object() {
    let schema = DataType::array_of(schema_of(&[("a", DataType::Long)]));
    let one = |n: i64| item(vec![Value::Long(n)]);
    assert_eq!(
        from_json(r#"[{"a": 1}, {"a": 2}, null]"#, &schema),
        Value::Array(Rc::from(vec![one(1), one(2), Value::Null]))
    );
    assert_eq!(
        from_json(r#"{"a": 4}"#, &schema),
        Value::Array(Rc::from(vec![one(4)]))
    );
    let longs = DataType::array_of(DataType::Long);
    assert_eq!(from_json(r#"[1, "x", 3]"#, &longs), Value::Null);
    let map = DataType::Map {
        key: Box::new(DataType::String),
        value: Box::new(DataType::Long),
        value_contains_null: true,
    };
    assert_eq!(
        from_json(r#"{"x": 1, "y": null}"#, &map),
        Value::Map(Rc::from(vec![
            (Value::string("x"), Value::Long(1)),
            (Value::string("y"), Value::Null),
        ]))
    );
    assert_eq!(from_json(r#"{"x": 1, "y": "z"}"#, &map), Value::Null);
}

#[test]
fn timestamps_and_dates_read_from_strings_and_epoch_seconds() {
    let schema = schema_of(&[
        ("ts", DataType::Timestamp),
        ("secs", DataType::Timestamp),
        ("d", DataType::Date),
        ("bad", DataType::Timestamp),
        ("days", DataType::Date),
    ]);
    let v = from_json(
        r#"{"ts": "2026-12-06T10:20:30.120Z", "secs": 1700000000, "d": "2026-12-06",
            "bad": "yesterday", "days": "3"}"#,
        &schema,
    );
    assert_eq!(
        fields(&v),
        vec![
            Value::Timestamp(parse_timestamp("2026-12-06 10:20:30.12").unwrap()),
            Value::Timestamp(1_700_000_000_000_000),
            Value::Date(parse_date("2026-12-06").unwrap()),
            Value::Null,
            Value::Date(3),
        ]
    );
}

#[test]
fn floats_take_any_number_and_the_non_numeric_spellings() {
    let schema = schema_of(&[
        ("a", DataType::Double),
        ("b", DataType::Double),
        ("c", DataType::Float),
        ("d", DataType::Double),
        ("e", DataType::Double),
        ("f", DataType::Byte),
    ]);
    let v = from_json(
        r#"{"a": 1e3, "b": "-INF", "c": 7, "d": Infinity, "e": "1.5", "f": 200}"#,
        &schema,
    );
    assert_eq!(
        fields(&v),
        vec![
            Value::Double(1000.0),
            Value::Double(f64::NEG_INFINITY),
            Value::Float(7.0),
            Value::Double(f64::INFINITY),
            Value::Null,
            Value::Byte(-56),
        ]
    );
}

#[test]
fn to_json_leaves_out_null_fields_but_keeps_nulls_in_arrays_and_maps() {
    let schema = schema_of(&[
        ("s", DataType::String),
        ("n", DataType::Long),
        ("xs", DataType::array_of(DataType::Double)),
        (
            "m",
            DataType::Map {
                key: Box::new(DataType::String),
                value: Box::new(DataType::Long),
                value_contains_null: true,
            },
        ),
        ("ts", DataType::Timestamp),
        ("b", DataType::Binary),
    ]);
    let value = item(vec![
        Value::string("a\"b\\c\u{1}/é\n"),
        Value::Null,
        Value::Array(Rc::from(vec![
            Value::Double(1.0),
            Value::Null,
            Value::Double(f64::NAN),
            Value::Double(1e7),
        ])),
        Value::Map(Rc::from(vec![(Value::string("k"), Value::Null)])),
        Value::Timestamp(parse_timestamp("2026-12-06 10:20:30.5").unwrap()),
        Value::Binary(Rc::from(&b"Key"[..])),
    ]);
    assert_eq!(
        to_json(&value, &schema),
        r#"{"s":"a\"b\\c\u0001/é\n","xs":[1.0,null,"NaN",1.0E7],"m":{"k":null},"ts":"2026-12-06T10:20:30.500Z","b":"S2V5"}"#
    );
    let empty = item(vec![Value::Null; 6]);
    assert_eq!(to_json(&empty, &schema), "{}");
}

#[test]
fn nesting_deeper_than_the_cap_is_malformed_and_does_not_overflow_the_stack() {
    let schema = schema_of(&[("a", DataType::String)]);
    let deep = format!(r#"{{"a": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(fields(&from_json(&deep, &schema)), vec![Value::Null]);
    let fine = format!(r#"{{"a": {}{}}}"#, "[".repeat(150), "]".repeat(150));
    let expected = format!("{}{}", "[".repeat(150), "]".repeat(150));
    assert_eq!(
        fields(&from_json(&fine, &schema)),
        vec![Value::string(&expected)]
    );
}

#[test]
fn random_and_mangled_input_never_panics() {
    // A fixed xorshift sequence: the same cases on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: Vec<char> = "{}[]:,\"'\\ 0123456789-+.eEtrufalsnNIyx\u{e9}\u{1F600}\n"
        .chars()
        .collect();
    let schemas = [
        orders_schema(),
        DataType::array_of(line_item()),
        DataType::Map {
            key: Box::new(DataType::String),
            value: Box::new(DataType::array_of(DataType::Double)),
            value_contains_null: true,
        },
    ];
    let order_chars: Vec<char> = ORDER.chars().collect();
    for case in 0..20_000 {
        let text: String = if case % 2 == 0 {
            let len = (next() % 60) as usize;
            (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect()
        } else {
            let mut chars = order_chars.clone();
            for _ in 0..(next() % 4) {
                let at = (next() % chars.len() as u64) as usize;
                chars[at] = alphabet[(next() % alphabet.len() as u64) as usize];
            }
            let cut = (next() % (chars.len() as u64 + 1)) as usize;
            chars[..cut].iter().collect()
        };
        for schema in &schemas {
            let value = from_json(&text, schema);
            let back = to_json(&value, schema);
            if let (DataType::Struct(f), Value::Struct(v)) = (schema, &value) {
                assert_eq!(f.len(), v.len(), "{text}");
            }
            assert!(!back.is_empty());
        }
    }
}
