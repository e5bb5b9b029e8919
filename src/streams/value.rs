//! [`Value`]: one Spark value at run time, and [`Row`], a row of them.
//!
//! A value does not carry its type's field names: a struct's fields are positional and the
//! schema ([`DataType`](super::types::DataType)) names them. Values are cheap to clone (strings,
//! binaries and nested values are reference-counted), since rows are copied through every
//! operator of a plan.

use std::rc::Rc;

/// One Spark value. Each variant belongs to one [`DataType`](super::types::DataType); `Null` to
/// any.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL `NULL`.
    Null,
    /// A `boolean`.
    Boolean(bool),
    /// A `tinyint`.
    Byte(i8),
    /// A `smallint`.
    Short(i16),
    /// An `int`.
    Integer(i32),
    /// A `bigint`.
    Long(i64),
    /// A `float`.
    Float(f32),
    /// A `double`.
    Double(f64),
    /// A `string` (UTF-8).
    String(Rc<str>),
    /// A `binary`.
    Binary(Rc<[u8]>),
    /// A `date`: days since 1970-01-01.
    Date(i32),
    /// A `timestamp`: microseconds since 1970-01-01T00:00:00Z.
    Timestamp(i64),
    /// An `array`.
    Array(Rc<[Value]>),
    /// A `map`, in insertion order.
    Map(Rc<[(Value, Value)]>),
    /// A `struct`: its fields in the order of the type's fields.
    Struct(Rc<[Value]>),
}

/// One row: a value per column, in the schema's order.
pub type Row = Vec<Value>;

impl Value {
    /// A string value.
    pub fn string(text: &str) -> Self {
        Value::String(Rc::from(text))
    }

    /// Whether this is SQL `NULL`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::string(text)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Long(n)
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Self {
        Value::Integer(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Boolean(b)
    }
}
