//! Data types and DDL schema strings.

use super::*;

fn ty(text: &str) -> DataType {
    match parse_data_type(text) {
        Ok(t) => t,
        Err(e) => panic!("{text:?}:\n{e}"),
    }
}

#[test]
fn primitive_names_and_their_aliases_ignore_case() {
    for (text, want) in [
        ("bigint", DataType::Long),
        ("LONG", DataType::Long),
        ("int", DataType::Integer),
        ("Integer", DataType::Integer),
        ("string", DataType::String),
        ("float", DataType::Float),
        ("real", DataType::Float),
        ("double", DataType::Double),
        ("boolean", DataType::Boolean),
        ("binary", DataType::Binary),
        ("date", DataType::Date),
        ("timestamp", DataType::Timestamp),
        ("tinyint", DataType::Byte),
        ("byte", DataType::Byte),
        ("smallint", DataType::Short),
        ("short", DataType::Short),
        ("decimal(10,2)", DataType::Double),
        ("DECIMAL", DataType::Double),
        ("varchar(20)", DataType::String),
        ("char(3)", DataType::String),
    ] {
        assert_eq!(ty(text), want, "{text}");
    }
}

#[test]
fn complex_types_nest_with_spaces_anywhere() {
    assert_eq!(ty("array < int >"), DataType::array_of(DataType::Integer));
    assert_eq!(
        ty("map<string, array<long>>"),
        DataType::Map {
            key: Box::new(DataType::String),
            value: Box::new(DataType::array_of(DataType::Long)),
            value_contains_null: true
        }
    );
    assert_eq!(
        ty("STRUCT<a: int, `b c` : string, d double>"),
        DataType::Struct(vec![
            StructField::new("a", DataType::Integer),
            StructField::new("b c", DataType::String),
            StructField::new("d", DataType::Double),
        ])
    );
    assert_eq!(ty("struct<>"), DataType::Struct(vec![]));
}

#[test]
fn the_courses_orders_schema_parses_to_its_columns() {
    let schema = "order_id long, customer_id long, customer_fname string, customer_lname string, \
                  city string, state string, zipcode long, line_items array<struct<order_item_id \
                  : long, order_item_product_id : long, order_item_quantity : long, \
                  order_item_product_price : float, order_item_subtotal : float>>";
    // The same columns the printSchema tests build by hand, from the other side.
    let DataType::Struct(want) = crate::streams::types::print_schema::tests::orders_schema() else {
        panic!("the printSchema fixture is a struct");
    };
    assert_eq!(parse_ddl_schema(schema).ok(), Some(want));
}

#[test]
fn a_struct_wrapped_schema_gives_the_same_columns() {
    let plain = parse_ddl_schema("a int, b string").ok();
    assert_eq!(parse_ddl_schema("STRUCT<a: INT, b: STRING>").ok(), plain);
    assert_eq!(
        plain,
        Some(vec![
            StructField::new("a", DataType::Integer),
            StructField::new("b", DataType::String)
        ])
    );
}

#[test]
fn not_null_and_comments_are_read_per_column() {
    assert_eq!(
        parse_ddl_schema("id long NOT NULL COMMENT 'the key', name string COMMENT \"who\"").ok(),
        Some(vec![
            StructField::not_null("id", DataType::Long),
            StructField::new("name", DataType::String),
        ])
    );
}

#[test]
fn an_unknown_type_is_sparks_unsupported_data_type_error() {
    assert_eq!(
        parse_ddl_schema("a int, b strin")
            .err()
            .map(|e| e.to_string()),
        Some(
            "[UNSUPPORTED_DATATYPE] Unsupported data type \"STRIN\".(line 1, pos 9)\n\n\
             == SQL ==\na int, b strin\n---------^^^\n"
                .to_string()
        )
    );
    assert_eq!(
        parse_data_type("int(3)").err().map(|e| e.to_string()),
        Some(
            "[UNSUPPORTED_DATATYPE] Unsupported data type \"INT(3)\".(line 1, pos 0)\n\n\
             == SQL ==\nint(3)\n^^^\n"
                .to_string()
        )
    );
}

#[test]
fn an_unclosed_type_errs_at_end_of_input() {
    assert_eq!(
        parse_data_type("array<struct<a:int>")
            .err()
            .map(|e| e.to_string()),
        Some(
            "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.(line 1, pos 19)\n\n\
             == SQL ==\narray<struct<a:int>\n-------------------^^^\n"
                .to_string()
        )
    );
}

#[test]
fn a_schema_that_names_one_plain_type_is_not_a_struct() {
    assert_eq!(
        parse_ddl_schema("int"),
        Err(SqlError::NotAStruct {
            schema: "int".into(),
            type_sql: "INT".into()
        })
    );
}

#[test]
fn a_top_level_column_takes_no_colon_as_in_spark() {
    assert!(parse_ddl_schema("a: int").is_err());
}
