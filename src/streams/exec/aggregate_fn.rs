//! Spark's aggregate functions as accumulators: `count`, `sum`, `avg`/`mean`, `min`, `max`,
//! `first`, `last`, `collect_list`, `collect_set`, and `count(DISTINCT …)` — each with Spark's
//! result type and null rules, each updatable row by row across micro-batches (a streaming
//! aggregation's state is these buffers, kept per group).
//!
//! Owns the functions' semantics. Must not know about groups, plans or state stores.

use std::rc::Rc;

use crate::streams::eval::ordering::{compare, equal};
use crate::streams::types::DataType;
use crate::streams::value::Value;

/// Which aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    /// `count(x)`: non-null values; `count(*)` / `count(1)` counts rows.
    Count,
    /// `sum(x)`.
    Sum,
    /// `avg(x)` / `mean(x)`.
    Avg,
    /// `min(x)`.
    Min,
    /// `max(x)`.
    Max,
    /// `first(x)`: the first value seen (nulls included, as Spark's default `ignoreNulls = false`).
    First,
    /// `last(x)`.
    Last,
    /// `collect_list(x)`: the non-null values, in order.
    CollectList,
    /// `collect_set(x)`: the distinct non-null values, in order of first sight.
    CollectSet,
}

impl AggKind {
    /// The aggregate a function name calls (case-insensitive), if it is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            // Spark's HyperLogLog estimate; Brooklet counts exactly, which is within any error.
            "count" | "approx_count_distinct" => AggKind::Count,
            "sum" => AggKind::Sum,
            "avg" | "mean" => AggKind::Avg,
            "min" => AggKind::Min,
            "max" => AggKind::Max,
            "first" | "first_value" => AggKind::First,
            "last" | "last_value" => AggKind::Last,
            "collect_list" => AggKind::CollectList,
            "collect_set" => AggKind::CollectSet,
            _ => return None,
        })
    }

    /// Spark's result type for an input of `input`, or `None` when the input cannot be
    /// aggregated so (`sum` of a string is cast to double in Spark; of a struct it fails).
    pub fn result_type(self, input: &DataType) -> Option<DataType> {
        Some(match self {
            AggKind::Count => DataType::Long,
            AggKind::Sum => match input {
                DataType::Byte | DataType::Short | DataType::Integer | DataType::Long => {
                    DataType::Long
                }
                DataType::Float | DataType::Double | DataType::String | DataType::Null => {
                    DataType::Double
                }
                _ => return None,
            },
            AggKind::Avg => match input {
                t if t.is_numeric() => DataType::Double,
                DataType::String | DataType::Null => DataType::Double,
                _ => return None,
            },
            AggKind::Min | AggKind::Max | AggKind::First | AggKind::Last => input.clone(),
            AggKind::CollectList | AggKind::CollectSet => DataType::Array {
                element: Box::new(input.clone()),
                contains_null: false,
            },
        })
    }
}

/// One group's buffer for one aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum Accumulator {
    /// A count.
    Count(i64),
    /// An integral sum; `None` until a non-null value arrives.
    SumLong(Option<i64>),
    /// A fractional sum; `None` until a non-null value arrives.
    SumDouble(Option<f64>),
    /// An average's running sum and count.
    Avg(f64, i64),
    /// The least or greatest value so far (`Null` until one arrives).
    Extreme(Value),
    /// `first`: `None` until the first row.
    First(Option<Value>),
    /// `last`.
    Last(Value),
    /// `collect_list` / `collect_set`.
    Collected(Vec<Value>),
    /// `count(DISTINCT x)`: the distinct values seen.
    Distinct(Vec<Value>),
}

/// An aggregate call bound to its input type.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// Which function.
    pub kind: AggKind,
    /// `DISTINCT` (only `count(DISTINCT x)` keeps it; Spark's `sum(DISTINCT)` is rare and
    /// refused by the analyzer).
    pub distinct: bool,
    /// The input's type.
    pub input_type: DataType,
}

impl Aggregate {
    /// An empty buffer.
    pub fn start(&self) -> Accumulator {
        match (self.kind, self.distinct) {
            (AggKind::Count, true) => Accumulator::Distinct(Vec::new()),
            (AggKind::Count, false) => Accumulator::Count(0),
            (AggKind::Sum, _) => match self.result_type() {
                Some(DataType::Long) => Accumulator::SumLong(None),
                _ => Accumulator::SumDouble(None),
            },
            (AggKind::Avg, _) => Accumulator::Avg(0.0, 0),
            (AggKind::Min | AggKind::Max, _) => Accumulator::Extreme(Value::Null),
            (AggKind::First, _) => Accumulator::First(None),
            (AggKind::Last, _) => Accumulator::Last(Value::Null),
            (AggKind::CollectList | AggKind::CollectSet, _) => Accumulator::Collected(Vec::new()),
        }
    }

