//! [`Interp`]: walks the syntax tree of [`crate::streams::python`] — statements, names and
//! imports, calls and attributes, Python's operators on plain values — and hands PySpark
//! objects to their methods ([`super::dataframe`], [`super::writer`], [`super::functions`]).
//!
//! Owns the environment (the names bound) and what statements print; must not parse SQL or
//! run plans itself (the session does). Recursion follows the tree, which the parser caps at
//! [`crate::streams::python::MAX_NESTING`]; [`MAX_DEPTH`] guards it again.

use std::collections::HashMap;

use crate::client::printed::Printed;
use crate::streams::python::{BoolOpKind, Expr, ImportNames, Stmt, StmtKind};
use crate::streams::session::SparkSession;

use super::errors::PyError;
use super::objects::{plain_repr, Builtin, Module, Obj};
use super::operators::{binary, compare, plain_eq, unary};
use super::result_table::ResultTable;

/// How deep evaluation may recurse (the parser's cap is lower; this is a second guard).
pub const MAX_DEPTH: usize = 400;

/// Positional and keyword arguments of one call, taken one by one by the callee.
#[derive(Debug)]
pub struct Args {
    /// The called function's name, for error messages.
    pub func: String,
    pos: Vec<Option<Obj>>,
    kw: Vec<(String, Option<Obj>)>,
}

impl Args {
    /// Arguments for `func`.
    pub fn new(func: impl Into<String>, pos: Vec<Obj>, kw: Vec<(String, Obj)>) -> Self {
        Args {
            func: func.into(),
            pos: pos.into_iter().map(Some).collect(),
            kw: kw.into_iter().map(|(k, v)| (k, Some(v))).collect(),
        }
    }

    /// The argument at position `i`, or given as `name=`.
    pub fn take(&mut self, i: usize, name: &str) -> Option<Obj> {
        if let Some(v) = self.pos.get_mut(i).and_then(Option::take) {
            return Some(v);
        }
        self.kw
            .iter_mut()
            .find(|(k, v)| k == name && v.is_some())
            .and_then(|(_, v)| v.take())
    }

    /// A keyword-only argument.
    pub fn keyword(&mut self, name: &str) -> Option<Obj> {
        self.take(usize::MAX, name)
    }

    /// Every positional argument not taken yet, from position `from`.
    pub fn rest(&mut self, from: usize) -> Vec<Obj> {
        self.pos
            .iter_mut()
            .skip(from)
            .filter_map(Option::take)
            .collect()
    }

    /// Every keyword argument not taken yet.
    pub fn rest_keywords(&mut self) -> Vec<(String, Obj)> {
        self.kw
            .iter_mut()
            .filter_map(|(k, v)| v.take().map(|v| (k.clone(), v)))
            .collect()
    }

    /// The argument is required: Python's `TypeError` when missing.
    pub fn need(&mut self, i: usize, name: &str) -> Result<Obj, PyError> {
        self.take(i, name).ok_or_else(|| {
            PyError::Type(format!(
                "{}() missing 1 required positional argument: '{name}'",
                self.func
            ))
        })
    }

    /// Refuses what was not taken, as Python refuses unknown arguments.
    pub fn finish(self) -> Result<(), PyError> {
        if let Some((k, _)) = self.kw.iter().find(|(_, v)| v.is_some()) {
            return Err(PyError::unexpected_kwarg(&self.func, k));
        }
        if self.pos.iter().any(Option::is_some) {
            let taken = self.pos.iter().filter(|v| v.is_none()).count();
            return Err(PyError::Type(format!(
                "{}() takes {taken} positional argument{} but {} were given",
                self.func,
                if taken == 1 { "" } else { "s" },
                self.pos.len()
            )));
        }
        Ok(())
    }
}

/// The interpreter: a session, the names bound, and what has been printed.
pub struct Interp {
    /// The Spark session `spark` stands for.
    pub session: SparkSession,
    names: HashMap<String, Obj>,
    /// What the statements printed so far, both streams in order (exceptions are printed by
    /// the shell).
    pub printed: Printed,
    /// In a notebook, where `display(df)` draws a table instead of printing `show()`'s text:
    /// each table with the length `printed`'s standard output had when it was drawn.
    pub tables: Option<Vec<(usize, ResultTable)>>,
    depth: usize,
}

