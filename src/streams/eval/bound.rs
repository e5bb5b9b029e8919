//! [`BoundExpr`]: an expression resolved against an input schema — columns are positions,
//! every node has a type, implicit casts are explicit — and its evaluation on one row.
//!
//! Owns evaluation, which never fails and never panics: as in non-ANSI Spark, a run-time error
//! (division by zero, a bad cast, an index out of range) is `NULL`. Must not resolve names
//! (that is [`bind`](super::bind)'s job).

use std::fmt;
use std::rc::Rc;

use super::cast::{cast_value, casts_to_null};
use super::functions::ScalarFunction;
use super::like::like_matches;
use super::ordering::{compare, equal};
use crate::streams::types::DataType;
use crate::streams::value::Value;

/// A function the integrator supplies (aggregates, `from_json`, `window`, …) through
/// [`bind_with`](super::bind_with)'s hook. Its arguments arrive evaluated.
pub trait ExternalFunction: fmt::Debug {
    /// The name it answers to (for messages and plans).
    fn name(&self) -> &str;
    /// The type of its result.
    fn data_type(&self) -> DataType;
    /// Its result for one row's argument values; must not panic.
    fn eval(&self, args: &[Value]) -> Value;
}

/// A binary operator after binding (`!=` is `NOT (a = b)`, `||` is `concat`, as in Spark).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOperator {
    /// Three-valued `AND`.
    And,
    /// Three-valued `OR`.
    Or,
    /// `=`: `NULL` when either side is.
    Eq,
    /// `<=>`: never `NULL`.
    NullSafeEq,
    /// `<`.
    Lt,
    /// `<=`.
    LtEq,
    /// `>`.
    Gt,
    /// `>=`.
    GtEq,
    /// `+`, wrapping on integer overflow as Java does.
    Add,
    /// `-`.
    Subtract,
    /// `*`.
    Multiply,
    /// `/` on doubles; `NULL` when dividing by zero.
    Divide,
    /// `%`; `NULL` when the divisor is zero.
    Remainder,
    /// `div` on bigints; `NULL` when the divisor is zero.
    IntDivide,
}

/// A resolved, typed expression.
#[derive(Debug, Clone)]
pub enum BoundExpr {
    /// The input row's column at `index`.
    Column {
        /// The column's position.
        index: usize,
        /// Its type.
        data_type: DataType,
        /// Whether it may be null.
        nullable: bool,
    },
    /// A constant.
    Literal(Value, DataType),
    /// A struct's field at `index` (Spark's `GetStructField`).
    Field {
        /// The struct.
        child: Box<BoundExpr>,
        /// The field's position.
        index: usize,
        /// The field's type.
        data_type: DataType,
    },
    /// One field of every struct of an array (Spark's `GetArrayStructFields`:
    /// `value.line_items.order_item_id`).
    ArrayField {
        /// The array of structs.
        child: Box<BoundExpr>,
        /// The field's position.
        index: usize,
        /// `array<field type>`.
        data_type: DataType,
    },
    /// `a[i]` (0-based; out of range is `NULL`) or `m[key]`.
    Index {
        /// The array or map.
        child: Box<BoundExpr>,
        /// The index or key.
        key: Box<BoundExpr>,
        /// The element's or value's type.
        data_type: DataType,
    },
    /// A cast (explicit, or inserted by coercion).
    Cast {
        /// The value.
        child: Box<BoundExpr>,
        /// The target type.
        to: DataType,
    },
    /// Three-valued `NOT`.
    Not(Box<BoundExpr>),
    /// Unary minus (wrapping, as Java's `-Integer.MIN_VALUE`).
    Negate(Box<BoundExpr>),
    /// A binary operation on operands already cast to one type.
    Binary {
        /// The operator.
        op: BinaryOperator,
        /// The left operand.
        left: Box<BoundExpr>,
        /// The right operand.
        right: Box<BoundExpr>,
        /// The result's type.
        data_type: DataType,
    },
    /// `CASE WHEN … THEN … ELSE … END` (also `if`).
    Case {
        /// Conditions and values, values cast to `data_type`.
        branches: Vec<(BoundExpr, BoundExpr)>,
        /// The `ELSE` value (`NULL` when absent).
        otherwise: Option<Box<BoundExpr>>,
        /// The result's type.
        data_type: DataType,
    },
    /// `IS [NOT] NULL`.
    IsNull {
        /// The tested value.
        child: Box<BoundExpr>,
        /// `IS NOT NULL`.
        negated: bool,
    },
    /// `[NOT] LIKE` with `%`, `_` and `\` escapes.
    Like {
        /// The string.
        child: Box<BoundExpr>,
        /// The pattern.
        pattern: Box<BoundExpr>,
        /// `NOT LIKE`.
        negated: bool,
    },
    /// `[NOT] IN (…)`, with SQL's null rules.
    InList {
        /// The tested value.
        child: Box<BoundExpr>,
        /// The candidates, cast to the child's type.
        list: Vec<BoundExpr>,
        /// `NOT IN`.
        negated: bool,
    },
    /// A built-in scalar function.
    Call {
        /// Which one.
        function: ScalarFunction,
        /// Its arguments, cast to what it takes.
        args: Vec<BoundExpr>,
        /// The result's type.
        data_type: DataType,
        /// Whether the result may be null.
        nullable: bool,
    },
    /// A function supplied by the integrator's hook.
    External {
        /// The function.
        function: Rc<dyn ExternalFunction>,
        /// Its arguments.
        args: Vec<BoundExpr>,
    },
}

