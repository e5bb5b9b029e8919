//! Analysing an aggregation (`groupBy(…).agg(…)`, SQL `GROUP BY`): the keys (with `window`),
//! the aggregate calls taken out of the select list, and the select list rewritten over the
//! keys' and aggregates' values — Spark's `Aggregate` with its `MISSING_AGGREGATION` rule.

use crate::streams::eval::{
    bind_with, output_name_in, pretty_sql, BindContext, BoundExpr, EvalError,
};
use crate::streams::exec::aggregate_fn::{AggKind, Aggregate};
use crate::streams::exec::physical::{AggregateCall, GroupKey, Physical};
use crate::streams::interval::parse_interval;
use crate::streams::sql::ast::{Expr, Literal};
use crate::streams::types::{DataType, StructField};

use super::error::AnalysisError;
use super::functions::{hook, map_children, niladic_functions};
use super::Analyzed;

/// What the analysis of one aggregation gives.
pub struct AnalyzedAggregate {
    /// The operator.
    pub physical: Physical,
    /// Its output columns.
    pub schema: Vec<StructField>,
}

/// The inputs of [`analyze_aggregate`].
pub struct AggregateRequest<'a> {
    /// The grouping keys as written.
    pub keys: &'a [Expr],
    /// The output columns as written.
    pub items: &'a [Expr],
    /// `HAVING`.
    pub having: Option<&'a Expr>,
    /// The watermarked columns of a streaming input (lower case), for the event-time key.
    pub watermarked: &'a [String],
    /// This operator's state id.
    pub state_id: usize,
}

fn key_name(i: usize) -> String {
    format!("__key{i}")
}

fn agg_name(i: usize) -> String {
    format!("__agg{i}")
}

/// A column's name: Spark names a `window(…)` column `window` (its `TimeWindow` is aliased so),
/// everything else as the binder does.
pub(super) fn column_name(e: &Expr, ctx: &BindContext) -> String {
    match e {
        Expr::Function { name, .. } if name.eq_ignore_ascii_case("window") => "window".into(),
        other => output_name_in(other, ctx),
    }
}

fn unalias(e: &Expr) -> &Expr {
    match e {
        Expr::Alias(inner, _) => inner,
        other => other,
    }
}

/// Two expressions Spark would take as the same: equal, with column names compared without case.
fn same(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Column(x), Expr::Column(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.eq_ignore_ascii_case(q))
        }
        _ => a == b,
    }
}

