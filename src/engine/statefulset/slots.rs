//! Ordinal-indexed maps and sets for a StatefulSet's incremental index (`index.rs`).
//!
//! Every pod write updates several per-ordinal facts (member, unhealthy, terminating, ready,
//! revision) and every sync asks "the lowest interesting slot from here": as B-trees those were
//! most of a pod write's cost. A set's pods nearly always fill a compact range of ordinals, so a
//! bitset over a window of ordinals answers both in constant time per 64 slots.

use std::collections::BTreeMap;

/// Ordinals of one set, mapped to values: a bitset and a value per slot over a dense window, and
/// a B-tree for ordinals outside it.
///
/// A set's pods nearly always fill a compact range from `spec.ordinals.start`, so the window makes
/// a pod write O(1) and "the lowest interesting slot from here" a scan of 64 slots per step. But
/// ordinals come from pod names (an adopted orphan may be `web-99999999`), so the window grows
/// only up to `WINDOW_WORDS` words, and ordinals beyond it go to `sparse`, which the queries merge
/// in: memory stays bounded and every answer is the same as with ordered sets alone.
#[derive(Debug, Clone)]
pub struct Slots<V> {
    /// The ordinal of the window's first bit; a multiple of 64.
    base: i64,
    bits: Vec<u64>,
    /// `vals[i]` is `Some` exactly when bit `i` is set.
    vals: Vec<Option<V>>,
    /// Set bits in `bits`.
    dense: usize,
    /// Bit `w` is set when `bits[w]` is not zero. A query that starts far from the next set
    /// bit (the next pod to update, counting down from the top of 10,000) skips 64 empty
    /// words per step instead of reading each: word by word, a rolling update of n pods cost
    /// O(n²/64).
    nonzero: [u64; WINDOW_WORDS / 64],
    /// Entries outside the window (never inside it).
    sparse: BTreeMap<i64, V>,
}

/// A set of ordinals.
pub type OrdSet = Slots<()>;

/// The window's largest size: 16,384 slots, above `MAX_SIMULATED_REPLICAS` wherever it starts.
const WINDOW_WORDS: usize = 256;
/// Ordinals the window may hold; the bounds keep its arithmetic far from overflow.
const DENSE_LIMIT: i64 = 1 << 40;

impl<V> Default for Slots<V> {
    fn default() -> Self {
        Slots { base: 0, bits: Vec::new(), vals: Vec::new(), dense: 0, nonzero: [0; WINDOW_WORDS / 64], sparse: BTreeMap::new() }
    }
}

