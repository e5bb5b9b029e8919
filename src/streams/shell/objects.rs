//! [`Obj`]: every value a name can hold in the shell — Python's plain values and the PySpark
//! objects (`spark`, readers, DataFrames, columns, writers, queries, types) — with Python's
//! `repr`, `str` and truth value for each.
//!
//! Owns the objects' shapes and printed forms; must not run Spark (methods live in
//! [`super::dataframe`], [`super::writer`], [`super::functions`]).
//!
//! Objects Python prints with their address (`<… object at 0x…>`) get a made-up but repeatable
//! one: [`FAKE_ADDRESS`] plus 0x60 per query handle (queries) or a fixed offset per kind, so a
//! transcript prints the same text every run.

use std::cell::RefCell;
use std::rc::Rc;

use crate::streams::plan::Plan;
use crate::streams::shell::py_value::{float_repr, str_repr};
use crate::streams::shell::PyValue;
use crate::streams::sql::ast::{Expr as SqlExpr, OrderBy};
use crate::streams::types::{DataType, StructField};

/// The base of the made-up addresses in `<… object at 0x…>` reprs.
pub const FAKE_ADDRESS: u64 = 0x7f3a_5c10_0000;

/// A Python module the shell knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// `pyspark`.
    PySpark,
    /// `pyspark.sql`.
    Sql,
    /// `pyspark.sql.functions`.
    Functions,
    /// `pyspark.sql.types`.
    Types,
    /// `pyspark.sql.streaming`.
    Streaming,
}

impl Module {
    /// The module's dotted name.
    pub fn name(self) -> &'static str {
        match self {
            Module::PySpark => "pyspark",
            Module::Sql => "pyspark.sql",
            Module::Functions => "pyspark.sql.functions",
            Module::Types => "pyspark.sql.types",
            Module::Streaming => "pyspark.sql.streaming",
        }
    }

    /// The module by its dotted name.
    pub fn by_name(name: &str) -> Option<Self> {
        [
            Module::PySpark,
            Module::Sql,
            Module::Functions,
            Module::Types,
            Module::Streaming,
        ]
        .into_iter()
        .find(|m| m.name() == name)
    }
}

/// A built-in function of the shell (Python's, or the Databricks notebook's `display`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `print(*values)`.
    Print,
    /// `display(df)`.
    Display,
    /// `len(x)`.
    Len,
    /// `str(x)`.
    Str,
    /// `repr(x)`.
    Repr,
    /// `exit()` / `quit()`.
    Exit,
}

impl Builtin {
    /// The function's name.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Print => "print",
            Builtin::Display => "display",
            Builtin::Len => "len",
            Builtin::Str => "str",
            Builtin::Repr => "repr",
            Builtin::Exit => "exit",
        }
    }
}

/// `pyspark.sql.types` constructors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeCtor {
    /// `StructType([fields])`.
    Struct,
    /// `StructField(name, type, nullable=True)`.
    Field,
    /// `ArrayType(element, containsNull=True)`.
    Array,
    /// `MapType(key, value, valueContainsNull=True)`.
    Map,
    /// A type without parameters (`LongType()`), by its class name.
    Simple(&'static str, DataType),
}

/// What `spark.read` / `spark.readStream` has been told so far.
#[derive(Debug, Clone, Default)]
pub struct ReaderState {
    /// `readStream` rather than `read`.
    pub streaming: bool,
    /// `format(…)`.
    pub format: Option<String>,
    /// `option(k, v)` in call order.
    pub options: Vec<(String, String)>,
}

/// What `df.writeStream` has been told so far.
#[derive(Debug, Clone)]
pub struct WriterState {
    /// The DataFrame written.
    pub plan: Rc<Plan>,
    /// `format(…)`.
    pub format: Option<String>,
    /// `outputMode(…)` as written.
    pub output_mode: Option<String>,
    /// `option(k, v)` in call order.
    pub options: Vec<(String, String)>,
    /// `queryName(…)`.
    pub name: Option<String>,
    /// `trigger(…)`.
    pub trigger: Option<crate::streams::query::trigger::Trigger>,
}

