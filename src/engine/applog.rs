//! An append-only log whose clones share all but the newest entries.
//!
//! Time-travel snapshots clone the whole engine; the decision log and the event log grow with
//! the session, so sealing them in immutable chunks keeps a snapshot's cost independent of
//! session length. Old chunks can be let go (the event TTL, the decision log's bound); the
//! log still counts every entry it was given.

use std::rc::Rc;

pub const CHUNK: usize = 512;

#[derive(Debug)]
pub struct AppendLog<T> {
    /// Full chunks, shared by every clone. An `Rc<Vec>` rather than an `Rc<[T]>`: sealing
    /// then moves the chunk instead of copying it (512 Events are ~100 KB).
    sealed: Vec<Rc<Vec<T>>>,
    tail: Vec<T>,
    /// Entries let go from the front.
    dropped: usize,
}

impl<T: Clone> Clone for AppendLog<T> {
    fn clone(&self) -> Self {
        AppendLog { sealed: self.sealed.clone(), tail: self.tail.clone(), dropped: self.dropped }
    }
}

impl<T> Default for AppendLog<T> {
    fn default() -> Self {
        AppendLog { sealed: Vec::new(), tail: Vec::new(), dropped: 0 }
    }
}

impl<T> AppendLog<T> {
    pub fn push(&mut self, item: T) {
        self.tail.push(item);
        if self.tail.len() >= CHUNK {
            // The next chunk fills to the same size: allocate it once rather than by doubling.
            let full: Vec<T> = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK));
            self.sealed.push(Rc::new(full));
        }
    }

    /// Drops whole sealed chunks from the front while `expired` holds for their last entry
    /// (the API server's event TTL).
    pub fn expire(&mut self, expired: impl Fn(&T) -> bool) {
        let mut drop = 0;
        for c in &self.sealed {
            match c.last() {
                Some(last) if expired(last) => drop += 1,
                _ => break,
            }
        }
        self.drop_front(drop);
    }

    /// Lets go of the oldest sealed chunks beyond the newest `chunks`: at most
    /// `chunks * CHUNK` entries and the unsealed tail stay.
    pub fn keep_chunks(&mut self, chunks: usize) {
        self.drop_front(self.sealed.len().saturating_sub(chunks));
    }

    fn drop_front(&mut self, chunks: usize) {
        if chunks > 0 {
            self.dropped += self.sealed.drain(..chunks).map(|c| c.len()).sum::<usize>();
        }
    }

    /// Every entry ever pushed, those let go included: the sequence number the next one gets.
    pub fn len(&self) -> usize {
        // Every sealed chunk holds exactly `CHUNK` entries.
        self.dropped + self.sealed.len() * CHUNK + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry with sequence number `seq` (see [`AppendLog::len`]), while it is kept. Every
    /// sealed chunk holds exactly `CHUNK` entries, so this is arithmetic, not a search.
    pub fn get(&self, seq: usize) -> Option<&T> {
        let i = seq.checked_sub(self.dropped)?;
        match self.sealed.get(i / CHUNK) {
            Some(c) => c.get(i % CHUNK),
            None => self.tail.get(i - self.sealed.len() * CHUNK),
        }
    }

    /// The sequence number of the first entry [`AppendLog::iter`] yields.
    pub fn first_seq(&self) -> usize {
        self.dropped
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.sealed.iter().flat_map(|c| c.iter()).chain(self.tail.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_log_keeps_the_newest_and_counts_them_all() {
        let mut log = AppendLog::default();
        for i in 0..CHUNK * 5 + 7 {
            log.push(i);
            log.keep_chunks(2);
        }
        assert_eq!(log.len(), CHUNK * 5 + 7);
        assert_eq!(log.first_seq(), CHUNK * 3);
        assert_eq!(log.iter().copied().collect::<Vec<_>>(), (CHUNK * 3..CHUNK * 5 + 7).collect::<Vec<_>>());
        let copy = log.clone();
        assert_eq!(copy.len(), log.len());
        assert_eq!(copy.iter().next(), log.iter().next());
        // Entries by sequence number: in a sealed chunk, in the tail, let go, not yet pushed.
        assert_eq!(log.get(CHUNK * 3 + 5), Some(&(CHUNK * 3 + 5)));
        assert_eq!(log.get(CHUNK * 5 + 6), Some(&(CHUNK * 5 + 6)));
        assert_eq!(log.get(CHUNK * 3 - 1), None);
        assert_eq!(log.get(CHUNK * 5 + 7), None);
    }
}
