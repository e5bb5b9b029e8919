//! DataFrame and GroupedData methods: each transformation adds an operator to the logical plan
//! and is analysed at once, as PySpark's are (so `df.select("nope")` fails on its own line);
//! actions (`show`, `count`, `collect`, `printSchema`) run through the session and print
//! Spark's texts.
//!
//! Owns the mapping from PySpark's DataFrame API to [`Plan`] nodes; must not evaluate rows.

use std::rc::Rc;

use crate::streams::interval::parse_interval;
use crate::streams::plan::Plan;
use crate::streams::session::SessionError;
use crate::streams::show::{pretty_cell, show_string, show_string_vertical};
use crate::streams::sql::ast::{Expr, JoinConstraint, JoinKind, OrderBy};
use crate::streams::sql::{parse_expression, parse_select_item};
use crate::streams::types::{dataframe_repr, print_schema, StructField};

use super::errors::PyError;
use super::functions::{name_to_column, to_column};
use super::interpreter::{Args, Interp};
use super::objects::{address, str_arg, Obj};
use super::result_table::ResultTable;
use super::rows::row_object;

/// DataFrame methods the shell runs.
const DF_METHODS: &[&str] = &[
    "select",
    "selectExpr",
    "filter",
    "where",
    "withColumn",
    "withColumnRenamed",
    "drop",
    "groupBy",
    "groupby",
    "agg",
    "join",
    "orderBy",
    "sort",
    "limit",
    "distinct",
    "dropDuplicates",
    "alias",
    "withWatermark",
    "createOrReplaceTempView",
    "createTempView",
    "printSchema",
    "show",
    "count",
    "collect",
    "take",
    "head",
    "first",
    "cache",
    "persist",
    "unpersist",
];

/// PySpark DataFrame methods the shell knows but does not run, with what to use instead.
const DF_UNSUPPORTED: &[(&str, &str)] = &[
    ("toPandas", "use show() or collect()"),
    ("foreach", "use writeStream to a sink, or collect()"),
    (
        "foreachPartition",
        "use writeStream to a sink, or collect()",
    ),
    (
        "union",
        "read both topics in one source: option(\"subscribe\", \"a,b\")",
    ),
    (
        "unionByName",
        "read both topics in one source: option(\"subscribe\", \"a,b\")",
    ),
    ("explain", "look at the query's plan on the Streams page"),
    ("repartition", "partitioning is not modelled; drop the call"),
    ("coalesce", "partitioning is not modelled; drop the call"),
    ("rdd", "use the DataFrame API"),
    (
        "write",
        "use writeStream (…).toTable(name) or format(\"kafka\")",
    ),
    ("na", "use filter(col(...).isNotNull()) or coalesce()"),
    ("fillna", "use coalesce(col, default)"),
    ("dropna", "use filter(col(...).isNotNull())"),
    ("crossJoin", "use join(other, how=\"cross\")"),
    (
        "describe",
        "use agg(count(c), avg(c), min(c), max(c)) on the columns",
    ),
    (
        "summary",
        "use agg(count(c), avg(c), min(c), max(c)) on the columns",
    ),
    ("toDF", "rename with select(col(\"a\").alias(\"b\"), …)"),
    ("withColumns", "call withColumn(name, col) once per column"),
    (
        "withColumnsRenamed",
        "call withColumnRenamed(old, new) once per column",
    ),
    ("tail", "use orderBy(desc(…)).limit(n).collect()"),
    ("isEmpty", "use count() == 0"),
    ("sample", "use limit(n)"),
    ("randomSplit", "use filter() on a column"),
    ("intersect", "use an inner join on every column"),
    ("subtract", "use filter() on a column"),
    ("exceptAll", "use filter() on a column"),
    ("cube", "use groupBy(…) once per grouping"),
    ("rollup", "use groupBy(…) once per grouping"),
    ("unpivot", "use select() with one alias per column"),
    ("melt", "use select() with one alias per column"),
    ("toJSON", "use select(to_json(struct(\"*\")))"),
    ("writeTo", "use writeStream (…).toTable(name)"),
    ("transform", "call the function on the DataFrame: f(df)"),
    (
        "dropDuplicatesWithinWatermark",
        "use groupBy(…) with a watermark",
    ),
];

const GROUPED_METHODS: &[&str] = &["agg", "count", "sum", "avg", "mean", "min", "max"];