impl BoundExpr {
    /// A literal of a value and its type.
    pub fn literal(value: Value, data_type: DataType) -> Self {
        BoundExpr::Literal(value, data_type)
    }

    /// Wraps `self` in a cast to `to`, unless it already has that type.
    pub fn cast_to(self, to: &DataType) -> Self {
        if &self.data_type() == to {
            return self;
        }
        match self {
            // Fold casts of constants so that literals stay literals (function arguments such
            // as `round(x, 2)`'s scale are read at bind time).
            BoundExpr::Literal(v, _) => BoundExpr::Literal(cast_value(&v, to), to.clone()),
            other => BoundExpr::Cast {
                child: Box::new(other),
                to: to.clone(),
            },
        }
    }

    /// The type of the result.
    pub fn data_type(&self) -> DataType {
        match self {
            BoundExpr::Column { data_type, .. }
            | BoundExpr::Literal(_, data_type)
            | BoundExpr::Field { data_type, .. }
            | BoundExpr::ArrayField { data_type, .. }
            | BoundExpr::Index { data_type, .. }
            | BoundExpr::Binary { data_type, .. }
            | BoundExpr::Case { data_type, .. }
            | BoundExpr::Call { data_type, .. } => data_type.clone(),
            BoundExpr::Cast { to, .. } => to.clone(),
            BoundExpr::Negate(child) => child.data_type(),
            BoundExpr::Not(_)
            | BoundExpr::IsNull { .. }
            | BoundExpr::Like { .. }
            | BoundExpr::InList { .. } => DataType::Boolean,
            BoundExpr::External { function, .. } => function.data_type(),
        }
    }

    /// Whether the result may be null (conservative: `true` when unsure).
    pub fn nullable(&self) -> bool {
        match self {
            BoundExpr::Column { nullable, .. } | BoundExpr::Call { nullable, .. } => *nullable,
            BoundExpr::Literal(v, _) => v.is_null(),
            BoundExpr::Field { .. }
            | BoundExpr::ArrayField { .. }
            | BoundExpr::Index { .. }
            | BoundExpr::External { .. } => true,
            BoundExpr::Cast { child, to } => {
                child.nullable() || casts_to_null(&child.data_type(), to)
            }
            BoundExpr::Not(c) | BoundExpr::Negate(c) => c.nullable(),
            BoundExpr::Binary {
                op, left, right, ..
            } => match op {
                BinaryOperator::NullSafeEq => false,
                BinaryOperator::Divide | BinaryOperator::Remainder | BinaryOperator::IntDivide => {
                    true
                }
                _ => left.nullable() || right.nullable(),
            },
            BoundExpr::Case {
                branches,
                otherwise,
                ..
            } => {
                branches.iter().any(|(_, v)| v.nullable())
                    || otherwise.as_ref().is_none_or(|o| o.nullable())
            }
            BoundExpr::IsNull { .. } => false,
            BoundExpr::Like { child, pattern, .. } => child.nullable() || pattern.nullable(),
            BoundExpr::InList { child, list, .. } => {
                child.nullable() || list.iter().any(BoundExpr::nullable)
            }
        }
    }

