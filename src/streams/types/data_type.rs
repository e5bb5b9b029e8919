//! [`DataType`]: the Spark SQL types the course's code uses, named as Spark names them.

/// One Spark SQL type. Integral and fractional widths are Spark's (`int` is 32-bit, `long`
/// 64-bit, `float` 32-bit, `double` 64-bit); `timestamp` is microseconds since the epoch in UTC,
/// `date` days since the epoch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataType {
    /// The type of an untyped `NULL` literal (Spark's `void`).
    Null,
    /// `boolean`.
    Boolean,
    /// `tinyint` (`byte`).
    Byte,
    /// `smallint` (`short`).
    Short,
    /// `int` (`integer`).
    Integer,
    /// `bigint` (`long`).
    Long,
    /// `float` (`real`).
    Float,
    /// `double`.
    Double,
    /// `string`.
    String,
    /// `binary`: the Kafka source's `key` and `value`.
    Binary,
    /// `date`.
    Date,
    /// `timestamp`.
    Timestamp,
    /// `array<element>`.
    Array {
        /// The elements' type.
        element: Box<DataType>,
        /// Whether an element may be null (Spark's `containsNull`).
        contains_null: bool,
    },
    /// `map<key, value>`.
    Map {
        /// The keys' type.
        key: Box<DataType>,
        /// The values' type.
        value: Box<DataType>,
        /// Whether a value may be null (Spark's `valueContainsNull`).
        value_contains_null: bool,
    },
    /// `struct<name: type, ...>`.
    Struct(Vec<StructField>),
}

/// One named field of a struct (or one column of a schema).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StructField {
    /// The field's name, as written.
    pub name: String,
    /// The field's type.
    pub data_type: DataType,
    /// Whether the field may be null.
    pub nullable: bool,
}

impl StructField {
    /// A nullable field, as DDL strings and `from_json` schemas make them.
    pub fn new(name: impl Into<String>, data_type: DataType) -> Self {
        StructField {
            name: name.into(),
            data_type,
            nullable: true,
        }
    }

    /// A field that is never null (the Kafka source's `topic`, `partition`, ...).
    pub fn not_null(name: impl Into<String>, data_type: DataType) -> Self {
        StructField {
            name: name.into(),
            data_type,
            nullable: false,
        }
    }
}

impl DataType {
    /// An array whose elements may be null.
    pub fn array_of(element: DataType) -> Self {
        DataType::Array {
            element: Box::new(element),
            contains_null: true,
        }
    }

    /// Spark's `simpleString`: `bigint`, `array<string>`, `struct<a:int,b:string>`.
    pub fn simple_string(&self) -> String {
        match self {
            DataType::Array { element, .. } => format!("array<{}>", element.simple_string()),
            DataType::Map { key, value, .. } => {
                format!("map<{},{}>", key.simple_string(), value.simple_string())
            }
            DataType::Struct(fields) => {
                let inner: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}:{}", f.name, f.data_type.simple_string()))
                    .collect();
                format!("struct<{}>", inner.join(","))
            }
            DataType::Null => "void".to_string(),
            DataType::Byte => "tinyint".to_string(),
            DataType::Short => "smallint".to_string(),
            DataType::Integer => "int".to_string(),
            DataType::Long => "bigint".to_string(),
            other => other.type_name().to_string(),
        }
    }

    /// Spark's `typeName` (what `printSchema` prints for a field): `long`, `integer`, `array`,
    /// `struct`.
    pub fn type_name(&self) -> &'static str {
        match self {
            DataType::Null => "void",
            DataType::Boolean => "boolean",
            DataType::Byte => "byte",
            DataType::Short => "short",
            DataType::Integer => "integer",
            DataType::Long => "long",
            DataType::Float => "float",
            DataType::Double => "double",
            DataType::String => "string",
            DataType::Binary => "binary",
            DataType::Date => "date",
            DataType::Timestamp => "timestamp",
            DataType::Array { .. } => "array",
            DataType::Map { .. } => "map",
            DataType::Struct(_) => "struct",
        }
    }

    /// Spark's `sql` form, as error messages and `CAST(... AS BIGINT)` names print it.
    pub fn sql(&self) -> String {
        match self {
            DataType::Null => "VOID".to_string(),
            DataType::Boolean => "BOOLEAN".to_string(),
            DataType::Byte => "TINYINT".to_string(),
            DataType::Short => "SMALLINT".to_string(),
            DataType::Integer => "INT".to_string(),
            DataType::Long => "BIGINT".to_string(),
            DataType::Float => "FLOAT".to_string(),
            DataType::Double => "DOUBLE".to_string(),
            DataType::String => "STRING".to_string(),
            DataType::Binary => "BINARY".to_string(),
            DataType::Date => "DATE".to_string(),
            DataType::Timestamp => "TIMESTAMP".to_string(),
            DataType::Array { element, .. } => format!("ARRAY<{}>", element.sql()),
            DataType::Map { key, value, .. } => format!("MAP<{}, {}>", key.sql(), value.sql()),
            DataType::Struct(fields) => {
                let inner: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.name, f.data_type.sql()))
                    .collect();
                format!("STRUCT<{}>", inner.join(", "))
            }
        }
    }

    /// Whether values of this type are numbers (`byte` through `double`).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            DataType::Byte
                | DataType::Short
                | DataType::Integer
                | DataType::Long
                | DataType::Float
                | DataType::Double
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_item() -> DataType {
        DataType::Struct(vec![
            StructField::new("order_item_id", DataType::Long),
            StructField::new("order_item_product_price", DataType::Float),
        ])
    }

    #[test]
    fn simple_string_is_sparks_compact_form() {
        let t = DataType::array_of(line_item());
        assert_eq!(
            t.simple_string(),
            "array<struct<order_item_id:bigint,order_item_product_price:float>>"
        );
    }

    #[test]
    fn sql_form_is_what_spark_error_messages_print() {
        let t = DataType::array_of(line_item());
        assert_eq!(
            t.sql(),
            "ARRAY<STRUCT<order_item_id: BIGINT, order_item_product_price: FLOAT>>"
        );
    }
}