impl Interp {
    /// The plan's columns, refusing a plan that does not resolve.
    pub fn schema_of(&self, plan: &Plan) -> Result<Vec<StructField>, PyError> {
        Ok(self.session.schema(plan)?)
    }

    /// A new DataFrame over `plan`, analysed now as PySpark analyses each transformation.
    pub fn dataframe(&self, plan: Plan) -> Result<Obj, PyError> {
        self.schema_of(&plan)?;
        Ok(Obj::DataFrame(Rc::new(plan)))
    }

    /// `df.attr` / `grouped.attr`.
    pub fn dataframe_attr(&mut self, obj: Obj, attr: &str) -> Result<Obj, PyError> {
        let plan = match &obj {
            Obj::DataFrame(p) => Rc::clone(p),
            _ if GROUPED_METHODS.contains(&attr) => {
                return Ok(Obj::Method(Box::new(obj), attr.into()))
            }
            other => {
                return Err(PyError::Attribute {
                    type_name: other.type_name().into(),
                    attr: attr.into(),
                })
            }
        };
        match attr {
            "columns" => Ok(Obj::List(
                self.schema_of(&plan)?
                    .into_iter()
                    .map(|f| Obj::Str(f.name))
                    .collect(),
            )),
            "schema" => Ok(Obj::DataType(crate::streams::types::DataType::Struct(
                self.schema_of(&plan)?,
            ))),
            "dtypes" => Ok(Obj::List(
                self.schema_of(&plan)?
                    .into_iter()
                    .map(|f| {
                        Obj::Tuple(vec![
                            Obj::Str(f.name),
                            Obj::Str(f.data_type.simple_string()),
                        ])
                    })
                    .collect(),
            )),
            "isStreaming" => Ok(Obj::Bool(plan.is_streaming())),
            "writeStream" => {
                if !plan.is_streaming() {
                    return Err(SessionError::WriteStreamOnBatch.into());
                }
                Ok(Obj::Writer(Rc::new(std::cell::RefCell::new(
                    super::objects::WriterState {
                        plan,
                        format: None,
                        output_mode: None,
                        options: Vec::new(),
                        name: None,
                        trigger: None,
                    },
                ))))
            }
            _ if DF_METHODS.contains(&attr) => Ok(Obj::Method(Box::new(obj), attr.into())),
            _ => {
                if let Some((_, instead)) = DF_UNSUPPORTED.iter().find(|(n, _)| *n == attr) {
                    return Err(PyError::Unsupported {
                        what: format!("DataFrame.{attr}"),
                        instead: (*instead).into(),
                    });
                }
                // PySpark's `__getattr__`: a column of the DataFrame by name.
                let schema = self.schema_of(&plan)?;
                if schema.iter().any(|f| f.name == attr) {
                    return Ok(Obj::Column(Expr::Column(vec![attr.into()])));
                }
                Err(PyError::Attribute {
                    type_name: "DataFrame".into(),
                    attr: attr.into(),
                })
            }
        }
    }

    /// Calls a DataFrame or GroupedData method.
    pub fn dataframe_method(&mut self, recv: Obj, name: &str, args: Args) -> Result<Obj, PyError> {
        match recv {
            Obj::DataFrame(plan) => self.df_method(plan, name, args),
            Obj::Grouped { plan, keys } => self.grouped_method(plan, keys, name, args),
            other => Err(PyError::Type(format!("{name}() on {}", other.type_name()))),
        }
    }

