//! A counting global allocator, for the figures the budgets quote: the engine bench's timeline
//! memory and the adversarial tests' peak heap. Included by path (`#[path]`) into each binary
//! that reports heap figures; installing it makes it that binary's allocator. It counts on top
//! of the allocator the including crate names as `HeapInner`.

use super::HeapInner;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { HeapInner.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { HeapInner.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static A: Counting = Counting;

/// The heap as it stands now; what is allocated after it is measured against it.
pub struct Mark(usize);

/// Marks the heap and starts a new peak from here.
pub fn mark() -> Mark {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    Mark(base)
}

impl Mark {
    /// Bytes allocated since the mark and still held.
    #[allow(dead_code)]
    pub fn held(&self) -> usize {
        LIVE.load(Ordering::Relaxed).saturating_sub(self.0)
    }

    /// The most bytes held above the mark at any moment since it.
    pub fn peak(&self) -> usize {
        PEAK.load(Ordering::Relaxed).saturating_sub(self.0)
    }
}
