//! Hashed maps for the engine's point lookups, with reads in order only where order is seen.
//!
//! A sync looks up pods, claims and volumes by key dozens of times. In a B-tree each lookup
//! compares a dozen keys along a path of nodes spread over memory; at 10,000 pods those were
//! cache misses, most of what made a large session slower per pod than a small one. A hash
//! table finds an entry with one hash and usually one comparison.
//!
//! Iteration order is part of the engine's output (listing order, the order writes happen,
//! and so events and resourceVersions), and a hash table's order depends on its history and
//! on the platform's word size. So a [`KeyMap`] never hands out its own order: whatever it
//! lists comes sorted by key, the API server's order, as the `BTreeMap` it replaces listed it.
//!
//! The hasher is rustc-hash's FxHash: no random seed (the engine must be deterministic, and
//! the same on wasm32), and a few instructions per word for the short names hashed here.

use super::meta::{ByName, Key, Named, Str};
use hashbrown::Equivalent;
use std::hash::{Hash, Hasher};

/// The hasher of every hashed map in the engine.
pub type Fx = rustc_hash::FxBuildHasher;

/// A hash map with a fixed-seed hasher. Its order must never be observed: use it only for
/// lookups, or sort what it lists.
pub type FxHashMap<K, V> = hashbrown::HashMap<K, V, Fx>;
/// A hash set with a fixed-seed hasher (see [`FxHashMap`]).
pub type FxHashSet<T> = hashbrown::HashSet<T, Fx>;

/// Objects by `(namespace, name)`: lookups hashed, listings in key order.
#[derive(Debug)]
pub struct KeyMap<V>(FxHashMap<Key, V>);

/// A clone (a time-travel snapshot) gets a table sized to what the map holds now: a hash table
/// keeps the buckets it grew to, and a snapshot taken after scaling 10,000 pods down to none
/// would otherwise hold a megabyte of empty buckets, which the B-tree it replaces did not.
impl<V: Clone> Clone for KeyMap<V> {
    fn clone(&self) -> Self {
        if self.0.capacity() <= 2 * self.0.len() + 16 {
            return KeyMap(self.0.clone());
        }
        let mut m = FxHashMap::with_capacity_and_hasher(self.0.len(), Fx::default());
        m.extend(self.0.iter().map(|(k, v)| (k.clone(), v.clone())));
        KeyMap(m)
    }
}

impl<V> Default for KeyMap<V> {
    fn default() -> Self {
        KeyMap(FxHashMap::default())
    }
}

impl<V> KeyMap<V> {
    /// By a [`Key`] or a borrowed [`Named`].
    pub fn get<Q: Hash + Equivalent<Key> + ?Sized>(&self, k: &Q) -> Option<&V> {
        self.0.get(k)
    }

    pub fn get_mut<Q: Hash + Equivalent<Key> + ?Sized>(&mut self, k: &Q) -> Option<&mut V> {
        self.0.get_mut(k)
    }

    pub fn insert(&mut self, k: Key, v: V) -> Option<V> {
        self.0.insert(k, v)
    }

    pub fn remove<Q: Hash + Equivalent<Key> + ?Sized>(&mut self, k: &Q) -> Option<V> {
        self.0.remove(k)
    }

    pub fn entry(&mut self, k: Key) -> hashbrown::hash_map::Entry<'_, Key, V, Fx> {
        self.0.entry(k)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every entry, in key order.
    pub fn sorted(&self) -> Vec<(&Key, &V)> {
        self.sorted_where(|_, _| true)
    }

    /// The entries `keep` accepts, in key order. Filtering first keeps the sort to the few
    /// entries a caller wants (pending claims, one node's pods).
    pub fn sorted_where(&self, mut keep: impl FnMut(&Key, &V) -> bool) -> Vec<(&Key, &V)> {
        let mut out: Vec<(&Key, &V)> = self.0.iter().filter(|(k, v)| keep(k, v)).collect();
        // Keys are unique, so an unstable sort gives the one order there is.
        out.sort_unstable_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The entries of one namespace, in key order.
    pub fn in_namespace(&self, ns: &str) -> Vec<(&Key, &V)> {
        self.sorted_where(|k, _| &*k.0 == ns)
    }

    /// Whether any value satisfies `f` (the answer does not depend on order).
    pub fn any(&self, f: impl FnMut(&V) -> bool) -> bool {
        self.0.values().any(f)
    }
}

impl<V> ByName<V> for KeyMap<V> {
    fn named(&self, ns: &str, name: &str) -> Option<&V> {
        self.0.get(&Named::new(ns, name))
    }
}

/// Values by object uid: lookups only, never listed.
///
/// The engine draws uids from its seeded RNG, so their last eight characters spread as well
/// as a hash of all 36 would: hashing them is one multiply. (A uid that is not random would
/// only make lookups slower, never wrong.)
#[derive(Debug)]
pub struct UidMap<V>(FxHashMap<Uid, V>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uid(Str);

/// A borrowed uid, hashing as the [`Uid`] it stands for.
struct UidRef<'a>(&'a str);

fn hash_uid<H: Hasher>(uid: &str, state: &mut H) {
    let bytes = uid.as_bytes();
    let tail = bytes.get(bytes.len().saturating_sub(8)..).unwrap_or_default();
    let mut word = [0u8; 8];
    word[..tail.len()].copy_from_slice(tail);
    state.write_u64(u64::from_le_bytes(word));
}

impl Hash for Uid {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_uid(&self.0, state);
    }
}