    fn df_method(&mut self, plan: Rc<Plan>, name: &str, mut args: Args) -> Result<Obj, PyError> {
        let input = Rc::clone(&plan);
        let out = match name {
            "select" => {
                let items = select_items(flatten(args.rest(0)))?;
                let items = expand_struct_stars(items, &self.schema_of(&plan)?);
                self.dataframe(Plan::Project { input, items })?
            }
            "selectExpr" => {
                let mut items = Vec::new();
                for e in flatten(args.rest(0)) {
                    match e {
                        Obj::Str(s) => {
                            items.push(parse_select_item(&s).map_err(SessionError::from)?)
                        }
                        other => return Err(PyError::not_column_or_str("expr", other.type_name())),
                    }
                }
                self.dataframe(Plan::Project { input, items })?
            }
            "filter" | "where" => {
                let condition = match args.need(0, "condition")? {
                    Obj::Str(s) => parse_expression(&s).map_err(SessionError::from)?,
                    Obj::Column(e) => e,
                    other => {
                        return Err(PyError::not_column_or_str("condition", other.type_name()))
                    }
                };
                self.dataframe(Plan::Filter { input, condition })?
            }
            "withColumn" => {
                let col_name = str_arg(args.need(0, "colName")?, "colName")?;
                let value = match args.need(1, "col")? {
                    Obj::Column(e) => e,
                    other => {
                        return Err(PyError::PySparkType {
                            class: "NOT_COLUMN",
                            message: format!(
                                "Argument `col` should be a Column, got {}.",
                                other.type_name()
                            ),
                        })
                    }
                };
                let schema = self.schema_of(&plan)?;
                let mut items: Vec<Expr> = Vec::new();
                let mut replaced = false;
                for f in &schema {
                    if f.name.eq_ignore_ascii_case(&col_name) && !replaced {
                        items.push(Expr::Alias(Box::new(value.clone()), col_name.clone()));
                        replaced = true;
                    } else {
                        items.push(Expr::Column(vec![f.name.clone()]));
                    }
                }
                if !replaced {
                    items.push(Expr::Alias(Box::new(value), col_name));
                }
                self.dataframe(Plan::Project { input, items })?
            }
            "withColumnRenamed" => {
                let old = str_arg(args.need(0, "existing")?, "existing")?;
                let new = str_arg(args.need(1, "new")?, "new")?;
                let items = self
                    .schema_of(&plan)?
                    .iter()
                    .map(|f| {
                        let c = Expr::Column(vec![f.name.clone()]);
                        if f.name.eq_ignore_ascii_case(&old) {
                            Expr::Alias(Box::new(c), new.clone())
                        } else {
                            c
                        }
                    })
                    .collect();
                self.dataframe(Plan::Project { input, items })?
            }
            "drop" => {
                let mut dropped = Vec::new();
                for c in args.rest(0) {
                    match c {
                        Obj::Str(s) => dropped.push(s),
                        Obj::Column(Expr::Column(parts)) if parts.len() == 1 => {
                            dropped.extend(parts)
                        }
                        other => return Err(PyError::not_column_or_str("cols", other.type_name())),
                    }
                }
                let items = self
                    .schema_of(&plan)?
                    .iter()
                    .filter(|f| !dropped.iter().any(|d| d.eq_ignore_ascii_case(&f.name)))
                    .map(|f| Expr::Column(vec![f.name.clone()]))
                    .collect();
                self.dataframe(Plan::Project { input, items })?
            }
            "groupBy" | "groupby" => {
                let keys = select_items(flatten(args.rest(0)))?;
                args.finish()?;
                return Ok(Obj::Grouped { plan, keys });
            }
            "agg" => return self.grouped_method(plan, Vec::new(), "agg", args),
            "join" => {
                let right = match args.need(0, "other")? {
                    Obj::DataFrame(p) => p,
                    other => {
                        return Err(PyError::Type(format!(
                            "join() needs a DataFrame, got {}",
                            other.type_name()
                        )))
                    }
                };
                let on = args.take(1, "on").unwrap_or(Obj::None);
                let how = match args.take(2, "how") {
                    None | Some(Obj::None) => "inner".to_string(),
                    Some(Obj::Str(s)) => s.to_ascii_lowercase(),
                    Some(other) => {
                        return Err(PyError::Type(format!(
                            "how must be a str, got {}",
                            other.type_name()
                        )))
                    }
                };
                let kind = join_kind(&how)?;
                let constraint = match on {
                    Obj::None => JoinConstraint::None,
                    Obj::Str(s) => JoinConstraint::Using(vec![s]),
                    Obj::Column(e) => JoinConstraint::On(e),
                    Obj::List(items) | Obj::Tuple(items) => {
                        if items.iter().all(|i| matches!(i, Obj::Str(_))) {
                            JoinConstraint::Using(
                                items
                                    .into_iter()
                                    .filter_map(|i| match i {
                                        Obj::Str(s) => Some(s),
                                        _ => None,
                                    })
                                    .collect(),
                            )
                        } else {
                            let mut cond: Option<Expr> = None;
                            for i in items {
                                let e = to_column(i, "on")?;
                                cond = Some(match cond {
                                    None => e,
                                    Some(c) => Expr::Binary(
                                        Box::new(c),
                                        crate::streams::sql::ast::BinaryOp::And,
                                        Box::new(e),
                                    ),
                                });
                            }
                            cond.map_or(JoinConstraint::None, JoinConstraint::On)
                        }
                    }
                    other => return Err(PyError::not_column_or_str("on", other.type_name())),
                };
                self.dataframe(Plan::Join {
                    left: input,
                    right,
                    kind,
                    constraint,
                })?
            }
            "orderBy" | "sort" => {
                let ascending = match args.keyword("ascending") {
                    None => None,
                    Some(Obj::Bool(b)) => Some(b),
                    Some(Obj::Int(n)) => Some(n != 0),
                    Some(other) => {
                        return Err(PyError::Type(format!(
                            "ascending must be a bool, got {}",
                            other.type_name()
                        )))
                    }
                };
                let mut keys = Vec::new();
                for c in flatten(args.rest(0)) {
                    let mut key = match c {
                        Obj::SortOrder(o) => o,
                        other => OrderBy {
                            expr: to_column(other, "cols")?,
                            ascending: true,
                            nulls_first: None,
                        },
                    };
                    if let Some(a) = ascending {
                        key.ascending = a;
                    }
                    keys.push(key);
                }
                self.dataframe(Plan::Sort { input, keys })?
            }
            "limit" => match args.need(0, "num")? {
                Obj::Int(n) => self.dataframe(Plan::Limit {
                    input,
                    n: n.max(0) as u64,
                })?,
                other => {
                    return Err(PyError::Type(format!(
                        "limit() needs an int, got {}",
                        other.type_name()
                    )))
                }
            },
            "distinct" => self.dataframe(Plan::Distinct { input })?,
            "dropDuplicates" => {
                if args
                    .take(0, "subset")
                    .is_some_and(|s| !matches!(s, Obj::None))
                {
                    return Err(PyError::Unsupported {
                        what: "dropDuplicates(subset)".into(),
                        instead: "select the columns, then distinct()".into(),
                    });
                }
                self.dataframe(Plan::Distinct { input })?
            }
            "alias" => {
                let alias = str_arg(args.need(0, "alias")?, "alias")?;
                self.dataframe(Plan::Alias { input, name: alias })?
            }
            "withWatermark" => {
                let column = str_arg(args.need(0, "eventTime")?, "eventTime")?;
                let delay = str_arg(args.need(1, "delayThreshold")?, "delayThreshold")?;
                let delay_micros =
                    parse_interval(&delay).map_err(|e| PyError::IllegalArgument(e.to_string()))?;
                self.dataframe(Plan::Watermark {
                    input,
                    column,
                    delay,
                    delay_micros,
                })?
            }
            "createOrReplaceTempView" | "createTempView" => {
                let view = str_arg(args.need(0, "name")?, "name")?;
                if name == "createTempView" && self.session.lookup(&view).is_some() {
                    return Err(PyError::Analysis(format!("[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `{view}` because it already exists.\nChoose a different name, drop or replace the existing view,  or add the IF NOT EXISTS clause to tolerate pre-existing views.")));
                }
                self.session.create_or_replace_temp_view(&view, plan);
                Obj::None
            }
            "printSchema" => {
                let schema = self.schema_of(&plan)?;
                self.printed.out(&print_schema(&schema));
                Obj::None
            }
            "show" => {
                let n = match args.take(0, "n") {
                    None => 20,
                    Some(Obj::Int(n)) => usize::try_from(n).unwrap_or(0),
                    Some(other) => {
                        return Err(PyError::PySparkType {
                            class: "NOT_INT",
                            message: format!(
                                "Argument `n` should be an int, got {}.",
                                other.type_name()
                            ),
                        })
                    }
                };
                let truncate = match args.take(1, "truncate") {
                    None | Some(Obj::Bool(true)) => 20,
                    Some(Obj::Bool(false)) => 0,
                    Some(Obj::Int(k)) => usize::try_from(k).unwrap_or(0),
                    Some(other) => {
                        return Err(PyError::PySparkType {
                            class: "NOT_BOOL",
                            message: format!(
                                "Argument `truncate` should be a bool, got {}.",
                                other.type_name()
                            ),
                        })
                    }
                };
                let vertical = match args.take(2, "vertical") {
                    None => false,
                    Some(Obj::Bool(b)) => b,
                    Some(other) => {
                        return Err(PyError::PySparkType {
                            class: "NOT_BOOL",
                            message: format!(
                                "Argument `vertical` should be a bool, got {}.",
                                other.type_name()
                            ),
                        })
                    }
                };
                args.finish()?;
                let text = self.show_text(&plan, n, truncate, vertical)?;
                self.printed.out(&text);
                self.printed.out("\n");
                return Ok(Obj::None);
            }
            "count" => Obj::Int(self.session.collect(&plan)?.rows.len() as i64),
            "collect" | "take" | "head" | "first" => {
                let (limit, single) = match name {
                    "collect" => (usize::MAX, false),
                    "first" => (1, true),
                    _ => match args.take(0, "num") {
                        None if name == "head" => (1, true),
                        Some(Obj::Int(n)) => (usize::try_from(n).unwrap_or(0), false),
                        _ => return Err(PyError::Type(format!("{name}() needs an int"))),
                    },
                };
                let result = self.session.collect(&plan)?;
                let list: Vec<Obj> = result
                    .rows
                    .iter()
                    .take(limit)
                    .map(|r| row_object(&result.schema, r))
                    .collect();
                if single {
                    list.into_iter().next().unwrap_or(Obj::None)
                } else {
                    Obj::List(list)
                }
            }
            "cache" | "persist" | "unpersist" => Obj::DataFrame(plan),
            _ => {
                return Err(PyError::Attribute {
                    type_name: "DataFrame".into(),
                    attr: name.into(),
                })
            }
        };
        args.finish()?;
        Ok(out)
    }

