//! Object metadata, owner references, label selectors, timestamps and small JSON helpers
//! shared by every typed object.

use super::Time;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Shared immutable string: names and uids are copied into many objects and snapshots.
pub type Str = Rc<str>;
/// `(namespace, name)`; cluster-scoped objects use an empty namespace. Ordered as that pair of
/// strings, which is the order the API server lists objects in.
///
/// A key also carries the first 16 bytes of its name, so that comparing two keys (a B-tree
/// search compares a dozen) rarely has to follow the name's pointer: at 10,000 pods those
/// pointer chases were cache misses, most of what made a large session slower per pod.
#[derive(Debug, Clone, Default)]
pub struct Key(pub Str, pub Str, NamePrefix);

/// Equal keys: the prefixes (inline) first, then the rest of the names (usually nothing: see
/// `cmp_past_prefix`) and the namespaces, each by address before content (names and
/// namespaces are shared `Rc`s, so a key found again is usually the same string).
fn eq_keys(a: KeyView, b: KeyView) -> bool {
    a.2 == b.2 && (std::ptr::eq(a.1, b.1) || cmp_past_prefix(a.1, b.1).is_eq()) && same_str(a.0, b.0)
}

/// String equality that first compares addresses: names, namespaces and uids are shared
/// `Rc`s, so the string looked for is usually the very one stored.
pub fn same_str(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// Where `s` is in a short list of shared strings: by address first, then by content. The
/// string looked for is usually one of them (a pod's node name is the node's own string), and
/// comparing two different names of the same length by content is a `memcmp` each.
pub fn position_shared<'a>(names: impl Iterator<Item = &'a str> + Clone, s: &str) -> Option<usize> {
    names.clone().position(|n| std::ptr::eq(n, s)).or_else(|| names.into_iter().position(|n| n == s))
}

/// `same_str` for optional strings.
pub fn same_opt_str(a: &Option<Str>, b: &Option<Str>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => same_str(x, y),
        (x, y) => x.is_none() && y.is_none(),
    }
}

/// A key's hash: its name only. Names rarely repeat across namespaces, and equal keys have
/// equal names, so that is enough, and it saves hashing the namespace on every lookup.
fn hash_key<H: std::hash::Hasher>(name: &str, state: &mut H) {
    state.write(name.as_bytes());
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        eq_keys(self.view(), other.view())
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        hash_key(&self.1, state);
    }
}

impl Key {
    pub fn new(ns: Str, name: Str) -> Key {
        let prefix = NamePrefix::of(&name);
        Key(ns, name, prefix)
    }
}

pub fn key(ns: &str, name: &str) -> Key {
    Key::new(namespace(ns), Rc::from(name))
}

/// A name's first 16 bytes, zero-padded, as two big-endian words: comparing two of these
/// orders names as comparing their first 16 bytes does. Equal prefixes say nothing (the names
/// may go on differently), so a comparison then looks at the whole names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NamePrefix(u64, u64);

impl NamePrefix {
    fn of(name: &str) -> NamePrefix {
        let mut bytes = [0u8; 16];
        let n = name.len().min(16);
        bytes[..n].copy_from_slice(&name.as_bytes()[..n]);
        let (hi, lo) = bytes.split_at(8);
        NamePrefix(u64::from_be_bytes(hi.try_into().unwrap_or_default()), u64::from_be_bytes(lo.try_into().unwrap_or_default()))
    }
}

