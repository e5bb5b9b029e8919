//! `pyspark.sql.functions` and the `Column` methods and operators: each builds a node of
//! Spark's SQL syntax tree ([`crate::streams::sql::ast::Expr`]), as PySpark builds Catalyst
//! expressions — `col("a")` is a column path, `F.sum("x")` a function call, `col("a") > 5` a
//! comparison, `&` / `|` / `~` are `AND` / `OR` / `NOT`.
//!
//! Owns the mapping from PySpark's calls to the tree, including which arguments are column
//! names and which are literals (`F.round("x", 2)`: `x` is a column, `2` a literal). Must not
//! check function names or types: the analyzer does, with Spark's texts.

use crate::streams::python::{BinOp, CmpOp, UnaryOp};
use crate::streams::sql::ast::{BinaryOp, Expr, Literal, OrderBy, UnaryOp as SqlUnary};
use crate::streams::sql::parse_expression;

use super::errors::PyError;
use super::interpreter::Args;
use super::objects::{Module, Obj};
use super::types::to_data_type;

/// The names `from pyspark.sql.functions import *` binds (the ones the course and the
/// engine use; any other `F.name` still works through the module).
const FUNCTION_NAMES: &[&str] = &[
    "col",
    "column",
    "expr",
    "lit",
    "when",
    "asc",
    "desc",
    "count",
    "countDistinct",
    "count_distinct",
    "sum",
    "sumDistinct",
    "avg",
    "mean",
    "min",
    "max",
    "round",
    "bround",
    "abs",
    "sqrt",
    "pow",
    "floor",
    "ceil",
    "exp",
    "log",
    "first",
    "last",
    "collect_list",
    "collect_set",
    "approx_count_distinct",
    "from_json",
    "to_json",
    "struct",
    "array",
    "explode",
    "explode_outer",
    "posexplode",
    "window",
    "current_timestamp",
    "current_date",
    "to_timestamp",
    "to_date",
    "date_format",
    "year",
    "month",
    "dayofmonth",
    "hour",
    "minute",
    "second",
    "unix_timestamp",
    "from_unixtime",
    "date_add",
    "date_sub",
    "datediff",
    "upper",
    "lower",
    "trim",
    "ltrim",
    "rtrim",
    "length",
    "concat",
    "concat_ws",
    "split",
    "substring",
    "regexp_replace",
    "regexp_extract",
    "lpad",
    "rpad",
    "initcap",
    "coalesce",
    "isnull",
    "isnan",
    "greatest",
    "least",
    "size",
    "array_contains",
    "element_at",
    "get_json_object",
    "format_number",
    "format_string",
    "instr",
    "locate",
    "md5",
    "sha1",
    "sha2",
    "hash",
    "base64",
    "unbase64",
    "translate",
    "reverse",
    "repeat",
    "nvl",
    "ifnull",
    "stddev",
    "variance",
    "date_trunc",
    "sort_array",
    "array_distinct",
    "map_keys",
    "map_values",
];

/// Functions whose every argument (a string too) is a column.
const ALL_COLUMNS: &[&str] = &[
    "concat",
    "struct",
    "array",
    "coalesce",
    "greatest",
    "least",
    "hash",
    "xxhash64",
    "datediff",
    "months_between",
    "nvl",
    "ifnull",
    "nanvl",
    "arrays_zip",
    "array_union",
    "array_intersect",
    "array_except",
    "map_from_arrays",
    "pow",
    "atan2",
    "hypot",
];

/// Functions whose first argument is a literal and the rest columns.
const FIRST_LITERAL: &[&str] = &["concat_ws", "format_string", "date_trunc"];

/// The names `from module import *` binds.
pub fn star_names(m: Module) -> Vec<&'static str> {
    match m {
        Module::Functions => FUNCTION_NAMES.to_vec(),
        Module::Types => super::types::TYPE_NAMES.to_vec(),
        Module::Sql => vec!["SparkSession"],
        _ => Vec::new(),
    }
}

