//! Hashed maps for the engine's point lookups, with reads in order only where order is seen.
//!
//! A sync looks up pods, claims and volumes by key dozens of times. In a B-tree each lookup
//! compares a dozen keys along a path of nodes spread over memory; at 10,000 pods those were
//! cache misses, most of what made a large session slower per pod than a small one. A hash
//! table finds an entry with one hash and usually one comparison.
//!
//! Iteration order is part of the engine's output (listing order, the order writes happen,
//! and so events and resourceVersions), and a hash table's order depends on its history and
//! on the platform's word size. So these maps never hand out their own order: [`Objects`]
//! lists sorted by key, the API server's order, as the `BTreeMap` it replaces listed; the
//! others are only looked up.
//!
//! The hasher is rustc-hash's FxHash: no random seed (the engine must be deterministic, and
//! the same on wasm32), and a few instructions per word for the short names hashed here.

use super::meta::{same_str, ByName, Key, Named, Str};
use super::store::Stored;
use hashbrown::Equivalent;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// The hasher of every hashed map in the engine.
pub type Fx = rustc_hash::FxBuildHasher;

/// A hash map with a fixed-seed hasher. Its order must never be observed: use it only for
/// lookups, or sort what it lists.
pub type FxHashMap<K, V> = hashbrown::HashMap<K, V, Fx>;
/// A hash set with a fixed-seed hasher (see [`FxHashMap`]).
pub type FxHashSet<T> = hashbrown::HashSet<T, Fx>;

/// Whether a table has grown far beyond what it holds, so that a clone should be sized anew.
fn oversized(capacity: usize, len: usize) -> bool {
    capacity > 2 * len + 16
}

/// Values by `(namespace, name)`, for lookups only (never listed).
#[derive(Debug)]
pub struct KeyMap<V>(FxHashMap<Key, V>);