/// The one shared string of a namespace name. A cluster has a handful of namespaces and
/// nearly every key compared is in the same one, so keys compare their namespaces by address
/// first (see `cmp_shared`) and only then by content.
pub fn namespace(ns: &str) -> Str {
    thread_local! {
        static NAMESPACES: std::cell::RefCell<Vec<Str>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    NAMESPACES.with(|all| {
        let mut all = all.borrow_mut();
        if let Some(s) = all.iter().find(|s| ***s == *ns) {
            return s.clone();
        }
        let s = Str::from(ns);
        // Bounded: past a few dozen names, namespaces are simply not shared.
        if all.len() < 64 {
            all.push(s.clone());
        }
        s
    })
}

/// String order, with a shortcut for two views of the same string (a shared namespace).
fn cmp_shared(a: &str, b: &str) -> std::cmp::Ordering {
    if std::ptr::eq(a, b) {
        std::cmp::Ordering::Equal
    } else {
        a.cmp(b)
    }
}

fn cmp_keys(a: KeyView, b: KeyView) -> std::cmp::Ordering {
    cmp_shared(a.0, b.0).then_with(|| a.2.cmp(&b.2)).then_with(|| cmp_past_prefix(a.1, b.1))
}

/// Orders two names whose 16-byte prefixes are equal. When either is at most 16 bytes long, the
/// prefix holds all of it, so the other one starts with it (then zeros): the shorter is less,
/// and equal lengths mean equal names. Only the length is read, not the name's bytes, which
/// are behind a pointer: the final, equal comparison of every successful search used to
/// follow it, and at 10,000 pods those reads missed the cache more than anything else.
fn cmp_past_prefix(a: &str, b: &str) -> std::cmp::Ordering {
    if a.len() <= 16 || b.len() <= 16 {
        a.len().cmp(&b.len())
    } else {
        a.as_bytes()[16..].cmp(&b.as_bytes()[16..])
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        cmp_keys(self.view(), other.view())
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A key seen as two borrowed strings and its name's prefix, so maps keyed by [`Key`] are
/// searched without building one (a lookup used to allocate both strings, and lookups are most
/// of what a sync does).
///
/// One call gives all three parts: a search through `dyn KeyRef` pays an indirect call per
/// call, and a comparison used to make four.
pub trait KeyRef {
    fn view(&self) -> KeyView<'_>;
}

/// `(namespace, name, name prefix)`, borrowed.
#[derive(Clone, Copy)]
pub struct KeyView<'a>(&'a str, &'a str, NamePrefix);

impl KeyRef for Key {
    fn view(&self) -> KeyView<'_> {
        KeyView(&self.0, &self.1, self.2)
    }
}

impl<'a> std::borrow::Borrow<dyn KeyRef + 'a> for Key {
    fn borrow(&self) -> &(dyn KeyRef + 'a) {
        self
    }
}

impl PartialEq for dyn KeyRef + '_ {
    fn eq(&self, other: &Self) -> bool {
        eq_keys(self.view(), other.view())
    }
}

impl Eq for dyn KeyRef + '_ {}

impl PartialOrd for dyn KeyRef + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn KeyRef + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        cmp_keys(self.view(), other.view())
    }
}

/// Lookups by borrowed namespace and name in the store's maps.
pub trait ByName<V> {
    fn named(&self, ns: &str, name: &str) -> Option<&V>;
    fn has(&self, ns: &str, name: &str) -> bool {
        self.named(ns, name).is_some()
    }
}

/// A borrowed key with its name's prefix worked out once, not at every comparison.
pub struct Named<'a>(&'a str, &'a str, NamePrefix);

impl<'a> Named<'a> {
    pub fn new(ns: &'a str, name: &'a str) -> Named<'a> {
        Named(ns, name, NamePrefix::of(name))
    }
}

/// Hashes as the [`Key`] it stands for, so hashed maps are searched without building one.
impl std::hash::Hash for Named<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        hash_key(self.1, state);
    }
}

impl hashbrown::Equivalent<Key> for Named<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        eq_keys(self.view(), key.view())
    }
}

impl KeyRef for Named<'_> {
    fn view(&self) -> KeyView<'_> {
        KeyView(self.0, self.1, self.2)
    }
}

impl<V> ByName<V> for BTreeMap<Key, V> {
    fn named(&self, ns: &str, name: &str) -> Option<&V> {
        self.get(&Named::new(ns, name) as &dyn KeyRef)
    }
}

impl ByName<()> for std::collections::BTreeSet<Key> {
    fn named(&self, ns: &str, name: &str) -> Option<&()> {
        self.contains(&Named::new(ns, name) as &dyn KeyRef).then_some(&())
    }
}

/// The days from 1970-01-01 to the session's epoch (see [`super::EPOCH_UNIX_MS`]).
const EPOCH_DAYS: i64 = super::EPOCH_UNIX_MS / 86_400_000;

/// RFC 3339 timestamp (seconds resolution, like the API server) of a virtual instant.
pub fn rfc3339(t: Time) -> String {
    let secs = (t.0 / 1000) as i64;
    let days = EPOCH_DAYS + secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, rem / 3600, (rem / 60) % 60, rem % 60)
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days-to-civil algorithm.
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerRef {
    pub api_version: Str,
    pub kind: Str,
    pub name: Str,
    pub uid: Str,
    pub controller: bool,
    pub block_owner_deletion: bool,
}

