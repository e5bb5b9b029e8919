//! What `df.printSchema()` and `repr(df)` print for a schema: Spark's `StructType.treeString`
//! and PySpark's `DataFrame.__repr__`.
//!
//! Owns these two texts only; it must not parse schemas or know about values. Matched against
//! Spark 4.x `sql/api/.../types/StructType.scala` (`treeString`), `StructField`, `ArrayType` and
//! `MapType` (`buildFormattedString`), and PySpark 3.5/4.x `DataFrame.__repr__` (which joins
//! `dtypes`, each type's `simpleString`). The texts are the same in Spark 3.5.

use super::{DataType, StructField};

/// Spark's `StructType.treeString`: `root\n` then one line per field, nested types indented by
/// `" |    "` per level, every line ending in `\n`:
///
/// ```text
/// root
///  |-- key: string (nullable = true)
///  |-- value: struct (nullable = true)
///  |    |-- order_id: long (nullable = true)
/// ```
///
/// `printSchema()` prints this with `println`, so its output ends with a blank line; see
/// [`print_schema`].
pub fn tree_string(fields: &[StructField]) -> String {
    let mut out = String::from("root\n");
    for field in fields {
        field_lines(
            &field.name,
            &field.data_type,
            field.nullable,
            " |",
            &mut out,
        );
    }
    out
}

/// Exactly what `df.printSchema()` writes to stdout: [`tree_string`] followed by the newline of
/// Scala's `println` / Python's `print`, which leaves one blank line after the tree.
pub fn print_schema(fields: &[StructField]) -> String {
    let mut out = tree_string(fields);
    out.push('\n');
    out
}

/// PySpark's `repr(df)`: `DataFrame[key: string, value: binary]`, each column with its type's
/// `simpleString` (`bigint`, `array<struct<a:int>>`).
pub fn dataframe_repr(fields: &[StructField]) -> String {
    let columns: Vec<String> = fields
        .iter()
        .map(|f| format!("{}: {}", f.name, f.data_type.simple_string()))
        .collect();
    format!("DataFrame[{}]", columns.join(", "))
}

/// `StructField.buildFormattedString`: the field's own line, then its type's children one level
/// deeper.
fn field_lines(name: &str, data_type: &DataType, nullable: bool, prefix: &str, out: &mut String) {
    out.push_str(&format!(
        "{prefix}-- {name}: {} (nullable = {nullable})\n",
        data_type.type_name()
    ));
    children(data_type, &format!("{prefix}    |"), out);
}

