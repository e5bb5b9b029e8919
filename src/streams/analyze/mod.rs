//! The analyzer: a logical [`Plan`] becomes a [`Physical`] one — names resolved against each
//! operator's input schema, expressions typed, aggregates and generators taken out of select
//! lists — or is refused with Spark's texts ([`AnalysisError`]).
//!
//! Owns resolution rules above single expressions (select lists, `*`, aggregations, joins,
//! watermarks); single expressions are the binder's ([`crate::streams::eval`]). Must not run
//! anything.

pub mod aggregate;
pub mod error;
pub mod functions;
mod project;

use std::rc::Rc;

use crate::streams::eval::{bind_with, pretty_sql, BindContext, Qualifier};
use crate::streams::exec::physical::{Physical, SortKey};
use crate::streams::kafka::schema::kafka_schema;
use crate::streams::kafka::KafkaSourceOptions;
use crate::streams::plan::Plan;
use crate::streams::sql::ast::{BinaryOp, Expr, JoinConstraint, JoinKind};
use crate::streams::types::{DataType, StructField};

pub use aggregate::has_aggregate;
pub use error::AnalysisError;

use aggregate::{analyze_aggregate, AggregateRequest};
use functions::{hook, niladic_functions};

/// A source the physical plan reads (its `Physical::Source { id }` is the position here).
#[derive(Debug, Clone)]
pub struct SourceRef {
    /// The Kafka options.
    pub options: Rc<KafkaSourceOptions>,
    /// Whether it is read as a stream.
    pub streaming: bool,
}

/// A plan after analysis.
#[derive(Debug, Clone)]
pub struct Analyzed {
    /// The operators.
    pub physical: Physical,
    /// The output columns.
    pub schema: Vec<StructField>,
    /// The FROM aliases that name ranges of the output (for `o.x` above a join or alias).
    pub qualifiers: Vec<Qualifier>,
    /// The watermarked columns of a streaming plan, in lower case.
    pub watermarked: Vec<String>,
    /// The watermark delays (µs) by column, for the query's watermark.
    pub watermark_delays: Vec<i64>,
}

/// The analysis of one plan: its sources, and the counter of stateful operators.
#[derive(Debug, Default)]
pub struct Analysis {
    /// The sources, by id.
    pub sources: Vec<SourceRef>,
    /// How many stateful operators the plan has.
    pub stateful_operators: usize,
    /// The session time `current_timestamp()` returns (µs).
    pub now_micros: i64,
}