/// A list in an object's metadata that every version of the object shares, since every write
/// clones the object it changes and these lists rarely change: `metadata.ownerReferences` (a pod
/// keeps its set's for life) and `metadata.finalizers` (most objects have none; a claim or volume
/// keeps its one protection finalizer for life). Reads go through the slice; the few writes copy
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared<T>(Option<Rc<[T]>>);

pub type Owners = Shared<OwnerRef>;
pub type Finalizers = Shared<String>;

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Shared(None)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_deref().unwrap_or_default()
    }
}

impl<T> From<Vec<T>> for Shared<T> {
    fn from(v: Vec<T>) -> Self {
        Shared((!v.is_empty()).then(|| Rc::from(v)))
    }
}

impl<T> FromIterator<T> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = T>>(it: I) -> Self {
        it.into_iter().collect::<Vec<_>>().into()
    }
}

impl<T: PartialEq> PartialEq<Vec<T>> for Shared<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        **self == other[..]
    }
}

impl<T: Clone + PartialEq> Shared<T> {
    /// A single item (a controller's owner reference), in one allocation.
    pub fn of(item: T) -> Self {
        Shared(Some(Rc::from([item])))
    }
    pub fn push(&mut self, item: T) {
        let mut v = self.to_vec();
        v.push(item);
        *self = v.into();
    }
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        let mut v = self.to_vec();
        v.retain(keep);
        *self = v.into();
    }
    /// Equality that first compares addresses: versions of an object share their lists.
    pub fn same(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b) || a == b,
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

impl<T: serde::Serialize> serde::Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl OwnerRef {
    pub fn controller_of(kind: super::Kind, name: &Str, uid: &Str) -> OwnerRef {
        OwnerRef {
            api_version: intern(kind.api_version()),
            kind: intern(kind.name()),
            name: name.clone(),
            uid: uid.clone(),
            controller: true,
            block_owner_deletion: true,
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "apiVersion": &*self.api_version,
            "blockOwnerDeletion": self.block_owner_deletion,
            "controller": self.controller,
            "kind": &*self.kind,
            "name": &*self.name,
            "uid": &*self.uid,
        })
    }

    fn from_json(v: &Value) -> Option<OwnerRef> {
        Some(OwnerRef {
            api_version: Rc::from(v.get("apiVersion")?.as_str()?),
            kind: Rc::from(v.get("kind")?.as_str()?),
            name: Rc::from(v.get("name")?.as_str()?),
            uid: Rc::from(v.get("uid")?.as_str()?),
            controller: v.get("controller").and_then(Value::as_bool).unwrap_or(false),
            block_owner_deletion: v.get("blockOwnerDeletion").and_then(Value::as_bool).unwrap_or(false),
        })
    }
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub name: Str,
    pub namespace: Str,
    pub uid: Str,
    pub resource_version: u64,
    pub generation: i64,
    pub created: Time,
    pub labels: StrMap,
    pub annotations: StrMap,
    pub owners: Owners,
    pub finalizers: Finalizers,
    /// When set, the object is being deleted (graceful pods: now + grace period).
    pub deletion: Option<Time>,
    pub deletion_grace: Option<u64>,
    /// Shared: every version of a pod carries it.
    pub generate_name: Option<Str>,
}

/// Empty names share one string: every new object starts from a default `Meta` and overwrites
/// them, so allocating three empty strings for it was pure waste.
impl Default for Meta {
    fn default() -> Meta {
        thread_local! {
            static EMPTY: Str = Rc::from("");
        }
        let empty = EMPTY.with(Rc::clone);
        Meta {
            name: empty.clone(),
            namespace: empty.clone(),
            uid: empty,
            resource_version: 0,
            generation: 0,
            created: Time::default(),
            labels: StrMap::default(),
            annotations: StrMap::default(),
            owners: Owners::default(),
            finalizers: Finalizers::default(),
            deletion: None,
            deletion_grace: None,
            generate_name: None,
        }
    }
}

impl Meta {
    pub fn key(&self) -> Key {
        Key::new(self.namespace.clone(), self.name.clone())
    }

    pub fn controller(&self) -> Option<&OwnerRef> {
        self.owners.iter().find(|o| o.controller)
    }