    /// The value of this expression on `row`. Never panics: a missing column, a bad cast or a
    /// division by zero is `NULL`.
    pub fn eval(&self, row: &[Value]) -> Value {
        match self {
            BoundExpr::Column { index, .. } => row.get(*index).cloned().unwrap_or(Value::Null),
            BoundExpr::Literal(v, _) => v.clone(),
            BoundExpr::Field { child, index, .. } => match child.eval(row) {
                Value::Struct(fields) => fields.get(*index).cloned().unwrap_or(Value::Null),
                _ => Value::Null,
            },
            BoundExpr::ArrayField { child, index, .. } => match child.eval(row) {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|item| match item {
                            Value::Struct(fields) => {
                                fields.get(*index).cloned().unwrap_or(Value::Null)
                            }
                            _ => Value::Null,
                        })
                        .collect(),
                ),
                _ => Value::Null,
            },
            BoundExpr::Index { child, key, .. } => index_value(&child.eval(row), &key.eval(row)),
            BoundExpr::Cast { child, to } => cast_value(&child.eval(row), to),
            BoundExpr::Not(child) => match child.eval(row) {
                Value::Boolean(b) => Value::Boolean(!b),
                _ => Value::Null,
            },
            BoundExpr::Negate(child) => negate(&child.eval(row)),
            BoundExpr::Binary {
                op, left, right, ..
            } => eval_binary(*op, left, right, row),
            BoundExpr::Case {
                branches,
                otherwise,
                ..
            } => {
                for (condition, value) in branches {
                    if condition.eval(row) == Value::Boolean(true) {
                        return value.eval(row);
                    }
                }
                otherwise.as_ref().map_or(Value::Null, |o| o.eval(row))
            }
            BoundExpr::IsNull { child, negated } => {
                Value::Boolean(child.eval(row).is_null() != *negated)
            }
            BoundExpr::Like {
                child,
                pattern,
                negated,
            } => match (child.eval(row), pattern.eval(row)) {
                (Value::String(s), Value::String(p)) => {
                    like_matches(&s, &p).map_or(Value::Null, |m| Value::Boolean(m != *negated))
                }
                _ => Value::Null,
            },
            BoundExpr::InList {
                child,
                list,
                negated,
            } => in_list(&child.eval(row), list, row)
                .map_or(Value::Null, |found| Value::Boolean(found != *negated)),
            BoundExpr::Call { function, args, .. } => {
                let values: Vec<Value> = args.iter().map(|a| a.eval(row)).collect();
                function.eval(&values)
            }
            BoundExpr::External { function, args } => {
                let values: Vec<Value> = args.iter().map(|a| a.eval(row)).collect();
                function.eval(&values)
            }
        }
    }
}

fn index_value(container: &Value, key: &Value) -> Value {
    match (container, key) {
        (Value::Array(items), Value::Integer(i)) => usize::try_from(*i)
            .ok()
            .and_then(|i| items.get(i).cloned())
            .unwrap_or(Value::Null),
        (Value::Map(entries), k) if !k.is_null() => entries
            .iter()
            .find(|(ek, _)| equal(ek, k) == Some(true))
            .map_or(Value::Null, |(_, v)| v.clone()),
        _ => Value::Null,
    }
}

fn negate(v: &Value) -> Value {
    match v {
        Value::Byte(n) => Value::Byte(n.wrapping_neg()),
        Value::Short(n) => Value::Short(n.wrapping_neg()),
        Value::Integer(n) => Value::Integer(n.wrapping_neg()),
        Value::Long(n) => Value::Long(n.wrapping_neg()),
        Value::Float(f) => Value::Float(-f),
        Value::Double(d) => Value::Double(-d),
        _ => Value::Null,
    }
}

/// SQL's `IN`: true when some candidate equals; else `NULL` when the value or a candidate is
/// null; else false.
fn in_list(value: &Value, list: &[BoundExpr], row: &[Value]) -> Option<bool> {
    if value.is_null() {
        return None;
    }
    let mut saw_null = false;
    for candidate in list {
        match equal(value, &candidate.eval(row)) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => saw_null = true,
        }
    }
    if saw_null {
        None
    } else {
        Some(false)
    }
}

