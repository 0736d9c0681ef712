//! Resource type names as kubectl resolves them (plural, singular, short name, Kind, and
//! `plural.group`), and the `TYPE NAME` / `TYPE/NAME` argument forms.

use crate::engine::Kind;

/// Short names the API server advertises (discovery `shortNames`).
fn short_names(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Namespace => &["ns"],
        Kind::Node => &["no"],
        Kind::Pod => &["po"],
        Kind::Service => &["svc"],
        Kind::Endpoints => &["ep"],
        Kind::PersistentVolumeClaim => &["pvc"],
        Kind::PersistentVolume => &["pv"],
        Kind::StorageClass => &["sc"],
        Kind::StatefulSet => &["sts"],
        Kind::ControllerRevision => &[],
        Kind::Deployment => &["deploy"],
        Kind::ReplicaSet => &["rs"],
        Kind::Event => &["ev"],
        Kind::ConfigMap => &["cm"],
        Kind::PodDisruptionBudget => &["pdb"],
        Kind::EndpointSlice => &[],
        Kind::ServiceAccount => &["sa"],
    }
}

pub fn singular(kind: Kind) -> String {
    kind.name().to_ascii_lowercase()
}

/// `statefulset.apps` / `pod`: how kubectl names a kind in `TYPE/NAME` output.
pub fn kind_group(kind: Kind) -> String {
    match kind.group() {
        "" => singular(kind),
        g => format!("{}.{}", singular(kind), g),
    }
}

/// `statefulset.apps/web`.
pub fn type_name(kind: Kind, name: &str) -> String {
    format!("{}/{}", kind_group(kind), name)
}

/// Resolves a resource type as typed by a user.
pub fn resolve(word: &str) -> Option<Kind> {
    let lower = word.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((b, g)) => (b.to_string(), Some(g.to_string())),
        None => (lower.clone(), None),
    };
    Kind::ALL.into_iter().find(|&k| {
        let group_ok = match &group {
            None => true,
            Some(g) => g == k.group() || (k.group().is_empty() && g == "v1") || g.starts_with(&format!("{}/", k.group())) || *g == format!("v1.{}", k.group()),
        };
        group_ok && (base == k.plural() || base == singular(k) || short_names(k).contains(&base.as_str()))
    })
}

/// kubectl's message for an unknown type.
pub fn unknown_type(word: &str) -> String {
    format!("error: the server doesn't have a resource type \"{word}\"")
}

/// Every name a user may type for a kind, for completion.
pub fn all_type_words() -> Vec<&'static str> {
    let mut v = Vec::new();
    for k in Kind::ALL {
        v.push(k.plural());
        v.extend_from_slice(short_names(k));
    }
    crate::sort::sort(&mut v);
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve() {
        assert_eq!(resolve("sts"), Some(Kind::StatefulSet));
        assert_eq!(resolve("statefulset.apps"), Some(Kind::StatefulSet));
        assert_eq!(resolve("StatefulSet"), Some(Kind::StatefulSet));
        assert_eq!(resolve("po"), Some(Kind::Pod));
        assert_eq!(resolve("pods"), Some(Kind::Pod));
        assert_eq!(resolve("pvc"), Some(Kind::PersistentVolumeClaim));
        assert_eq!(resolve("ep"), Some(Kind::Endpoints));
        assert_eq!(resolve("controllerrevisions"), Some(Kind::ControllerRevision));
        assert_eq!(resolve("sc"), Some(Kind::StorageClass));
        assert_eq!(resolve("foo"), None);
        assert_eq!(resolve("pods.apps"), None);
        assert_eq!(type_name(Kind::StatefulSet, "web"), "statefulset.apps/web");
        assert_eq!(type_name(Kind::PersistentVolumeClaim, "www-web-0"), "persistentvolumeclaim/www-web-0");
    }
}