    /// Reads the user-settable parts of `metadata`; the server-owned parts stay default.
    pub fn from_json(v: &Value, default_ns: &str) -> Result<Meta, String> {
        let m = v.get("metadata").cloned().unwrap_or(Value::Null);
        let name = m.get("name").and_then(Value::as_str).unwrap_or("");
        let namespace = m.get("namespace").and_then(Value::as_str).unwrap_or(default_ns);
        Ok(Meta {
            name: Rc::from(name),
            namespace: self::namespace(namespace),
            labels: string_map(m.get("labels")),
            annotations: string_map(m.get("annotations")),
            owners: m
                .get("ownerReferences")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(OwnerRef::from_json).collect::<Vec<_>>().into())
                .unwrap_or_default(),
            finalizers: m
                .get("finalizers")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|f| f.as_str().map(str::to_string)).collect())
                .unwrap_or_default(),
            generate_name: m.get("generateName").and_then(Value::as_str).map(Str::from),
            ..Meta::default()
        })
    }

    pub fn to_json(&self, namespaced: bool) -> Value {
        let mut m = Map::new();
        if !self.annotations.is_empty() {
            m.insert("annotations".into(), json!(self.annotations));
        }
        m.insert("creationTimestamp".into(), json!(rfc3339(self.created)));
        if let Some(g) = self.deletion_grace {
            m.insert("deletionGracePeriodSeconds".into(), json!(g));
        }
        if let Some(d) = self.deletion {
            m.insert("deletionTimestamp".into(), json!(rfc3339(d)));
        }
        if !self.finalizers.is_empty() {
            m.insert("finalizers".into(), json!(self.finalizers));
        }
        if let Some(g) = &self.generate_name {
            m.insert("generateName".into(), json!(&**g));
        }
        if self.generation > 0 {
            m.insert("generation".into(), json!(self.generation));
        }
        if !self.labels.is_empty() {
            m.insert("labels".into(), json!(self.labels));
        }
        m.insert("name".into(), json!(&*self.name));
        if namespaced {
            m.insert("namespace".into(), json!(&*self.namespace));
        }
        if !self.owners.is_empty() {
            m.insert("ownerReferences".into(), Value::Array(self.owners.iter().map(OwnerRef::to_json).collect()));
        }
        m.insert("resourceVersion".into(), json!(self.resource_version.to_string()));
        m.insert("uid".into(), json!(&*self.uid));
        Value::Object(m)
    }
}

/// Labels and annotations: a few string pairs kept sorted by key in one exact-size allocation,
/// shared copy-on-write.
/// A `BTreeMap` allocates a whole 11-slot node even for one pair (over 500 bytes), and every
/// pod, claim and volume carries these maps into each time-travel snapshot that holds a copy.
/// Every write clones the object it changes, so a clone shares the pairs (a reference count)
/// and only a changed map is copied. Empty maps allocate nothing.
/// Keys and values are shared strings: the controllers' well-known keys and values (and a
/// template's labels, copied into every pod) are one allocation for all the objects that carry
/// them, where each pod, claim and volume had its own copies (at 10,000 replicas, a third of
/// the live allocations and a tenth of the heap).
/// Iteration order is the key order, as a `BTreeMap`'s, so rendered JSON is unchanged.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct StrMap(Option<Rc<Vec<(Str, Str)>>>);

