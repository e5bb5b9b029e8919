//! Values as bytes: one canonical encoding used as a grouping key (two values of a group encode
//! the same: `-0.0` is `0.0`, every `NaN` is one `NaN`, as Spark groups them) and as the
//! stored form of a streaming aggregation's state in the checkpoint.
//!
//! Self-describing (a tag byte per value), fixed-width big-endian numbers, `u32` lengths —
//! never `usize` in stored bytes. Decoding never panics: damaged bytes decode to `None`.

use std::rc::Rc;

use crate::streams::value::Value;

/// How deep nested values may be when decoding (arrays of structs of arrays…).
const MAX_DEPTH: usize = 64;

/// Appends the encoding of `value` to `out`.
pub fn encode(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.push(0),
        Value::Boolean(b) => out.extend([1, u8::from(*b)]),
        Value::Byte(n) => out.extend([2, n.to_be_bytes()[0]]),
        Value::Short(n) => {
            out.push(3);
            out.extend(n.to_be_bytes());
        }
        Value::Integer(n) => {
            out.push(4);
            out.extend(n.to_be_bytes());
        }
        Value::Long(n) => {
            out.push(5);
            out.extend(n.to_be_bytes());
        }
        Value::Float(x) => {
            out.push(6);
            let x = if x.is_nan() {
                f32::NAN
            } else if *x == 0.0 {
                0.0
            } else {
                *x
            };
            out.extend(x.to_bits().to_be_bytes());
        }
        Value::Double(x) => {
            out.push(7);
            let x = if x.is_nan() {
                f64::NAN
            } else if *x == 0.0 {
                0.0
            } else {
                *x
            };
            out.extend(x.to_bits().to_be_bytes());
        }
        Value::String(s) => bytes(8, s.as_bytes(), out),
        Value::Binary(b) => bytes(9, b, out),
        Value::Date(d) => {
            out.push(10);
            out.extend(d.to_be_bytes());
        }
        Value::Timestamp(t) => {
            out.push(11);
            out.extend(t.to_be_bytes());
        }
        Value::Array(items) => sequence(12, items, out),
        Value::Map(entries) => {
            out.push(13);
            out.extend(len32(entries.len()).to_be_bytes());
            for (k, v) in entries.iter() {
                encode(k, out);
                encode(v, out);
            }
        }
        Value::Struct(fields) => sequence(14, fields, out),
    }
}

/// The encoding of a row (a grouping key).
pub fn encode_row(values: &[Value]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 9);
    for v in values {
        encode(v, &mut out);
    }
    out
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn bytes(tag: u8, data: &[u8], out: &mut Vec<u8>) {
    out.push(tag);
    out.extend(len32(data.len()).to_be_bytes());
    out.extend(data);
}

fn sequence(tag: u8, items: &[Value], out: &mut Vec<u8>) {
    out.push(tag);
    out.extend(len32(items.len()).to_be_bytes());
    for item in items {
        encode(item, out);
    }
}

/// Reads values back.
#[derive(Debug)]
pub struct Decoder<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    /// A decoder over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Decoder { data, at: 0 }
    }

    /// Whether every byte was read.
    pub fn is_done(&self) -> bool {
        self.at >= self.data.len()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.data.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn length(&mut self) -> Option<usize> {
        usize::try_from(u32::from_be_bytes(self.array()?)).ok()
    }

    /// The next value, or `None` when the bytes are damaged.
    pub fn value(&mut self) -> Option<Value> {
        self.value_at(0)
    }

    fn value_at(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let [tag] = self.array()?;
        Some(match tag {
            0 => Value::Null,
            1 => Value::Boolean(self.array::<1>()?[0] != 0),
            2 => Value::Byte(i8::from_be_bytes(self.array()?)),
            3 => Value::Short(i16::from_be_bytes(self.array()?)),
            4 => Value::Integer(i32::from_be_bytes(self.array()?)),
            5 => Value::Long(i64::from_be_bytes(self.array()?)),
            6 => Value::Float(f32::from_bits(u32::from_be_bytes(self.array()?))),
            7 => Value::Double(f64::from_bits(u64::from_be_bytes(self.array()?))),
            8 => {
                let n = self.length()?;
                Value::String(Rc::from(std::str::from_utf8(self.take(n)?).ok()?))
            }
            9 => {
                let n = self.length()?;
                Value::Binary(Rc::from(self.take(n)?))
            }
            10 => Value::Date(i32::from_be_bytes(self.array()?)),
            11 => Value::Timestamp(i64::from_be_bytes(self.array()?)),
            12 | 14 => {
                let n = self.length()?;
                // Each value takes at least a byte: a count beyond what is left is damage.
                if n > self.data.len() - self.at {
                    return None;
                }
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value_at(depth + 1)?);
                }
                if tag == 12 {
                    Value::Array(Rc::from(items))
                } else {
                    Value::Struct(Rc::from(items))
                }
            }
            13 => {
                let n = self.length()?;
                if n > self.data.len() - self.at {
                    return None;
                }
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    let k = self.value_at(depth + 1)?;
                    entries.push((k, self.value_at(depth + 1)?));
                }
                Value::Map(Rc::from(entries))
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_as_encoded() {
        let row = vec![
            Value::Null,
            Value::Long(-5),
            Value::string("chicago"),
            Value::Double(299.98),
            Value::Timestamp(1_700_000_000_000_000),
            Value::Array(Rc::from(vec![Value::Struct(Rc::from(vec![
                Value::Integer(1),
                Value::Float(2.5),
            ]))])),
            Value::Map(Rc::from(vec![(Value::string("a"), Value::Boolean(true))])),
        ];
        let bytes = encode_row(&row);
        let mut d = Decoder::new(&bytes);
        let back: Vec<Value> = (0..row.len()).map_while(|_| d.value()).collect();
        assert_eq!(back, row);
        assert!(d.is_done());
    }

    #[test]
    fn zeros_and_nans_of_either_sign_group_together() {
        assert_eq!(
            encode_row(&[Value::Double(-0.0)]),
            encode_row(&[Value::Double(0.0)])
        );
        assert_eq!(
            encode_row(&[Value::Double(f64::NAN)]),
            encode_row(&[Value::Double(-f64::NAN)])
        );
    }

    #[test]
    fn damaged_bytes_decode_to_none_without_panicking() {
        let bytes = encode_row(&[
            Value::string("chicago"),
            Value::Array(Rc::from(vec![Value::Long(1)])),
        ]);
        for cut in 0..bytes.len() {
            let mut d = Decoder::new(&bytes[..cut]);
            let _ = d.value();
            let _ = d.value();
        }
        assert_eq!(Decoder::new(&[12, 255, 255, 255, 255]).value(), None);
        assert_eq!(Decoder::new(&[99]).value(), None);
    }
}
