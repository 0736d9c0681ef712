//! The native allocator: what `stslab` and the engine bench (whose figures are stslab's) run
//! the engine with. It is mimalloc, with a small per-thread stash in front of it that hands a
//! freed small block back out first (last in, first out).
//!
//! The engine replaces an object on every write: it allocates the new version and frees the
//! old one, in a handful of sizes. mimalloc hands out a page's blocks before it takes back
//! the ones freed on other pages, so a freed block is reused only after every other free
//! block of its size. At 10,000 pods that is memory last touched megabytes of allocations
//! ago, long out of the cache, and every new version started with cache misses; at 1,000 pods
//! it all fit. With the stash, a write reuses the block the last write of that size freed,
//! still in the cache: the 10,000-replica lifecycle takes ~7% less time per replica, and the
//! 1,000-replica one the same (paired runs; README, "Figures").
//!
//! The browser build keeps Rust's wasm allocator.

use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::ptr::null_mut;

/// Blocks of up to `LARGEST` bytes are stashed, by size in classes `GRAIN` bytes apart: a
/// class's blocks are all allocated at the class's full size, so any of them serves any
/// request of the class.
const GRAIN: usize = 16;
const LARGEST: usize = 1024;
const CLASSES: usize = LARGEST / GRAIN;

/// The most bytes a thread's stash holds, about one core's L2 cache: a block freed beyond it
/// goes back to mimalloc, and memory parked here is bounded.
const BUDGET: usize = 1 << 20;

/// The allocator. Install it with `#[global_allocator]`.
pub struct Heap;

struct Stash {
    /// Per class, the block freed last; the first word of each stashed block points to the
    /// one stashed before it.
    heads: [Cell<*mut u8>; CLASSES],
    bytes: Cell<usize>,
}

// No destructor, so reaching it never allocates. A thread that ends leaves its stash (at most
// `BUDGET`) unreturned; stslab runs the engine on one thread.
thread_local! {
    static STASH: Stash = const { Stash { heads: [const { Cell::new(null_mut()) }; CLASSES], bytes: Cell::new(0) } };
}

/// The stash class of a request, if it is small and at most `GRAIN`-aligned.
fn class(l: Layout) -> Option<usize> {
    (l.size() > 0 && l.size() <= LARGEST && l.align() <= GRAIN).then(|| (l.size() - 1) / GRAIN)
}

/// What mimalloc is asked for, for every block of class `c` (< `CLASSES`).
fn block(c: usize) -> Layout {
    debug_assert!(c < CLASSES);
    // SAFETY: GRAIN is a power of two, and (c + 1) * GRAIN is at most LARGEST.
    unsafe { Layout::from_size_align_unchecked((c + 1) * GRAIN, GRAIN) }
}

impl Stash {
    /// The block of class `c` stashed last, if any.
    fn take(&self, c: usize) -> Option<*mut u8> {
        let p = self.heads[c].get();
        if p.is_null() {
            return None;
        }
        // SAFETY: a stashed block is at least GRAIN bytes, GRAIN-aligned, and its first word
        // was written by `put`.
        self.heads[c].set(unsafe { p.cast::<*mut u8>().read() });
        self.bytes.set(self.bytes.get() - block(c).size());
        Some(p)
    }

    /// Stashes `p`, unless the stash is full.
    fn put(&self, c: usize, p: *mut u8) -> bool {
        let size = block(c).size();
        if self.bytes.get() + size > BUDGET {
            return false;
        }
        // SAFETY: `p` is a freed block of class `c`: at least GRAIN bytes, GRAIN-aligned, no
        // longer used by anyone.
        unsafe { p.cast::<*mut u8>().write(self.heads[c].get()) };
        self.heads[c].set(p);
        self.bytes.set(self.bytes.get() + size);
        true
    }
}