type Pair<'a> = (&'a Str, &'a Str);
pub type StrMapIter<'a> = std::iter::Map<std::slice::Iter<'a, (Str, Str)>, fn(&'a (Str, Str)) -> Pair<'a>>;

impl StrMap {
    fn pairs(&self) -> &[(Str, Str)] {
        self.0.as_deref().map(Vec::as_slice).unwrap_or_default()
    }
    fn pairs_mut(&mut self) -> &mut Vec<(Str, Str)> {
        Rc::make_mut(self.0.get_or_insert_with(Rc::default))
    }
    fn from_sorted(mut v: Vec<(Str, Str)>) -> StrMap {
        v.shrink_to_fit();
        StrMap((!v.is_empty()).then(|| Rc::new(v)))
    }
    fn find(&self, k: &str) -> Result<usize, usize> {
        self.pairs().binary_search_by(|(x, _)| (**x).cmp(k))
    }
    pub fn get(&self, k: &str) -> Option<&Str> {
        self.find(k).ok().and_then(|i| self.pairs().get(i)).map(|(_, v)| v)
    }
    pub fn contains_key(&self, k: &str) -> bool {
        self.find(k).is_ok()
    }
    pub fn insert(&mut self, k: impl Into<Str>, v: impl Into<Str>) -> Option<Str> {
        let (k, v) = (k.into(), v.into());
        match self.find(&k) {
            Ok(i) => {
                if self.pairs().get(i).is_some_and(|(_, old)| *old == v) {
                    return Some(v); // unchanged: keep sharing
                }
                self.pairs_mut().get_mut(i).map(|slot| std::mem::replace(&mut slot.1, v))
            }
            Err(i) => {
                let pairs = self.pairs_mut();
                pairs.reserve_exact(1);
                pairs.insert(i, (k, v));
                None
            }
        }
    }
    /// A copy with `extra` inserted (each as `insert` would, replacing an equal key), built in
    /// one allocation: a StatefulSet's pod is its template's labels plus three of its own.
    pub fn with<const N: usize>(&self, extra: [(Str, Str); N]) -> StrMap {
        let mut pairs = Vec::with_capacity(self.len() + N);
        pairs.extend_from_slice(self.pairs());
        for (k, v) in extra {
            match pairs.binary_search_by(|(x, _): &(Str, Str)| (**x).cmp(&*k)) {
                Ok(i) => pairs[i].1 = v,
                Err(i) => pairs.insert(i, (k, v)),
            }
        }
        StrMap::from_sorted(pairs)
    }
    pub fn remove(&mut self, k: &str) -> Option<Str> {
        let i = self.find(k).ok()?;
        let pairs = self.pairs_mut();
        let (_, v) = pairs.remove(i);
        pairs.shrink_to_fit();
        if pairs.is_empty() {
            self.0 = None;
        }
        Some(v)
    }
    pub fn len(&self) -> usize {
        self.pairs().len()
    }
    pub fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }
    pub fn iter(&self) -> StrMapIter<'_> {
        self.pairs().iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &Str> + '_ {
        self.pairs().iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl Iterator<Item = &Str> + '_ {
        self.pairs().iter().map(|(_, v)| v)
    }
    pub fn retain(&mut self, mut f: impl FnMut(&Str, &mut Str) -> bool) {
        let mut v = std::mem::take(self).into_iter().collect::<Vec<_>>();
        v.retain_mut(|(k, v)| f(k, v));
        *self = StrMap::from_sorted(v);
    }
}

impl std::fmt::Debug for StrMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a StrMap {
    type Item = Pair<'a>;
    type IntoIter = StrMapIter<'a>;
    fn into_iter(self) -> StrMapIter<'a> {
        self.iter()
    }
}

impl IntoIterator for StrMap {
    type Item = (Str, Str);
    type IntoIter = std::vec::IntoIter<(Str, Str)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.map(|rc| Rc::try_unwrap(rc).unwrap_or_else(|shared| (*shared).clone())).unwrap_or_default().into_iter()
    }
}

impl<K: Into<Str>, V: Into<Str>> FromIterator<(K, V)> for StrMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(it: I) -> StrMap {
        // Through a BTreeMap: sorted, and a repeated key keeps its last value, as before.
        let m: BTreeMap<Str, Str> = it.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        StrMap::from_sorted(m.into_iter().collect())
    }
}

impl<K: Into<Str>, V: Into<Str>> Extend<(K, V)> for StrMap {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, it: I) {
        for (k, v) in it {
            self.insert(k, v);
        }
    }
}

impl From<BTreeMap<String, String>> for StrMap {
    fn from(m: BTreeMap<String, String>) -> StrMap {
        StrMap::from_sorted(m.into_iter().map(|(k, v)| (Str::from(k), Str::from(v))).collect())
    }
}

impl serde::Serialize for StrMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter().map(|(k, v)| (&**k, &**v)))
    }
}

pub fn string_map(v: Option<&Value>) -> StrMap {
    // serde_json's Map is a BTreeMap: its entries come sorted and unique, as StrMap keeps them,
    // so no BTreeMap (and no sort, a few KB of wasm) in between.
    v.and_then(Value::as_object)
        .map(|o| StrMap::from_sorted(o.iter().map(|(k, v)| (Str::from(k.as_str()), v.as_str().map(Str::from).unwrap_or_else(|| Str::from(v.to_string())))).collect()))
        .unwrap_or_default()
}

/// A label selector (`matchLabels` + `matchExpressions`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    pub match_labels: StrMap,
    pub exprs: Vec<(String, String, Vec<String>)>,
    /// A nil selector matches nothing (a `{}` selector matches everything).
    pub nothing: bool,
}