/// `F.name`: any identifier is a function (the analyzer refuses unknown ones with Spark's
/// `UNRESOLVED_ROUTINE` when the DataFrame is built).
pub fn function_object(name: &str) -> Option<Obj> {
    let ok = !name.is_empty()
        && !name.starts_with('_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| Obj::Function(name.to_string()))
}

/// A column name as PySpark's `col()` reads it: `*`, `t.*`, dotted struct paths, and
/// backquoted parts (`` `a.b` `` is one name).
pub fn name_to_column(name: &str) -> Expr {
    if name == "*" {
        return Expr::Star(None);
    }
    if let Some(t) = name.strip_suffix(".*") {
        return Expr::Star(Some(t.to_string()));
    }
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' if quoted && chars.peek() == Some(&'`') => {
                chars.next();
                current.push('`');
            }
            '`' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    Expr::Column(parts)
}

/// A column argument: a `Column`, or a string naming one.
pub fn to_column(obj: Obj, arg: &str) -> Result<Expr, PyError> {
    match obj {
        Obj::Column(e) => Ok(e),
        Obj::Str(s) => Ok(name_to_column(&s)),
        other => Err(PyError::not_column_or_str(arg, other.type_name())),
    }
}

/// A value where PySpark takes a column or a literal (`col("a") > 5`, `F.round(x, 2)`).
pub fn to_literal(obj: Obj) -> Result<Expr, PyError> {
    Ok(match obj {
        Obj::Column(e) => e,
        Obj::None => Expr::Literal(Literal::Null),
        Obj::Bool(b) => Expr::Literal(Literal::Boolean(b)),
        Obj::Int(n) => Expr::Literal(Literal::Integer(n)),
        Obj::Float(x) => Expr::Literal(Literal::Double(x)),
        Obj::Str(s) => Expr::Literal(Literal::String(s)),
        Obj::List(items) | Obj::Tuple(items) => Expr::Function {
            name: "array".into(),
            args: items
                .into_iter()
                .map(to_literal)
                .collect::<Result<_, _>>()?,
            distinct: false,
        },
        other => {
            return Err(PyError::PySparkType {
                class: "UNSUPPORTED_LITERAL",
                message: format!("Unsupported Literal '{}'.", other.type_name()),
            })
        }
    })
}

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function {
        name: name.to_string(),
        args,
        distinct: false,
    }
}

fn sort(expr: Expr, ascending: bool, nulls_first: Option<bool>) -> Obj {
    Obj::SortOrder(OrderBy {
        expr,
        ascending,
        nulls_first,
    })
}