/// Analyses an aggregation over `input`.
pub fn analyze_aggregate(
    input: &Analyzed,
    request: &AggregateRequest<'_>,
    ctx: &BindContext,
) -> Result<AnalyzedAggregate, AnalysisError> {
    let fields = &input.schema;
    let input_ctx = BindContext {
        qualifiers: input.qualifiers.clone(),
        ..ctx.clone()
    };
    let items: Vec<Expr> = request
        .items
        .iter()
        .map(|e| niladic_functions(e, fields))
        .collect();
    // GROUP BY 1 and GROUP BY an output alias, as Spark allows both.
    let keys: Vec<Expr> = request
        .keys
        .iter()
        .map(|k| match unalias(k) {
            Expr::Literal(Literal::Integer(n)) if *n >= 1 && (*n as usize) <= items.len() => {
                unalias(&items[*n as usize - 1]).clone()
            }
            Expr::Column(path)
                if path.len() == 1
                    && !fields.iter().any(|f| f.name.eq_ignore_ascii_case(&path[0])) =>
            {
                items
                    .iter()
                    .find_map(|i| match i {
                        Expr::Alias(inner, name) if name.eq_ignore_ascii_case(&path[0]) => {
                            Some((**inner).clone())
                        }
                        _ => None,
                    })
                    .unwrap_or_else(|| k.clone())
            }
            _ => niladic_functions(unalias(k), fields),
        })
        .collect();

    let mut group_keys = Vec::new();
    let mut post_schema = Vec::new();
    let mut event_time_key = None;
    for (j, key) in keys.iter().enumerate() {
        let (group_key, data_type, watermarked) =
            bind_key(key, input, &input_ctx, request.watermarked)?;
        if watermarked && event_time_key.is_none() {
            event_time_key = Some(j);
        }
        group_keys.push(group_key);
        post_schema.push(StructField::new(key_name(j), data_type));
    }

    let mut calls: Vec<(Expr, AggregateCall)> = Vec::new();
    let mut rewrite_error = None;
    let mut rewrite = |e: &Expr| -> Expr {
        rewrite_item(e, &keys, &mut calls, input, &input_ctx, &mut rewrite_error)
    };
    let rewritten: Vec<Expr> = items.iter().map(&mut rewrite).collect();
    let having = request
        .having
        .map(|h| rewrite(&niladic_functions(h, fields)));
    if let Some(e) = rewrite_error {
        return Err(e);
    }
    for (i, (_, call)) in calls.iter().enumerate() {
        let t = call.function.result_type().unwrap_or(DataType::Null);
        post_schema.push(StructField::new(agg_name(i), t));
    }

    let post_ctx = BindContext {
        qualifiers: Vec::new(),
        ..ctx.clone()
    };
    let bind_post = |e: &Expr| -> Result<BoundExpr, AnalysisError> {
        bind_with(e, &post_schema, &post_ctx, &hook).map_err(|err| match err {
            EvalError::UnresolvedColumn { name, .. } => {
                AnalysisError::MissingAggregation(ungrouped_attribute(&name, input))
            }
            other => AnalysisError::Eval(other),
        })
    };
    let mut output = Vec::new();
    let mut schema = Vec::new();
    for (original, item) in items.iter().zip(&rewritten) {
        let bound = match bind_post(item) {
            Ok(b) => b,
            // A column that is not grouped, or a mistake Spark reports first (an unknown
            // function, a bad argument): binding the item against the input tells which.
            Err(AnalysisError::MissingAggregation(name)) => {
                return Err(
                    match bind_with(original, &input.schema, &input_ctx, &hook) {
                        Err(
                            e @ (EvalError::UnknownFunction(_)
                            | EvalError::WrongArgumentCount { .. }),
                        ) => AnalysisError::Eval(e),
                        _ => AnalysisError::MissingAggregation(name),
                    },
                )
            }
            Err(e) => return Err(e),
        };
        schema.push(StructField {
            name: column_name(original, &input_ctx),
            data_type: bound.data_type(),
            nullable: bound.nullable(),
        });
        output.push(bound);
    }
    let having = match having {
        Some(h) => {
            let bound = bind_post(&h)?;
            if !matches!(bound.data_type(), DataType::Boolean | DataType::Null) {
                let text = request.having.map(pretty_sql).unwrap_or_default();
                return Err(AnalysisError::FilterNotBoolean(
                    text,
                    bound.data_type().sql(),
                ));
            }
            Some(bound)
        }
        None => None,
    };
    // The state store's columns as the Streams page shows them: the keys and aggregates
    // named as Spark names them in a select list.
    let state_columns = keys
        .iter()
        .chain(calls.iter().map(|(written, _)| written))
        .zip(&post_schema)
        .map(|(e, f)| StructField::new(column_name(e, &input_ctx), f.data_type.clone()))
        .collect();
    Ok(AnalyzedAggregate {
        physical: Physical::Aggregate {
            state_columns,
            input: Box::new(input.physical.clone()),
            keys: group_keys,
            aggregates: calls.into_iter().map(|(_, c)| c).collect(),
            output,
            having,
            event_time_key,
            state_id: request.state_id,
        },
        schema,
    })
}

