//! Collection functions (`collectionOperations.scala`, `complexTypeCreator.scala` of Spark
//! 3.5): `size` (-1 for `NULL`, Spark 3's legacy default), `element_at` (1-based, negative from
//! the end, out of range `NULL` when not ANSI), `array_contains`, `array`, `struct`,
//! `named_struct`.
//!
//! Owns these functions. `element_at(arr, 0)` is an error in Spark even when not ANSI; here it
//! is `NULL`, since evaluation never fails.

use super::{call, literal_text, CallSite, ScalarFunction};
use crate::streams::eval::bind::common_of;
use crate::streams::eval::bound::BoundExpr;
use crate::streams::eval::error::{quote_type, EvalError};
use crate::streams::eval::ordering::equal;
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;

/// The names this family answers to.
pub const NAMES: &[&str] = &[
    "size",
    "cardinality",
    "element_at",
    "array_contains",
    "array",
    "struct",
    "named_struct",
];

/// A collection function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectionFunction {
    /// `size(a)`.
    Size,
    /// `element_at(array, i)`.
    ElementAtArray,
    /// `element_at(map, key)`.
    ElementAtMap,
    /// `array_contains(a, v)`.
    ArrayContains,
    /// `array(…)`.
    MakeArray,
    /// `struct(…)` / `named_struct(…)` (values only; names are in the type).
    MakeStruct,
}

/// Binds a call of this family.
pub fn bind(
    lower: &str,
    args: Vec<BoundExpr>,
    site: &CallSite<'_>,
) -> Result<BoundExpr, EvalError> {
    let n = args.len();
    let f = ScalarFunction::Collection;
    let first_type = args.first().map_or(DataType::Null, BoundExpr::data_type);
    match lower {
        "size" | "cardinality" => {
            site.arity(n, &[1])?;
            if !matches!(
                first_type,
                DataType::Array { .. } | DataType::Map { .. } | DataType::Null
            ) {
                return Err(site.unexpected(0, "(\"ARRAY\" or \"MAP\")", &first_type));
            }
            Ok(BoundExpr::Call {
                function: f(CollectionFunction::Size),
                args,
                data_type: DataType::Integer,
                nullable: false,
            })
        }
        "element_at" => {
            site.arity(n, &[2])?;
            let mut it = args.into_iter();
            let (Some(container), Some(key)) = (it.next(), it.next()) else {
                return Err(site.unexpected(0, "(\"ARRAY\" or \"MAP\")", &first_type));
            };
            match first_type {
                DataType::Array { element, .. } => {
                    let key = site.coerce(
                        key,
                        1,
                        &crate::streams::eval::coercion::Expected::Exact(DataType::Integer),
                    )?;
                    Ok(call(
                        f(CollectionFunction::ElementAtArray),
                        vec![container, key],
                        *element,
                    ))
                }
                DataType::Map { key: kt, value, .. } => {
                    let key = key.cast_to(&kt);
                    Ok(call(
                        f(CollectionFunction::ElementAtMap),
                        vec![container, key],
                        *value,
                    ))
                }
                other => Err(site.unexpected(0, "(\"ARRAY\" or \"MAP\")", &other)),
            }
        }
        "array_contains" => {
            site.arity(n, &[2])?;
            let DataType::Array { element, .. } = first_type.clone() else {
                return Err(site.unexpected(0, "\"ARRAY\"", &first_type));
            };
            let mut it = args.into_iter();
            let (Some(arr), Some(v)) = (it.next(), it.next()) else {
                return Err(site.unexpected(0, "\"ARRAY\"", &DataType::Null));
            };
            let vt = v.data_type();
            let t = common_of([(*element).clone(), vt.clone()].into_iter()).ok_or_else(|| {
                EvalError::DataTypeMismatch {
                    sub_class: "ARRAY_FUNCTION_DIFF_TYPES",
                    sql: site.sql.clone(),
                    detail: format!(
                        "Input to `array_contains` should have been \"ARRAY\" followed by a value with same element type, but it's [{}, {}]",
                        quote_type(&first_type),
                        quote_type(&vt)
                    ),
                }
            })?;
            let arr = arr.cast_to(&DataType::array_of(t.clone()));
            Ok(call(
                f(CollectionFunction::ArrayContains),
                vec![arr, v.cast_to(&t)],
                DataType::Boolean,
            ))
        }
        "array" => {
            let t = common_of(args.iter().map(BoundExpr::data_type)).ok_or_else(|| {
                let types: Vec<String> = args.iter().map(|a| quote_type(&a.data_type())).collect();
                EvalError::DataTypeMismatch {
                    sub_class: "DATA_DIFF_TYPES",
                    sql: site.sql.clone(),
                    detail: format!(
                        "Input to `array` should all be the same type, but it's [{}]",
                        types.join(", ")
                    ),
                }
            })?;
            let t = if t == DataType::Null && n == 0 {
                DataType::String
            } else {
                t
            };
            Ok(BoundExpr::Call {
                function: f(CollectionFunction::MakeArray),
                args: args.into_iter().map(|a| a.cast_to(&t)).collect(),
                data_type: DataType::array_of(t),
                nullable: false,
            })
        }
        "struct" => {
            let fields: Vec<StructField> = args
                .iter()
                .enumerate()
                .map(|(i, a)| StructField {
                    name: struct_field_name(site.raw_args.get(i), i),
                    data_type: a.data_type(),
                    nullable: a.nullable(),
                })
                .collect();
            Ok(BoundExpr::Call {
                function: f(CollectionFunction::MakeStruct),
                args,
                data_type: DataType::Struct(fields),
                nullable: false,
            })
        }
        _ => {
            if n == 0 || n % 2 != 0 {
                return Err(EvalError::WrongArgumentCount {
                    name: "named_struct".to_string(),
                    expected: "2n (n > 0)".to_string(),
                    actual: n,
                });
            }
            let mut fields = Vec::with_capacity(n / 2);
            let mut values = Vec::with_capacity(n / 2);
            let mut it = args.into_iter().enumerate();
            while let (Some((i, name)), Some((_, value))) = (it.next(), it.next()) {
                let Some(field_name) = literal_text(&name) else {
                    return Err(site.unexpected(i, "\"STRING\" (a constant)", &name.data_type()));
                };
                fields.push(StructField {
                    name: field_name,
                    data_type: value.data_type(),
                    nullable: value.nullable(),
                });
                values.push(value);
            }
            Ok(BoundExpr::Call {
                function: f(CollectionFunction::MakeStruct),
                args: values,
                data_type: DataType::Struct(fields),
                nullable: false,
            })
        }
    }
}

