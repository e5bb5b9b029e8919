//! Resolution: an unresolved [`Expr`] and an input schema become a typed [`BoundExpr`], as
//! Spark 3.5's analyzer does (`ResolveReferences`, `LogicalPlan.resolve`, `TypeCoercion`,
//! `CheckAnalysis`). Names are matched case-insensitively (`spark.sql.caseSensitive=false`).
//!
//! Owns name lookup, FROM aliases, implicit casts and bind-time errors. Functions are looked up
//! in [`functions`](super::functions) after the integrator's hook, which supplies the ones this
//! module does not own (aggregates, `from_json`, `window`, …).

use super::bound::{BinaryOperator, BoundExpr};
use super::cast::can_cast;
use super::coercion::{common_type, comparison_type, wider_numeric};
use super::error::{quote_type, EvalError};
use super::functions::{self, CallSite};
use super::like::{check_pattern, BadPattern};
use super::naming::pretty_sql_in;
use super::resolve::extract_field;
use crate::streams::sql::ast::{BinaryOp, Expr, Literal, UnaryOp};
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;

/// How deep an expression may nest.
pub const MAX_DEPTH: usize = 200;

/// A FROM alias and the columns it names: `FROM orders o` makes `o` name columns
/// `start..end` of the input (end exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qualifier {
    /// The alias or table name (`o`, `orders`).
    pub name: String,
    /// The first column it covers.
    pub start: usize,
    /// One past the last column it covers.
    pub end: usize,
}

/// What binding needs besides the schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BindContext {
    /// The session's current time, microseconds since the epoch: what `current_timestamp()`,
    /// `current_date()` and `unix_timestamp()` return. Spark fixes it once per query
    /// execution (per micro-batch in streaming); the integrator sets it per batch and binds
    /// again.
    pub current_timestamp_micros: i64,
    /// The FROM aliases, for `o.value.order_id`.
    pub qualifiers: Vec<Qualifier>,
}

/// A function call the hook of [`bind_with`] is offered before the built-ins.
#[derive(Debug)]
pub struct ExternalCall<'a> {
    /// The name as written.
    pub name: &'a str,
    /// The name in lower case (lookup ignores case).
    pub lower_name: String,
    /// The bound arguments (`*` in `count(*)` is bound as the literal `1`, as Spark does).
    pub args: Vec<BoundExpr>,
    /// The arguments as written (for `from_json`'s schema string and the like).
    pub raw_args: &'a [Expr],
    /// `DISTINCT` was written before the arguments.
    pub distinct: bool,
    /// The call's text as Spark prints it (`count(1)`).
    pub sql: String,
}

