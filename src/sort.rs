//! The crate's one sort: a stable sort whose heavy part is compiled once, whatever is sorted.
//!
//! Why it exists: the standard library's sorts are generic over the element type *and* the
//! comparator, so every `sort_by_key` call site got its own copy of driftsort (quicksort, merge,
//! small-sort networks; ~4 KB of wasm each at `opt-level = "z"`). The crate sorted some thirty
//! element types, and the copies weighed ~125 KB of the page's download (README, "Build size").
//! Here only a permutation of indices is sorted, through a `dyn` comparator, so driftsort is
//! compiled once; the per-type part is the few instructions that apply the permutation.
//!
//! Owns sorting for the whole crate (`clippy.toml` disallows the slice sorts elsewhere). Must
//! not be used where sorting is on a hot path measured by a benchmark: the indirection costs a
//! call per comparison. Nothing in the crate sorts on such a path today.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably (equal items keep their order), like `slice::sort_by`.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let items: &[T] = items;
        sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]))
    };
    permute(items, order);
}

/// Sorts `items` by the key `key` gives each, stably, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order, stably, like `slice::sort`.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The positions `0..len` in sorted order: `result[i]` is the position of the item that belongs
/// at `i`. The one place the standard sort is instantiated.
#[allow(clippy::disallowed_methods)]
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the item at `order[i]` to `i`, for every `i`, in place: each cycle of the permutation
/// is walked once, swapping along it.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut position = start;
        // A placed position is marked by pointing at itself.
        while order[position] != position {
            let source = order[position];
            order[position] = position;
            if source == start {
                // The cycle closed: `start`'s original item was swapped along to here.
                break;
            }
            items.swap(position, source);
            position = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the tests need no crate and no clock.
    fn pseudo_random(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *seed >> 33
    }

    #[test]
    #[allow(clippy::disallowed_methods)]
    fn sorting_agrees_with_the_standard_stable_sort_on_random_inputs() {
        let mut seed = 7;
        for len in 0..200 {
            // Few distinct keys, so stability is exercised: the second field is the original
            // position and must stay ascending within a key.
            let items: Vec<(u64, usize)> = (0..len)
                .map(|i| (pseudo_random(&mut seed) % 5, i))
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |&(key, _)| key);
            let mut standard = items;
            standard.sort_by_key(|&(key, _)| key);
            assert_eq!(ours, standard, "length {len}");
        }
    }

    #[test]
    fn sort_orders_strings_naturally_and_keeps_every_item() {
        let mut names = vec!["orders", "clicks", "t1", "chicago_orders", "clicks"];
        sort(&mut names);
        assert_eq!(
            names,
            ["chicago_orders", "clicks", "clicks", "orders", "t1"]
        );
    }

    #[test]
    fn sort_by_can_reverse_and_moves_items_that_are_not_copy() {
        let mut groups: Vec<String> = ["b", "c", "a"].iter().map(|s| s.to_string()).collect();
        sort_by(&mut groups, |a, b| b.cmp(a));
        assert_eq!(groups, ["c", "b", "a"]);
    }
}