    /// What `show()` prints, without `print`'s newline.
    pub fn show_text(
        &mut self,
        plan: &Plan,
        n: usize,
        truncate: usize,
        vertical: bool,
    ) -> Result<String, PyError> {
        let result = self.session.collect(plan)?;
        let columns: Vec<String> = result.schema.iter().map(|f| f.name.clone()).collect();
        let rows: Vec<Vec<String>> = result
            .rows
            .iter()
            .take(n.saturating_add(1))
            .map(|r| {
                r.iter()
                    .zip(&result.schema)
                    .map(|(v, f)| pretty_cell(v, &f.data_type))
                    .collect()
            })
            .collect();
        Ok(if vertical {
            show_string_vertical(&columns, &rows, false, n, truncate)
        } else {
            show_string(&columns, &rows, false, n, truncate)
        })
    }

    /// Databricks' `display(df)`: Brooklet prints the DataFrame as `show(1000, truncate=False)`
    /// does (the notebook draws a table widget of up to 1000 rows); a streaming DataFrame is
    /// refused with what to use instead.
    pub fn display(&mut self, df: Obj) -> Result<Obj, PyError> {
        match df {
            // A notebook draws the table; a streaming DataFrame gets Spark's refusal to
            // collect it (Databricks would start a query for it: README says so).
            Obj::DataFrame(plan) if self.tables.is_some() => {
                let table = ResultTable::from_collected(&self.session.collect(&plan)?);
                let at = self.printed.stdout.len();
                if let Some(tables) = &mut self.tables {
                    tables.push((at, table));
                }
                Ok(Obj::None)
            }
            Obj::DataFrame(plan) if plan.is_streaming() => Err(PyError::Unsupported {
                what: "display() of a streaming DataFrame".into(),
                instead: "start it with writeStream.format(\"console\").start(), then call query.processAllAvailable()".into(),
            }),
            Obj::DataFrame(plan) => {
                let text = self.show_text(&plan, 1000, 0, false)?;
                self.printed.out(&text);
                self.printed.out("\n");
                Ok(Obj::None)
            }
            other => {
                let text = self.repr(&other);
                self.printed.out(&text);
                self.printed.out("\n");
                Ok(Obj::None)
            }
        }
    }