impl Analysis {
    /// Analyses `plan`.
    pub fn analyze(&mut self, plan: &Plan) -> Result<Analyzed, AnalysisError> {
        let now = self.now_micros;
        let ctx = |qualifiers: &[Qualifier]| BindContext {
            current_timestamp_micros: now,
            qualifiers: qualifiers.to_vec(),
        };
        Ok(match plan {
            Plan::Kafka { options, streaming } => {
                self.sources.push(SourceRef {
                    options: Rc::clone(options),
                    streaming: *streaming,
                });
                Analyzed {
                    physical: Physical::Source {
                        id: self.sources.len() - 1,
                    },
                    schema: kafka_schema(options.include_headers),
                    qualifiers: Vec::new(),
                    watermarked: Vec::new(),
                    watermark_delays: Vec::new(),
                }
            }
            Plan::Rows { schema, rows, .. } => Analyzed {
                physical: Physical::Rows(Rc::clone(rows)),
                schema: schema.clone(),
                qualifiers: Vec::new(),
                watermarked: Vec::new(),
                watermark_delays: Vec::new(),
            },
            Plan::Project { input, items } => {
                let input = self.analyze(input)?;
                let c = ctx(&input.qualifiers);
                project::analyze_project(input, items, &c)?
            }
            Plan::Filter { input, condition } => {
                let input = self.analyze(input)?;
                let c = ctx(&input.qualifiers);
                let condition = niladic_functions(condition, &input.schema);
                if has_aggregate(std::slice::from_ref(&condition)) {
                    let text = pretty_sql(&condition);
                    return Err(AnalysisError::AggregateInWhere(text.clone(), text));
                }
                let bound = bind_with(&condition, &input.schema, &c, &hook)?;
                if !matches!(bound.data_type(), DataType::Boolean | DataType::Null) {
                    return Err(AnalysisError::FilterNotBoolean(
                        pretty_sql(&condition),
                        bound.data_type().sql(),
                    ));
                }
                Analyzed {
                    physical: Physical::Filter {
                        input: Box::new(input.physical),
                        condition: bound,
                    },
                    ..input
                }
            }
            Plan::Aggregate {
                input,
                keys,
                items,
                having,
            } => {
                let input = self.analyze(input)?;
                let state_id = self.stateful_operators;
                self.stateful_operators += 1;
                let request = AggregateRequest {
                    keys,
                    items,
                    having: having.as_ref(),
                    watermarked: &input.watermarked,
                    state_id,
                };
                let out = analyze_aggregate(&input, &request, &ctx(&[]))?;
                Analyzed {
                    physical: out.physical,
                    schema: out.schema,
                    qualifiers: Vec::new(),
                    watermarked: Vec::new(),
                    watermark_delays: input.watermark_delays,
                }
            }
            Plan::Sort { input, keys } => {
                let input = self.analyze(input)?;
                let c = ctx(&input.qualifiers);
                let mut sort_keys = Vec::new();
                for k in keys {
                    let expr = niladic_functions(&k.expr, &input.schema);
                    sort_keys.push(SortKey {
                        expr: bind_with(&expr, &input.schema, &c, &hook)?,
                        ascending: k.ascending,
                        nulls_first: k.nulls_first.unwrap_or(k.ascending),
                    });
                }
                Analyzed {
                    physical: Physical::Sort {
                        input: Box::new(input.physical),
                        keys: sort_keys,
                    },
                    ..input
                }
            }
            Plan::Limit { input, n } => {
                let input = self.analyze(input)?;
                Analyzed {
                    physical: Physical::Limit {
                        input: Box::new(input.physical),
                        n: *n,
                    },
                    ..input
                }
            }
            Plan::Distinct { input } => {
                let input = self.analyze(input)?;
                let state_id = self.stateful_operators;
                self.stateful_operators += 1;
                Analyzed {
                    physical: Physical::Distinct {
                        input: Box::new(input.physical),
                        state_id,
                    },
                    ..input
                }
            }
            Plan::Alias { input, name } => {
                let input = self.analyze(input)?;
                let qualifiers = vec![Qualifier {
                    name: name.clone(),
                    start: 0,
                    end: input.schema.len(),
                }];
                Analyzed {
                    qualifiers,
                    ..input
                }
            }
            Plan::Watermark {
                input,
                column,
                delay_micros,
                ..
            } => {
                let input = self.analyze(input)?;
                let index = input
                    .schema
                    .iter()
                    .position(|f| f.name.eq_ignore_ascii_case(column))
                    .ok_or_else(|| {
                        AnalysisError::Eval(crate::streams::eval::EvalError::UnresolvedColumn {
                            name: format!("`{column}`"),
                            suggestions: input
                                .schema
                                .iter()
                                .map(|f| format!("`{}`", f.name))
                                .collect(),
                        })
                    })?;
                if input.schema[index].data_type != DataType::Timestamp {
                    return Err(AnalysisError::WatermarkNotTimestamp {
                        column: format!("\"{column}\""),
                        type_sql: input.schema[index].data_type.sql(),
                    });
                }
                let mut watermarked = input.watermarked.clone();
                watermarked.push(column.to_ascii_lowercase());
                let mut delays = input.watermark_delays.clone();
                delays.push(*delay_micros);
                Analyzed {
                    physical: Physical::Watermark {
                        input: Box::new(input.physical),
                        column: index,
                        delay: *delay_micros,
                    },
                    watermarked,
                    watermark_delays: delays,
                    ..input
                }
            }
            Plan::Join {
                left,
                right,
                kind,
                constraint,
            } => {
                if left.is_streaming() && right.is_streaming() {
                    return Err(AnalysisError::StreamStreamJoin);
                }
                let left = self.analyze(left)?;
                let right = self.analyze(right)?;
                self.join(left, right, *kind, constraint)?
            }
        })
    }