/// The column Spark names in `MISSING_AGGREGATION`: its check walks down an expression to the
/// first attribute not grouped, so `value.customer_id` (a field of `value`) is reported as
/// `value`, and `o.city` (a qualified column) as `city`.
fn ungrouped_attribute(quoted: &str, input: &Analyzed) -> String {
    let parts: Vec<String> = quoted
        .split("`.`")
        .map(|p| p.trim_matches('`').to_string())
        .collect();
    let is_column = |n: &str| input.schema.iter().any(|f| f.name.eq_ignore_ascii_case(n));
    let qualified = parts.len() > 1
        && !is_column(&parts[0])
        && input
            .qualifiers
            .iter()
            .any(|q| q.name.eq_ignore_ascii_case(&parts[0]));
    let attribute = if qualified { &parts[1] } else { &parts[0] };
    if is_column(attribute) {
        attribute.clone()
    } else {
        quoted.replace('`', "")
    }
}

/// A grouping key: `window(…)` or an expression; says whether it carries the event time.
fn bind_key(
    key: &Expr,
    input: &Analyzed,
    ctx: &BindContext,
    watermarked: &[String],
) -> Result<(GroupKey, DataType, bool), AnalysisError> {
    if let Expr::Function { name, args, .. } = key {
        if name.eq_ignore_ascii_case("window") {
            return bind_window(args, input, ctx, watermarked);
        }
    }
    let bound = bind_with(key, &input.schema, ctx, &hook)?;
    let watermarked = matches!(key, Expr::Column(p) if p.last().is_some_and(|n| watermarked.contains(&n.to_ascii_lowercase())));
    let t = bound.data_type();
    Ok((GroupKey::Expr(bound), t, watermarked))
}

fn bind_window(
    args: &[Expr],
    input: &Analyzed,
    ctx: &BindContext,
    watermarked: &[String],
) -> Result<(GroupKey, DataType, bool), AnalysisError> {
    let bad = |why: &str| AnalysisError::BadWindow(why.to_string());
    let (time, durations) = args
        .split_first()
        .ok_or_else(|| bad("it was given no arguments."))?;
    if durations.is_empty() || durations.len() > 3 {
        return Err(bad("it was given the wrong number of arguments."));
    }
    let bound = bind_with(time, &input.schema, ctx, &hook)?;
    if bound.data_type() != DataType::Timestamp {
        return Err(bad(&format!(
            "the time column has the type {}.",
            bound.data_type().sql()
        )));
    }
    let mut micros = Vec::new();
    for d in durations {
        match d {
            Expr::Literal(Literal::String(text)) | Expr::Interval(text) => {
                micros.push(parse_interval(text)?)
            }
            _ => return Err(bad("each duration must be a string such as '10 minutes'.")),
        }
    }
    let size = micros[0];
    let slide = micros.get(1).copied().unwrap_or(size);
    let start = micros.get(2).copied().unwrap_or(0);
    if size <= 0 || slide <= 0 {
        return Err(bad("durations must be positive."));
    }
    if slide > size {
        return Err(bad("the slide must not be longer than the window."));
    }
    let watermarked = matches!(time, Expr::Column(p) if p.last().is_some_and(|n| watermarked.contains(&n.to_ascii_lowercase())));
    let window_type = DataType::Struct(vec![
        StructField::new("start", DataType::Timestamp),
        StructField::new("end", DataType::Timestamp),
    ]);
    Ok((
        GroupKey::Window {
            time: bound,
            size,
            slide,
            start,
        },
        window_type,
        watermarked,
    ))
}