    /// The result's type.
    pub fn result_type(&self) -> Option<DataType> {
        self.kind.result_type(&self.input_type)
    }

    /// Adds one row's input value.
    pub fn update(&self, acc: &mut Accumulator, value: &Value) {
        match acc {
            Accumulator::Count(n) => {
                if !value.is_null() {
                    *n += 1;
                }
            }
            Accumulator::Distinct(seen) => {
                if !value.is_null() && !seen.iter().any(|s| equal(s, value) == Some(true)) {
                    seen.push(value.clone());
                }
            }
            Accumulator::SumLong(sum) => {
                if let Some(n) = integral(value) {
                    // Non-ANSI Spark: a long sum wraps on overflow, as Java's does.
                    *sum = Some(sum.unwrap_or(0).wrapping_add(n));
                }
            }
            Accumulator::SumDouble(sum) => {
                if let Some(x) = fractional(value) {
                    *sum = Some(sum.unwrap_or(0.0) + x);
                }
            }
            Accumulator::Avg(sum, count) => {
                if let Some(x) = fractional(value) {
                    *sum += x;
                    *count += 1;
                }
            }
            Accumulator::Extreme(best) => {
                if value.is_null() {
                    return;
                }
                let better = match compare(value, best) {
                    None => best.is_null(),
                    Some(order) => match self.kind {
                        AggKind::Min => order.is_lt(),
                        _ => order.is_gt(),
                    },
                };
                if better {
                    *best = value.clone();
                }
            }
            Accumulator::First(first) => {
                if first.is_none() {
                    *first = Some(value.clone());
                }
            }
            Accumulator::Last(last) => *last = value.clone(),
            Accumulator::Collected(items) => {
                let fresh = self.kind == AggKind::CollectList
                    || !items.iter().any(|s| equal(s, value) == Some(true));
                if !value.is_null() && fresh {
                    items.push(value.clone());
                }
            }
        }
    }

    /// The aggregate's value for the rows added so far.
    pub fn result(&self, acc: &Accumulator) -> Value {
        match acc {
            Accumulator::Count(n) => Value::Long(*n),
            Accumulator::Distinct(seen) => Value::Long(seen.len() as i64),
            Accumulator::SumLong(sum) => sum.map_or(Value::Null, Value::Long),
            Accumulator::SumDouble(sum) => sum.map_or(Value::Null, Value::Double),
            Accumulator::Avg(_, 0) => Value::Null,
            Accumulator::Avg(sum, count) => Value::Double(sum / *count as f64),
            Accumulator::Extreme(v) | Accumulator::Last(v) => v.clone(),
            Accumulator::First(v) => v.clone().unwrap_or(Value::Null),
            Accumulator::Collected(items) => Value::Array(Rc::from(items.clone())),
        }
    }
}

impl Accumulator {
    /// The buffer as one value (Spark's aggregation buffer), for the checkpoint's state.
    pub fn to_value(&self) -> Value {
        let items = |tag: i32, rest: Vec<Value>| {
            let mut all = vec![Value::Integer(tag)];
            all.extend(rest);
            Value::Struct(Rc::from(all))
        };
        match self {
            Accumulator::Count(n) => items(0, vec![Value::Long(*n)]),
            Accumulator::SumLong(s) => items(1, vec![s.map_or(Value::Null, Value::Long)]),
            Accumulator::SumDouble(s) => items(2, vec![s.map_or(Value::Null, Value::Double)]),
            Accumulator::Avg(sum, n) => items(3, vec![Value::Double(*sum), Value::Long(*n)]),
            Accumulator::Extreme(v) => items(4, vec![v.clone()]),
            Accumulator::First(v) => items(
                5,
                vec![
                    Value::Boolean(v.is_some()),
                    v.clone().unwrap_or(Value::Null),
                ],
            ),
            Accumulator::Last(v) => items(6, vec![v.clone()]),
            Accumulator::Collected(v) => items(7, vec![Value::Array(Rc::from(v.clone()))]),
            Accumulator::Distinct(v) => items(8, vec![Value::Array(Rc::from(v.clone()))]),
        }
    }

