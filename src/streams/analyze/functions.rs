//! The functions the analyzer supplies to the binder (through its hook): `from_json` and
//! `to_json`, and the refusals for aggregates, generators and `window` found where they cannot
//! run. Aggregates, generators and windows in their proper places never reach the hook: the
//! aggregation and projection analysis takes them out first.

use std::rc::Rc;

use crate::streams::eval::{pretty_sql, BoundExpr, EvalError, ExternalCall, ExternalFunction};
use crate::streams::exec::aggregate_fn::AggKind;
use crate::streams::json::{from_json, to_json};
use crate::streams::sql::ast::{Expr, Literal};
pub use crate::streams::sql::visit::map_children;
use crate::streams::sql::{parse_data_type, parse_ddl_schema};
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;

use super::error::AnalysisError;

/// Whether `name` is a generator (`explode` and its kin).
pub fn is_generator(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "explode" | "explode_outer" | "posexplode" | "posexplode_outer"
    )
}

/// The binder's hook: supplies `from_json` / `to_json`, refuses misplaced aggregates,
/// generators and windows, and leaves every other name to the built-ins.
pub fn hook(call: &ExternalCall<'_>) -> Option<Result<BoundExpr, EvalError>> {
    let refuse = |e: AnalysisError| Some(Err(EvalError::Unsupported(e.to_string())));
    if AggKind::from_name(&call.lower_name).is_some() {
        return refuse(AnalysisError::AggregateOutsideAggregation(call.sql.clone()));
    }
    if is_generator(&call.lower_name) {
        return refuse(AnalysisError::GeneratorOutsideSelect(call.sql.clone()));
    }
    match call.lower_name.as_str() {
        "window" => refuse(AnalysisError::WindowOutsideGroupBy),
        "from_json" => Some(bind_from_json(call)),
        "to_json" => Some(bind_to_json(call)),
        _ => None,
    }
}

fn wrong_count(call: &ExternalCall<'_>, expected: &str) -> EvalError {
    EvalError::WrongArgumentCount {
        name: call.name.to_string(),
        expected: expected.to_string(),
        actual: call.args.len(),
    }
}

fn mismatch(call: &ExternalCall<'_>, n: usize, wanted: &str, got: &DataType) -> EvalError {
    let arg = call.raw_args.get(n).map(pretty_sql).unwrap_or_default();
    EvalError::DataTypeMismatch {
        sub_class: "UNEXPECTED_INPUT_TYPE",
        sql: call.sql.clone(),
        detail: format!(
            "Parameter {} requires the {wanted} type, however \"{arg}\" has the type \"{}\"",
            n + 1,
            got.sql()
        ),
    }
}

/// `from_json(json, schema[, options])`: the schema is a DDL string
/// (`'order_id long, city string'`) or a type string (`'STRUCT<…>'`, `'array<…>'`); every
/// field of the result may be null, as Spark makes them.
fn bind_from_json(call: &ExternalCall<'_>) -> Result<BoundExpr, EvalError> {
    if !(2..=3).contains(&call.args.len()) {
        return Err(wrong_count(call, "[2, 3]"));
    }
    let input = call.args[0].data_type();
    if !matches!(input, DataType::String | DataType::Null) {
        return Err(mismatch(call, 0, "\"STRING\"", &input));
    }
    let Some(Expr::Literal(Literal::String(text))) = call.raw_args.get(1) else {
        return Err(EvalError::Unsupported(
            "[INVALID_SCHEMA.NON_STRING_LITERAL] The input schema is not a valid schema string: from_json's schema must be a string literal such as 'order_id long, city string'.".to_string(),
        ));
    };
    let schema = match parse_ddl_schema(text) {
        Ok(fields) => DataType::Struct(fields),
        Err(ddl_error) => match parse_data_type(text) {
            Ok(t @ (DataType::Struct(_) | DataType::Array { .. } | DataType::Map { .. })) => t,
            _ => return Err(EvalError::Unsupported(ddl_error.to_string())),
        },
    };
    let function = FromJson {
        schema: as_nullable(&schema),
    };
    Ok(BoundExpr::External {
        function: Rc::new(function),
        args: vec![call.args[0].clone()],
    })
}

/// Spark's `asNullable`: every field and element of a parsed schema may be null.
fn as_nullable(t: &DataType) -> DataType {
    match t {
        DataType::Struct(fields) => DataType::Struct(
            fields
                .iter()
                .map(|f| StructField {
                    name: f.name.clone(),
                    data_type: as_nullable(&f.data_type),
                    nullable: true,
                })
                .collect(),
        ),
        DataType::Array { element, .. } => DataType::Array {
            element: Box::new(as_nullable(element)),
            contains_null: true,
        },
        DataType::Map { key, value, .. } => DataType::Map {
            key: key.clone(),
            value: Box::new(as_nullable(value)),
            value_contains_null: true,
        },
        other => other.clone(),
    }
}

#[derive(Debug)]
struct FromJson {
    schema: DataType,
}

impl ExternalFunction for FromJson {
    fn name(&self) -> &str {
        "from_json"
    }

    fn data_type(&self) -> DataType {
        self.schema.clone()
    }

    fn eval(&self, args: &[Value]) -> Value {
        match args.first() {
            Some(Value::String(text)) => from_json(text, &self.schema),
            _ => Value::Null,
        }
    }
}

/// `to_json(struct | array | map)`.
fn bind_to_json(call: &ExternalCall<'_>) -> Result<BoundExpr, EvalError> {
    if !(1..=2).contains(&call.args.len()) {
        return Err(wrong_count(call, "[1, 2]"));
    }
    let input = call.args[0].data_type();
    if !matches!(
        input,
        DataType::Struct(_) | DataType::Array { .. } | DataType::Map { .. }
    ) {
        return Err(mismatch(
            call,
            0,
            "(\"STRUCT\" or \"ARRAY\" or \"MAP\")",
            &input,
        ));
    }
    let function = ToJson { input };
    Ok(BoundExpr::External {
        function: Rc::new(function),
        args: vec![call.args[0].clone()],
    })
}

#[derive(Debug)]
struct ToJson {
    input: DataType,
}

impl ExternalFunction for ToJson {
    fn name(&self) -> &str {
        "to_json"
    }

    fn data_type(&self) -> DataType {
        DataType::String
    }

    fn eval(&self, args: &[Value]) -> Value {
        match args.first() {
            None | Some(Value::Null) => Value::Null,
            Some(v) => Value::string(&to_json(v, &self.input)),
        }
    }
}

/// Spark's non-ANSI parser leaves a bare `current_timestamp` / `current_date` as a column
/// name; when no column has that name it is the function.
pub fn niladic_functions(expr: &Expr, input: &[StructField]) -> Expr {
    match expr {
        Expr::Column(path) if path.len() == 1 => {
            let name = path[0].to_ascii_lowercase();
            let is_function = matches!(name.as_str(), "current_timestamp" | "current_date")
                && !input.iter().any(|f| f.name.eq_ignore_ascii_case(&name));
            if is_function {
                Expr::Function {
                    name,
                    args: Vec::new(),
                    distinct: false,
                }
            } else {
                expr.clone()
            }
        }
        _ => map_children(expr, &mut |e| niladic_functions(e, input)),
    }
}