fn eval_binary(op: BinaryOperator, left: &BoundExpr, right: &BoundExpr, row: &[Value]) -> Value {
    use std::cmp::Ordering;
    use BinaryOperator as B;
    match op {
        B::And => {
            let l = left.eval(row);
            if l == Value::Boolean(false) {
                return l;
            }
            match (l, right.eval(row)) {
                (_, Value::Boolean(false)) => Value::Boolean(false),
                (Value::Boolean(true), Value::Boolean(true)) => Value::Boolean(true),
                _ => Value::Null,
            }
        }
        B::Or => {
            let l = left.eval(row);
            if l == Value::Boolean(true) {
                return l;
            }
            match (l, right.eval(row)) {
                (_, Value::Boolean(true)) => Value::Boolean(true),
                (Value::Boolean(false), Value::Boolean(false)) => Value::Boolean(false),
                _ => Value::Null,
            }
        }
        B::NullSafeEq => {
            let (l, r) = (left.eval(row), right.eval(row));
            Value::Boolean(match (l.is_null(), r.is_null()) {
                (true, true) => true,
                (false, false) => equal(&l, &r) == Some(true),
                _ => false,
            })
        }
        B::Eq => {
            let (l, r) = (left.eval(row), right.eval(row));
            equal(&l, &r).map_or(Value::Null, Value::Boolean)
        }
        B::Lt | B::LtEq | B::Gt | B::GtEq => {
            let (l, r) = (left.eval(row), right.eval(row));
            compare(&l, &r).map_or(Value::Null, |o| {
                Value::Boolean(match op {
                    B::Lt => o == Ordering::Less,
                    B::LtEq => o != Ordering::Greater,
                    B::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                })
            })
        }
        _ => arithmetic(op, &left.eval(row), &right.eval(row)),
    }
}

/// `+ - * / % div` on two values of one type, as Java computes them: integers wrap, a zero
/// divisor gives `NULL` (Spark's non-ANSI `Divide`, `Remainder`, `IntegralDivide`).
pub fn arithmetic(op: BinaryOperator, l: &Value, r: &Value) -> Value {
    use BinaryOperator as B;
    macro_rules! integral {
        ($a:expr, $b:expr, $wrap:expr) => {
            match op {
                B::Add => $wrap($a.wrapping_add($b)),
                B::Subtract => $wrap($a.wrapping_sub($b)),
                B::Multiply => $wrap($a.wrapping_mul($b)),
                B::Remainder if $b == 0 => Value::Null,
                B::Remainder => $wrap($a.wrapping_rem($b)),
                _ => Value::Null,
            }
        };
    }
    macro_rules! fractional {
        ($a:expr, $b:expr, $wrap:expr) => {
            match op {
                B::Add => $wrap($a + $b),
                B::Subtract => $wrap($a - $b),
                B::Multiply => $wrap($a * $b),
                B::Remainder if $b == 0.0 => Value::Null,
                B::Remainder => $wrap($a % $b),
                _ => Value::Null,
            }
        };
    }
    match (op, l, r) {
        (B::Divide, Value::Double(a), Value::Double(b)) => {
            if *b == 0.0 {
                Value::Null
            } else {
                Value::Double(a / b)
            }
        }
        (B::IntDivide, Value::Long(a), Value::Long(b)) => {
            if *b == 0 {
                Value::Null
            } else {
                Value::Long(a.wrapping_div(*b))
            }
        }
        (_, Value::Byte(a), Value::Byte(b)) => integral!(*a, *b, Value::Byte),
        (_, Value::Short(a), Value::Short(b)) => integral!(*a, *b, Value::Short),
        (_, Value::Integer(a), Value::Integer(b)) => integral!(*a, *b, Value::Integer),
        (_, Value::Long(a), Value::Long(b)) => integral!(*a, *b, Value::Long),
        (_, Value::Float(a), Value::Float(b)) => fractional!(*a, *b, Value::Float),
        (_, Value::Double(a), Value::Double(b)) => fractional!(*a, *b, Value::Double),
        _ => Value::Null,
    }
}