    /// A buffer written by [`Accumulator::to_value`]; `None` when it is not one.
    pub fn from_value(value: &Value) -> Option<Self> {
        let Value::Struct(items) = value else {
            return None;
        };
        let list = |v: &Value| match v {
            Value::Array(a) => Some(a.to_vec()),
            _ => None,
        };
        Some(match items.as_ref() {
            [Value::Integer(0), Value::Long(n)] => Accumulator::Count(*n),
            [Value::Integer(1), v] => Accumulator::SumLong(integral(v)),
            [Value::Integer(2), v] => Accumulator::SumDouble(match v {
                Value::Double(x) => Some(*x),
                _ => None,
            }),
            [Value::Integer(3), Value::Double(sum), Value::Long(n)] => Accumulator::Avg(*sum, *n),
            [Value::Integer(4), v] => Accumulator::Extreme(v.clone()),
            [Value::Integer(5), Value::Boolean(seen), v] => {
                Accumulator::First(seen.then(|| v.clone()))
            }
            [Value::Integer(6), v] => Accumulator::Last(v.clone()),
            [Value::Integer(7), v] => Accumulator::Collected(list(v)?),
            [Value::Integer(8), v] => Accumulator::Distinct(list(v)?),
            _ => return None,
        })
    }
}

fn integral(value: &Value) -> Option<i64> {
    match value {
        Value::Byte(n) => Some(i64::from(*n)),
        Value::Short(n) => Some(i64::from(*n)),
        Value::Integer(n) => Some(i64::from(*n)),
        Value::Long(n) => Some(*n),
        _ => None,
    }
}

fn fractional(value: &Value) -> Option<f64> {
    match value {
        Value::Float(x) => Some(f64::from(*x)),
        Value::Double(x) => Some(*x),
        Value::String(s) => s.trim().parse().ok(),
        other => integral(other).map(|n| n as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: AggKind, distinct: bool, input_type: DataType, values: &[Value]) -> Value {
        let agg = Aggregate {
            kind,
            distinct,
            input_type,
        };
        let mut acc = agg.start();
        for v in values {
            agg.update(&mut acc, v);
        }
        agg.result(&acc)
    }

    #[test]
    fn aggregates_skip_nulls_and_give_sparks_types() {
        let vals = [
            Value::Integer(3),
            Value::Null,
            Value::Integer(5),
            Value::Integer(3),
        ];
        assert_eq!(
            run(AggKind::Count, false, DataType::Integer, &vals),
            Value::Long(3)
        );
        assert_eq!(
            run(AggKind::Count, true, DataType::Integer, &vals),
            Value::Long(2)
        );
        assert_eq!(
            run(AggKind::Sum, false, DataType::Integer, &vals),
            Value::Long(11)
        );
        assert_eq!(
            run(AggKind::Avg, false, DataType::Integer, &vals),
            Value::Double(11.0 / 3.0)
        );
        assert_eq!(
            run(AggKind::Min, false, DataType::Integer, &vals),
            Value::Integer(3)
        );
        assert_eq!(
            run(AggKind::Max, false, DataType::Integer, &vals),
            Value::Integer(5)
        );
        assert_eq!(
            run(AggKind::First, false, DataType::Integer, &vals),
            Value::Integer(3)
        );
        assert_eq!(
            run(AggKind::CollectSet, false, DataType::Integer, &vals),
            Value::Array(Rc::from(vec![Value::Integer(3), Value::Integer(5)]))
        );
    }

    #[test]
    fn every_buffer_survives_the_checkpoint_form() {
        let buffers = [
            Accumulator::Count(3),
            Accumulator::SumLong(None),
            Accumulator::SumDouble(Some(2.5)),
            Accumulator::Avg(10.0, 4),
            Accumulator::Extreme(Value::string("z")),
            Accumulator::First(Some(Value::Null)),
            Accumulator::First(None),
            Accumulator::Last(Value::Long(1)),
            Accumulator::Collected(vec![Value::Long(1)]),
            Accumulator::Distinct(vec![]),
        ];
        for b in buffers {
            assert_eq!(Accumulator::from_value(&b.to_value()), Some(b.clone()));
        }
    }

    #[test]
    fn aggregates_of_no_values_are_null_but_counts_are_zero() {
        let nulls = [Value::Null, Value::Null];
        assert_eq!(
            run(AggKind::Sum, false, DataType::Float, &nulls),
            Value::Null
        );
        assert_eq!(
            run(AggKind::Avg, false, DataType::Long, &nulls),
            Value::Null
        );
        assert_eq!(
            run(AggKind::Max, false, DataType::String, &nulls),
            Value::Null
        );
        assert_eq!(
            run(AggKind::Count, false, DataType::Long, &nulls),
            Value::Long(0)
        );
        assert_eq!(
            AggKind::Sum.result_type(&DataType::Float),
            Some(DataType::Double)
        );
        assert_eq!(AggKind::Sum.result_type(&DataType::Binary), None);
    }
}