impl<V> Slots<V> {
    pub fn len(&self) -> usize {
        self.dense + self.sparse.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One past the window's last ordinal.
    fn window_end(&self) -> i64 {
        self.base + (self.bits.len() as i64) * 64
    }

    /// The slot of `ord` in the window.
    fn slot(&self, ord: i64) -> Option<usize> {
        (ord >= self.base && ord < self.window_end()).then(|| (ord - self.base) as usize)
    }

    fn bit(&self, i: usize) -> bool {
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }

    pub fn contains(&self, ord: i64) -> bool {
        match self.slot(ord) {
            Some(i) => self.bit(i),
            None => !self.sparse.is_empty() && self.sparse.contains_key(&ord),
        }
    }

    pub fn get_mut(&mut self, ord: i64) -> Option<&mut V> {
        match self.slot(ord) {
            Some(i) => self.vals[i].as_mut(),
            None => self.sparse.get_mut(&ord),
        }
    }

    pub fn get(&self, ord: i64) -> Option<&V> {
        match self.slot(ord) {
            Some(i) => self.vals[i].as_ref(),
            None => self.sparse.get(&ord),
        }
    }

    /// Sets `ord` to `v`, returning its previous value.
    pub fn insert(&mut self, ord: i64, v: V) -> Option<V> {
        let slot = self.slot(ord).or_else(|| self.grow_to(ord).then(|| (ord - self.base) as usize));
        let Some(i) = slot else { return self.sparse.insert(ord, v) };
        let old = self.vals[i].replace(v);
        if old.is_none() {
            let w = i / 64;
            self.bits[w] |= 1 << (i % 64);
            self.nonzero[w / 64] |= 1 << (w % 64);
            self.dense += 1;
        }
        old
    }

    pub fn remove(&mut self, ord: i64) -> Option<V> {
        match self.slot(ord) {
            Some(i) => {
                let old = self.vals[i].take();
                if old.is_some() {
                    let w = i / 64;
                    self.bits[w] &= !(1 << (i % 64));
                    if self.bits[w] == 0 {
                        self.nonzero[w / 64] &= !(1 << (w % 64));
                    }
                    self.dense -= 1;
                }
                old
            }
            None if self.sparse.is_empty() => None,
            None => self.sparse.remove(&ord),
        }
    }

    pub fn clear(&mut self) {
        self.bits.iter_mut().for_each(|w| *w = 0);
        self.vals.iter_mut().for_each(|v| *v = None);
        self.nonzero = [0; WINDOW_WORDS / 64];
        self.dense = 0;
        self.sparse.clear();
    }

    /// Widens the window to cover `ord` if it stays within `WINDOW_WORDS`; an empty window moves
    /// to `ord` instead. Entries of `sparse` that the window now covers move into it.
    fn grow_to(&mut self, ord: i64) -> bool {
        if !(0..DENSE_LIMIT).contains(&ord) {
            return false;
        }
        let word = ord.div_euclid(64) * 64;
        if self.dense == 0 {
            self.base = word;
            self.bits.clear();
            self.vals.clear();
        }
        let len = self.bits.len();
        if len == 0 {
            self.bits.push(0);
            self.vals.extend((0..64).map(|_| None));
        } else if ord < self.base {
            let need = ((self.base - word) / 64) as usize;
            if need + len > WINDOW_WORDS {
                return false;
            }
            // Grows downwards by at least the current size, so that a descending run of
            // inserts costs amortised O(1) each; never below ordinal 0.
            let more = need.max(len).min(WINDOW_WORDS - len).min((self.base / 64) as usize);
            self.base -= more as i64 * 64;
            self.bits.splice(0..0, std::iter::repeat_n(0, more));
            self.vals.splice(0..0, (0..more * 64).map(|_| None));
        } else {
            let need = ((word - self.base) / 64) as usize + 1;
            if need > WINDOW_WORDS {
                return false;
            }
            self.bits.resize(need, 0);
            self.vals.resize_with(need * 64, || None);
        }
        if !self.sparse.is_empty() {
            let inside: Vec<i64> = self.sparse.range(self.base..self.window_end()).map(|(o, _)| *o).collect();
            for o in inside {
                if let Some(v) = self.sparse.remove(&o) {
                    let i = (o - self.base) as usize;
                    self.bits[i / 64] |= 1 << (i % 64);
                    self.vals[i] = Some(v);
                    self.dense += 1;
                }
            }
        }
        // Words moved (the window grew downwards) or were added: summarise them again. Cheap
        // enough: the window grows at most once per 64 new ordinals and has 256 words at most.
        self.nonzero = [0; WINDOW_WORDS / 64];
        for (w, word) in self.bits.iter().enumerate() {
            if *word != 0 {
                self.nonzero[w / 64] |= 1 << (w % 64);
            }
        }
        true
    }

    /// The first word in `[w, last]` with a set bit.
    fn next_word(&self, w: usize, last: usize) -> Option<usize> {
        let mut s = w / 64;
        let mut summary = *self.nonzero.get(s)? & (!0u64 << (w % 64));
        loop {
            if summary != 0 {
                let found = s * 64 + summary.trailing_zeros() as usize;
                return (found <= last).then_some(found);
            }
            s += 1;
            if s > last / 64 {
                return None;
            }
            summary = *self.nonzero.get(s)?;
        }
    }

    /// The last word in `[first, w]` with a set bit.
    fn prev_word(&self, w: usize, first: usize) -> Option<usize> {
        let mut s = w / 64;
        let mut summary = *self.nonzero.get(s)? & (!0u64 >> (63 - w % 64));
        loop {
            if summary != 0 {
                let found = s * 64 + 63 - summary.leading_zeros() as usize;
                return (found >= first).then_some(found);
            }
            if s == first / 64 {
                return None;
            }
            s -= 1;
            summary = *self.nonzero.get(s)?;
        }
    }

    /// The window's slots `[first, last]` covering `[lo, hi]`, if any.
    fn window_span(&self, lo: i64, hi: i64) -> Option<(usize, usize)> {
        let lo = lo.max(self.base);
        let hi = hi.min(self.window_end() - 1);
        (self.dense > 0 && lo <= hi).then(|| ((lo - self.base) as usize, (hi - self.base) as usize))
    }

    /// The lowest ordinal in `[lo, hi]`.
    pub fn first_in(&self, lo: i64, hi: i64) -> Option<i64> {
        let dense = self.window_span(lo, hi).and_then(|(a, b)| {
            let w = a / 64;
            let word = self.bits[w] & (!0u64 << (a % 64));
            let (w, word) = if word != 0 { (w, word) } else { self.next_word(w + 1, b / 64).map(|w| (w, self.bits[w]))? };
            let i = w * 64 + word.trailing_zeros() as usize;
            (i <= b).then(|| self.base + i as i64)
        });
        if self.sparse.is_empty() || lo > hi {
            return dense;
        }
        let sparse = self.sparse.range(lo..=hi).next().map(|(o, _)| *o);
        dense.into_iter().chain(sparse).min()
    }

    /// The highest ordinal in `[lo, hi]`.
    pub fn last_in(&self, lo: i64, hi: i64) -> Option<i64> {
        let dense = self.window_span(lo, hi).and_then(|(a, b)| {
            let w = b / 64;
            let word = self.bits[w] & (!0u64 >> (63 - b % 64));
            let (w, word) = if word != 0 {
                (w, word)
            } else {
                self.prev_word(w.checked_sub(1).filter(|p| *p >= a / 64)?, a / 64).map(|w| (w, self.bits[w]))?
            };
            let i = w * 64 + 63 - word.leading_zeros() as usize;
            (i >= a).then(|| self.base + i as i64)
        });
        if self.sparse.is_empty() || lo > hi {
            return dense;
        }
        let sparse = self.sparse.range(lo..=hi).next_back().map(|(o, _)| *o);
        dense.into_iter().chain(sparse).max()
    }

    /// How many ordinals lie in `[lo, hi]`.
    pub fn count_in(&self, lo: i64, hi: i64) -> usize {
        let dense = self.window_span(lo, hi).map_or(0, |(a, b)| {
            (a / 64..=b / 64)
                .map(|w| {
                    let mut word = self.bits[w];
                    if w == a / 64 {
                        word &= !0u64 << (a % 64);
                    }
                    if w == b / 64 {
                        word &= !0u64 >> (63 - b % 64);
                    }
                    word.count_ones() as usize
                })
                .sum()
        });
        if self.sparse.is_empty() || lo > hi {
            return dense;
        }
        dense + self.sparse.range(lo..=hi).count()
    }

    /// Ordinals in `[lo, hi]`, ascending.
    pub fn asc(&self, lo: i64, hi: i64) -> impl Iterator<Item = i64> + '_ {
        let mut next = self.first_in(lo, hi);
        std::iter::from_fn(move || {
            let o = next?;
            next = o.checked_add(1).and_then(|from| self.first_in(from, hi));
            Some(o)
        })
    }

