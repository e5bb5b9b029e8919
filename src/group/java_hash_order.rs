//! Java's `hashCode`, string order and `java.util.HashMap` iteration order (kafka.md §1, Appendix A),
//! as the assignors need them to visit members and partitions in the order Kafka does.
//!
//! Owns only these ordering rules. Must not hold assignment logic, and must not be used to store
//! data for lookups (the simulated maps exist to reproduce an order; they are indexed by hash so
//! that sets of thousands of partitions stay fast, but hold nothing else).

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use crate::protocol::TopicPartition;

/// Java's `String.hashCode`: `h = 31*h + c` over the UTF-16 code units, wrapping, as `i32`.
pub fn jhash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// Java's `String.compareTo`: compares UTF-16 code units, which differs from Rust's `str` order
/// for characters beyond the Basic Multilingual Plane.
pub fn java_string_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// A value with a Java `hashCode`, so it can be ordered as a Java hash map would order it.
pub trait JavaHashCode {
    /// The value Java's `hashCode()` returns for the equivalent Java object.
    fn java_hash_code(&self) -> i32;
}

impl JavaHashCode for str {
    fn java_hash_code(&self) -> i32 {
        jhash(self)
    }
}

impl<T: JavaHashCode + ?Sized> JavaHashCode for &T {
    fn java_hash_code(&self) -> i32 {
        (**self).java_hash_code()
    }
}

impl JavaHashCode for String {
    fn java_hash_code(&self) -> i32 {
        jhash(self)
    }
}

impl JavaHashCode for i32 {
    fn java_hash_code(&self) -> i32 {
        *self
    }
}

impl JavaHashCode for TopicPartition {
    /// `org.apache.kafka.common.TopicPartition.hashCode`: `31*(31 + partition) + jhash(topic)`.
    fn java_hash_code(&self) -> i32 {
        31i32
            .wrapping_mul(31i32.wrapping_add(self.partition))
            .wrapping_add(jhash(&self.topic))
    }
}

/// Java's default hash-map capacity (`new HashMap<>()`, stream `toMap`/`toSet` collectors).
const DEFAULT_CAPACITY: u32 = 16;
/// Above this table size a crowded bucket becomes a red-black tree instead of forcing a resize.
const MIN_TREEIFY_CAPACITY: u32 = 64;
/// A bucket holding this many entries after an insertion triggers `treeifyBin`.
const TREEIFY_ENTRIES: usize = 9;

/// The bucket `HashMap` puts a key in: the spread hash `h ^ (h >>> 16)` masked by the table size.
fn bucket(hash: i32, capacity: u32) -> u32 {
    // Reinterpreting as u32 gives Java's logical shift `>>>`.
    let h = hash as u32;
    (h ^ (h >> 16)) & (capacity - 1)
}

/// The iteration order of a `java.util.HashSet` (or a `HashMap`'s keys), simulated.
///
/// Iteration is by bucket, then by insertion within the bucket (new nodes go to the bucket's tail
/// and resizes keep relative order). Removals never shrink the table. Not simulated: the tree order
/// of a bucket with 9+ entries in a table of 64+ buckets (beyond playground sizes).
#[derive(Debug, Clone)]
pub struct JavaHashSet<K> {
    capacity: u32,
    next_seq: u64,
    /// Insertion sequence → (Java hash, key).
    entries: BTreeMap<u64, (i32, K)>,
    /// Java hash → the sequences of the keys with it, so a lookup is not a scan: sets of
    /// thousands of partitions are common (a group's assignment of a large topic).
    by_hash: HashMap<i32, Vec<u64>>,
}

impl<K: JavaHashCode + PartialEq> Default for JavaHashSet<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: JavaHashCode + PartialEq> JavaHashSet<K> {
    /// An empty set with Java's default capacity (16).
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// An empty set created for `n` entries (`new HashMap<>(n)`): capacity is the smallest power
    /// of two ≥ `n` (at least 1).
    pub fn for_entries(n: usize) -> Self {
        let wanted = u32::try_from(n.max(1)).unwrap_or(1 << 30);
        Self::with_capacity(wanted.checked_next_power_of_two().unwrap_or(1 << 30))
    }