/// Calls `pyspark.sql.functions.<name>`.
pub fn call_function(name: &str, mut args: Args) -> Result<Obj, PyError> {
    let column = |e: Expr| Ok(Obj::Column(e));
    match name {
        "col" | "column" => {
            let c = args.need(0, "col")?;
            args.finish()?;
            match c {
                Obj::Str(s) => column(name_to_column(&s)),
                other => Err(PyError::PySparkType {
                    class: "NOT_STR",
                    message: format!("Argument `col` should be a str, got {}.", other.type_name()),
                }),
            }
        }
        "expr" => {
            let text = args.need(0, "str")?;
            args.finish()?;
            match text {
                Obj::Str(s) => column(parse_expression(&s).map_err(|e| {
                    PyError::Spark(crate::streams::session::SessionError::Parse(e))
                })?),
                other => Err(PyError::not_column_or_str("str", other.type_name())),
            }
        }
        "lit" => {
            let v = args.need(0, "col")?;
            args.finish()?;
            column(to_literal(v)?)
        }
        "asc" | "desc" => {
            let c = to_column(args.need(0, "col")?, "col")?;
            args.finish()?;
            Ok(sort(c, name == "asc", None))
        }
        "when" => {
            let cond = to_literal(args.need(0, "condition")?)?;
            let value = to_literal(args.need(1, "value")?)?;
            args.finish()?;
            column(Expr::Case {
                operand: None,
                branches: vec![(cond, value)],
                otherwise: None,
            })
        }
        "countDistinct" | "count_distinct" | "sumDistinct" | "sum_distinct" => {
            let cols = args.rest(0);
            args.finish()?;
            let args = cols
                .into_iter()
                .map(|c| to_column(c, "col"))
                .collect::<Result<Vec<_>, _>>()?;
            column(Expr::Function {
                name: if name.starts_with("count") {
                    "count"
                } else {
                    "sum"
                }
                .into(),
                args,
                distinct: true,
            })
        }
        "window" => {
            let time = to_column(args.need(0, "timeColumn")?, "timeColumn")?;
            let mut out = vec![time, to_literal(args.need(1, "windowDuration")?)?];
            if let Some(slide) = args
                .take(2, "slideDuration")
                .filter(|v| !matches!(v, Obj::None))
            {
                out.push(to_literal(slide)?);
            }
            if let Some(start) = args
                .take(3, "startTime")
                .filter(|v| !matches!(v, Obj::None))
            {
                out.push(to_literal(start)?);
            }
            args.finish()?;
            column(call("window", out))
        }
        "from_json" => {
            let c = to_column(args.need(0, "col")?, "col")?;
            let schema =
                match args.need(1, "schema")? {
                    Obj::Str(s) => s,
                    other => to_data_type(&other).map(|t| t.sql()).ok_or_else(|| {
                        PyError::PySparkType {
                            class: "NOT_COLUMN_OR_DATATYPE_OR_STR",
                            message: format!(
                                "Argument `schema` should be a Column or DataType or str, got {}.",
                                other.type_name()
                            ),
                        }
                    })?,
                };
            if args.take(2, "options").is_some() {
                return Err(PyError::Unsupported {
                    what: "from_json's options".into(),
                    instead: "call from_json(col, schema) without options".into(),
                });
            }
            args.finish()?;
            column(call(
                "from_json",
                vec![c, Expr::Literal(Literal::String(schema))],
            ))
        }
        "count" => {
            let c = args.need(0, "col")?;
            args.finish()?;
            column(call("count", vec![to_column(c, "col")?]))
        }
        _ => {
            let values = args.rest(0);
            let extra = args.rest_keywords();
            if let Some((k, _)) = extra.first() {
                return Err(PyError::unexpected_kwarg(name, k));
            }
            let all_columns = ALL_COLUMNS.contains(&name);
            let first_literal = FIRST_LITERAL.contains(&name);
            let mut out = Vec::with_capacity(values.len());
            for (i, v) in values.into_iter().enumerate() {
                let as_column = if first_literal {
                    i > 0
                } else {
                    i == 0 || all_columns
                };
                out.push(match v {
                    Obj::Str(_) if as_column => to_column(v, "col")?,
                    v => to_literal(v)?,
                });
            }
            column(call(name, out))
        }
    }
}

/// `Column.attr`: a method, or (PySpark's `__getattr__`) a struct field.
pub fn column_attr(obj: Obj, attr: &str) -> Result<Obj, PyError> {
    const METHODS: &[&str] = &[
        "cast",
        "astype",
        "alias",
        "name",
        "isNull",
        "isNotNull",
        "like",
        "rlike",
        "ilike",
        "isin",
        "between",
        "contains",
        "startswith",
        "endswith",
        "substr",
        "desc",
        "asc",
        "desc_nulls_last",
        "desc_nulls_first",
        "asc_nulls_first",
        "asc_nulls_last",
        "getItem",
        "getField",
        "when",
        "otherwise",
        "eqNullSafe",
    ];
    const UNSUPPORTED: &[&str] = &["over", "dropFields", "withField", "bitwiseAND"];
    if METHODS.contains(&attr) || UNSUPPORTED.contains(&attr) {
        return Ok(Obj::Method(Box::new(obj), attr.into()));
    }
    match obj {
        Obj::Column(e) if !attr.starts_with('_') => {
            Ok(Obj::Column(Expr::Field(Box::new(e), attr.into())))
        }
        other => Err(PyError::Attribute {
            type_name: other.type_name().into(),
            attr: attr.into(),
        }),
    }
}

