//! `pyspark.sql.types`: `StructType`, `StructField`, `ArrayType`, `MapType` and the simple
//! types (`LongType()`), built into a [`DataType`] that `from_json` and `cast` take as the DDL
//! string would be taken.
//!
//! Owns the Python-side type objects only; must not parse DDL (the SQL parser does).

use crate::streams::types::{DataType, StructField};

use super::errors::PyError;
use super::interpreter::Args;
use super::objects::{Obj, TypeCtor};

/// The names `from pyspark.sql.types import *` binds.
pub const TYPE_NAMES: &[&str] = &[
    "StructType",
    "StructField",
    "ArrayType",
    "MapType",
    "StringType",
    "LongType",
    "IntegerType",
    "ShortType",
    "ByteType",
    "DoubleType",
    "FloatType",
    "BooleanType",
    "BinaryType",
    "DateType",
    "TimestampType",
    "NullType",
];

/// A class of `pyspark.sql.types` by name.
pub fn type_class(name: &str) -> Option<Obj> {
    let simple = |n: &'static str, t: DataType| Some(Obj::TypeCtor(TypeCtor::Simple(n, t)));
    match name {
        "StructType" => Some(Obj::TypeCtor(TypeCtor::Struct)),
        "StructField" => Some(Obj::TypeCtor(TypeCtor::Field)),
        "ArrayType" => Some(Obj::TypeCtor(TypeCtor::Array)),
        "MapType" => Some(Obj::TypeCtor(TypeCtor::Map)),
        "StringType" => simple("StringType", DataType::String),
        "LongType" => simple("LongType", DataType::Long),
        "IntegerType" => simple("IntegerType", DataType::Integer),
        "ShortType" => simple("ShortType", DataType::Short),
        "ByteType" => simple("ByteType", DataType::Byte),
        "DoubleType" => simple("DoubleType", DataType::Double),
        "FloatType" => simple("FloatType", DataType::Float),
        "BooleanType" => simple("BooleanType", DataType::Boolean),
        "BinaryType" => simple("BinaryType", DataType::Binary),
        "DateType" => simple("DateType", DataType::Date),
        "TimestampType" => simple("TimestampType", DataType::Timestamp),
        "NullType" => simple("NullType", DataType::Null),
        _ => None,
    }
}

/// The type an object stands for (`LongType()`, a `StructType`, a `StructField`'s type is not
/// one).
pub fn to_data_type(obj: &Obj) -> Option<DataType> {
    match obj {
        Obj::DataType(t) => Some(t.clone()),
        _ => None,
    }
}

fn need_type(obj: Obj, arg: &str) -> Result<DataType, PyError> {
    match obj {
        Obj::DataType(t) => Ok(t),
        Obj::TypeCtor(TypeCtor::Simple(n, _)) => Err(PyError::Type(format!(
            "{arg} must be a type instance: write {n}() with parentheses"
        ))),
        other => Err(PyError::Type(format!(
            "{arg} should be a DataType, got {}",
            other.type_name()
        ))),
    }
}

fn flag(obj: Option<Obj>) -> Result<bool, PyError> {
    match obj {
        None => Ok(true),
        Some(Obj::Bool(b)) => Ok(b),
        Some(other) => Err(PyError::Type(format!(
            "a nullability flag must be True or False, got {}",
            other.type_name()
        ))),
    }
}

fn field(name: Obj, t: DataType, nullable: bool) -> Result<StructField, PyError> {
    match name {
        Obj::Str(name) => Ok(StructField {
            name,
            data_type: t,
            nullable,
        }),
        other => Err(PyError::Type(format!(
            "field name should be a string, got {}",
            other.type_name()
        ))),
    }
}

