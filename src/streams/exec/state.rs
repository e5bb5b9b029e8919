//! [`AggregationState`]: a streaming aggregation's groups between micro-batches — each group's
//! key and aggregate buffers — and its stored form in the checkpoint (Spark's state store,
//! one snapshot per committed batch).
//!
//! Groups keep the order they were first seen, so a complete-mode result prints the same way
//! every time (Spark's order is its hash order; README says so).

use std::collections::HashMap;
use std::rc::Rc;

use base64::Engine as _;

use super::aggregate_fn::Accumulator;
use super::value_codec::{encode, encode_row, Decoder};
use crate::streams::value::{Row, Value};

/// One group.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The key's values.
    pub key: Row,
    /// A buffer per aggregate.
    pub buffers: Vec<Accumulator>,
    /// Whether a row of the current batch updated it (update mode emits these).
    pub updated: bool,
}

/// The groups of one stateful operator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AggregationState {
    index: HashMap<Vec<u8>, usize>,
    groups: Vec<Group>,
}

impl AggregationState {
    /// The group of `key`, made with `start` when new.
    pub fn group_mut(
        &mut self,
        key: &[Value],
        start: impl FnOnce() -> Vec<Accumulator>,
    ) -> &mut Group {
        let encoded = encode_row(key);
        let slot = match self.index.get(&encoded) {
            Some(&i) => i,
            None => {
                self.groups.push(Group {
                    key: key.to_vec(),
                    buffers: start(),
                    updated: false,
                });
                self.index.insert(encoded, self.groups.len() - 1);
                self.groups.len() - 1
            }
        };
        &mut self.groups[slot]
    }

    /// The groups, in the order they were first seen.
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter()
    }

    /// How many groups are kept.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether no group is kept.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Forgets every "updated" mark (at the start of a batch).
    pub fn clear_updates(&mut self) {
        for g in &mut self.groups {
            g.updated = false;
        }
    }

    /// Removes and returns the groups `evict` picks (those the watermark has passed), once per
    /// batch.
    pub fn evict(&mut self, mut evict: impl FnMut(&Group) -> bool) -> Vec<Group> {
        let (gone, kept): (Vec<Group>, Vec<Group>) = std::mem::take(&mut self.groups)
            .into_iter()
            .partition(|g| evict(g));
        self.groups = kept;
        self.index = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (encode_row(&g.key), i))
            .collect();
        gone
    }

    /// The stored form: base64 of each group's key and buffers.
    pub fn to_text(&self) -> String {
        let mut out = Vec::new();
        for g in self.groups() {
            encode(&Value::Array(Rc::from(g.key.clone())), &mut out);
            let buffers: Vec<Value> = g.buffers.iter().map(Accumulator::to_value).collect();
            encode(&Value::Array(Rc::from(buffers)), &mut out);
        }
        base64::engine::general_purpose::STANDARD.encode(out)
    }

    /// Reads [`AggregationState::to_text`]; `None` when the text is damaged.
    pub fn from_text(text: &str) -> Option<Self> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .ok()?;
        let mut decoder = Decoder::new(&bytes);
        let mut state = AggregationState::default();
        while !decoder.is_done() {
            let (Value::Array(key), Value::Array(buffers)) = (decoder.value()?, decoder.value()?)
            else {
                return None;
            };
            let buffers: Option<Vec<Accumulator>> =
                buffers.iter().map(Accumulator::from_value).collect();
            let buffers = buffers?;
            state.group_mut(&key, || buffers);
        }
        Some(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_first_seen_order_and_survive_the_stored_form() {
        let mut s = AggregationState::default();
        for key in ["b", "a", "b"] {
            let g = s.group_mut(&[Value::string(key)], || vec![Accumulator::Count(0)]);
            if let Accumulator::Count(n) = &mut g.buffers[0] {
                *n += 1;
            }
        }
        let keys: Vec<&Row> = s.groups().map(|g| &g.key).collect();
        assert_eq!(keys, [&vec![Value::string("b")], &vec![Value::string("a")]]);
        let back = AggregationState::from_text(&s.to_text()).unwrap();
        let counts: Vec<&Accumulator> = back.groups().map(|g| &g.buffers[0]).collect();
        assert_eq!(counts, [&Accumulator::Count(2), &Accumulator::Count(1)]);
        assert_eq!(AggregationState::from_text("not base64!"), None);
    }

    #[test]
    fn evicted_groups_leave_and_new_ones_can_take_their_keys() {
        let mut s = AggregationState::default();
        for n in 0..10 {
            s.group_mut(&[Value::Long(n)], Vec::new);
        }
        let gone = s.evict(|g| matches!(g.key[0], Value::Long(n) if n < 7));
        assert_eq!(gone.len(), 7);
        assert_eq!(s.len(), 3);
        s.group_mut(&[Value::Long(1)], Vec::new);
        assert_eq!(s.len(), 4);
        assert_eq!(s.groups().count(), 4);
    }
}
