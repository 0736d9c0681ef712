//! Stable sorting through one shared copy of std's sort, to keep the wasm download small.
//!
//! `slice::sort_by` is generic over the element and the comparison: every call site with its own
//! element type or closure gets its own 3–5 KB copy of std's driftsort. Here the sort runs once,
//! over positions, with the comparison behind `dyn`; only a short permutation step is generic.
//! The result is exactly `sort_by`'s (stable: equal elements keep their order). Use it where
//! the lists are small (printers, views, checks); hot loops over large lists can keep std's.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, like `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_positions(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// Sorts `v` stably by a key computed once per element, like `v.sort_by_cached_key(key)`.
pub fn sort_by_cached_key<T, K: Ord>(v: &mut Vec<T>, key: impl FnMut(&T) -> K) {
    if v.len() < 2 {
        return;
    }
    let keys: Vec<K> = v.iter().map(key).collect();
    let order = sorted_positions(v.len(), &mut |a, b| keys[a].cmp(&keys[b]));
    permute(v, order);
}

/// Puts `v`'s elements in the order of `order`'s positions.
fn permute<T>(v: &mut Vec<T>, order: Vec<usize>) {
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `v` stably by a key, like `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// Sorts `v` into ascending order, like `v.sort()`.
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp)
}

/// The one instance of std's sort: positions `0..len` ordered by `cmp`.
#[inline(never)]
fn sorted_positions(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_orders_like_std_and_keeps_equal_elements_in_order() {
        let words = ["web-10", "db-1", "web-2", "db-0", "web-1", "cache", "db-1", "web-0"];
        let mut ours: Vec<(usize, &str)> = words.iter().copied().enumerate().collect();
        let mut std_: Vec<(usize, &str)> = ours.clone();
        // By length only, so many elements tie and stability shows.
        sort_by_key(&mut ours, |(_, w)| w.len());
        std_.sort_by_key(|(_, w)| w.len());
        assert_eq!(ours, std_);
        let mut plain: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        sort(&mut plain);
        assert_eq!(plain, ["cache", "db-0", "db-1", "db-1", "web-0", "web-1", "web-10", "web-2"]);
    }

    #[test]
    fn empty_and_single_lists_are_left_alone() {
        let mut none: Vec<String> = Vec::new();
        sort(&mut none);
        assert!(none.is_empty());
        let mut one = vec![String::from("web-0")];
        sort(&mut one);
        assert_eq!(one, ["web-0"]);
    }

    #[test]
    fn cached_keys_order_like_std() {
        let words = ["web-10", "db-1", "web-2", "db-0", "web-1", "cache", "db-1", "web-0"];
        let mut ours: Vec<(usize, &str)> = words.iter().copied().enumerate().collect();
        let mut std_ = ours.clone();
        sort_by_cached_key(&mut ours, |(_, w)| w.len());
        std_.sort_by_cached_key(|(_, w)| w.len());
        assert_eq!(ours, std_);
    }
}