/// Rewrites one select item over `__key<j>` / `__agg<i>` columns, registering aggregates.
fn rewrite_item(
    e: &Expr,
    keys: &[Expr],
    calls: &mut Vec<(Expr, AggregateCall)>,
    input: &Analyzed,
    ctx: &BindContext,
    error: &mut Option<AnalysisError>,
) -> Expr {
    if let Some(j) = keys.iter().position(|k| same(k, e)) {
        return Expr::Column(vec![key_name(j)]);
    }
    match e {
        // `window` / `window.start`: the window key by its output name.
        Expr::Column(path) => {
            let by_name = keys.iter().position(|k| {
                !matches!(k, Expr::Column(_))
                    && column_name(k, ctx).eq_ignore_ascii_case(&path[0])
                    && !input
                        .schema
                        .iter()
                        .any(|f| f.name.eq_ignore_ascii_case(&path[0]))
            });
            match by_name {
                Some(j) => {
                    let mut p = vec![key_name(j)];
                    p.extend(path[1..].iter().cloned());
                    Expr::Column(p)
                }
                None => e.clone(),
            }
        }
        Expr::Function {
            name,
            args,
            distinct,
        } if AggKind::from_name(name).is_some() => {
            if let Some(i) = calls.iter().position(|(written, _)| written == e) {
                return Expr::Column(vec![agg_name(i)]);
            }
            match bind_aggregate(name, args, *distinct, input, ctx) {
                Ok(call) => {
                    calls.push((e.clone(), call));
                    Expr::Column(vec![agg_name(calls.len() - 1)])
                }
                Err(err) => {
                    error.get_or_insert(err);
                    e.clone()
                }
            }
        }
        other => map_children(other, &mut |c| {
            rewrite_item(c, keys, calls, input, ctx, error)
        }),
    }
}

fn contains_aggregate(e: &Expr) -> bool {
    let mut found = false;
    let _ = map_children(e, &mut |c| {
        found |= matches!(c, Expr::Function { name, .. } if AggKind::from_name(name).is_some())
            || contains_aggregate(c);
        c.clone()
    });
    found
}

fn bind_aggregate(
    name: &str,
    args: &[Expr],
    distinct: bool,
    input: &Analyzed,
    ctx: &BindContext,
) -> Result<AggregateCall, AnalysisError> {
    let kind =
        AggKind::from_name(name).ok_or_else(|| EvalError::UnknownFunction(name.to_string()))?;
    if args.iter().any(|a| {
        contains_aggregate(a)
            || matches!(a, Expr::Function { name, .. } if AggKind::from_name(name).is_some())
    }) {
        return Err(AnalysisError::NestedAggregate);
    }
    let (argument, input_type) = match args {
        [Expr::Star(None)] if kind == AggKind::Count => (None, DataType::Long),
        [arg] => {
            let bound = bind_with(arg, &input.schema, ctx, &hook)?;
            let t = bound.data_type();
            (Some(bound), t)
        }
        _ => {
            return Err(AnalysisError::Eval(EvalError::WrongArgumentCount {
                name: name.to_string(),
                expected: "1".to_string(),
                actual: args.len(),
            }))
        }
    };
    if distinct && kind != AggKind::Count {
        return Err(AnalysisError::Eval(EvalError::Unsupported(format!(
            "{name}(DISTINCT …) is not supported in Brooklet; count(DISTINCT …) is."
        ))));
    }
    // `approx_count_distinct(x)` counts distinct values (exactly); Spark allows it on streams,
    // where `count(DISTINCT x)` is refused.
    let distinct = distinct || name.eq_ignore_ascii_case("approx_count_distinct");
    let function = Aggregate {
        kind,
        distinct,
        input_type: input_type.clone(),
    };
    if function.result_type().is_none() {
        let arg = args.first().map(pretty_sql).unwrap_or_default();
        return Err(AnalysisError::Eval(EvalError::DataTypeMismatch {
            sub_class: "UNEXPECTED_INPUT_TYPE",
            sql: format!("{}({arg})", name.to_ascii_lowercase()),
            detail: format!(
                "Parameter 1 requires the \"NUMERIC\" type, however \"{arg}\" has the type \"{}\"",
                input_type.sql()
            ),
        }));
    }
    Ok(AggregateCall { function, argument })
}

/// Whether a select list holds an aggregate (then it is an aggregation even without GROUP BY).
pub fn has_aggregate(items: &[Expr]) -> bool {
    items.iter().any(|i| {
        matches!(unalias(i), Expr::Function { name, .. } if AggKind::from_name(name).is_some())
            || contains_aggregate(i)
    })
}