/// `col[i]` / `col["field"]`.
pub fn column_item(c: Obj, i: Obj) -> Result<Obj, PyError> {
    let Obj::Column(e) = c else {
        return Err(PyError::Type("a sort order is not subscriptable".into()));
    };
    Ok(Obj::Column(match i {
        Obj::Str(name) => Expr::Field(Box::new(e), name),
        other => Expr::Index(Box::new(e), Box::new(to_literal(other)?)),
    }))
}

/// Calls a `Column` method.
pub fn column_method(recv: Obj, name: &str, mut args: Args) -> Result<Obj, PyError> {
    let e = match recv {
        Obj::Column(e) => e,
        Obj::SortOrder(_) => {
            return Err(PyError::Type(format!(
                "{name}() cannot be called on a sort order (desc()/asc()): call it on the column before sorting"
            )))
        }
        other => {
            return Err(PyError::Type(format!(
                "{name}() needs a Column, got {}",
                other.type_name()
            )))
        }
    };
    let b = |e: Expr| Box::new(e);
    let out = match name {
        "cast" | "astype" => {
            let t = args.need(0, "dataType")?;
            let t = match &t {
                Obj::Str(s) => crate::streams::sql::parse_data_type(s)
                    .map_err(|e| PyError::Spark(crate::streams::session::SessionError::Parse(e)))?,
                other => to_data_type(other).ok_or_else(|| PyError::PySparkType {
                    class: "NOT_DATATYPE_OR_STR",
                    message: format!(
                        "Argument `dataType` should be a DataType or str, got {}.",
                        other.type_name()
                    ),
                })?,
            };
            Expr::Cast(b(e), t)
        }
        "alias" | "name" => match args.need(0, "alias")? {
            Obj::Str(n) => Expr::Alias(b(strip_alias(e)), n),
            other => return Err(PyError::Type(format!("alias must be a str, got {}", other.type_name()))),
        },
        "isNull" | "isNotNull" => Expr::IsNull {
            expr: b(e),
            negated: name == "isNotNull",
        },
        "like" | "rlike" => Expr::Like {
            expr: b(e),
            pattern: b(to_literal(args.need(0, "other")?)?),
            negated: false,
            regex: name == "rlike",
        },
        "isin" => {
            let mut values = args.rest(0);
            if values.len() == 1 && matches!(values[0], Obj::List(_) | Obj::Tuple(_)) {
                if let Some(Obj::List(v) | Obj::Tuple(v)) = values.pop() {
                    values = v;
                }
            }
            Expr::InList {
                expr: b(e),
                list: values.into_iter().map(to_literal).collect::<Result<_, _>>()?,
                negated: false,
            }
        }
        "between" => Expr::Between {
            expr: b(e),
            low: b(to_literal(args.need(0, "lowerBound")?)?),
            high: b(to_literal(args.need(1, "upperBound")?)?),
            negated: false,
        },
        "contains" | "startswith" | "endswith" => {
            call(name, vec![e, to_literal(args.need(0, "other")?)?])
        }
        "eqNullSafe" => Expr::Binary(b(e), BinaryOp::NullSafeEq, b(to_literal(args.need(0, "other")?)?)),
        "substr" => {
            let pos = to_literal(args.need(0, "startPos")?)?;
            let len = to_literal(args.need(1, "length")?)?;
            call("substring", vec![e, pos, len])
        }
        "desc" | "asc" | "desc_nulls_last" | "desc_nulls_first" | "asc_nulls_first"
        | "asc_nulls_last" => {
            args.finish()?;
            let ascending = name.starts_with("asc");
            let nulls = if name.ends_with("_first") {
                Some(true)
            } else if name.ends_with("_last") {
                Some(false)
            } else {
                None
            };
            return Ok(sort(e, ascending, nulls));
        }
        "getItem" => return column_item(Obj::Column(e), args.need(0, "key")?),
        "getField" => match args.need(0, "name")? {
            Obj::Str(n) => Expr::Field(b(e), n),
            other => return Err(PyError::Type(format!("getField takes a str, got {}", other.type_name()))),
        },
        "when" | "otherwise" => {
            let Expr::Case {
                operand,
                mut branches,
                otherwise: None,
            } = e
            else {
                return Err(PyError::PySparkType {
                    class: "INVALID_WHEN_USAGE",
                    message: "when() can only be applied on a Column previously generated by when() function, and cannot be applied once otherwise() is applied.".to_string(),
                });
            };
            if name == "when" {
                let cond = to_literal(args.need(0, "condition")?)?;
                let value = to_literal(args.need(1, "value")?)?;
                branches.push((cond, value));
                Expr::Case {
                    operand,
                    branches,
                    otherwise: None,
                }
            } else {
                Expr::Case {
                    operand,
                    branches,
                    otherwise: Some(b(to_literal(args.need(0, "value")?)?)),
                }
            }
        }
        other => {
            return Err(PyError::Unsupported {
                what: format!("Column.{other}"),
                instead: "window functions and struct edits are not available; use groupBy(...).agg(...) or spark.sql".into(),
            })
        }
    };
    args.finish()?;
    Ok(Obj::Column(out))
}

