//! `spark` and what hangs off it: `spark.read` / `spark.readStream` (the Kafka source),
//! `df.writeStream` (sinks, output modes, triggers, `start()` / `toTable()`), the
//! `StreamingQuery` a start returns, `spark.streams`, `spark.sql` / `spark.table`, and
//! `SparkSession.builder…getOrCreate()` (which returns the shell's `spark`).
//!
//! Owns the builders' options and the query objects' Python faces; must not run batches itself
//! (the session does, on the script's clock).
//!
//! `awaitTermination()` in Brooklet: time passes only when the terminal's clock says so, so it
//! runs the triggers that are due now (each one reading what is available) and returns; with a
//! timeout it returns whether the query has ended, without one it prints a note if the query is
//! still active instead of blocking the tab forever.

use std::cell::RefCell;
use std::rc::Rc;

use crate::streams::kafka::KafkaSourceOptions;
use crate::streams::plan::{OutputMode, Plan};
use crate::streams::query::sink::Sink;
use crate::streams::query::trigger::Trigger;
use crate::streams::query::QuerySpec;
use crate::streams::session::SessionError;
use crate::streams::shell::py_value::{float_repr, str_repr};

use super::errors::PyError;
use super::interpreter::{Args, Interp};
use super::objects::{address, str_arg, Obj, ReaderState, WriterState};

/// The Spark version the shell plays (banner, `spark.version`).
pub const SPARK_VERSION: &str = "3.5.0";

/// How many triggers one `awaitTermination` runs at most (a guard; each trigger reads data).
const AWAIT_STEPS: usize = 10_000;

fn method(obj: Obj, attr: &str) -> Obj {
    Obj::Method(Box::new(obj), attr.into())
}

fn unsupported(what: &str, instead: &str) -> PyError {
    PyError::Unsupported {
        what: what.into(),
        instead: instead.into(),
    }
}

fn missing(obj: &Obj, attr: &str) -> PyError {
    PyError::Attribute {
        type_name: obj.type_name().into(),
        attr: attr.into(),
    }
}

/// An option's value as PySpark passes it to Java (`50` → `"50"`, `True` → `"true"`).
fn option_text(v: &Obj) -> Result<String, PyError> {
    Ok(match v {
        Obj::Str(s) => s.clone(),
        Obj::Int(n) => n.to_string(),
        Obj::Float(x) => float_repr(*x),
        Obj::Bool(b) => b.to_string(),
        other => {
            return Err(PyError::Type(format!(
                "an option's value must be a str, int, float or bool, got {}",
                other.type_name()
            )))
        }
    })
}