    fn grouped_method(
        &mut self,
        plan: Rc<Plan>,
        keys: Vec<Expr>,
        name: &str,
        mut args: Args,
    ) -> Result<Obj, PyError> {
        let mut aggs: Vec<Expr> = Vec::new();
        let func = |f: &str, c: Expr| Expr::Function {
            name: f.into(),
            args: vec![c],
            distinct: false,
        };
        match name {
            "agg" => {
                let given = args.rest(0);
                if let [Obj::Dict(entries)] = given.as_slice() {
                    for (k, v) in entries {
                        match (k, v) {
                            (Obj::Str(c), Obj::Str(f)) => aggs.push(func(f, name_to_column(c))),
                            _ => {
                                return Err(PyError::Type(
                                    "agg() takes a dict of column name to function name".into(),
                                ))
                            }
                        }
                    }
                } else {
                    for g in flatten(given) {
                        match g {
                            Obj::Column(e) => aggs.push(e),
                            other => {
                                return Err(PyError::PySparkType {
                                    class: "ALL_COLUMNS",
                                    message: format!(
                                        "Argument `exprs` should be a Column or a dict, got {}.",
                                        other.type_name()
                                    ),
                                })
                            }
                        }
                    }
                }
            }
            "count" => aggs.push(Expr::Alias(
                Box::new(func(
                    "count",
                    Expr::Literal(crate::streams::sql::ast::Literal::Integer(1)),
                )),
                "count".into(),
            )),
            _ => {
                let f = if name == "mean" { "avg" } else { name };
                for c in args.rest(0) {
                    aggs.push(func(f, to_column(c, "cols")?));
                }
            }
        }
        args.finish()?;
        let mut items = keys.clone();
        items.extend(aggs);
        self.dataframe(Plan::Aggregate {
            input: plan,
            keys,
            items,
            having: None,
        })
    }