/// `col.alias("a").alias("b")` renames once, as Spark keeps only the outer alias.
fn strip_alias(e: Expr) -> Expr {
    match e {
        Expr::Alias(inner, _) => *inner,
        other => other,
    }
}

/// `-col`, `~col`; `not col` is PySpark's truth-value error.
pub fn column_unary(op: UnaryOp, v: Obj) -> Result<Obj, PyError> {
    let Obj::Column(e) = v else {
        return Err(PyError::Type("bad operand for a column operator".into()));
    };
    Ok(Obj::Column(match op {
        UnaryOp::Neg => Expr::Unary(SqlUnary::Minus, Box::new(e)),
        UnaryOp::Pos => e,
        UnaryOp::Invert => Expr::Unary(SqlUnary::Not, Box::new(e)),
        UnaryOp::Not => return Err(super::interpreter::column_truth_error()),
    }))
}

/// `col + 1`, `col & other`, `2 * col`.
pub fn column_binary(op: BinOp, l: Obj, r: Obj) -> Result<Obj, PyError> {
    let sql = match op {
        BinOp::Add => BinaryOp::Plus,
        BinOp::Sub => BinaryOp::Minus,
        BinOp::Mul => BinaryOp::Multiply,
        BinOp::Div => BinaryOp::Divide,
        BinOp::Mod => BinaryOp::Modulo,
        BinOp::BitAnd => BinaryOp::And,
        BinOp::BitOr => BinaryOp::Or,
        BinOp::Pow => {
            return Ok(Obj::Column(call(
                "power",
                vec![to_literal(l)?, to_literal(r)?],
            )));
        }
        _ => {
            return Err(PyError::Type(format!(
                "unsupported operand type(s) for a Column: '{}' and '{}'",
                l.type_name(),
                r.type_name()
            )))
        }
    };
    Ok(Obj::Column(Expr::Binary(
        Box::new(to_literal(l)?),
        sql,
        Box::new(to_literal(r)?),
    )))
}

/// `col == 5`, `col > other`.
pub fn column_compare(op: CmpOp, l: Obj, r: Obj) -> Result<Obj, PyError> {
    let sql = match op {
        CmpOp::Eq => BinaryOp::Eq,
        CmpOp::NotEq => BinaryOp::NotEq,
        CmpOp::Lt => BinaryOp::Lt,
        CmpOp::LtE => BinaryOp::LtEq,
        CmpOp::Gt => BinaryOp::Gt,
        CmpOp::GtE => BinaryOp::GtEq,
        CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot => {
            return Err(PyError::Value("Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions; for membership use col.isin(...), for nulls col.isNull().".into()))
        }
    };
    Ok(Obj::Column(Expr::Binary(
        Box::new(to_literal(l)?),
        sql,
        Box::new(to_literal(r)?),
    )))
}