/// One value in the shell.
#[derive(Debug, Clone)]
pub enum Obj {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int` (64 bits).
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(String),
    /// A `bytes`.
    Bytes(Vec<u8>),
    /// A `list`.
    List(Vec<Obj>),
    /// A `tuple`.
    Tuple(Vec<Obj>),
    /// A `dict`, in insertion order.
    Dict(Vec<(Obj, Obj)>),
    /// `spark`.
    Spark,
    /// `spark.sparkContext` / `sc`.
    SparkContext,
    /// `SparkSession` (the class) and `SparkSession.builder` (`true`).
    SessionClass(bool),
    /// `spark.streams`.
    Streams,
    /// A module.
    Module(Module),
    /// A built-in function.
    Builtin(Builtin),
    /// `pyspark.sql.functions.<name>`.
    Function(String),
    /// A `pyspark.sql.types` class.
    TypeCtor(TypeCtor),
    /// A type instance (`LongType()`, `StructType([…])`).
    DataType(DataType),
    /// A `StructField`.
    Field(StructField),
    /// `spark.read` / `spark.readStream`: a builder shared by every name bound to it, as in
    /// Python.
    Reader(Rc<RefCell<ReaderState>>),
    /// A DataFrame: its logical plan.
    DataFrame(Rc<Plan>),
    /// `df.groupBy(…)`: the input and the keys.
    Grouped {
        /// The input.
        plan: Rc<Plan>,
        /// The grouping keys.
        keys: Vec<SqlExpr>,
    },
    /// A column expression.
    Column(SqlExpr),
    /// A sort key (`col("x").desc()`).
    SortOrder(OrderBy),
    /// `df.writeStream`, shared by every name bound to it.
    Writer(Rc<RefCell<WriterState>>),
    /// A streaming query, by the session's handle.
    Query(usize),
    /// A `Row` of a collected result.
    Row(Vec<(String, Obj)>),
    /// A method bound to its object (`df.show` without the call).
    Method(Box<Obj>, String),
    /// A value the shell has no class for, kept as its repr (`datetime.datetime(…)`,
    /// `bytearray(b'…')` in collected rows).
    Raw(String),
}

impl Obj {
    /// The Python class name, as `type(x).__name__` and error messages say it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Obj::None => "NoneType",
            Obj::Bool(_) => "bool",
            Obj::Int(_) => "int",
            Obj::Float(_) => "float",
            Obj::Str(_) => "str",
            Obj::Bytes(_) => "bytes",
            Obj::List(_) => "list",
            Obj::Tuple(_) => "tuple",
            Obj::Dict(_) => "dict",
            Obj::Spark => "SparkSession",
            Obj::SparkContext => "SparkContext",
            Obj::SessionClass(false) => "type",
            Obj::SessionClass(true) => "Builder",
            Obj::Streams => "StreamingQueryManager",
            Obj::Module(_) => "module",
            Obj::Builtin(_) => "builtin_function_or_method",
            Obj::Function(_) => "function",
            Obj::TypeCtor(_) => "type",
            Obj::DataType(t) => data_type_class(t),
            Obj::Field(_) => "StructField",
            Obj::Reader(r) if r.borrow().streaming => "DataStreamReader",
            Obj::Reader(_) => "DataFrameReader",
            Obj::DataFrame(_) => "DataFrame",
            Obj::Grouped { .. } => "GroupedData",
            Obj::Column(_) | Obj::SortOrder(_) => "Column",
            Obj::Writer(_) => "DataStreamWriter",
            Obj::Query(_) => "StreamingQuery",
            Obj::Row(_) => "Row",
            Obj::Method(..) => "method",
            Obj::Raw(_) => "object",
        }
    }

    /// Python's truth value; `None` for objects PySpark refuses to test (columns).
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Obj::None => false,
            Obj::Bool(b) => *b,
            Obj::Int(n) => *n != 0,
            Obj::Float(x) => *x != 0.0,
            Obj::Str(s) => !s.is_empty(),
            Obj::Bytes(b) => !b.is_empty(),
            Obj::List(v) | Obj::Tuple(v) => !v.is_empty(),
            Obj::Dict(v) => !v.is_empty(),
            Obj::Row(v) => !v.is_empty(),
            Obj::Column(_) | Obj::SortOrder(_) => return None,
            _ => true,
        })
    }

    /// A plain Python value (a progress dict) as an object.
    pub fn from_py(value: &PyValue) -> Obj {
        match value {
            PyValue::None => Obj::None,
            PyValue::Bool(b) => Obj::Bool(*b),
            PyValue::Int(n) => Obj::Int(*n),
            PyValue::Float(x) => Obj::Float(*x),
            PyValue::Str(s) => Obj::Str(s.clone()),
            PyValue::List(items) => Obj::List(items.iter().map(Obj::from_py).collect()),
            PyValue::Dict(entries) => Obj::Dict(
                entries
                    .iter()
                    .map(|(k, v)| (Obj::Str(k.clone()), Obj::from_py(v)))
                    .collect(),
            ),
        }
    }
}

/// The PySpark class of a type instance (`LongType`).
pub fn data_type_class(t: &DataType) -> &'static str {
    match t {
        DataType::Null => "NullType",
        DataType::Boolean => "BooleanType",
        DataType::Byte => "ByteType",
        DataType::Short => "ShortType",
        DataType::Integer => "IntegerType",
        DataType::Long => "LongType",
        DataType::Float => "FloatType",
        DataType::Double => "DoubleType",
        DataType::String => "StringType",
        DataType::Binary => "BinaryType",
        DataType::Date => "DateType",
        DataType::Timestamp => "TimestampType",
        DataType::Array { .. } => "ArrayType",
        DataType::Map { .. } => "MapType",
        DataType::Struct(_) => "StructType",
    }
}

/// PySpark's `repr` of a type instance: `LongType()`, `ArrayType(StringType(), True)`,
/// `StructType([StructField('a', LongType(), True)])`.
pub fn data_type_repr(t: &DataType) -> String {
    match t {
        DataType::Array {
            element,
            contains_null,
        } => format!(
            "ArrayType({}, {})",
            data_type_repr(element),
            py_bool(*contains_null)
        ),
        DataType::Map {
            key,
            value,
            value_contains_null,
        } => format!(
            "MapType({}, {}, {})",
            data_type_repr(key),
            data_type_repr(value),
            py_bool(*value_contains_null)
        ),
        DataType::Struct(fields) => {
            let inner: Vec<String> = fields.iter().map(field_repr).collect();
            format!("StructType([{}])", inner.join(", "))
        }
        other => format!("{}()", data_type_class(other)),
    }
}

/// `StructField('a', LongType(), True)`.
pub fn field_repr(f: &StructField) -> String {
    format!(
        "StructField({}, {}, {})",
        str_repr(&f.name),
        data_type_repr(&f.data_type),
        py_bool(f.nullable)
    )
}

fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// Python's `repr` of a bytes value: `b'abc'`, escapes as Python writes them.
pub fn bytes_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = format!("b{quote}");
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b if b as char == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(b as char),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(quote);
    out
}

/// A fake address for an object's repr.
pub fn address(offset: u64) -> String {
    format!("0x{:x}", FAKE_ADDRESS + offset)
}

/// Python's `repr` of plain values and containers; PySpark objects are printed by the
/// interpreter, which knows their schemas ([`super::interpreter`]).
pub fn plain_repr(obj: &Obj) -> Option<String> {
    Some(match obj {
        Obj::None => "None".into(),
        Obj::Bool(b) => py_bool(*b).into(),
        Obj::Int(n) => n.to_string(),
        Obj::Float(x) => float_repr(*x),
        Obj::Str(s) => str_repr(s),
        Obj::Bytes(b) => bytes_repr(b),
        Obj::Raw(text) => text.clone(),
        Obj::DataType(t) => data_type_repr(t),
        Obj::Field(f) => field_repr(f),
        Obj::Module(m) => format!("<module '{}'>", m.name()),
        Obj::Spark => format!(
            "<pyspark.sql.session.SparkSession object at {}>",
            address(0)
        ),
        Obj::SparkContext => "<SparkContext master=local[*] appName=PySparkShell>".into(),
        Obj::Streams => format!(
            "<pyspark.sql.streaming.query.StreamingQueryManager object at {}>",
            address(0x30)
        ),
        Obj::SessionClass(false) => "<class 'pyspark.sql.session.SparkSession'>".into(),
        Obj::SessionClass(true) => format!(
            "<pyspark.sql.session.SparkSession.Builder object at {}>",
            address(0x18)
        ),
        Obj::Builtin(b) => format!("<built-in function {}>", b.name()),
        Obj::Function(name) => format!("<function {name} at {}>", address(0x1000)),
        Obj::Query(h) => format!(
            "<pyspark.sql.streaming.query.StreamingQuery object at {}>",
            address(0x10_0000 + 0x60 * *h as u64)
        ),
        _ => return None,
    })
}

/// A `str` argument, or PySpark's `[NOT_STR]`.
pub fn str_arg(obj: Obj, arg: &str) -> Result<String, super::errors::PyError> {
    match obj {
        Obj::Str(s) => Ok(s),
        other => Err(super::errors::PyError::PySparkType {
            class: "NOT_STR",
            message: format!(
                "Argument `{arg}` should be a str, got {}.",
                other.type_name()
            ),
        }),
    }
}