    fn join(
        &self,
        left: Analyzed,
        right: Analyzed,
        kind: JoinKind,
        constraint: &JoinConstraint,
    ) -> Result<Analyzed, AnalysisError> {
        let (lw, rw) = (left.schema.len(), right.schema.len());
        let mut schema = left.schema.clone();
        schema.extend(right.schema.iter().cloned());
        let mut qualifiers = left.qualifiers.clone();
        qualifiers.extend(right.qualifiers.iter().map(|q| Qualifier {
            name: q.name.clone(),
            start: q.start + lw,
            end: q.end + lw,
        }));
        let c = BindContext {
            current_timestamp_micros: self.now_micros,
            qualifiers: qualifiers.clone(),
        };
        let mut drop_right = Vec::new();
        let condition = match constraint {
            JoinConstraint::None => None,
            JoinConstraint::On(e) => {
                let e = niladic_functions(e, &schema);
                Some(bind_with(&e, &schema, &c, &hook)?)
            }
            JoinConstraint::Using(columns) => {
                let mut cond: Option<Expr> = None;
                for col in columns {
                    let find = |side: &Analyzed, name: &'static str| {
                        side.schema
                            .iter()
                            .position(|f| f.name.eq_ignore_ascii_case(col))
                            .ok_or_else(|| AnalysisError::UsingColumn {
                                column: col.clone(),
                                side: name,
                                columns: side
                                    .schema
                                    .iter()
                                    .map(|f| format!("`{}`", f.name))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            })
                    };
                    let l = find(&left, "left")?;
                    let r = find(&right, "right")?;
                    drop_right.push(r);
                    // Name both sides by position: the columns may share names.
                    let eq = Expr::Binary(
                        Box::new(Expr::Column(vec![format!("__using_l{l}")])),
                        BinaryOp::Eq,
                        Box::new(Expr::Column(vec![format!("__using_r{r}")])),
                    );
                    cond = Some(match cond {
                        None => eq,
                        Some(prev) => Expr::Binary(Box::new(prev), BinaryOp::And, Box::new(eq)),
                    });
                }
                let positional: Vec<StructField> = left
                    .schema
                    .iter()
                    .enumerate()
                    .map(|(i, f)| StructField {
                        name: format!("__using_l{i}"),
                        ..f.clone()
                    })
                    .chain(right.schema.iter().enumerate().map(|(i, f)| StructField {
                        name: format!("__using_r{i}"),
                        ..f.clone()
                    }))
                    .collect();
                match cond {
                    Some(e) => Some(bind_with(&e, &positional, &BindContext::default(), &hook)?),
                    None => None,
                }
            }
        };
        let out_schema: Vec<StructField> = schema
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < lw || !drop_right.contains(&(i - lw)))
            .map(|(_, f)| f.clone())
            .collect();
        let mut watermarked = left.watermarked.clone();
        watermarked.extend(right.watermarked.iter().cloned());
        let mut delays = left.watermark_delays.clone();
        delays.extend(right.watermark_delays.iter().copied());
        Ok(Analyzed {
            physical: Physical::Join {
                left: Box::new(left.physical),
                right: Box::new(right.physical),
                kind,
                condition,
                left_width: lw,
                right_width: rw,
                drop_right: drop_right.clone(),
            },
            schema: out_schema,
            qualifiers: if drop_right.is_empty() {
                qualifiers
            } else {
                Vec::new()
            },
            watermarked,
            watermark_delays: delays,
        })
    }
}