/// `DataType.buildFormattedString`: the lines under a struct, array or map (none under a
/// primitive). Recursion follows the type's own nesting, which a schema's parser has already
/// capped, so it is bounded by the type the caller built.
fn children(data_type: &DataType, prefix: &str, out: &mut String) {
    match data_type {
        DataType::Struct(fields) => {
            for field in fields {
                field_lines(&field.name, &field.data_type, field.nullable, prefix, out);
            }
        }
        DataType::Array {
            element,
            contains_null,
        } => {
            out.push_str(&format!(
                "{prefix}-- element: {} (containsNull = {contains_null})\n",
                element.type_name()
            ));
            children(element, &format!("{prefix}    |"), out);
        }
        DataType::Map {
            key,
            value,
            value_contains_null,
        } => {
            // Spark 3.0+ prints the key's children before the value line (2.x printed both
            // lines first).
            out.push_str(&format!("{prefix}-- key: {}\n", key.type_name()));
            children(key, &format!("{prefix}    |"), out);
            out.push_str(&format!(
                "{prefix}-- value: {} (valueContainsNull = {value_contains_null})\n",
                value.type_name()
            ));
            children(value, &format!("{prefix}    |"), out);
        }
        _ => {}
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The course's `orders_schema` DDL string, built by hand (the DDL parser is elsewhere);
    /// the JSON tests read the course's orders with it too.
    pub(crate) fn orders_schema() -> DataType {
        DataType::Struct(vec![
            StructField::new("order_id", DataType::Long),
            StructField::new("customer_id", DataType::Long),
            StructField::new("customer_fname", DataType::String),
            StructField::new("customer_lname", DataType::String),
            StructField::new("city", DataType::String),
            StructField::new("state", DataType::String),
            StructField::new("zipcode", DataType::Long),
            StructField::new("line_items", DataType::array_of(line_item())),
        ])
    }

    /// One element of the orders' `line_items`.
    pub(crate) fn line_item() -> DataType {
        DataType::Struct(vec![
            StructField::new("order_item_id", DataType::Long),
            StructField::new("order_item_product_id", DataType::Long),
            StructField::new("order_item_quantity", DataType::Long),
            StructField::new("order_item_product_price", DataType::Float),
            StructField::new("order_item_subtotal", DataType::Float),
        ])
    }

    fn parsed_orders_columns() -> Vec<StructField> {
        vec![
            StructField::new("key", DataType::String),
            StructField::new("value", orders_schema()),
            StructField::new("topic", DataType::String),
            StructField::new("partition", DataType::Integer),
            StructField::new("offset", DataType::Long),
            StructField::new("timestamp", DataType::Timestamp),
            StructField::new("timestampType", DataType::Integer),
        ]
    }

    #[test]
    fn print_schema_of_the_parsed_orders_is_sparks_tree_with_a_trailing_blank_line() {
        let expected = "root
 |-- key: string (nullable = true)
 |-- value: struct (nullable = true)
 |    |-- order_id: long (nullable = true)
 |    |-- customer_id: long (nullable = true)
 |    |-- customer_fname: string (nullable = true)
 |    |-- customer_lname: string (nullable = true)
 |    |-- city: string (nullable = true)
 |    |-- state: string (nullable = true)
 |    |-- zipcode: long (nullable = true)
 |    |-- line_items: array (nullable = true)
 |    |    |-- element: struct (containsNull = true)
 |    |    |    |-- order_item_id: long (nullable = true)
 |    |    |    |-- order_item_product_id: long (nullable = true)
 |    |    |    |-- order_item_quantity: long (nullable = true)
 |    |    |    |-- order_item_product_price: float (nullable = true)
 |    |    |    |-- order_item_subtotal: float (nullable = true)
 |-- topic: string (nullable = true)
 |-- partition: integer (nullable = true)
 |-- offset: long (nullable = true)
 |-- timestamp: timestamp (nullable = true)
 |-- timestampType: integer (nullable = true)

";
        assert_eq!(print_schema(&parsed_orders_columns()), expected);
        assert!(tree_string(&parsed_orders_columns()).ends_with("(nullable = true)\n"));
    }

    #[test]
    fn a_map_prints_its_key_then_its_value_with_value_contains_null() {
        let fields = vec![
            StructField::not_null(
                "m",
                DataType::Map {
                    key: Box::new(DataType::String),
                    value: Box::new(DataType::Struct(vec![StructField::new(
                        "n",
                        DataType::Integer,
                    )])),
                    value_contains_null: false,
                },
            ),
            StructField::new(
                "xs",
                DataType::Array {
                    element: Box::new(DataType::Integer),
                    contains_null: false,
                },
            ),
        ];
        let expected = "root
 |-- m: map (nullable = false)
 |    |-- key: string
 |    |-- value: struct (valueContainsNull = false)
 |    |    |-- n: integer (nullable = true)
 |-- xs: array (nullable = true)
 |    |-- element: integer (containsNull = false)
";
        assert_eq!(tree_string(&fields), expected);
    }

    #[test]
    fn repr_of_a_dataframe_lists_columns_with_simple_type_names() {
        let kafka = vec![
            StructField::new("key", DataType::Binary),
            StructField::new("value", DataType::Binary),
            StructField::not_null("partition", DataType::Integer),
            StructField::not_null("offset", DataType::Long),
        ];
        assert_eq!(
            dataframe_repr(&kafka),
            "DataFrame[key: binary, value: binary, partition: int, offset: bigint]"
        );
        let nested = vec![StructField::new("value", orders_schema())];
        assert!(dataframe_repr(&nested).starts_with(
            "DataFrame[value: struct<order_id:bigint,customer_id:bigint,customer_fname:string,"
        ));
        assert!(dataframe_repr(&nested).ends_with("order_item_subtotal:float>>>]"));
    }
}