impl Interp {
    /// An interpreter with PySpark's shell names bound: `spark`, `sc` and Python's built-ins.
    pub fn new(session: SparkSession) -> Self {
        let mut names = HashMap::new();
        names.insert("spark".to_string(), Obj::Spark);
        names.insert("sc".to_string(), Obj::SparkContext);
        for (name, b) in [
            ("print", Builtin::Print),
            ("display", Builtin::Display),
            ("len", Builtin::Len),
            ("str", Builtin::Str),
            ("repr", Builtin::Repr),
            ("exit", Builtin::Exit),
            ("quit", Builtin::Exit),
        ] {
            names.insert(name.to_string(), Obj::Builtin(b));
        }
        Interp {
            session,
            names,
            printed: Printed::default(),
            tables: None,
            depth: 0,
        }
    }

    /// Runs one statement; an expression statement's value is returned for the shell to echo.
    pub fn exec(&mut self, stmt: &Stmt) -> Result<Option<Obj>, PyError> {
        self.depth = 0;
        match &stmt.kind {
            StmtKind::Assign { targets, value } => {
                let v = self.eval(value)?;
                for t in targets {
                    self.names.insert(t.clone(), v.clone());
                }
                Ok(None)
            }
            StmtKind::Expr(e) => {
                let v = self.eval(e)?;
                Ok((!matches!(v, Obj::None)).then_some(v))
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let module = Module::by_name(&a.name)
                        .ok_or_else(|| PyError::NoModule(a.name.clone()))?;
                    match &a.asname {
                        Some(n) => self.names.insert(n.clone(), Obj::Module(module)),
                        // `import pyspark.sql.functions` binds `pyspark`.
                        None => self
                            .names
                            .insert("pyspark".into(), Obj::Module(Module::PySpark)),
                    };
                }
                Ok(None)
            }
            StmtKind::FromImport { module, names } => {
                let m = Module::by_name(module).ok_or_else(|| PyError::NoModule(module.clone()))?;
                match names {
                    ImportNames::Star => {
                        for name in super::functions::star_names(m) {
                            let v = self.module_attr(m, name)?;
                            self.names.insert(name.to_string(), v);
                        }
                    }
                    ImportNames::Names(list) => {
                        for a in list {
                            let v = self.module_attr(m, &a.name).map_err(|_| {
                                PyError::CannotImport {
                                    name: a.name.clone(),
                                    module: module.clone(),
                                }
                            })?;
                            let bound = a.asname.clone().unwrap_or_else(|| a.name.clone());
                            self.names.insert(bound, v);
                        }
                    }
                }
                Ok(None)
            }
            StmtKind::Pass => Ok(None),
        }
    }

    /// A module's attribute (`F.col`, `pyspark.sql.types.LongType`).
    pub fn module_attr(&self, m: Module, name: &str) -> Result<Obj, PyError> {
        let missing = || PyError::Attribute {
            type_name: "module".into(),
            attr: name.into(),
        };
        match m {
            Module::PySpark => match name {
                "sql" => Ok(Obj::Module(Module::Sql)),
                _ => Err(missing()),
            },
            Module::Sql => match name {
                "functions" => Ok(Obj::Module(Module::Functions)),
                "types" => Ok(Obj::Module(Module::Types)),
                "streaming" => Ok(Obj::Module(Module::Streaming)),
                "SparkSession" => Ok(Obj::SessionClass(false)),
                _ => Err(missing()),
            },
            Module::Functions => super::functions::function_object(name).ok_or_else(missing),
            Module::Types => super::types::type_class(name).ok_or_else(missing),
            Module::Streaming => Err(missing()),
        }
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, e: &Expr) -> Result<Obj, PyError> {
        if self.depth >= MAX_DEPTH {
            return Err(PyError::Recursion);
        }
        self.depth += 1;
        let v = self.eval_inner(e);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, e: &Expr) -> Result<Obj, PyError> {
        Ok(match e {
            Expr::Name(n) => self
                .names
                .get(n)
                .cloned()
                .ok_or_else(|| PyError::unbound(n))?,
            Expr::Attribute { value, attr } => {
                let v = self.eval(value)?;
                self.get_attr(v, attr)?
            }
            Expr::Call { func, args, kwargs } => {
                let f = self.eval(func)?;
                let mut pos = Vec::with_capacity(args.len());
                for a in args {
                    pos.push(self.eval(a)?);
                }
                let mut kw = Vec::with_capacity(kwargs.len());
                for (k, a) in kwargs {
                    kw.push((k.clone(), self.eval(a)?));
                }
                self.call(f, pos, kw)?
            }
            Expr::Subscript { value, index } => {
                let v = self.eval(value)?;
                let i = self.eval(index)?;
                self.subscript(v, i)?
            }
            Expr::Str(s) => Obj::Str(s.clone()),
            Expr::Bytes(b) => Obj::Bytes(b.clone()),
            Expr::Int(n) => Obj::Int(*n),
            Expr::Float(x) => Obj::Float(*x),
            Expr::Bool(b) => Obj::Bool(*b),
            Expr::NoneLit => Obj::None,
            Expr::List(items) => Obj::List(self.eval_all(items)?),
            Expr::Tuple(items) => Obj::Tuple(self.eval_all(items)?),
            Expr::Dict(entries) => {
                let mut out: Vec<(Obj, Obj)> = Vec::new();
                for (k, v) in entries {
                    let k = self.eval(k)?;
                    let v = self.eval(v)?;
                    match out.iter_mut().find(|(old, _)| plain_eq(old, &k)) {
                        Some(slot) => slot.1 = v,
                        None => out.push((k, v)),
                    }
                }
                Obj::Dict(out)
            }
            Expr::Unary { op, operand } => {
                let v = self.eval(operand)?;
                unary(*op, v)?
            }
            Expr::Binary { op, left, right } => {
                let l = self.eval(left)?;
                let r = self.eval(right)?;
                binary(*op, l, r)?
            }
            Expr::Compare { op, left, right } => {
                let l = self.eval(left)?;
                let r = self.eval(right)?;
                compare(*op, l, r)?
            }
            Expr::BoolOp { op, left, right } => {
                let l = self.eval(left)?;
                let truth = l.truthy().ok_or_else(column_truth_error)?;
                match (op, truth) {
                    (BoolOpKind::And, false) | (BoolOpKind::Or, true) => l,
                    _ => {
                        let r = self.eval(right)?;
                        if r.truthy().is_none() {
                            return Err(column_truth_error());
                        }
                        r
                    }
                }
            }
        })
    }

    fn eval_all(&mut self, items: &[Expr]) -> Result<Vec<Obj>, PyError> {
        items.iter().map(|i| self.eval(i)).collect()
    }

    /// `obj.attr`: a property's value, or the method bound to `obj`.
    pub fn get_attr(&mut self, obj: Obj, attr: &str) -> Result<Obj, PyError> {
        let missing = |obj: &Obj| PyError::Attribute {
            type_name: obj.type_name().into(),
            attr: attr.into(),
        };
        match &obj {
            Obj::Module(m) => self.module_attr(*m, attr),
            Obj::DataFrame(_) | Obj::Grouped { .. } => self.dataframe_attr(obj, attr),
            Obj::Column(_) | Obj::SortOrder(_) => super::functions::column_attr(obj, attr),
            Obj::Row(fields) => match fields.iter().find(|(n, _)| n == attr) {
                Some((_, v)) => Ok(v.clone()),
                None if attr == "asDict" => Ok(Obj::Method(Box::new(obj), attr.into())),
                None => Err(missing(&obj)),
            },
            Obj::DataType(_) | Obj::Field(_) => super::types::type_attr(obj, attr),
            Obj::Spark
            | Obj::SparkContext
            | Obj::SessionClass(_)
            | Obj::Streams
            | Obj::Reader(_)
            | Obj::Writer(_)
            | Obj::Query(_) => self.spark_attr(obj, attr),
            Obj::Dict(_) if matches!(attr, "keys" | "values" | "items" | "get") => {
                Ok(Obj::Method(Box::new(obj), attr.into()))
            }
            _ => Err(missing(&obj)),
        }
    }

    /// `f(args…)`.
    pub fn call(&mut self, f: Obj, pos: Vec<Obj>, kw: Vec<(String, Obj)>) -> Result<Obj, PyError> {
        match f {
            Obj::Builtin(b) => self.builtin(b, pos, kw),
            Obj::Function(name) => {
                let args = Args::new(name.clone(), pos, kw);
                super::functions::call_function(&name, args)
            }
            Obj::TypeCtor(t) => super::types::construct(&t, Args::new("type", pos, kw)),
            Obj::Method(recv, name) => {
                let args = Args::new(name.clone(), pos, kw);
                match *recv {
                    Obj::DataFrame(_) | Obj::Grouped { .. } => {
                        self.dataframe_method(*recv, &name, args)
                    }
                    Obj::Column(_) | Obj::SortOrder(_) => {
                        super::functions::column_method(*recv, &name, args)
                    }
                    Obj::DataType(_) | Obj::Field(_) => {
                        super::types::type_method(*recv, &name, args)
                    }
                    Obj::Dict(entries) => dict_method(entries, &name, args),
                    Obj::Row(fields) => {
                        args.finish()?;
                        Ok(Obj::Dict(
                            fields.into_iter().map(|(k, v)| (Obj::Str(k), v)).collect(),
                        ))
                    }
                    other => self.spark_method(other, &name, args),
                }
            }
            other => Err(PyError::Type(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    fn builtin(
        &mut self,
        b: Builtin,
        pos: Vec<Obj>,
        kw: Vec<(String, Obj)>,
    ) -> Result<Obj, PyError> {
        let name = b.name();
        let mut args = Args::new(name, pos, kw);
        match b {
            Builtin::Print => {
                let sep = match args.keyword("sep") {
                    Some(Obj::Str(s)) => s,
                    _ => " ".into(),
                };
                let end = match args.keyword("end") {
                    Some(Obj::Str(s)) => s,
                    _ => "\n".into(),
                };
                let values = args.rest(0);
                args.finish()?;
                let texts: Vec<String> = values.iter().map(|v| self.str_of(v)).collect();
                self.printed.out(&texts.join(&sep));
                self.printed.out(&end);
                Ok(Obj::None)
            }
            Builtin::Display => {
                let df = args.need(0, "df")?;
                args.finish()?;
                self.display(df)
            }
            Builtin::Len => {
                let v = args.need(0, "obj")?;
                args.finish()?;
                let n = match &v {
                    Obj::Str(s) => s.chars().count(),
                    Obj::Bytes(b) => b.len(),
                    Obj::List(x) | Obj::Tuple(x) => x.len(),
                    Obj::Dict(x) => x.len(),
                    Obj::Row(x) => x.len(),
                    other => {
                        return Err(PyError::Type(format!(
                            "object of type '{}' has no len()",
                            other.type_name()
                        )))
                    }
                };
                Ok(Obj::Int(n as i64))
            }
            Builtin::Str | Builtin::Repr => {
                let v = args.take(0, "object").unwrap_or(Obj::Str(String::new()));
                args.finish()?;
                Ok(Obj::Str(if b == Builtin::Str {
                    self.str_of(&v)
                } else {
                    self.repr(&v)
                }))
            }
            Builtin::Exit => Err(PyError::Exit),
        }
    }

    fn subscript(&mut self, v: Obj, i: Obj) -> Result<Obj, PyError> {
        match (v, i) {
            (Obj::DataFrame(plan), Obj::Str(name)) => self
                .dataframe_attr(Obj::DataFrame(plan), &name)
                .or_else(|_| Ok(Obj::Column(super::functions::name_to_column(&name)))),
            (c @ (Obj::Column(_) | Obj::SortOrder(_)), i) => super::functions::column_item(c, i),
            // PySpark's `StructType.__getitem__`: a field by name or position.
            (Obj::DataType(crate::streams::types::DataType::Struct(fields)), key) => {
                struct_field(fields, key)
            }
            (Obj::List(items) | Obj::Tuple(items), Obj::Int(n)) => {
                let len = items.len() as i64;
                let at = if n < 0 { n + len } else { n };
                usize::try_from(at)
                    .ok()
                    .and_then(|at| items.get(at).cloned())
                    .ok_or_else(|| PyError::Index("list index out of range".into()))
            }
            (Obj::Row(fields), Obj::Int(n)) => {
                let len = fields.len() as i64;
                let at = if n < 0 { n + len } else { n };
                usize::try_from(at)
                    .ok()
                    .and_then(|at| fields.get(at).map(|(_, v)| v.clone()))
                    .ok_or_else(|| PyError::Index("tuple index out of range".into()))
            }
            (Obj::Row(fields), Obj::Str(name)) => fields
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v)
                .ok_or_else(|| PyError::Value(format!("'{name}' is not in list"))),
            (Obj::Dict(entries), k) => entries
                .into_iter()
                .find(|(old, _)| plain_eq(old, &k))
                .map(|(_, v)| v)
                .ok_or_else(|| PyError::Key(self.repr(&k))),
            (Obj::Str(s), Obj::Int(n)) => {
                let chars: Vec<char> = s.chars().collect();
                let len = chars.len() as i64;
                let at = if n < 0 { n + len } else { n };
                usize::try_from(at)
                    .ok()
                    .and_then(|at| chars.get(at))
                    .map(|c| Obj::Str(c.to_string()))
                    .ok_or_else(|| PyError::Index("string index out of range".into()))
            }
            (v, i) => Err(PyError::Type(format!(
                "'{}' object is not subscriptable with {}",
                v.type_name(),
                i.type_name()
            ))),
        }
    }

    /// Python's `str(x)`: a string as is, everything else as its repr.
    pub fn str_of(&mut self, v: &Obj) -> String {
        match v {
            Obj::Str(s) => s.clone(),
            other => self.repr(other),
        }
    }

    /// Python's `repr(x)`, PySpark's for PySpark objects.
    pub fn repr(&mut self, v: &Obj) -> String {
        if let Some(text) = plain_repr(v) {
            return text;
        }
        match v {
            Obj::List(items) => format!("[{}]", self.reprs(items)),
            Obj::Tuple(items) if items.len() == 1 => format!("({},)", self.repr(&items[0])),
            Obj::Tuple(items) => format!("({})", self.reprs(items)),
            Obj::Dict(entries) => {
                let inner: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", self.repr(k), self.repr(v)))
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
            Obj::Row(fields) => {
                let inner: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", self.repr(v)))
                    .collect();
                format!("Row({})", inner.join(", "))
            }
            Obj::Method(recv, name) => {
                format!(
                    "<bound method {}.{name} of {}>",
                    recv.type_name(),
                    self.repr(recv)
                )
            }
            other => self.spark_repr(other),
        }
    }

    fn reprs(&mut self, items: &[Obj]) -> String {
        let texts: Vec<String> = items.iter().map(|i| self.repr(i)).collect();
        texts.join(", ")
    }
}

fn dict_method(entries: Vec<(Obj, Obj)>, name: &str, mut args: Args) -> Result<Obj, PyError> {
    match name {
        "get" => {
            let k = args.need(0, "key")?;
            let default = args.take(1, "default").unwrap_or(Obj::None);
            args.finish()?;
            Ok(entries
                .into_iter()
                .find(|(old, _)| plain_eq(old, &k))
                .map_or(default, |(_, v)| v))
        }
        "keys" => Ok(Obj::List(entries.into_iter().map(|(k, _)| k).collect())),
        "values" => Ok(Obj::List(entries.into_iter().map(|(_, v)| v).collect())),
        _ => Ok(Obj::List(
            entries
                .into_iter()
                .map(|(k, v)| Obj::Tuple(vec![k, v]))
                .collect(),
        )),
    }
}

/// `schema["name"]` / `schema[0]`, with PySpark's errors for a missing one.
fn struct_field(fields: Vec<crate::streams::types::StructField>, key: Obj) -> Result<Obj, PyError> {
    let found = match &key {
        Obj::Str(name) => fields.into_iter().find(|f| f.name == *name),
        Obj::Int(n) => {
            let at = if *n < 0 { n + fields.len() as i64 } else { *n };
            usize::try_from(at)
                .ok()
                .and_then(|at| fields.into_iter().nth(at))
        }
        other => {
            return Err(PyError::PySparkType {
                class: "NOT_INT_OR_SLICE_OR_STR",
                message: format!(
                    "Argument `key` should be an int, slice or str, got {}.",
                    other.type_name()
                ),
            })
        }
    };
    found.map(Obj::Field).ok_or_else(|| match key {
        Obj::Str(name) => {
            PyError::PySparkKey(format!("[KEY_NOT_EXISTS] Key `{name}` is not exists."))
        }
        other => PyError::PySparkIndex(format!(
            "[INDEX_OUT_OF_RANGE] StructType index out of range, got '{}'.",
            plain_repr(&other).unwrap_or_default()
        )),
    })
}

/// PySpark's refusal to use a column as a Python truth value (`and`, `or`, `not`).
pub fn column_truth_error() -> PyError {
    PyError::Value("Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions.".into())
}