impl Interp {
    /// Attributes of `spark`, `sc`, the builder, readers, writers, queries and `spark.streams`.
    pub fn spark_attr(&mut self, obj: Obj, attr: &str) -> Result<Obj, PyError> {
        match (&obj, attr) {
            (Obj::Spark, "readStream" | "read") => Ok(Obj::Reader(Rc::new(RefCell::new(ReaderState {
                streaming: attr == "readStream",
                ..ReaderState::default()
            })))),
            (Obj::Spark, "streams") => Ok(Obj::Streams),
            (Obj::Spark, "sparkContext") => Ok(Obj::SparkContext),
            (Obj::Spark | Obj::SparkContext, "version") => Ok(Obj::Str(SPARK_VERSION.into())),
            (Obj::Spark, "sql" | "table" | "stop")
            | (Obj::SparkContext, "setLogLevel")
            | (Obj::SessionClass(true), "appName" | "master" | "config" | "enableHiveSupport" | "getOrCreate")
            | (Obj::Streams, "get" | "resetTerminated")
            | (Obj::Reader(_), "format" | "option" | "options" | "load" | "table")
            | (Obj::Writer(_), "format" | "outputMode" | "option" | "options" | "queryName" | "trigger" | "start" | "toTable")
            | (Obj::Query(_), "stop" | "processAllAvailable" | "awaitTermination" | "exception") => {
                Ok(method(obj, attr))
            }
            (Obj::Spark, "createDataFrame" | "range") => Err(unsupported(
                &format!("SparkSession.{attr}"),
                "produce the rows to a topic with kafka-console-producer.sh and read it with spark.read",
            )),
            (Obj::Spark, "conf" | "catalog" | "udf") => Err(unsupported(
                &format!("SparkSession.{attr}"),
                "set options on the reader or writer; list tables with spark.sql(\"SHOW TABLES\")",
            )),
            (Obj::SparkContext, "master") => Ok(Obj::Str("local[*]".into())),
            (Obj::SparkContext, "appName") => Ok(Obj::Str("PySparkShell".into())),
            (Obj::SessionClass(false), "builder") => Ok(Obj::SessionClass(true)),
            (Obj::Streams, "active") => Ok(Obj::List(
                self.session
                    .queries()
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| q.active)
                    .map(|(h, _)| Obj::Query(h))
                    .collect(),
            )),
            (Obj::Streams, "awaitAnyTermination") => Err(unsupported(
                "spark.streams.awaitAnyTermination",
                "call query.processAllAvailable() on each query",
            )),
            (Obj::Reader(_), "schema" | "json" | "csv" | "parquet" | "text" | "orc") => Err(unsupported(
                &format!("{}.{attr}", obj.type_name()),
                "Brooklet reads Kafka topics: format(\"kafka\")…load(), or tables with spark.table(name)",
            )),
            (Obj::Writer(_), "foreachBatch" | "foreach" | "partitionBy") => Err(unsupported(
                &format!("DataStreamWriter.{attr}"),
                "write to a sink: format(\"console\"), \"memory\", \"kafka\", or toTable(name)",
            )),
            (Obj::Query(h), _) => self.query_attr(*h, attr),
            _ => Err(missing(&obj, attr)),
        }
    }

    fn query_attr(&mut self, h: usize, attr: &str) -> Result<Obj, PyError> {
        let q = self
            .session
            .query(h)
            .ok_or_else(|| missing(&Obj::Query(h), attr))?;
        Ok(match attr {
            "id" => Obj::Str(q.id.clone()),
            "runId" => Obj::Str(q.run_id.clone()),
            "name" => q.spec.name.clone().map_or(Obj::None, Obj::Str),
            "isActive" => Obj::Bool(q.active),
            "status" => {
                let data = matches!(
                    q.status_message.as_str(),
                    "Processing new data" | "Waiting for next trigger"
                ) && q.active;
                Obj::Dict(vec![
                    (
                        Obj::Str("message".into()),
                        Obj::Str(q.status_message.clone()),
                    ),
                    (Obj::Str("isDataAvailable".into()), Obj::Bool(data)),
                    (Obj::Str("isTriggerActive".into()), Obj::Bool(false)),
                ])
            }
            "lastProgress" => q
                .progress
                .last()
                .map_or(Obj::None, |p| Obj::from_py(&p.to_py())),
            "recentProgress" => Obj::List(
                q.progress
                    .iter()
                    .map(|p| Obj::from_py(&p.to_py()))
                    .collect(),
            ),
            "explain" => {
                return Err(unsupported(
                    "StreamingQuery.explain",
                    "the Streams page draws the query's plan",
                ))
            }
            _ => return Err(missing(&Obj::Query(h), attr)),
        })
    }

    /// Calls a method of `spark`, `sc`, the builder, a reader, a writer, a query or
    /// `spark.streams`.
    pub fn spark_method(&mut self, recv: Obj, name: &str, mut args: Args) -> Result<Obj, PyError> {
        let out = match (&recv, name) {
            (Obj::Spark, "sql") => {
                let text = str_arg(args.need(0, "sqlQuery")?, "sqlQuery")?;
                let plan = self.session.sql(&text)?;
                self.schema_of(&plan)?;
                Obj::DataFrame(plan)
            }
            (Obj::Spark, "table") => {
                let table = str_arg(args.need(0, "tableName")?, "tableName")?;
                Obj::DataFrame(self.session.table(&table)?)
            }
            (Obj::Spark, "stop") | (Obj::SparkContext, _) | (Obj::Streams, "resetTerminated") => {
                args.rest(0);
                Obj::None
            }
            (Obj::SessionClass(true), "getOrCreate") => Obj::Spark,
            (Obj::SessionClass(true), _) => {
                args.rest(0);
                args.rest_keywords();
                recv
            }
            (Obj::Streams, "get") => {
                let id = str_arg(args.need(0, "id")?, "id")?;
                self.session
                    .queries()
                    .iter()
                    .position(|q| q.id == id)
                    .map_or(Obj::None, Obj::Query)
            }
            (Obj::Reader(r), _) => return self.reader_method(Rc::clone(r), recv, name, args),
            (Obj::Writer(w), _) => return self.writer_method(Rc::clone(w), recv, name, args),
            (Obj::Query(h), _) => return self.query_method(*h, name, args),
            _ => return Err(missing(&recv, name)),
        };
        args.finish()?;
        Ok(out)
    }

    fn reader_method(
        &mut self,
        r: Rc<RefCell<ReaderState>>,
        recv: Obj,
        name: &str,
        mut args: Args,
    ) -> Result<Obj, PyError> {
        match name {
            "format" => {
                r.borrow_mut().format = Some(str_arg(args.need(0, "source")?, "source")?);
            }
            "option" => {
                let k = str_arg(args.need(0, "key")?, "key")?;
                let v = option_text(&args.need(1, "value")?)?;
                r.borrow_mut().options.push((k, v));
            }
            "options" => {
                for (k, v) in args.rest_keywords() {
                    let v = option_text(&v)?;
                    r.borrow_mut().options.push((k, v));
                }
            }
            "table" => {
                let table = str_arg(args.need(0, "tableName")?, "tableName")?;
                args.finish()?;
                if r.borrow().streaming {
                    return Err(unsupported(
                        "spark.readStream.table",
                        "read the topic the table was written from with readStream.format(\"kafka\")",
                    ));
                }
                return Ok(Obj::DataFrame(self.session.table(&table)?));
            }
            _ => {
                let path = args.take(0, "path");
                if let Some(f) = args.keyword("format") {
                    r.borrow_mut().format = Some(str_arg(f, "format")?);
                }
                for (k, v) in args.rest_keywords() {
                    let v = option_text(&v)?;
                    r.borrow_mut().options.push((k, v));
                }
                args.finish()?;
                let state = r.borrow().clone();
                let format = state.format.clone().unwrap_or_else(|| "parquet".into());
                return match format.to_ascii_lowercase().as_str() {
                    "kafka" => {
                        let options = if state.streaming {
                            KafkaSourceOptions::for_stream(&state.options)
                        } else {
                            KafkaSourceOptions::for_batch(&state.options)
                        }
                        .map_err(SessionError::from)?;
                        self.dataframe(Plan::Kafka {
                            options: Rc::new(options),
                            streaming: state.streaming,
                        })
                    }
                    "delta" if !state.streaming => {
                        let path = match path {
                            Some(p) => str_arg(p, "path")?,
                            None => state
                                .options
                                .iter()
                                .rev()
                                .find(|(k, _)| k.eq_ignore_ascii_case("path"))
                                .map(|(_, v)| v.clone())
                                .ok_or_else(|| {
                                    PyError::IllegalArgument("'path' is not specified".into())
                                })?,
                        };
                        Ok(Obj::DataFrame(self.session.table(&path)?))
                    }
                    _ => Err(SessionError::UnsupportedFormat(format).into()),
                };
            }
        }
        args.finish()?;
        Ok(recv)
    }

    fn writer_method(
        &mut self,
        w: Rc<RefCell<WriterState>>,
        recv: Obj,
        name: &str,
        mut args: Args,
    ) -> Result<Obj, PyError> {
        match name {
            "format" => w.borrow_mut().format = Some(str_arg(args.need(0, "source")?, "source")?),
            "outputMode" => {
                w.borrow_mut().output_mode =
                    Some(str_arg(args.need(0, "outputMode")?, "outputMode")?)
            }
            "queryName" => {
                w.borrow_mut().name = Some(str_arg(args.need(0, "queryName")?, "queryName")?)
            }
            "option" => {
                let k = str_arg(args.need(0, "key")?, "key")?;
                let v = option_text(&args.need(1, "value")?)?;
                w.borrow_mut().options.push((k, v));
            }
            "options" => {
                for (k, v) in args.rest_keywords() {
                    let v = option_text(&v)?;
                    w.borrow_mut().options.push((k, v));
                }
            }
            "trigger" => {
                let mut given = Vec::new();
                if let Some(t) = args.keyword("processingTime") {
                    let text = str_arg(t, "processingTime")?;
                    let t = Trigger::processing_time(&text)
                        .map_err(|e| PyError::IllegalArgument(e.to_string()))?;
                    given.push(t);
                }
                if let Some(Obj::Bool(true)) = args.keyword("once") {
                    given.push(Trigger::Once);
                }
                if let Some(Obj::Bool(true)) = args.keyword("availableNow") {
                    given.push(Trigger::AvailableNow);
                }
                if args.keyword("continuous").is_some() {
                    return Err(unsupported(
                        "trigger(continuous=…)",
                        "use micro-batches: trigger(processingTime='1 second')",
                    ));
                }
                args.finish()?;
                match given.as_slice() {
                    [] => {
                        return Err(PyError::PySparkType {
                            class: "ONLY_ALLOW_SINGLE_TRIGGER",
                            message: "Only a single trigger is allowed.".into(),
                        })
                    }
                    [t] => w.borrow_mut().trigger = Some(*t),
                    _ => {
                        return Err(PyError::PySparkType {
                            class: "ONLY_ALLOW_SINGLE_TRIGGER",
                            message: "Only a single trigger is allowed.".into(),
                        })
                    }
                }
                return Ok(recv);
            }
            "start" | "toTable" => {
                let target = if name == "toTable" {
                    Some(str_arg(args.need(0, "tableName")?, "tableName")?)
                } else {
                    args.take(0, "path")
                        .map(|p| str_arg(p, "path"))
                        .transpose()?
                };
                if let Some(f) = args.keyword("format") {
                    w.borrow_mut().format = Some(str_arg(f, "format")?);
                }
                if let Some(m) = args.keyword("outputMode") {
                    w.borrow_mut().output_mode = Some(str_arg(m, "outputMode")?);
                }
                if let Some(q) = args.keyword("queryName") {
                    w.borrow_mut().name = Some(str_arg(q, "queryName")?);
                }
                for (k, v) in args.rest_keywords() {
                    let v = option_text(&v)?;
                    w.borrow_mut().options.push((k, v));
                }
                args.finish()?;
                let state = w.borrow().clone();
                return self.start_query(state, target, name == "toTable");
            }
            _ => return Err(missing(&recv, name)),
        }
        args.finish()?;
        Ok(recv)
    }

    fn start_query(
        &mut self,
        w: WriterState,
        target: Option<String>,
        to_table: bool,
    ) -> Result<Obj, PyError> {
        let option = |key: &str| {
            w.options
                .iter()
                .rev()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.clone())
        };
        let mode = match &w.output_mode {
            None => OutputMode::Append,
            Some(m) => OutputMode::parse(m).ok_or_else(|| {
                PyError::IllegalArgument(format!(
                    "Unknown output mode {m}. Accepted output modes are 'append', 'complete', 'update'"
                ))
            })?,
        };
        let format = w.format.clone().unwrap_or_else(|| {
            if to_table {
                "delta".into()
            } else {
                "parquet".into()
            }
        });
        let checkpoint = option("checkpointLocation").unwrap_or_default();
        let needs_checkpoint = || {
            if checkpoint.is_empty() {
                Err(PyError::Analysis("checkpointLocation must be specified either through option(\"checkpointLocation\", ...) or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...)".into()))
            } else {
                Ok(())
            }
        };
        let sink = match format.to_ascii_lowercase().as_str() {
            _ if to_table => {
                needs_checkpoint()?;
                Sink::Table {
                    name: target.unwrap_or_default(),
                }
            }
            "console" => Sink::Console {
                num_rows: option("numRows")
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(20),
                truncate: option("truncate")
                    .is_none_or(|t| !t.trim().eq_ignore_ascii_case("false")),
            },
            "memory" => Sink::Memory {
                name: w.name.clone().ok_or_else(|| {
                    PyError::Analysis("queryName must be specified for memory sink".into())
                })?,
            },
            "kafka" => {
                let servers = option("kafka.bootstrap.servers").ok_or_else(|| {
                    PyError::IllegalArgument("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka producer".into())
                })?;
                let reaches = servers
                    .split(',')
                    .map(str::trim)
                    .any(|e| e.eq_ignore_ascii_case("localhost:9092") || e == "127.0.0.1:9092");
                if !reaches {
                    return Err(SessionError::Unreachable.into());
                }
                needs_checkpoint()?;
                Sink::Kafka {
                    topic: option("topic"),
                    columns: Default::default(),
                }
            }
            "delta" => {
                needs_checkpoint()?;
                let path = target
                    .or_else(|| option("path"))
                    .ok_or_else(|| PyError::IllegalArgument("'path' is not specified".into()))?;
                Sink::Table { name: path }
            }
            _ => return Err(SessionError::UnsupportedFormat(format).into()),
        };
        let spec = QuerySpec {
            name: w.name.clone(),
            sink,
            mode,
            trigger: w.trigger.unwrap_or(Trigger::ProcessingTime(0)),
            checkpoint,
            plan: w.plan,
        };
        Ok(Obj::Query(self.session.start(spec)?))
    }

    fn query_method(&mut self, h: usize, name: &str, mut args: Args) -> Result<Obj, PyError> {
        let out = match name {
            "stop" => {
                self.session.stop(h);
                Obj::None
            }
            "processAllAvailable" => {
                let printed = self.session.process_all_available(h);
                match printed {
                    Ok(text) => self.printed.out(&text),
                    Err(e) => return Err(e.into()),
                }
                Obj::None
            }
            "awaitTermination" => {
                let timeout = args.take(0, "timeout").filter(|t| !matches!(t, Obj::None));
                if let Some(t) = &timeout {
                    if !matches!(t, Obj::Int(n) if *n >= 0)
                        && !matches!(t, Obj::Float(x) if *x >= 0.0)
                    {
                        return Err(PyError::PySparkType {
                            class: "VALUE_NOT_POSITIVE",
                            message: "Value for `timeout` must be positive, got ".to_string()
                                + &self.repr(t)
                                + ".",
                        });
                    }
                }
                for _ in 0..AWAIT_STEPS {
                    let step = self.session.step(h, false);
                    self.printed.out(&step.output);
                    if !step.ran {
                        break;
                    }
                }
                let q = self
                    .session
                    .query(h)
                    .ok_or_else(|| missing(&Obj::Query(h), name))?;
                if let Some(why) = &q.exception {
                    return Err(PyError::StreamingQuery(why.clone()));
                }
                let ended = !q.active;
                match timeout {
                    Some(_) => Obj::Bool(ended),
                    None => {
                        if !ended {
                            self.printed.err("brooklet: awaitTermination() ran the triggers due now and returned: the query is still active (time passes only on the terminal's clock; call query.stop() to end it)\n");
                        }
                        Obj::None
                    }
                }
            }
            "exception" => match self.session.query(h).and_then(|q| q.exception.clone()) {
                None => Obj::None,
                Some(why) => Obj::Raw(format!("StreamingQueryException({})", str_repr(&why))),
            },
            _ => return Err(missing(&Obj::Query(h), name)),
        };
        args.finish()?;
        Ok(out)
    }

    /// PySpark's repr of objects that are not plain values.
    pub fn spark_repr(&mut self, obj: &Obj) -> String {
        match obj {
            Obj::Reader(r) if r.borrow().streaming => format!(
                "<pyspark.sql.streaming.readwriter.DataStreamReader object at {}>",
                address(0x60)
            ),
            Obj::Reader(_) => format!(
                "<pyspark.sql.readwriter.DataFrameReader object at {}>",
                address(0x90)
            ),
            Obj::Writer(_) => format!(
                "<pyspark.sql.streaming.readwriter.DataStreamWriter object at {}>",
                address(0xc0)
            ),
            Obj::TypeCtor(_) => "<class 'pyspark.sql.types.DataType'>".into(),
            other => self.dataframe_repr_of(other),
        }
    }
}