/// The integrator's function hook: `None` when it does not know the name (the built-ins are
/// tried next), `Some(Ok(expr))` to supply the function (often a [`BoundExpr::External`]),
/// `Some(Err(e))` to refuse the call.
pub type FunctionHook<'h> = &'h dyn Fn(&ExternalCall<'_>) -> Option<Result<BoundExpr, EvalError>>;

/// Binds `expr` against the columns `input`, with built-in functions only.
pub fn bind(expr: &Expr, input: &[StructField], ctx: &BindContext) -> Result<BoundExpr, EvalError> {
    bind_with(expr, input, ctx, &|_| None)
}

/// Binds `expr` against `input`, offering every function call to `hook` first.
pub fn bind_with(
    expr: &Expr,
    input: &[StructField],
    ctx: &BindContext,
    hook: FunctionHook<'_>,
) -> Result<BoundExpr, EvalError> {
    Binder { input, ctx, hook }.bind(expr, 0)
}

pub(super) struct Binder<'a, 'h> {
    pub(super) input: &'a [StructField],
    pub(super) ctx: &'a BindContext,
    pub(super) hook: FunctionHook<'h>,
}

fn mismatch(sub_class: &'static str, sql: String, detail: String) -> EvalError {
    EvalError::DataTypeMismatch {
        sub_class,
        sql,
        detail,
    }
}

impl Binder<'_, '_> {
    pub(super) fn sql(&self, expr: &Expr) -> String {
        pretty_sql_in(expr, self.ctx)
    }

    fn bind(&self, expr: &Expr, depth: usize) -> Result<BoundExpr, EvalError> {
        if depth > MAX_DEPTH {
            return Err(EvalError::TooDeep(MAX_DEPTH));
        }
        let d = depth + 1;
        match expr {
            Expr::Literal(l) => Ok(literal(l)),
            Expr::Column(parts) => self.column(parts),
            Expr::Star(_) => Err(EvalError::Unsupported(
                "`*` is supported only as a whole select item or in count(*).".to_string(),
            )),
            Expr::Field(base, name) => {
                let base_bound = self.bind(base, d)?;
                extract_field(base_bound, name, &self.sql(base))
            }
            Expr::Index(base, key) => self.index(expr, base, key, d),
            Expr::Unary(op, inner) => self.unary(expr, *op, inner, d),
            Expr::Binary(l, op, r) => self.binary(expr, l, *op, r, d),
            Expr::Cast(child, to) => self.cast(expr, child, to, d),
            Expr::Function {
                name,
                args,
                distinct,
            } => self.function(expr, name, args, *distinct, d),
            Expr::Case {
                operand,
                branches,
                otherwise,
            } => self.case(expr, operand.as_deref(), branches, otherwise.as_deref(), d),
            Expr::IsNull { expr: e, negated } => Ok(BoundExpr::IsNull {
                child: Box::new(self.bind(e, d)?),
                negated: *negated,
            }),
            Expr::Like {
                expr: e,
                pattern,
                negated,
                regex,
            } => self.like(e, pattern, *negated, *regex, d),
            Expr::InList {
                expr: e,
                list,
                negated,
            } => self.in_list(expr, e, list, *negated, d),
            Expr::Between {
                expr: e,
                low,
                high,
                negated,
            } => self.between(expr, e, low, high, *negated, d),
            // An interval is only meaningful as a window()/watermark argument, which read it
            // as text; bind it as the text.
            Expr::Interval(text) => Ok(BoundExpr::Literal(Value::string(text), DataType::String)),
            Expr::Alias(inner, _) => self.bind(inner, d),
        }
    }

    #[inline(never)]
    fn cast(
        &self,
        expr: &Expr,
        child: &Expr,
        to: &DataType,
        d: usize,
    ) -> Result<BoundExpr, EvalError> {
        let bound = self.bind(child, d)?;
        let from = bound.data_type();
        if !can_cast(&from, to) {
            return Err(mismatch(
                "CAST_WITHOUT_SUGGESTION",
                self.sql(expr),
                format!("cannot cast {} to {}", quote_type(&from), quote_type(to)),
            ));
        }
        Ok(BoundExpr::Cast {
            child: Box::new(bound),
            to: to.clone(),
        })
    }

    #[inline(never)]
    fn like(
        &self,
        e: &Expr,
        pattern: &Expr,
        negated: bool,
        regex: bool,
        d: usize,
    ) -> Result<BoundExpr, EvalError> {
        if regex {
            return Err(EvalError::Unsupported(
                "RLIKE / REGEXP is not supported in Brooklet; use LIKE with % and _.".to_string(),
            ));
        }
        let child = self.string_operand(e, d)?;
        let pat = self.string_operand(pattern, d)?;
        if let BoundExpr::Literal(Value::String(p), _) = &pat {
            if let Err(bad) = check_pattern(p) {
                return Err(bad_like_pattern(p, bad));
            }
        }
        Ok(BoundExpr::Like {
            child: Box::new(child),
            pattern: Box::new(pat),
            negated,
        })
    }

    #[inline(never)]
    fn in_list(
        &self,
        expr: &Expr,
        e: &Expr,
        list: &[Expr],
        negated: bool,
        d: usize,
    ) -> Result<BoundExpr, EvalError> {
        let child = self.bind(e, d)?;
        let items = list
            .iter()
            .map(|x| self.bind(x, d))
            .collect::<Result<Vec<_>, _>>()?;
        let mut t = child.data_type();
        for item in &items {
            t = common_type(&t, &item.data_type()).ok_or_else(|| {
                let types: Vec<String> = std::iter::once(&child)
                    .chain(items.iter())
                    .map(|x| quote_type(&x.data_type()))
                    .collect();
                mismatch(
                    "DATA_DIFF_TYPES",
                    self.sql(expr),
                    format!(
                        "Input to `in` should all be the same type, but it's [{}]",
                        types.join(", ")
                    ),
                )
            })?;
        }
        Ok(BoundExpr::InList {
            child: Box::new(child.cast_to(&t)),
            list: items.into_iter().map(|x| x.cast_to(&t)).collect(),
            negated,
        })
    }

    #[inline(never)]
    fn between(
        &self,
        expr: &Expr,
        e: &Expr,
        low: &Expr,
        high: &Expr,
        negated: bool,
        d: usize,
    ) -> Result<BoundExpr, EvalError> {
        let ge = self.binary(expr, e, BinaryOp::GtEq, low, d)?;
        let le = self.binary(expr, e, BinaryOp::LtEq, high, d)?;
        let both = BoundExpr::Binary {
            op: BinaryOperator::And,
            left: Box::new(ge),
            right: Box::new(le),
            data_type: DataType::Boolean,
        };
        Ok(if negated {
            BoundExpr::Not(Box::new(both))
        } else {
            both
        })
    }

    fn string_operand(&self, e: &Expr, d: usize) -> Result<BoundExpr, EvalError> {
        let b = self.bind(e, d)?;
        let t = b.data_type();
        match t {
            DataType::Array { .. } | DataType::Map { .. } | DataType::Struct(_) => Err(mismatch(
                "UNEXPECTED_INPUT_TYPE",
                self.sql(e),
                format!(
                    "Parameter 1 requires the \"STRING\" type, however \"{}\" has the type {}",
                    self.sql(e),
                    quote_type(&t)
                ),
            )),
            _ => Ok(b.cast_to(&DataType::String)),
        }
    }

    #[inline(never)]
    fn index(
        &self,
        expr: &Expr,
        base: &Expr,
        key: &Expr,
        d: usize,
    ) -> Result<BoundExpr, EvalError> {
        let child = self.bind(base, d)?;
        let k = self.bind(key, d)?;
        let (key_type, data_type) = match child.data_type() {
            DataType::Array { element, .. } => (DataType::Integer, *element),
            DataType::Map { key, value, .. } => (*key, *value),
            other => {
                return Err(mismatch(
                    "UNEXPECTED_INPUT_TYPE",
                    self.sql(expr),
                    format!(
                        "Parameter 1 requires the (\"ARRAY\" or \"MAP\") type, however \"{}\" has the type {}",
                        self.sql(base),
                        quote_type(&other)
                    ),
                ))
            }
        };
        Ok(BoundExpr::Index {
            child: Box::new(child),
            key: Box::new(k.cast_to(&key_type)),
            data_type,
        })
    }

    #[inline(never)]
    fn unary(
        &self,
        expr: &Expr,
        op: UnaryOp,
        inner: &Expr,
        d: usize,
    ) -> Result<BoundExpr, EvalError> {
        let b = self.bind(inner, d)?;
        let t = b.data_type();
        match op {
            UnaryOp::Not => match t {
                DataType::Boolean | DataType::Null => {
                    Ok(BoundExpr::Not(Box::new(b.cast_to(&DataType::Boolean))))
                }
                other => Err(self.wrong_input(expr, inner, "\"BOOLEAN\"", &other)),
            },
            UnaryOp::Minus | UnaryOp::Plus => {
                let b = match t {
                    DataType::String | DataType::Null => b.cast_to(&DataType::Double),
                    ref n if n.is_numeric() => b,
                    other => return Err(self.wrong_input(expr, inner, "\"NUMERIC\"", &other)),
                };
                Ok(if op == UnaryOp::Minus {
                    match b {
                        BoundExpr::Literal(v, t) => {
                            let negated =
                                BoundExpr::Negate(Box::new(BoundExpr::Literal(v, t.clone())));
                            BoundExpr::Literal(negated.eval(&[]), t)
                        }
                        other => BoundExpr::Negate(Box::new(other)),
                    }
                } else {
                    b
                })
            }
        }
    }

    fn wrong_input(&self, expr: &Expr, arg: &Expr, expected: &str, t: &DataType) -> EvalError {
        mismatch(
            "UNEXPECTED_INPUT_TYPE",
            self.sql(expr),
            format!(
                "Parameter 1 requires the {expected} type, however \"{}\" has the type {}",
                self.sql(arg),
                quote_type(t)
            ),
        )
    }

    #[inline(never)]
    fn binary(
        &self,
        expr: &Expr,
        l: &Expr,
        op: BinaryOp,
        r: &Expr,
        d: usize,
    ) -> Result<BoundExpr, EvalError> {
        let left = self.bind(l, d)?;
        let right = self.bind(r, d)?;
        let (lt, rt) = (left.data_type(), right.data_type());
        let diff = || {
            mismatch(
                "BINARY_OP_DIFF_TYPES",
                self.sql(expr),
                format!(
                    "the left and right operands of the binary operator have incompatible types ({} and {})",
                    quote_type(&lt),
                    quote_type(&rt)
                ),
            )
        };
        let wrong = |t: &DataType, wanted: &str| {
            mismatch(
                "BINARY_OP_WRONG_TYPE",
                self.sql(expr),
                format!(
                    "the binary operator requires the input type {wanted}, not {}",
                    quote_type(t)
                ),
            )
        };
        let make = |op, t: &DataType, data_type: DataType| BoundExpr::Binary {
            op,
            left: Box::new(left.clone().cast_to(t)),
            right: Box::new(right.clone().cast_to(t)),
            data_type,
        };
        use BinaryOperator as B;
        Ok(match op {
            BinaryOp::And | BinaryOp::Or => {
                for t in [&lt, &rt] {
                    if !matches!(t, DataType::Boolean | DataType::Null) {
                        return Err(wrong(t, "\"BOOLEAN\""));
                    }
                }
                let bop = if op == BinaryOp::And { B::And } else { B::Or };
                make(bop, &DataType::Boolean, DataType::Boolean)
            }
            BinaryOp::Eq
            | BinaryOp::NotEq
            | BinaryOp::NullSafeEq
            | BinaryOp::Lt
            | BinaryOp::LtEq
            | BinaryOp::Gt
            | BinaryOp::GtEq => {
                let t = comparison_type(&lt, &rt).ok_or_else(diff)?;
                let bop = match op {
                    BinaryOp::Eq | BinaryOp::NotEq => B::Eq,
                    BinaryOp::NullSafeEq => B::NullSafeEq,
                    BinaryOp::Lt => B::Lt,
                    BinaryOp::LtEq => B::LtEq,
                    BinaryOp::Gt => B::Gt,
                    _ => B::GtEq,
                };
                let cmp = make(bop, &t, DataType::Boolean);
                if op == BinaryOp::NotEq {
                    BoundExpr::Not(Box::new(cmp))
                } else {
                    cmp
                }
            }
            BinaryOp::Concat => {
                let call = Expr::Function {
                    name: "concat".to_string(),
                    args: vec![l.clone(), r.clone()],
                    distinct: false,
                };
                return self.function(&call, "concat", &[l.clone(), r.clone()], false, d);
            }
            BinaryOp::Plus | BinaryOp::Minus if is_date_shift(&lt, &rt) => {
                let name = if op == BinaryOp::Plus {
                    "date_add"
                } else {
                    "date_sub"
                };
                let site = CallSite {
                    name,
                    sql: self.sql(expr),
                    arg_sql: vec![self.sql(l), self.sql(r)],
                    now_micros: self.ctx.current_timestamp_micros,
                    raw_args: &[],
                };
                return functions::bind_call(name, vec![left, right], &site)
                    .unwrap_or_else(|| Err(diff()));
            }
            _ => {
                // PromoteStrings: a string operand of arithmetic is read as a double.
                let promote = |t: &DataType| match t {
                    DataType::String | DataType::Null => DataType::Double,
                    other => other.clone(),
                };
                let (pl, pr) = (promote(&lt), promote(&rt));
                for t in [&pl, &pr] {
                    if !t.is_numeric() {
                        return Err(if lt != rt {
                            diff()
                        } else {
                            wrong(t, "\"NUMERIC\"")
                        });
                    }
                }
                let t = match op {
                    BinaryOp::Divide => DataType::Double,
                    BinaryOp::IntDivide => DataType::Long,
                    _ => wider_numeric(&pl, &pr).ok_or_else(diff)?,
                };
                let bop = match op {
                    BinaryOp::Plus => B::Add,
                    BinaryOp::Minus => B::Subtract,
                    BinaryOp::Multiply => B::Multiply,
                    BinaryOp::Divide => B::Divide,
                    BinaryOp::Modulo => B::Remainder,
                    _ => B::IntDivide,
                };
                make(bop, &t, t.clone())
            }
        })
    }

    #[inline(never)]
    fn case(
        &self,
        expr: &Expr,
        operand: Option<&Expr>,
        branches: &[(Expr, Expr)],
        otherwise: Option<&Expr>,
        d: usize,
    ) -> Result<BoundExpr, EvalError> {
        let mut conditions = Vec::with_capacity(branches.len());
        let mut values = Vec::with_capacity(branches.len());
        for (when, then) in branches {
            let cond = match operand {
                Some(o) => self.binary(expr, o, BinaryOp::Eq, when, d)?,
                None => self.bind(when, d)?,
            };
            let ct = cond.data_type();
            if !matches!(ct, DataType::Boolean | DataType::Null) {
                return Err(mismatch(
                    "UNEXPECTED_INPUT_TYPE",
                    self.sql(expr),
                    format!(
                        "Parameter 1 requires the \"BOOLEAN\" type, however \"{}\" has the type {}",
                        self.sql(when),
                        quote_type(&ct)
                    ),
                ));
            }
            conditions.push(cond.cast_to(&DataType::Boolean));
            values.push(self.bind(then, d)?);
        }
        let other = otherwise.map(|o| self.bind(o, d)).transpose()?;
        let mut all: Vec<&BoundExpr> = values.iter().collect();
        all.extend(other.iter());
        let t = common_of(all.iter().map(|b| b.data_type())).ok_or_else(|| {
            let types: Vec<String> = all.iter().map(|b| quote_type(&b.data_type())).collect();
            mismatch(
                "DATA_DIFF_TYPES",
                self.sql(expr),
                format!(
                    "Input to `casewhen` should all be the same type, but it's [{}]",
                    types.join(", ")
                ),
            )
        })?;
        Ok(BoundExpr::Case {
            branches: conditions
                .into_iter()
                .zip(values)
                .map(|(c, v)| (c, v.cast_to(&t)))
                .collect(),
            otherwise: other.map(|o| Box::new(o.cast_to(&t))),
            data_type: t,
        })
    }

    #[inline(never)]
    fn function(
        &self,
        expr: &Expr,
        name: &str,
        args: &[Expr],
        distinct: bool,
        d: usize,
    ) -> Result<BoundExpr, EvalError> {
        let lower = name.to_ascii_lowercase();
        let mut bound = Vec::with_capacity(args.len());
        for a in args {
            bound.push(match a {
                Expr::Star(None) if lower == "count" => {
                    BoundExpr::Literal(Value::Integer(1), DataType::Integer)
                }
                other => self.bind(other, d)?,
            });
        }
        let sql = self.sql(expr);
        let call = ExternalCall {
            name,
            lower_name: lower.clone(),
            args: bound,
            raw_args: args,
            distinct,
            sql,
        };
        if let Some(result) = (self.hook)(&call) {
            return result;
        }
        if distinct {
            return Err(EvalError::Unsupported(format!(
                "DISTINCT is supported only in aggregate functions, not in {name}()."
            )));
        }
        let site = CallSite {
            name,
            sql: call.sql,
            arg_sql: args.iter().map(|a| self.sql(a)).collect(),
            now_micros: self.ctx.current_timestamp_micros,
            raw_args: args,
        };
        functions::bind_call(&lower, call.args, &site)
            .unwrap_or_else(|| Err(EvalError::UnknownFunction(name.to_string())))
    }
}

fn is_date_shift(lt: &DataType, rt: &DataType) -> bool {
    *lt == DataType::Date && matches!(rt, DataType::Byte | DataType::Short | DataType::Integer)
}

/// The common type of several types (Spark's `findWiderCommonType`), or `None`.
pub fn common_of(types: impl Iterator<Item = DataType>) -> Option<DataType> {
    let mut acc = DataType::Null;
    for t in types {
        acc = common_type(&acc, &t)?;
    }
    Some(acc)
}

fn bad_like_pattern(pattern: &str, bad: BadPattern) -> EvalError {
    EvalError::Unsupported(match bad {
        BadPattern::EscapeInTheMiddle(c) => format!(
            "[INVALID_FORMAT.ESCAPE_CHARACTER_IN_THE_MIDDLE] The format is invalid: '{pattern}'. The escape character is not allowed to precede '{c}'."
        ),
        BadPattern::EscapeAtTheEnd => format!(
            "[INVALID_FORMAT.ESCAPE_CHARACTER_AT_THE_END] The format is invalid: '{pattern}'. The escape character is not allowed to end with."
        ),
    })
}

fn literal(l: &Literal) -> BoundExpr {
    match l {
        Literal::Null => BoundExpr::Literal(Value::Null, DataType::Null),
        Literal::Boolean(b) => BoundExpr::Literal(Value::Boolean(*b), DataType::Boolean),
        Literal::Integer(n) => match i32::try_from(*n) {
            Ok(i) => BoundExpr::Literal(Value::Integer(i), DataType::Integer),
            Err(_) => BoundExpr::Literal(Value::Long(*n), DataType::Long),
        },
        Literal::Long(n) => BoundExpr::Literal(Value::Long(*n), DataType::Long),
        Literal::Double(x) => BoundExpr::Literal(Value::Double(*x), DataType::Double),
        Literal::String(s) => BoundExpr::Literal(Value::string(s), DataType::String),
    }
}