    fn with_capacity(capacity: u32) -> Self {
        Self {
            capacity,
            next_seq: 0,
            entries: BTreeMap::new(),
            by_hash: HashMap::new(),
        }
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The insertion sequence of `key`, if present.
    fn sequence_of(&self, key: &K) -> Option<u64> {
        self.by_hash
            .get(&key.java_hash_code())?
            .iter()
            .copied()
            .find(|seq| self.entries.get(seq).is_some_and(|(_, k)| k == key))
    }

    /// Whether `key` is present.
    pub fn contains(&self, key: &K) -> bool {
        self.sequence_of(key).is_some()
    }

    /// Adds `key` (a key already present keeps its place); returns whether it was new.
    pub fn insert(&mut self, key: K) -> bool {
        if self.contains(&key) {
            return false;
        }
        let hash = key.java_hash_code();
        let seq = self.next_seq;
        self.entries.insert(seq, (hash, key));
        self.by_hash.entry(hash).or_default().push(seq);
        self.next_seq += 1;
        // `putVal` first treeifies (which, in a small table, means doubling it) when the bucket
        // got crowded, then resizes when the size passes 0.75 × capacity. Only a small table
        // doubles for a crowded bucket, and a small table holds few entries: counting is cheap.
        if self.capacity < MIN_TREEIFY_CAPACITY {
            let b = bucket(hash, self.capacity);
            let in_bucket = self
                .entries
                .values()
                .filter(|(h, _)| bucket(*h, self.capacity) == b)
                .count();
            if in_bucket >= TREEIFY_ENTRIES {
                self.capacity *= 2;
            }
        }
        // size > 0.75 × capacity, in integers.
        while self.entries.len() * 4 > self.capacity as usize * 3 {
            self.capacity *= 2;
        }
        true
    }

    /// Removes `key`; returns whether it was present.
    pub fn remove(&mut self, key: &K) -> bool {
        let Some(seq) = self.sequence_of(key) else {
            return false;
        };
        self.entries.remove(&seq);
        if let Some(seqs) = self.by_hash.get_mut(&key.java_hash_code()) {
            seqs.retain(|s| *s != seq);
        }
        true
    }

    /// The keys in Java's iteration order.
    pub fn iter_java_order(&self) -> impl Iterator<Item = &K> {
        let mut order: Vec<(&u64, &(i32, K))> = self.entries.iter().collect();
        crate::sort::sort_by_key(&mut order, |(seq, (h, _))| {
            (bucket(*h, self.capacity), **seq)
        });
        order.into_iter().map(|(_, (_, k))| k)
    }

    /// The first key Java's iterator would return (`set.iterator().next()`).
    pub fn first_java_order(&self) -> Option<&K> {
        self.entries
            .iter()
            .min_by_key(|(seq, (h, _))| (bucket(*h, self.capacity), **seq))
            .map(|(_, (_, k))| k)
    }
}

/// The order in which a default-capacity Java `HashMap` filled with `keys` (in this order)
/// iterates them, as indices into `keys`. Duplicate keys keep their first position.
pub fn hash_map_order<K: JavaHashCode + PartialEq + Clone>(keys: &[K]) -> Vec<usize> {
    let mut set = JavaHashSet::new();
    for (i, key) in keys.iter().enumerate() {
        set.insert(Indexed(i, key.clone()));
    }
    set.iter_java_order().map(|Indexed(i, _)| *i).collect()
}

/// A key tagged with its input position; equality and hash ignore the position.
#[derive(Clone)]
struct Indexed<K>(usize, K);

impl<K: PartialEq> PartialEq for Indexed<K> {
    fn eq(&self, other: &Self) -> bool {
        self.1 == other.1
    }
}

impl<K: JavaHashCode> JavaHashCode for Indexed<K> {
    fn java_hash_code(&self) -> i32 {
        self.1.java_hash_code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hashes_match_java() {
        assert_eq!(jhash(""), 0);
        assert_eq!(jhash("a"), 97);
        assert_eq!(jhash("C0"), 2125);
        assert_eq!(jhash("hello"), 99_162_322);
    }

    #[test]
    fn consumers_one_two_three_iterate_as_three_two_one() {
        let keys = ["consumer1", "consumer2", "consumer3"].map(String::from);
        assert_eq!(hash_map_order(&keys), vec![2, 1, 0]);
    }

    #[test]
    fn partitions_zero_one_two_of_t1_iterate_as_two_one_zero() {
        let keys: Vec<TopicPartition> = (0..3).map(|p| TopicPartition::new("t1", p)).collect();
        assert_eq!(hash_map_order(&keys), vec![2, 1, 0]);
    }

    #[test]
    fn java_string_order_compares_utf16_code_units() {
        // U+FF61 sorts after U+1F600 in UTF-8 byte order but before it in UTF-16 (surrogates are 0xD8xx).
        assert_eq!(java_string_cmp("\u{FF61}", "\u{1F600}"), Ordering::Greater);
        assert_eq!("\u{FF61}".cmp("\u{1F600}"), Ordering::Less);
        assert_eq!(java_string_cmp("a", "b"), Ordering::Less);
    }

    #[test]
    fn a_set_grows_past_three_quarters_full() {
        let mut set = JavaHashSet::new();
        for i in 0..13 {
            set.insert(i * 16);
        }
        // The 9th key crowded bucket 0 of the 16-bucket table, which doubled it to 32: keys
        // 16, 48, 80, ... moved to bucket 16, so the order is no longer the insertion order.
        let order: Vec<i32> = set.iter_java_order().copied().collect();
        assert_eq!(order.len(), 13);
        assert_ne!(order, (0..13).map(|i| i * 16).collect::<Vec<_>>());
    }

    #[test]
    fn a_map_created_for_n_entries_starts_with_the_next_power_of_two_buckets() {
        let mut sized = JavaHashSet::for_entries(3);
        let mut default = JavaHashSet::new();
        for key in [4, 1] {
            sized.insert(key);
            default.insert(key);
        }
        // With 4 buckets, 4 falls in bucket 0 before 1; with 16, in bucket 4 after it.
        assert_eq!(
            sized.iter_java_order().copied().collect::<Vec<_>>(),
            vec![4, 1]
        );
        assert_eq!(
            default.iter_java_order().copied().collect::<Vec<_>>(),
            vec![1, 4]
        );
        assert_eq!(default.first_java_order(), Some(&1));
    }
}
