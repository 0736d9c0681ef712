//! An append-only log whose clones share all but the newest entries.
//!
//! Time-travel snapshots clone the whole engine; the decision log and the event log only grow,
//! so sealing them in immutable chunks keeps a snapshot's cost independent of session length.

use std::rc::Rc;

const CHUNK: usize = 512;

#[derive(Debug)]
pub struct AppendLog<T> {
    sealed: Vec<Rc<[T]>>,
    tail: Vec<T>,
}

impl<T: Clone> Clone for AppendLog<T> {
    fn clone(&self) -> Self {
        AppendLog { sealed: self.sealed.clone(), tail: self.tail.clone() }
    }
}

impl<T> Default for AppendLog<T> {
    fn default() -> Self {
        AppendLog { sealed: Vec::new(), tail: Vec::new() }
    }
}

impl<T> AppendLog<T> {
    pub fn push(&mut self, item: T) {
        self.tail.push(item);
        if self.tail.len() >= CHUNK {
            // The next chunk fills to the same size: allocate it once rather than by doubling.
            let full: Vec<T> = std::mem::replace(&mut self.tail, Vec::with_capacity(CHUNK));
            self.sealed.push(Rc::from(full));
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
        if drop > 0 {
            self.sealed.drain(..drop);
        }
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.sealed.iter().flat_map(|c| c.iter()).chain(self.tail.iter())
    }
}