// SAFETY: every block comes from mimalloc and goes back to it with the layout it was
// allocated with (`block(c)` for a stashed class, the caller's otherwise). A stashed block is
// used by no one until `alloc` hands it out again, and it is at least as large and as aligned
// as any request of its class.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        match class(l) {
            Some(c) => STASH.with(|s| s.take(c)).unwrap_or_else(|| unsafe { MiMalloc.alloc(block(c)) }),
            None => unsafe { MiMalloc.alloc(l) },
        }
    }

    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        match class(l) {
            Some(c) => match STASH.with(|s| s.take(c)) {
                Some(p) => {
                    unsafe { p.write_bytes(0, l.size()) };
                    p
                }
                None => unsafe { MiMalloc.alloc_zeroed(block(c)) },
            },
            None => unsafe { MiMalloc.alloc_zeroed(l) },
        }
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        match class(l) {
            Some(c) => {
                if !STASH.with(|s| s.put(c, p)) {
                    unsafe { MiMalloc.dealloc(p, block(c)) }
                }
            }
            None => unsafe { MiMalloc.dealloc(p, l) },
        }
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        let old = class(l);
        let new = Layout::from_size_align(new_size, l.align()).ok().and_then(class);
        if old.is_some() && old == new {
            return p; // the block is already its class's full size
        }
        let held = old.map_or(l, block);
        // A block that will belong to a class must be that class's full size.
        let wanted = new.map_or(new_size, |c| block(c).size());
        unsafe { MiMalloc.realloc(p, held, wanted) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stashed() -> usize {
        STASH.with(|s| s.bytes.get())
    }

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).unwrap()
    }

    #[test]
    fn the_block_freed_last_is_handed_out_first() {
        unsafe {
            let a = Heap.alloc(layout(48));
            let b = Heap.alloc(layout(48));
            Heap.dealloc(a, layout(48));
            Heap.dealloc(b, layout(48));
            // Any size of the class (33..=48 bytes) gets b, then a.
            assert_eq!(Heap.alloc(layout(40)), b);
            assert_eq!(Heap.alloc(layout(48)), a);
            // Another class does not.
            let c = Heap.alloc(layout(64));
            Heap.dealloc(c, layout(64));
            assert_ne!(Heap.alloc(layout(48)), c);
        }
    }

    #[test]
    fn the_stash_holds_at_most_its_budget() {
        unsafe {
            let blocks: Vec<*mut u8> = (0..3 * BUDGET / LARGEST).map(|_| Heap.alloc(layout(LARGEST))).collect();
            for &p in &blocks {
                Heap.dealloc(p, layout(LARGEST));
            }
            assert!(stashed() <= BUDGET, "{} bytes stashed", stashed());
            assert!(stashed() > BUDGET - LARGEST);
            // Blocks larger than the classes, or aligned beyond them, go straight to mimalloc.
            let before = stashed();
            let big = Layout::from_size_align(LARGEST + 1, 8).unwrap();
            let wide = Layout::from_size_align(64, 64).unwrap();
            let (p, q) = (Heap.alloc(big), Heap.alloc(wide));
            assert_eq!(q as usize % 64, 0);
            Heap.dealloc(p, big);
            Heap.dealloc(q, wide);
            assert_eq!(stashed(), before);
        }
    }

    #[test]
    fn a_reused_block_is_zeroed_when_asked() {
        unsafe {
            let p = Heap.alloc(layout(100));
            p.write_bytes(0xAB, 100);
            Heap.dealloc(p, layout(100));
            let q = Heap.alloc_zeroed(layout(100));
            assert_eq!(q, p);
            assert!(std::slice::from_raw_parts(q, 100).iter().all(|&b| b == 0));
            Heap.dealloc(q, layout(100));
        }
    }

    /// Blocks freed on another thread than the one that allocated them join that thread's
    /// stash, and every block keeps its contents while it is held.
    #[test]
    fn blocks_may_be_freed_on_another_thread() {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<(usize, usize)>>();
        let producer = std::thread::spawn(move || {
            for round in 0..50usize {
                let batch = (1..200usize)
                    .map(|i| {
                        let size = (i * 37 + round) % (2 * LARGEST) + 1;
                        let p = unsafe { Heap.alloc(layout(size)) };
                        unsafe { p.write_bytes(size as u8, size) };
                        (p as usize, size)
                    })
                    .collect();
                tx.send(batch).unwrap();
            }
        });
        for batch in rx {
            for (p, size) in batch {
                let p = p as *mut u8;
                unsafe {
                    assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == size as u8));
                    Heap.dealloc(p, layout(size));
                    // Reuse what this thread just stashed.
                    let q = Heap.alloc(layout(size));
                    q.write_bytes(0, size);
                    Heap.dealloc(q, layout(size));
                }
            }
        }
        producer.join().unwrap();
        assert!(stashed() <= BUDGET);
    }

    #[test]
    fn realloc_keeps_the_contents_across_classes_and_sizes() {
        unsafe {
            let mut p = Heap.alloc(layout(10));
            for i in 0..10 {
                p.add(i).write(i as u8);
            }
            let mut l = layout(10);
            for size in [14, 17, 500, 5000, 20, 1024, 10] {
                p = Heap.realloc(p, l, size);
                l = layout(size);
                assert!(std::slice::from_raw_parts(p, 10).iter().enumerate().all(|(i, &b)| b == i as u8), "after {size}");
                // The whole new size is usable.
                p.add(size - 1).write(0xFF);
            }
            Heap.dealloc(p, l);
        }
    }
}