impl Selector {
    pub fn from_json(v: Option<&Value>) -> Selector {
        let Some(v) = v.filter(|v| v.is_object()) else {
            return Selector { nothing: true, ..Selector::default() };
        };
        let exprs = v
            .get("matchExpressions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|e| {
                        let s = |k| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                        let vals = e
                            .get("values")
                            .and_then(Value::as_array)
                            .map(|vs| vs.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                            .unwrap_or_default();
                        (s("key"), s("operator"), vals)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Selector { match_labels: string_map(v.get("matchLabels")), exprs, nothing: false }
    }

    pub fn matches(&self, labels: &StrMap) -> bool {
        if self.nothing {
            return false;
        }
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.exprs.iter().all(|(k, op, vals)| match op.as_str() {
                "In" => labels.get(k).is_some_and(|v| vals.iter().any(|x| **x == **v)),
                "NotIn" => labels.get(k).is_none_or(|v| !vals.iter().any(|x| **x == **v)),
                "Exists" => labels.contains_key(k),
                "DoesNotExist" => !labels.contains_key(k),
                _ => false,
            })
    }
}

/// Reads an integer field leniently (numbers or numeric strings).
pub fn int_field(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn str_field<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
}

/// Parses a Kubernetes quantity (`1Gi`, `500Mi`, `2G`, `1024`) into bytes.
pub fn parse_quantity(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult: f64 = match suffix {
        "" => 1.0,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0f64.powi(4),
        "Pi" => 1024.0f64.powi(5),
        "m" => 1e-3,
        _ => return None,
    };
    let bytes = n * mult;
    if bytes.is_finite() && bytes >= 0.0 {
        Some(bytes.min(u64::MAX as f64) as u64)
    } else {
        None
    }
}

thread_local! {
    /// By the constant's address and length: a constant is one place in the program, so this
    /// finds it without comparing text (a search by text was a twentieth of a pod's lifecycle,
    /// conditions and Events intern on every write). Nothing lists it, so its order is moot.
    /// Const-initialized, so a lookup does not first ask whether the map was created.
    static INTERNED: std::cell::RefCell<super::keymap::FxHashMap<(usize, usize), Str>> =
        const { std::cell::RefCell::new(super::keymap::FxHashMap::with_hasher(rustc_hash::FxBuildHasher)) };
}

/// One shared allocation per constant string (kinds, API versions) across all objects.
pub fn intern(s: &'static str) -> Str {
    let key = (s.as_ptr() as usize, s.len());
    INTERNED.with(|m| {
        if let Some(v) = m.borrow().get(&key) {
            return v.clone();
        }
        let v: Str = Rc::from(s);
        m.borrow_mut().insert(key, v.clone());
        v
    })
}

thread_local! {
    static INTERNED_OWNED: std::cell::RefCell<BTreeMap<String, Str>> = const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// Shares repeated runtime strings (condition messages, reasons). Bounded: only short, few
/// distinct strings are interned; others are allocated as usual.
pub fn intern_owned(s: String) -> Str {
    INTERNED_OWNED.with(|m| {
        let mut m = m.borrow_mut();
        if let Some(v) = m.get(&s) {
            return v.clone();
        }
        let v: Str = Rc::from(s.as_str());
        if m.len() < 4096 && s.len() < 256 {
            m.insert(s, v.clone());
        }
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_as_their_strings_do() {
        let names = [
            "", "a", "web", "web-0", "web-1", "web-10", "web-1\u{0}", "web-2", "www-web-1234567890", "www-web-123456789", "www-web-12345678901",
            "www-web-1234567899", "z", "é", "web-0000000000000000", "web-000000000000000", "web-1\u{0}\u{0}", "0123456789abcdef",
            "0123456789abcdef\u{0}", "0123456789abcdefg", "0123456789abcdefh", "0123456789abcdefgh",
        ];
        let keys: Vec<(Key, (&str, &str))> = ["", "default", "kube-system"]
            .iter()
            .flat_map(|ns| names.iter().map(move |n| (key(ns, n), (*ns, *n))))
            .collect();
        for (a, sa) in &keys {
            for (b, sb) in &keys {
                assert_eq!(a.cmp(b), sa.cmp(sb), "{sa:?} vs {sb:?}");
                assert_eq!(a == b, sa == sb, "{sa:?} == {sb:?}");
                let borrowed = Named::new(sb.0, sb.1);
                assert_eq!((a as &dyn KeyRef).cmp(&borrowed as &dyn KeyRef), sa.cmp(sb), "{sa:?} vs borrowed {sb:?}");
            }
        }
    }
}