impl Hash for UidRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_uid(self.0, state);
    }
}

impl hashbrown::Equivalent<Uid> for UidRef<'_> {
    fn equivalent(&self, uid: &Uid) -> bool {
        // Usually the very string the map holds (uids are shared `Rc`s).
        std::ptr::eq(self.0, &*uid.0) || self.0 == &*uid.0
    }
}

impl<V: Clone> Clone for UidMap<V> {
    fn clone(&self) -> Self {
        UidMap(self.0.clone())
    }
}

impl<V> Default for UidMap<V> {
    fn default() -> Self {
        UidMap(FxHashMap::default())
    }
}

impl<V> UidMap<V> {
    pub fn get(&self, uid: &str) -> Option<&V> {
        self.0.get(&UidRef(uid))
    }

    pub fn remove(&mut self, uid: &str) -> Option<V> {
        self.0.remove(&UidRef(uid))
    }

    pub fn entry(&mut self, uid: Str) -> hashbrown::hash_map::Entry<'_, Uid, V, Fx> {
        self.0.entry(Uid(uid))
    }
}

/// What every stored kind's map offers the write path, ordered or hashed.
pub trait ObjectMap<V> {
    fn insert(&mut self, k: Key, v: V) -> Option<V>;
    fn remove(&mut self, k: &Key) -> Option<V>;
}

impl<V> ObjectMap<V> for KeyMap<V> {
    fn insert(&mut self, k: Key, v: V) -> Option<V> {
        KeyMap::insert(self, k, v)
    }
    fn remove(&mut self, k: &Key) -> Option<V> {
        KeyMap::remove(self, k)
    }
}

impl<V> ObjectMap<V> for std::collections::BTreeMap<Key, V> {
    fn insert(&mut self, k: Key, v: V) -> Option<V> {
        std::collections::BTreeMap::insert(self, k, v)
    }
    fn remove(&mut self, k: &Key) -> Option<V> {
        std::collections::BTreeMap::remove(self, k)
    }
}

#[cfg(test)]
mod tests {
    use super::super::meta::{key, ByName};
    use super::KeyMap;

    #[test]
    fn lists_in_key_order_whatever_the_insertion_order() {
        let names = ["web-10", "web-2", "web-1", "a", "www-web-123456789012", "www-web-12345678901", "web-0"];
        let mut m = KeyMap::default();
        for (i, n) in names.iter().enumerate() {
            m.insert(key(if i % 2 == 0 { "default" } else { "kube-system" }, n), i);
            m.insert(key("", n), i);
        }
        let listed: Vec<(String, String)> = m.sorted().into_iter().map(|(k, _)| (k.0.to_string(), k.1.to_string())).collect();
        let mut want = listed.clone();
        want.sort();
        assert_eq!(listed, want);
        assert_eq!(listed.len(), 2 * names.len());
        let default: Vec<&str> = m.in_namespace("default").into_iter().map(|(k, _)| &*k.1).collect();
        assert_eq!(default, ["web-0", "web-1", "web-10", "www-web-123456789012"]);
    }

    #[test]
    fn finds_by_borrowed_names_as_by_keys() {
        let mut m = KeyMap::default();
        for i in 0..200 {
            m.insert(key("default", &format!("web-{i}")), i);
        }
        // A namespace string that is not the shared one, and a name built elsewhere.
        let ns = String::from("default");
        for i in 0..200 {
            let name = format!("web-{i}");
            assert_eq!(m.named(&ns, &name), Some(&i));
            assert_eq!(m.get(&key("default", &name)), Some(&i));
            assert!(!m.has("kube-system", &name));
        }
        assert_eq!(m.named("default", "web-200"), None);
        assert_eq!(m.remove(&key("default", "web-7")), Some(7));
        assert!(!m.has("default", "web-7"));
    }
}