/// A clone (a time-travel snapshot) gets a table sized to what the map holds now (see
/// [`Objects`]' `Clone`).
impl<V: Clone> Clone for KeyMap<V> {
    fn clone(&self) -> Self {
        if !oversized(self.0.capacity(), self.0.len()) {
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
    // An empty map answers without hashing the key: the sync back-off is looked up and
    // cleared on every sync, and is almost always empty.
    pub fn get<Q: Hash + Equivalent<Key> + ?Sized>(&self, k: &Q) -> Option<&V> {
        if self.0.is_empty() {
            return None;
        }
        self.0.get(k)
    }

    pub fn get_mut<Q: Hash + Equivalent<Key> + ?Sized>(&mut self, k: &Q) -> Option<&mut V> {
        if self.0.is_empty() {
            return None;
        }
        self.0.get_mut(k)
    }

    pub fn insert(&mut self, k: Key, v: V) -> Option<V> {
        self.0.insert(k, v)
    }

    pub fn remove<Q: Hash + Equivalent<Key> + ?Sized>(&mut self, k: &Q) -> Option<V> {
        if self.0.is_empty() {
            return None;
        }
        self.0.remove(k)
    }

    pub fn entry(&mut self, k: Key) -> hashbrown::hash_map::Entry<'_, Key, V, Fx> {
        self.0.entry(k)
    }
}

impl<V> ByName<V> for KeyMap<V> {
    fn named(&self, ns: &str, name: &str) -> Option<&V> {
        self.0.get(&Named::new(ns, name))
    }
}

/// One kind's stored objects, by `(namespace, name)`: lookups hashed, listings in key order.
///
/// A table of the objects alone: an object's key is its own namespace and name, so a bucket
/// is one pointer instead of a 48-byte key beside it. Every time-travel snapshot clones these
/// tables, and at 10,000 pods the keys were most of a snapshot's maps.
#[derive(Debug)]
pub struct Objects<T>(hashbrown::HashTable<Rc<T>>);

fn hash_name(name: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(name.as_bytes());
    h.finish()
}

fn is<T: Stored>(o: &Rc<T>, ns: &str, name: &str) -> bool {
    let m = o.meta();
    same_str(&m.name, name) && same_str(&m.namespace, ns)
}

fn hash_of<T: Stored>(o: &Rc<T>) -> u64 {
    hash_name(&o.meta().name)
}

/// API server order: namespace, then name (as [`Key`]'s order).
fn key_order<T: Stored>(a: &&Rc<T>, b: &&Rc<T>) -> std::cmp::Ordering {
    let (a, b) = (a.meta(), b.meta());
    a.namespace.cmp(&b.namespace).then_with(|| a.name.cmp(&b.name))
}

impl<T> Default for Objects<T> {
    fn default() -> Self {
        Objects(hashbrown::HashTable::new())
    }
}

/// A clone (a time-travel snapshot) gets a table sized to what it holds now: a hash table
/// keeps the buckets it grew to, and a snapshot taken after scaling 10,000 pods down to none
/// would otherwise keep all of them, which the B-tree it replaces did not.
impl<T: Stored> Clone for Objects<T> {
    fn clone(&self) -> Self {
        if !oversized(self.0.capacity(), self.0.len()) {
            return Objects(self.0.clone());
        }
        let mut t = hashbrown::HashTable::with_capacity(self.0.len());
        for o in self.0.iter() {
            t.insert_unique(hash_of(o), o.clone(), hash_of);
        }
        Objects(t)
    }
}

impl<T: Stored> Objects<T> {
    pub fn get(&self, k: &Key) -> Option<&Rc<T>> {
        self.named(&k.0, &k.1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn remove(&mut self, k: &Key) -> Option<Rc<T>> {
        let e = self.0.find_entry(hash_name(&k.1), |o| is(o, &k.0, &k.1)).ok()?;
        Some(e.remove().0)
    }

    /// Every object, in key order.
    pub fn sorted(&self) -> Vec<&Rc<T>> {
        self.sorted_where(|_| true)
    }

    /// The objects `keep` accepts, in key order. Filtering first keeps the sort to the few
    /// a caller wants (pending claims, one node's pods).
    pub fn sorted_where(&self, mut keep: impl FnMut(&T) -> bool) -> Vec<&Rc<T>> {
        let mut out: Vec<&Rc<T>> = self.0.iter().filter(|o| keep(o)).collect();
        crate::sort::sort_by(&mut out, key_order);
        out
    }

    /// The objects of one namespace, in key order.
    pub fn in_namespace(&self, ns: &str) -> Vec<&Rc<T>> {
        self.sorted_where(|o| same_str(&o.meta().namespace, ns))
    }

    /// Whether any object satisfies `f` (the answer does not depend on order).
    pub fn any(&self, mut f: impl FnMut(&T) -> bool) -> bool {
        self.0.iter().any(|o| f(o))
    }
}

impl<T: Stored> ByName<Rc<T>> for Objects<T> {
    fn named(&self, ns: &str, name: &str) -> Option<&Rc<T>> {
        self.0.find(hash_name(name), |o| is(o, ns, name))
    }
}

impl<T: Stored> ObjectMap<Rc<T>> for Objects<T> {
    /// Stores `v` under its own namespace and name.
    fn insert(&mut self, v: Rc<T>) -> Option<Rc<T>> {
        let m = v.meta();
        match self.0.entry(hash_name(&m.name), |o| is(o, &m.namespace, &m.name), hash_of) {
            hashbrown::hash_table::Entry::Occupied(mut e) => Some(std::mem::replace(e.get_mut(), v)),
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(v);
                None
            }
        }
    }

    fn remove(&mut self, k: &Key) -> Option<Rc<T>> {
        Objects::remove(self, k)
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
        same_str(self.0, &uid.0)
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

/// Values by uid for maps of a handful of entries (one per StatefulSet), looked up many times
/// per sync: a scan that compares addresses first finds the shared uid string at once, where
/// a B-tree compared 36-byte strings and a hash table paid for a hash and a probe. Never
/// listed, so the order of the entries is never seen.
#[derive(Debug, Clone)]
pub struct FewByUid<V>(Vec<(Str, V)>);

impl<V> Default for FewByUid<V> {
    fn default() -> Self {
        FewByUid(Vec::new())
    }
}

impl<V> FewByUid<V> {
    fn find(&self, uid: &str) -> Option<usize> {
        // Usually the very string stored (uids are shared `Rc`s); else compare contents.
        self.0.iter().position(|(k, _)| std::ptr::eq(&**k, uid)).or_else(|| self.0.iter().position(|(k, _)| **k == *uid))
    }

    pub fn get(&self, uid: &str) -> Option<&V> {
        self.find(uid).and_then(|i| self.0.get(i)).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, uid: &str) -> Option<&mut V> {
        self.find(uid).and_then(|i| self.0.get_mut(i)).map(|(_, v)| v)
    }

    pub fn contains_key(&self, uid: &str) -> bool {
        self.find(uid).is_some()
    }

    pub fn insert(&mut self, uid: Str, v: V) -> Option<V> {
        match self.find(&uid).and_then(|i| self.0.get_mut(i)) {
            Some((_, old)) => Some(std::mem::replace(old, v)),
            None => {
                self.0.push((uid, v));
                None
            }
        }
    }

    pub fn remove(&mut self, uid: &str) -> Option<V> {
        let i = self.find(uid)?;
        Some(self.0.swap_remove(i).1)
    }
}

/// What every stored kind's map offers the write path, ordered or hashed. An object is
/// stored under its own namespace and name: a hashed table needs no key beside it, so none is
/// built for the write.
pub trait ObjectMap<V> {
    fn insert(&mut self, v: V) -> Option<V>;
    fn remove(&mut self, k: &Key) -> Option<V>;
}

impl<T: Stored> ObjectMap<Rc<T>> for std::collections::BTreeMap<Key, Rc<T>> {
    fn insert(&mut self, v: Rc<T>) -> Option<Rc<T>> {
        std::collections::BTreeMap::insert(self, v.meta().key(), v)
    }
    fn remove(&mut self, k: &Key) -> Option<Rc<T>> {
        std::collections::BTreeMap::remove(self, k)
    }
}

#[cfg(test)]
mod tests {
    use super::super::meta::{key, ByName, Meta};
    use super::super::objects::Endpoints;
    use super::{ObjectMap, Objects};
    use std::rc::Rc;

    fn object(ns: &str, name: &str, rv: u64) -> Rc<Endpoints> {
        let k = key(ns, name);
        let meta = Meta { namespace: k.0, name: k.1, resource_version: rv, ..Meta::default() };
        Rc::new(Endpoints { meta, addresses: Rc::default(), ports: Vec::new() })
    }

    fn names(list: Vec<&Rc<Endpoints>>) -> Vec<(String, String)> {
        list.into_iter().map(|o| (o.meta.namespace.to_string(), o.meta.name.to_string())).collect()
    }

    #[test]
    fn lists_in_key_order_whatever_the_insertion_order() {
        let names_in = ["web-10", "web-2", "web-1", "a", "www-web-123456789012", "www-web-12345678901", "web-0"];
        let mut m = Objects::default();
        for (i, n) in names_in.iter().enumerate() {
            let ns = if i % 2 == 0 { "default" } else { "kube-system" };
            m.insert(object(ns, n, 1));
            m.insert(object("", n, 1));
        }
        let listed = names(m.sorted());
        let mut want = listed.clone();
        want.sort();
        assert_eq!(listed, want);
        assert_eq!(listed.len(), 2 * names_in.len());
        let default: Vec<String> = names(m.in_namespace("default")).into_iter().map(|(_, n)| n).collect();
        assert_eq!(default, ["web-0", "web-1", "web-10", "www-web-123456789012"]);
    }

    #[test]
    fn finds_replaces_and_removes_by_namespace_and_name() {
        let mut m = Objects::default();
        for i in 0..200 {
            let name = format!("web-{i}");
            assert!(m.insert(object("default", &name, 1)).is_none());
        }
        // A namespace string that is not the shared one, and names built elsewhere.
        let ns = String::from("default");
        for i in 0..200 {
            let name = format!("web-{i}");
            assert_eq!(m.named(&ns, &name).map(|o| o.meta.resource_version), Some(1));
            assert!(m.get(&key("default", &name)).is_some());
            assert!(!m.has("kube-system", &name));
        }
        let old = m.insert(object("default", "web-7", 2));
        assert_eq!(old.map(|o| o.meta.resource_version), Some(1));
        assert_eq!(m.named("default", "web-7").map(|o| o.meta.resource_version), Some(2));
        assert_eq!(m.len(), 200);
        assert!(m.named("default", "web-200").is_none());
        assert_eq!(m.remove(&key("default", "web-7")).map(|o| o.meta.resource_version), Some(2));
        assert!(!m.has("default", "web-7"));
        // A snapshot of a mostly emptied table holds the same objects.
        for i in 10..200 {
            m.remove(&key("default", &format!("web-{i}")));
        }
        let copy = m.clone();
        assert_eq!(names(copy.sorted()), names(m.sorted()));
        assert_eq!(copy.len(), 9);
    }
}