/// Calls a type class: `StructType([...])`, `StructField("a", LongType())`, `LongType()`.
pub fn construct(t: &TypeCtor, mut args: Args) -> Result<Obj, PyError> {
    let out = match t {
        TypeCtor::Simple(_, t) => Obj::DataType(t.clone()),
        TypeCtor::Struct => {
            let fields = match args.take(0, "fields") {
                None | Some(Obj::None) => Vec::new(),
                Some(Obj::List(items) | Obj::Tuple(items)) => items
                    .into_iter()
                    .map(|i| match i {
                        Obj::Field(f) => Ok(f),
                        other => Err(PyError::Type(format!(
                            "StructType takes a list of StructField, got {}",
                            other.type_name()
                        ))),
                    })
                    .collect::<Result<_, _>>()?,
                Some(other) => {
                    return Err(PyError::Type(format!(
                        "StructType takes a list of StructField, got {}",
                        other.type_name()
                    )))
                }
            };
            Obj::DataType(DataType::Struct(fields))
        }
        TypeCtor::Field => {
            let name = args.need(0, "name")?;
            let t = need_type(args.need(1, "dataType")?, "dataType")?;
            let nullable = flag(args.take(2, "nullable"))?;
            Obj::Field(field(name, t, nullable)?)
        }
        TypeCtor::Array => {
            let element = need_type(args.need(0, "elementType")?, "elementType")?;
            let contains_null = flag(args.take(1, "containsNull"))?;
            Obj::DataType(DataType::Array {
                element: Box::new(element),
                contains_null,
            })
        }
        TypeCtor::Map => {
            let key = need_type(args.need(0, "keyType")?, "keyType")?;
            let value = need_type(args.need(1, "valueType")?, "valueType")?;
            let value_contains_null = flag(args.take(2, "valueContainsNull"))?;
            Obj::DataType(DataType::Map {
                key: Box::new(key),
                value: Box::new(value),
                value_contains_null,
            })
        }
    };
    args.finish()?;
    Ok(out)
}

/// A type's attribute: `fields`, `names`, `name`, `dataType`, or a method.
pub fn type_attr(obj: Obj, attr: &str) -> Result<Obj, PyError> {
    match (&obj, attr) {
        (Obj::DataType(DataType::Struct(fields)), "fields") => {
            Ok(Obj::List(fields.iter().cloned().map(Obj::Field).collect()))
        }
        (Obj::DataType(DataType::Struct(fields)), "names") => Ok(Obj::List(
            fields.iter().map(|f| Obj::Str(f.name.clone())).collect(),
        )),
        (Obj::Field(f), "name") => Ok(Obj::Str(f.name.clone())),
        (Obj::Field(f), "dataType") => Ok(Obj::DataType(f.data_type.clone())),
        (Obj::Field(f), "nullable") => Ok(Obj::Bool(f.nullable)),
        (Obj::DataType(_), "simpleString" | "typeName")
        | (Obj::DataType(DataType::Struct(_)), "add" | "fieldNames") => {
            Ok(Obj::Method(Box::new(obj), attr.into()))
        }
        _ => Err(PyError::Attribute {
            type_name: obj.type_name().into(),
            attr: attr.into(),
        }),
    }
}

/// Calls a type's method (`StructType().add("a", LongType())`, `simpleString()`).
pub fn type_method(obj: Obj, name: &str, mut args: Args) -> Result<Obj, PyError> {
    let out = match (obj, name) {
        (Obj::DataType(DataType::Struct(mut fields)), "add") => {
            let first = args.need(0, "field")?;
            let f = match first {
                Obj::Field(f) => f,
                name => {
                    let t = match args.need(1, "data_type")? {
                        Obj::Str(s) => crate::streams::sql::parse_data_type(&s).map_err(|e| {
                            PyError::Spark(crate::streams::session::SessionError::Parse(e))
                        })?,
                        other => need_type(other, "data_type")?,
                    };
                    let nullable = flag(args.take(2, "nullable"))?;
                    field(name, t, nullable)?
                }
            };
            fields.push(f);
            Obj::DataType(DataType::Struct(fields))
        }
        (Obj::DataType(DataType::Struct(fields)), "fieldNames") => {
            Obj::List(fields.into_iter().map(|f| Obj::Str(f.name)).collect())
        }
        (Obj::DataType(t), "simpleString") => Obj::Str(t.simple_string()),
        (Obj::DataType(t), _) => Obj::Str(t.type_name().to_string()),
        (other, _) => {
            return Err(PyError::Attribute {
                type_name: other.type_name().into(),
                attr: name.into(),
            })
        }
    };
    args.finish()?;
    Ok(out)
}