    /// PySpark's repr of a DataFrame, reader, writer, column or grouped data.
    pub fn dataframe_repr_of(&mut self, obj: &Obj) -> String {
        match obj {
            Obj::DataFrame(plan) => match self.schema_of(plan) {
                Ok(schema) => dataframe_repr(&schema),
                Err(_) => "DataFrame[]".into(),
            },
            Obj::Grouped { .. } => format!(
                "<pyspark.sql.group.GroupedData object at {}>",
                address(0x48)
            ),
            Obj::Column(e) => format!("Column<'{}'>", column_sql(e)),
            Obj::SortOrder(o) => {
                let dir = if o.ascending { "ASC" } else { "DESC" };
                let nulls = match o.nulls_first.unwrap_or(o.ascending) {
                    true => "NULLS FIRST",
                    false => "NULLS LAST",
                };
                format!("Column<'{} {dir} {nulls}'>", column_sql(&o.expr))
            }
            other => other.type_name().to_string(),
        }
    }
}

fn column_sql(e: &Expr) -> String {
    match e {
        Expr::Alias(inner, name) => format!(
            "{} AS {name}",
            crate::streams::eval::naming::pretty_sql(inner)
        ),
        other => crate::streams::eval::naming::pretty_sql(other),
    }
}

/// `select(["a", "b"])` is `select("a", "b")`.
fn flatten(args: Vec<Obj>) -> Vec<Obj> {
    if let [Obj::List(_) | Obj::Tuple(_)] = args.as_slice() {
        if let Some(Obj::List(items) | Obj::Tuple(items)) = args.into_iter().next() {
            return items;
        }
        return Vec::new();
    }
    args
}

fn select_items(args: Vec<Obj>) -> Result<Vec<Expr>, PyError> {
    args.into_iter().map(|a| to_column(a, "cols")).collect()
}

/// `select("value.*")`: the fields of struct column `value`, each as its own column (Spark
/// expands a struct's star this way; the analyzer reads `q.*` only as a FROM alias's columns).
fn expand_struct_stars(items: Vec<Expr>, schema: &[StructField]) -> Vec<Expr> {
    use crate::streams::types::DataType;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Expr::Star(Some(q)) = &item else {
            out.push(item);
            continue;
        };
        let path: Vec<String> = q.split('.').map(str::to_string).collect();
        let mut fields = schema;
        let mut found = true;
        for part in &path {
            match fields.iter().find(|f| f.name.eq_ignore_ascii_case(part)) {
                Some(StructField {
                    data_type: DataType::Struct(inner),
                    ..
                }) => fields = inner,
                _ => {
                    found = false;
                    break;
                }
            }
        }
        if !found {
            out.push(item);
            continue;
        }
        for f in fields {
            let mut parts = path.clone();
            parts.push(f.name.clone());
            out.push(Expr::Alias(Box::new(Expr::Column(parts)), f.name.clone()));
        }
    }
    out
}

fn join_kind(how: &str) -> Result<JoinKind, PyError> {
    Ok(match how {
        "inner" => JoinKind::Inner,
        "left" | "leftouter" | "left_outer" => JoinKind::LeftOuter,
        "right" | "rightouter" | "right_outer" => JoinKind::RightOuter,
        "outer" | "full" | "fullouter" | "full_outer" => JoinKind::FullOuter,
        "cross" => JoinKind::Cross,
        "semi" | "leftsemi" | "left_semi" | "anti" | "leftanti" | "left_anti" => {
            return Err(PyError::Unsupported {
                what: format!("join how='{how}'"),
                instead: "use an inner join and select the left side's columns".into(),
            })
        }
        other => {
            return Err(PyError::IllegalArgument(format!(
                "Unsupported join type '{other}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'."
            )))
        }
    })
}