/// `struct(a, b.c, 1)`'s field names: a column's (last) name, else `col1`, `col2`, … (Spark's
/// `CreateStruct.create`).
fn struct_field_name(raw: Option<&crate::streams::sql::ast::Expr>, i: usize) -> String {
    use crate::streams::sql::ast::Expr;
    match raw {
        Some(Expr::Column(parts)) => parts.last().cloned().unwrap_or_default(),
        Some(Expr::Alias(_, name)) => name.clone(),
        Some(Expr::Field(_, name)) => name.clone(),
        _ => format!("col{}", i + 1),
    }
}

/// Evaluates a call of this family.
pub fn eval(f: &CollectionFunction, args: &[Value]) -> Value {
    let arg = |i: usize| args.get(i).unwrap_or(&Value::Null);
    match f {
        CollectionFunction::Size => match arg(0) {
            Value::Array(items) => Value::Integer(items.len() as i32),
            Value::Map(entries) => Value::Integer(entries.len() as i32),
            _ => Value::Integer(-1),
        },
        CollectionFunction::ElementAtArray => match (arg(0), arg(1)) {
            (Value::Array(items), Value::Integer(i)) => {
                let len = items.len() as i64;
                let i = i64::from(*i);
                let at = if i > 0 { i - 1 } else { len + i };
                if i == 0 || at < 0 || at >= len {
                    Value::Null
                } else {
                    items.get(at as usize).cloned().unwrap_or(Value::Null)
                }
            }
            _ => Value::Null,
        },
        CollectionFunction::ElementAtMap => match (arg(0), arg(1)) {
            (Value::Map(entries), k) if !k.is_null() => entries
                .iter()
                .find(|(ek, _)| equal(ek, k) == Some(true))
                .map_or(Value::Null, |(_, v)| v.clone()),
            _ => Value::Null,
        },
        CollectionFunction::ArrayContains => match (arg(0), arg(1)) {
            (Value::Array(items), v) if !v.is_null() => {
                let mut saw_null = false;
                for item in items.iter() {
                    match equal(item, v) {
                        Some(true) => return Value::Boolean(true),
                        Some(false) => {}
                        None => saw_null = true,
                    }
                }
                if saw_null {
                    Value::Null
                } else {
                    Value::Boolean(false)
                }
            }
            _ => Value::Null,
        },
        CollectionFunction::MakeArray => Value::Array(args.iter().cloned().collect()),
        CollectionFunction::MakeStruct => Value::Struct(args.iter().cloned().collect()),
    }
}
