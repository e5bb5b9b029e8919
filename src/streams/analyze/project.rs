//! Analysing a select list: `*` and `t.*` expanded, names given as Spark gives them, and at
//! most one generator (`explode`, `posexplode`, their `_outer` forms) at the top of an item.

use crate::streams::eval::{bind_with, pretty_sql, BindContext, EvalError};
use crate::streams::exec::physical::{Physical, ProjectItem};
use crate::streams::sql::ast::Expr;
use crate::streams::types::{DataType, StructField};

use super::error::AnalysisError;
use super::functions::{hook, is_generator, map_children, niladic_functions};
use super::Analyzed;

/// Analyses `select(items)` over `input`.
pub fn analyze_project(
    input: Analyzed,
    items: &[Expr],
    ctx: &BindContext,
) -> Result<Analyzed, AnalysisError> {
    let generators: Vec<&Expr> = items
        .iter()
        .filter(|i| top_generator(i).is_some())
        .collect();
    if generators.len() > 1 {
        let names: Vec<String> = generators
            .iter()
            .map(|g| format!("\"{}\"", pretty_sql(strip(g))))
            .collect();
        return Err(AnalysisError::MultipleGenerators(
            generators.len(),
            names.join(", "),
        ));
    }
    let mut out_items = Vec::new();
    let mut schema = Vec::new();
    for item in items {
        let item = niladic_functions(item, &input.schema);
        if let Expr::Star(qualifier) = strip(&item) {
            let range = match qualifier {
                None => 0..input.schema.len(),
                Some(q) => match input
                    .qualifiers
                    .iter()
                    .find(|x| x.name.eq_ignore_ascii_case(q))
                {
                    Some(x) => x.start..x.end,
                    None => {
                        // `v.*` where `v` is a struct column: its fields, as Spark expands them.
                        let path: Vec<String> = q.split('.').map(str::to_string).collect();
                        let base = bind_with(&Expr::Column(path), &input.schema, ctx, &hook);
                        let Ok(base) = base else {
                            let suggestions = input
                                .schema
                                .iter()
                                .map(|f| format!("`{}`", f.name))
                                .collect();
                            return Err(EvalError::UnresolvedColumn {
                                name: format!("`{q}`.`*`"),
                                suggestions,
                            }
                            .into());
                        };
                        let DataType::Struct(fields) = base.data_type() else {
                            return Err(EvalError::Unsupported(format!(
                                "Can only star expand struct data types. Attribute: `ArrayBuffer({})`",
                                q.split('.').collect::<Vec<_>>().join(", ")
                            ))
                            .into());
                        };
                        for (index, f) in fields.iter().enumerate() {
                            out_items.push(ProjectItem::Expr(
                                crate::streams::eval::BoundExpr::Field {
                                    child: Box::new(base.clone()),
                                    index,
                                    data_type: f.data_type.clone(),
                                },
                            ));
                            schema.push(StructField::new(f.name.clone(), f.data_type.clone()));
                        }
                        continue;
                    }
                },
            };
            for i in range {
                let field = &input.schema[i];
                out_items.push(ProjectItem::Expr(crate::streams::eval::BoundExpr::Column {
                    index: i,
                    data_type: field.data_type.clone(),
                    nullable: field.nullable,
                }));
                schema.push(field.clone());
            }
            continue;
        }
        if let Some((name, args)) = top_generator(&item) {
            let [arg] = args else {
                return Err(EvalError::WrongArgumentCount {
                    name: name.to_string(),
                    expected: "1".into(),
                    actual: args.len(),
                }
                .into());
            };
            let bound = bind_with(arg, &input.schema, ctx, &hook)?;
            let lower = name.to_ascii_lowercase();
            let position = lower.starts_with("pos");
            let outer = lower.ends_with("_outer");
            let alias = match &item {
                Expr::Alias(_, a) => Some(a.clone()),
                _ => None,
            };
            if position {
                schema.push(StructField::new("pos", DataType::Integer));
            }
            let map = match bound.data_type() {
                DataType::Array { element, .. } => {
                    schema.push(StructField::new(alias.unwrap_or_else(|| "col".into()), *element));
                    false
                }
                DataType::Map { key, value, .. } => {
                    schema.push(StructField::new("key", *key));
                    schema.push(StructField::new("value", *value));
                    true
                }
                other => {
                    return Err(EvalError::DataTypeMismatch {
                        sub_class: "UNEXPECTED_INPUT_TYPE",
                        sql: pretty_sql(strip(&item)),
                        detail: format!(
                            "Parameter 1 requires the (\"ARRAY\" or \"MAP\") type, however \"{}\" has the type \"{}\"",
                            pretty_sql(arg),
                            other.sql()
                        ),
                    }
                    .into())
                }
            };
            out_items.push(ProjectItem::Explode {
                input: bound,
                map,
                position,
                outer,
            });
            continue;
        }
        if nested_generator(&item).is_some() {
            return Err(AnalysisError::NestedGenerator(pretty_sql(strip(&item))));
        }
        let bound = bind_with(&item, &input.schema, ctx, &hook)?;
        schema.push(StructField {
            name: super::aggregate::column_name(&item, ctx),
            data_type: bound.data_type(),
            nullable: bound.nullable(),
        });
        out_items.push(ProjectItem::Expr(bound));
    }
    Ok(Analyzed {
        physical: Physical::Project {
            input: Box::new(input.physical),
            items: out_items,
        },
        schema,
        qualifiers: Vec::new(),
        watermarked: input.watermarked,
        watermark_delays: input.watermark_delays,
    })
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Alias(inner, _) => inner,
        other => other,
    }
}

fn top_generator(e: &Expr) -> Option<(&str, &[Expr])> {
    match strip(e) {
        Expr::Function { name, args, .. } if is_generator(name) => Some((name, args)),
        _ => None,
    }
}

fn nested_generator(e: &Expr) -> Option<String> {
    let mut found = None;
    let _ = map_children(strip(e), &mut |c| {
        if found.is_none() {
            if let Some((name, _)) = top_generator(c) {
                found = Some(name.to_string());
            } else {
                found = nested_generator(c);
            }
        }
        c.clone()
    });
    found
}
