//! `spark.sql("…")`: a parsed statement becomes a logical plan over the session's views and
//! tables, operators stacked in SQL's order (FROM, WHERE, GROUP BY/HAVING or the select list,
//! DISTINCT, ORDER BY, LIMIT).

use std::rc::Rc;

use crate::streams::analyze::has_aggregate;
use crate::streams::plan::Plan;
use crate::streams::sql::ast::{FromItem, Select};

use super::error::SessionError;

/// Looks up a view or table by name.
pub type Resolver<'a> = &'a dyn Fn(&str) -> Option<Rc<Plan>>;

/// The plan of one SELECT.
pub fn select_plan(select: &Select, resolve: Resolver<'_>) -> Result<Rc<Plan>, SessionError> {
    let mut plan = match &select.from {
        Some(from) => from_plan(from, resolve)?,
        None => Rc::new(Plan::Rows {
            schema: Vec::new(),
            rows: Rc::new(vec![Vec::new()]),
            name: "OneRowRelation".into(),
        }),
    };
    if let Some(condition) = &select.filter {
        plan = Rc::new(Plan::Filter {
            input: plan,
            condition: condition.clone(),
        });
    }
    let aggregated =
        !select.group_by.is_empty() || select.having.is_some() || has_aggregate(&select.projection);
    plan = Rc::new(if aggregated {
        Plan::Aggregate {
            input: plan,
            keys: select.group_by.clone(),
            items: select.projection.clone(),
            having: select.having.clone(),
        }
    } else {
        Plan::Project {
            input: plan,
            items: select.projection.clone(),
        }
    });
    if select.distinct {
        plan = Rc::new(Plan::Distinct { input: plan });
    }
    if !select.order_by.is_empty() {
        plan = Rc::new(Plan::Sort {
            input: plan,
            keys: select.order_by.clone(),
        });
    }
    if let Some(n) = select.limit {
        plan = Rc::new(Plan::Limit { input: plan, n });
    }
    Ok(plan)
}

fn from_plan(from: &FromItem, resolve: Resolver<'_>) -> Result<Rc<Plan>, SessionError> {
    Ok(match from {
        FromItem::Table { name, alias } => {
            let full = name.join(".");
            let plan = resolve(&full).ok_or_else(|| SessionError::TableNotFound(full.clone()))?;
            let qualifier = alias
                .clone()
                .unwrap_or_else(|| name.last().cloned().unwrap_or(full));
            Rc::new(Plan::Alias {
                input: plan,
                name: qualifier,
            })
        }
        FromItem::Subquery { query, alias } => {
            let plan = select_plan(query, resolve)?;
            match alias {
                Some(a) => Rc::new(Plan::Alias {
                    input: plan,
                    name: a.clone(),
                }),
                None => plan,
            }
        }
        FromItem::Join {
            left,
            right,
            kind,
            constraint,
        } => Rc::new(Plan::Join {
            left: from_plan(left, resolve)?,
            right: from_plan(right, resolve)?,
            kind: *kind,
            constraint: constraint.clone(),
        }),
    })
}