    /// Ordinals in `[lo, hi]`, descending.
    pub fn desc(&self, lo: i64, hi: i64) -> impl Iterator<Item = i64> + '_ {
        let mut next = self.last_in(lo, hi);
        std::iter::from_fn(move || {
            let o = next?;
            next = o.checked_sub(1).and_then(|to| self.last_in(lo, to));
            Some(o)
        })
    }

    /// Every ordinal with its value, ascending.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &V)> + '_ {
        self.asc(i64::MIN, i64::MAX).filter_map(|o| self.get(o).map(|v| (o, v)))
    }
}

impl OrdSet {
    /// Adds or removes `ord`.
    pub fn set(&mut self, ord: i64, on: bool) {
        if on {
            self.insert(ord, ());
        } else {
            self.remove(ord);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The same operations on a `Slots` and on a B-tree set, which is what it replaces.
    struct Pair {
        slots: OrdSet,
        model: BTreeSet<i64>,
    }

    impl Pair {
        fn new() -> Pair {
            Pair { slots: OrdSet::default(), model: BTreeSet::new() }
        }

        fn set(&mut self, ord: i64, on: bool) {
            assert_eq!(self.slots.contains(ord), self.model.contains(&ord));
            self.slots.set(ord, on);
            if on {
                self.model.insert(ord);
            } else {
                self.model.remove(&ord);
            }
        }

        fn check(&self, lo: i64, hi: i64) {
            let r = lo..=hi.max(lo.saturating_sub(1));
            let m: Vec<i64> = if lo <= hi { self.model.range(r.clone()).copied().collect() } else { Vec::new() };
            assert_eq!(self.slots.first_in(lo, hi), m.first().copied(), "first_in({lo}, {hi})");
            assert_eq!(self.slots.last_in(lo, hi), m.last().copied(), "last_in({lo}, {hi})");
            assert_eq!(self.slots.count_in(lo, hi), m.len(), "count_in({lo}, {hi})");
            assert_eq!(self.slots.asc(lo, hi).collect::<Vec<_>>(), m);
            assert_eq!(self.slots.desc(lo, hi).collect::<Vec<_>>(), m.iter().rev().copied().collect::<Vec<_>>());
            assert_eq!(self.slots.len(), self.model.len());
        }
    }

    #[test]
    fn finds_the_next_and_previous_slot_across_word_boundaries() {
        let mut p = Pair::new();
        for o in [0, 63, 64, 127, 128, 200, 1000] {
            p.set(o, true);
        }
        for (lo, hi) in [(0, 0), (1, 63), (1, 62), (64, 64), (65, 127), (65, 126), (129, 199), (129, 1000), (201, 999), (0, 2000), (-5, 5), (1001, 5000), (70, 60)] {
            p.check(lo, hi);
        }
        assert_eq!(p.slots.first_in(65, 1000), Some(127));
        assert_eq!(p.slots.last_in(0, 126), Some(64));
        p.set(127, false);
        p.check(65, 1000);
        p.check(0, 126);
    }

    #[test]
    fn outlier_ordinals_live_outside_the_window_and_memory_stays_bounded() {
        let mut p = Pair::new();
        for o in 0..100 {
            p.set(o, true);
        }
        // An adopted orphan far above the set's range, one at the largest i32 and some beyond.
        for o in [99_999_999, i32::MAX as i64, i64::MAX, i64::MIN, -1] {
            p.set(o, true);
        }
        assert!(p.slots.bits.len() <= WINDOW_WORDS);
        for (lo, hi) in [(0, i64::MAX), (i64::MIN, i64::MAX), (50, 99_999_999), (100, i64::MAX), (i64::MIN, 0), (-1, -1), (i64::MAX, i64::MAX)] {
            p.check(lo, hi);
        }
        assert_eq!(p.slots.first_in(100, i64::MAX), Some(99_999_999));
        assert_eq!(p.slots.last_in(i64::MIN, 98), Some(98));
        p.set(99_999_999, false);
        p.set(i64::MIN, false);
        p.check(i64::MIN, i64::MAX);
    }

    #[test]
    fn the_window_grows_in_both_directions_and_takes_in_outliers_it_reaches() {
        let mut p = Pair::new();
        // Starts high, then grows down one word at a time and up to the limit.
        p.set(5000, true);
        for o in (0..5000).rev().step_by(37) {
            p.set(o, true);
        }
        p.check(0, 6000);
        // Beyond the limit from the window's base: kept aside, not a bigger window.
        let far = (WINDOW_WORDS as i64) * 64 + 10;
        p.set(far, true);
        assert!(p.slots.bits.len() <= WINDOW_WORDS);
        assert!(p.slots.sparse.contains_key(&far));
        p.check(0, far + 1);
        // Once the window empties it moves to the next ordinal, and the outlier joins it.
        for o in p.model.clone() {
            if o != far {
                p.set(o, false);
            }
        }
        p.set(far - 3, true);
        assert!(p.slots.sparse.is_empty());
        p.check(0, i64::MAX);
        p.slots.clear();
        p.model.clear();
        p.check(i64::MIN, i64::MAX);
        assert!(p.slots.is_empty());
    }

    #[test]
    fn queries_skip_long_empty_runs_as_a_rolling_update_leaves_them() {
        // A rolling update of 10,000 pods empties the set of outdated ordinals from the top:
        // the highest remaining one is ever further from the top of the window.
        let mut p = Pair::new();
        for o in 0..10_000 {
            p.set(o, true);
        }
        for o in (0..10_000).rev() {
            p.set(o, false);
            if o % 61 == 0 || o < 70 {
                p.check(0, 9_999);
                p.check(o / 2, 9_999);
                p.check(0, o / 3);
            }
        }
        p.check(i64::MIN, i64::MAX);
        // Gaps of several summary words either side of lone members.
        for o in [5, 4_200, 12_000, 16_000] {
            p.set(o, true);
        }
        for (lo, hi) in [(0, 16_383), (6, 16_383), (6, 4_199), (4_201, 11_999), (4_200, 4_200), (12_001, 15_999), (16_001, 16_383), (0, 4)] {
            p.check(lo, hi);
        }
    }

    #[test]
    fn random_operations_agree_with_an_ordered_set() {
        // A small xorshift: deterministic, no dependency.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut p = Pair::new();
        for step in 0..20_000 {
            let r = next();
            let o = match r % 10 {
                0 => (r >> 8) as i64 % 40_000,
                1 => (r >> 8) as i64 % 2_000_000_000,
                _ => 3_000 + (r >> 8) as i64 % 700,
            };
            p.set(o, r & 0x80 != 0);
            if step % 97 == 0 {
                let a = 2_900 + (next() % 1_000) as i64;
                let b = a + (next() % 2_000) as i64 - 300;
                p.check(a, b);
                p.check(0, i64::MAX);
            }
        }
    }

    #[test]
    fn values_follow_their_ordinals_through_growth() {
        let mut m: Slots<String> = Slots::default();
        assert_eq!(m.insert(640, "a".into()), None);
        assert_eq!(m.insert(3, "b".into()), None);
        assert_eq!(m.insert(1 << 30, "c".into()), None);
        assert_eq!(m.insert(640, "d".into()).as_deref(), Some("a"));
        assert_eq!(m.get(640).map(|s| s.as_str()), Some("d"));
        assert_eq!(m.get(3).map(|s| s.as_str()), Some("b"));
        assert_eq!(m.iter().map(|(o, v)| (o, v.clone())).collect::<Vec<_>>(), vec![(3, "b".into()), (640, "d".into()), (1 << 30, "c".into())]);
        assert_eq!(m.remove(3).as_deref(), Some("b"));
        assert_eq!(m.remove(3), None);
        assert_eq!(m.len(), 2);
    }
}
