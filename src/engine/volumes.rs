//! Storage: the PV binder and dynamic provisioner (minikube-style `standard` class, immediate
//! binding, ~0.2-0.3 s), reclaim policy, PVC protection, ReadWriteOnce attachment (one node at
//! a time; force-detach from an unreachable node after 6 minutes), and a small file system per
//! volume plus each pod's ephemeral container file system.

use super::cluster::{join, Action, Engine, Piece::T, Work};
use super::keymap::{FxHashMap, KeyMap, UidMap};
use super::meta::*;
use super::objects::*;
use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Files of one file system, by path relative to its root (no leading slash).
pub type Fs = BTreeMap<String, String>;

#[derive(Debug, Clone, Default)]
pub struct Files {
    /// By PersistentVolume name: survives pods, gone with the volume.
    pub volumes: BTreeMap<Str, Rc<Fs>>,
    /// By pod uid: the container's writable layer, gone with the pod object.
    pub pods: UidMap<Rc<Fs>>,
    /// ReadWriteOnce attachments: PV name -> node (hashed: looked up, never listed).
    pub attached: FxHashMap<Str, Str>,
    /// Claim -> the pods that use it (volume detach, PVC protection).
    pub users: KeyMap<ClaimUse>,
    /// PersistentVolumes in phase Available (binding candidates).
    pub available: BTreeSet<Str>,
}

const FORCE_DETACH_MS: u64 = 6 * 60 * 1000;

/// The pods that name a claim, counted two ways. In one entry, so a pod write that moves both
/// counts (bound to a node, removed) looks the claim up once: at 10,000 claims each lookup is a
/// cache miss.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaimUse {
    /// Scheduled, non-terminal pods (the attach/detach controller keeps the volume attached).
    pub running: u32,
    /// Scheduled pods in any phase (PVC protection keeps the claim).
    pub scheduled: u32,
}

impl ClaimUse {
    /// How a pod version counts towards the claims it names.
    fn of(p: Option<&Pod>) -> ClaimUse {
        let scheduled = p.is_some_and(|p| p.node.is_some());
        let running = scheduled && p.is_some_and(|p| !p.status.phase.terminal());
        ClaimUse { running: running as u32, scheduled: scheduled as u32 }
    }
}

/// Moves one claim's entry from counting `was` to counting `is`; an entry that counts nothing
/// goes.
fn shift(map: &mut KeyMap<ClaimUse>, claim: &Named, was: ClaimUse, is: ClaimUse) {
    if let Some(u) = map.get_mut(claim) {
        u.running = u.running.saturating_sub(was.running) + is.running;
        u.scheduled = u.scheduled.saturating_sub(was.scheduled) + is.scheduled;
        if *u == ClaimUse::default() {
            map.remove(claim);
        }
    }
}

/// Moves a pod's claims from `old`'s counts to `new`'s.
fn recount(map: &mut KeyMap<ClaimUse>, old: Option<&Pod>, new: Option<&Pod>) {
    let (was, is) = (ClaimUse::of(old), ClaimUse::of(new));
    if let (Some(o), Some(n)) = (old, new) {
        // Most writes are status updates of a running pod: its claims stay counted (versions of
        // a pod share their claims and template, so the addresses usually settle it).
        let same_claims = (Rc::ptr_eq(&o.claims, &n.claims) && Rc::ptr_eq(&o.tmpl, &n.tmpl)) || o.claim_names().eq(n.claim_names());
        if same_str(&o.meta.namespace, &n.meta.namespace) && same_claims {
            if was == is {
                return;
            }
            // Counted before: each entry exists and moves in one lookup.
            if was != ClaimUse::default() {
                for c in n.claim_names() {
                    shift(map, &Named::new(&n.meta.namespace, c), was, is);
                }
                return;
            }
        }
    }
    if let Some(o) = old.filter(|_| was != ClaimUse::default()) {
        for c in o.claim_names() {
            shift(map, &Named::new(&o.meta.namespace, c), was, ClaimUse::default());
        }
    }
    if let Some(n) = new.filter(|_| is != ClaimUse::default()) {
        for c in n.claim_names() {
            let u = map.entry(Key::new(n.meta.namespace.clone(), Str::from(c))).or_default();
            u.running += is.running;
            u.scheduled += is.scheduled;
        }
    }
}

enum Place {
    Volume(Str),
    Pod(Str, String),
    ReadOnly(String),
}

/// A container path with `.`, `..` and repeated slashes resolved; relative paths are refused
/// (the shell resolves them against its working directory first).
pub fn normalize(path: &str) -> Result<String, String> {
    if !path.starts_with('/') {
        return Err(format!("{}: No such file or directory", path));
    }
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    Ok(format!("/{}", parts.join("/")))
}

fn under(path: &str, mount: &str) -> Option<String> {
    let mount = mount.trim_end_matches('/');
    if mount.is_empty() {
        return Some(path.trim_start_matches('/').to_string());
    }
    if path == mount {
        Some(String::new())
    } else {
        path.strip_prefix(mount).and_then(|r| r.strip_prefix('/')).map(str::to_string)
    }
}

impl Engine {
    /// Keeps both counts of the pods that name each claim. The attach/detach controller keeps a
    /// volume attached for the pods running on its node; PVC protection keeps a deleted claim
    /// while any *scheduled* pod names it, whatever its phase (upstream's `podUsesPVC`: the
    /// kubelet only sees scheduled pods), so a claim deleted while its pod cannot be scheduled
    /// goes at once and the StatefulSet controller creates it again (spec §5.5).
    pub(super) fn track_claim_users(&mut self, old: Option<&Pod>, new: Option<&Pod>) {
        recount(&mut self.files.users, old, new);
    }

    fn claim_event(&mut self, c: &Pvc, warning: bool, reason: &'static str, msg: String, component: &'static str) {
        self.event(Kind::PersistentVolumeClaim, &c.meta, warning, reason, msg, component, None);
    }

    /// Binds a pending claim to a matching PV, or provisions one. `Err` carries the event
    /// to record when nothing can be done.
    fn try_bind(&mut self, c: &Rc<Pvc>) -> Result<(), (&'static str, String)> {
        let wanted_class = c.class.clone().unwrap_or_else(|| Str::from(""));
        let requested_volume = c.spec.get("volumeName").and_then(|v| v.as_str()).map(str::to_string);
        let mut best: Option<Rc<Pv>> = None;
        for name in &self.files.available {
            let Some(pv) = self.store.pvs.named("", name) else { continue };
            if pv.phase != VolumePhase::Available || pv.meta.deletion.is_some() || pv.class != wanted_class {
                continue;
            }
            if requested_volume.as_deref().is_some_and(|v| v != &*pv.meta.name) {
                continue;
            }
            if pv.capacity < c.request || !c.modes.iter().all(|m| pv.modes.contains(m)) {
                continue;
            }
            if best.as_ref().is_none_or(|b| pv.capacity < b.capacity) {
                best = Some(pv.clone());
            }
        }
        if let Some(pv) = best {
            self.bind(c, &pv, false);
            return Ok(());
        }
        if wanted_class.is_empty() {
            return Err(("FailedBinding", "no persistent volumes available for this claim and no storage class is set".into()));
        }
        let Some(class) = self.store.classes.named("", &wanted_class).cloned() else {
            return Err(("ProvisioningFailed", format!("storageclass.storage.k8s.io \"{}\" not found", wanted_class)));
        };
        if class.provisioner == "kubernetes.io/no-provisioner" || class.provisioner.is_empty() {
            return Err(("FailedBinding", "no persistent volumes available for this claim and no storage class is set".to_string()));
        }
        let name = join(&[T("pvc-"), T(&c.meta.uid)]);
        let mut meta = self.new_meta("", &name);
        let provisioner = Str::from(class.provisioner.as_str());
        meta.annotations.insert(intern("pv.kubernetes.io/provisioned-by"), provisioner.clone());
        meta.finalizers.push("kubernetes.io/pv-protection".into());
        let cap = Str::from(str_field(&c.spec, &["resources", "requests", "storage"]).unwrap_or("0"));
        let pv = Pv {
            meta,
            capacity: c.request,
            capacity_str: cap,
            modes: c.modes.clone(),
            reclaim_delete: class.reclaim_delete,
            class: wanted_class,
            claim: None,
            phase: VolumePhase::Available,
            phase_since: self.now,
            host_path: Str::from(join(&[T("/tmp/hostpath-provisioner/"), T(&c.meta.namespace), T("/"), T(&c.meta.name)])),
        };
        // Built from pieces: `format!` cost as much as the rest of provisioning a claim.
        let provisioning = join(&[T("External provisioner is provisioning volume for claim \""), T(&c.meta.namespace), T("/"), T(&c.meta.name), T("\"")]);
        self.claim_event(c, false, "Provisioning", provisioning, "k8s.io/minikube-hostpath");
        let pv = self.put(pv);
        self.claim_event(c, false, "ProvisioningSucceeded", join(&[T("Successfully provisioned volume "), T(&pv.meta.name)]), "k8s.io/minikube-hostpath");
        self.bind(c, &pv, true);
        if let Some(cur) = self.store.pvcs.get(&c.meta.key()).cloned() {
            let mut nc = (*cur).clone();
            nc.meta.annotations = nc.meta.annotations.with([
                (intern("volume.beta.kubernetes.io/storage-provisioner"), provisioner.clone()),
                (intern("volume.kubernetes.io/storage-provisioner"), provisioner),
            ]);
            self.write_claim(nc);
        }
        Ok(())
    }

    fn bind(&mut self, c: &Rc<Pvc>, pv: &Rc<Pv>, dynamic: bool) {
        let mut npv = (**pv).clone();
        npv.claim = Some((c.meta.namespace.clone(), c.meta.name.clone(), c.meta.uid.clone()));
        npv.phase = VolumePhase::Bound;
        npv.phase_since = self.now;
        if !dynamic {
            npv.meta.annotations.insert(intern("pv.kubernetes.io/bound-by-controller"), intern("yes"));
        }
        let npv = self.put(npv);
        self.files.available.remove(&npv.meta.name);
        let mut nc = (**c).clone();
        nc.volume = Some(npv.meta.name.clone());
        nc.phase = ClaimPhase::Bound;
        nc.capacity = Some(npv.capacity_str.clone());
        nc.meta.annotations = nc.meta.annotations.with([(intern("pv.kubernetes.io/bind-completed"), intern("yes")), (intern("pv.kubernetes.io/bound-by-controller"), intern("yes"))]);
        self.write_claim(nc);
        self.enqueue(Work::RetryScheduling);
    }

    pub(super) fn provision_claim(&mut self, k: &Key, uid: &Str) {
        let Some(c) = self.store.pvcs.get(k).cloned() else { return };
        if !same_str(&c.meta.uid, uid) || c.phase != ClaimPhase::Pending || c.meta.deletion.is_some() {
            return;
        }
        if let Err((reason, msg)) = self.try_bind(&c) {
            self.claim_event(&c, true, reason, msg, "persistentvolume-controller");
        }
    }

    pub(super) fn bind_pending_claims(&mut self) {
        let pending = self.store.pvcs.sorted_where(|c| c.phase == ClaimPhase::Pending && c.meta.deletion.is_none());
        let pending: Vec<Rc<Pvc>> = pending.into_iter().cloned().collect();
        for c in pending {
            let _ = self.try_bind(&c);
        }
    }

    /// PVC protection: a deleted claim goes once no scheduled pod names it.
    pub(super) fn claim_protection(&mut self, k: &Key) {
        let Some(c) = self.store.pvcs.get(k).cloned() else { return };
        if c.meta.deletion.is_none() {
            return;
        }
        if self.files.users.get(k).is_some_and(|u| u.scheduled > 0) {
            return;
        }
        let mut nc = (*c).clone();
        nc.meta.finalizers.retain(|f| f != "kubernetes.io/pvc-protection");
        if nc.meta.finalizers.is_empty() {
            self.take::<Pvc>(Kind::PersistentVolumeClaim, k);
            self.claim_gone(&c);
        } else {
            self.write_claim(nc);
        }
    }

    /// Reclaim: Delete removes the volume (and its data); Retain leaves it Released.
    pub(super) fn claim_gone(&mut self, c: &Pvc) {
        let Some(vol) = &c.volume else { return };
        let k = key("", vol);
        let Some(pv) = self.store.pvs.get(&k).cloned() else { return };
        if pv.claim.as_ref().is_none_or(|(_, _, uid)| *uid != c.meta.uid) {
            return;
        }
        if pv.reclaim_delete {
            self.take::<Pv>(Kind::PersistentVolume, &k);
            self.files.volumes.remove(&pv.meta.name);
            self.files.attached.remove(&pv.meta.name);
            self.files.available.remove(&pv.meta.name);
        } else {
            let mut npv = (*pv).clone();
            npv.phase = VolumePhase::Released;
            npv.phase_since = self.now;
            self.put(npv);
        }
    }

    /// Attaches a pod's ReadWriteOnce volumes to its node (kubelet volume manager).
    pub(super) fn attach_volumes(&mut self, pod: &Pod, node: &Str) -> Result<(), Option<(&'static str, String)>> {
        let mut to_attach = Vec::new();
        for claim in pod.claim_names() {
            let Some(c) = self.store.pvcs.named(&pod.meta.namespace, claim) else { return Err(None) };
            let Some(vol) = c.volume.clone().filter(|_| c.phase == ClaimPhase::Bound) else { return Err(None) };
            let Some(pv) = self.store.pvs.named("", &vol) else { return Err(None) };
            let rwo = pv.modes.iter().any(|m| m == "ReadWriteOnce" || m == "ReadWriteOncePod");
            if rwo {
                if let Some(other) = self.files.attached.get(&vol) {
                    if other != node {
                        return Err(Some((
                            "FailedAttachVolume",
                            format!("Multi-Attach error for volume \"{}\" Volume is already exclusively attached to one node and can't be attached to another", vol),
                        )));
                    }
                }
                to_attach.push(vol);
            }
        }
        for v in to_attach {
            self.files.attached.insert(v, node.clone());
        }
        Ok(())
    }

    /// A pod is gone: detach its volumes from its node, unless another pod there uses them.
    pub(super) fn volume_pod_gone(&mut self, pod: &Pod, claim: &Key) {
        let Some(node) = &pod.node else { return };
        let Some(vol) = self.store.pvcs.get(claim).and_then(|c| c.volume.clone()) else { return };
        if self.files.attached.get(&vol) != Some(node) {
            return;
        }
        let still_used = self.files.users.get(claim).is_some_and(|u| u.running > 0);
        if still_used {
            return;
        }
        if self.down_nodes.contains(node) {
            self.after(FORCE_DETACH_MS, Action::ForceDetach(key("", &vol)));
        } else {
            self.files.attached.remove(&vol);
        }
    }

    pub(super) fn force_detach(&mut self, pv: &Key) {
        if let Some(node) = self.files.attached.get(&pv.1).cloned() {
            if self.down_nodes.contains(&node) {
                self.files.attached.remove(&pv.1);
            }
        }
    }

    // ------------------------------------------------------------ file systems

    fn running_pod(&self, ns: &str, pod: &str) -> Result<Rc<Pod>, String> {
        let p = self.store.pods.named(ns, pod).cloned().ok_or_else(|| format!("pods \"{}\" not found", pod))?;
        let running = p.status.containers.first().is_some_and(|c| matches!(c.state, CState::Running { .. }));
        if !running || p.node.as_ref().is_some_and(|n| self.down_nodes.contains(n)) {
            let c = p.tmpl.containers.first().map(|c| c.name.to_string()).unwrap_or_default();
            return Err(format!("unable to upgrade connection: container not found (\"{}\")", c));
        }
        Ok(p)
    }

    fn place(&self, pod: &Pod, path: &str) -> Place {
        if matches!(path, "/etc/hostname" | "/etc/hosts" | "/etc/resolv.conf") || (pod.mounts_api_token() && under(path, API_TOKEN_PATH).is_some()) {
            return Place::ReadOnly(path.to_string());
        }
        let mounts = pod.tmpl.containers.first().map(|c| c.mounts.clone()).unwrap_or_default();
        let best = mounts.iter().filter_map(|(vol, mp)| under(path, mp).map(|rel| (mp.len(), vol.clone(), rel))).max_by_key(|(l, _, _)| *l);
        if let Some((_, vol, rel)) = best {
            let claims = pod.all_claims();
            if let Some((_, claim)) = claims.iter().find(|(v, _)| *v == vol) {
                if let Some(pv) = self.store.pvcs.named(&pod.meta.namespace, claim).and_then(|c| c.volume.clone()) {
                    let _ = rel;
                    return Place::Volume(pv);
                }
            }
            return Place::Pod(pod.meta.uid.clone(), format!("@{}/{}", vol, under(path, &mounts.iter().find(|(v, _)| *v == vol).map(|(_, m)| m.clone()).unwrap_or_default()).unwrap_or_default()));
        }
        Place::Pod(pod.meta.uid.clone(), path.trim_start_matches('/').to_string())
    }

    fn rel_in_volume(pod: &Pod, path: &str) -> String {
        let mounts = pod.tmpl.containers.first().map(|c| c.mounts.clone()).unwrap_or_default();
        mounts
            .iter()
            .filter_map(|(_, mp)| under(path, mp).map(|rel| (mp.len(), rel)))
            .max_by_key(|(l, _)| *l)
            .map(|(_, r)| r)
            .unwrap_or_default()
    }

    fn special_file(&self, pod: &Pod, path: &str) -> Option<String> {
        if let Some(file) = under(path, API_TOKEN_PATH) {
            return match file.as_str() {
                // Written without a newline, as the kubelet's projection writes it.
                "namespace" => Some(pod.meta.namespace.to_string()),
                "token" => Some(self.service_account_token(pod)),
                "ca.crt" => Some(super::namespaces::cluster_ca_pem()),
                _ => None,
            };
        }
        let host = pod.hostname.clone().unwrap_or_else(|| pod.meta.name.clone());
        Some(match path {
            "/etc/hostname" => format!("{}\n", host),
            "/etc/resolv.conf" => format!("search {}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n", pod.meta.namespace),
            _ => {
                let ip = pod.status.pod_ip.as_deref().unwrap_or("");
                let fqdn = match &pod.subdomain {
                    Some(d) => format!("{}\t{}.{}.{}.svc.cluster.local\t{}", ip, host, d, pod.meta.namespace, host),
                    None => format!("{}\t{}", ip, host),
                };
                format!("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n{}\n", fqdn)
            }
        })
    }

    /// The bound service-account token the kubelet projects: a JWT whose claims are the
    /// API server's (issuer, audience, the pod, its node and service account, an expiry of
    /// 3607 s after it was issued at the pod's start), so a student can decode it and see what
    /// it binds. The key id and signature are made up from the pod's uid: nothing verifies them.
    fn service_account_token(&self, pod: &Pod) -> String {
        use base64::engine::{general_purpose::URL_SAFE_NO_PAD, Engine as _};
        let mut bits = super::rng::Rng::new(u64::from(super::statefulset::utils::fnv1a_32(pod.meta.uid.as_bytes())));
        let mut random = |n: usize| -> Vec<u8> { (0..n).map(|_| bits.next_u64() as u8).collect() };
        let kid = URL_SAFE_NO_PAD.encode(random(32));
        let jti = super::rng::Rng::new(u64::from(super::statefulset::utils::fnv1a_32(format!("{}/jti", pod.meta.uid).as_bytes()))).uuid();
        let sa_uid = super::rng::Rng::new(u64::from(super::statefulset::utils::fnv1a_32(format!("{}/default", pod.meta.namespace).as_bytes()))).uuid();
        let node = pod.node.as_deref().unwrap_or("");
        let node_uid = self.store.nodes.named("", node).map(|n| n.meta.uid.to_string()).unwrap_or_default();
        let iat = (EPOCH_UNIX_MS + pod.status.start_time.unwrap_or(pod.meta.created).0 as i64) / 1000;
        let issuer = "https://kubernetes.default.svc.cluster.local";
        let claims = serde_json::json!({
            "aud": [issuer], "exp": iat + 3607, "iat": iat, "iss": issuer, "jti": &*jti,
            "kubernetes.io": {"namespace": &*pod.meta.namespace, "node": {"name": node, "uid": node_uid},
                "pod": {"name": &*pod.meta.name, "uid": &*pod.meta.uid}, "serviceaccount": {"name": "default", "uid": &*sa_uid}, "warnafter": iat + 3600},
            "nbf": iat, "sub": format!("system:serviceaccount:{}:default", pod.meta.namespace),
        });
        let header = serde_json::json!({"alg": "RS256", "kid": kid});
        let part = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.{}", part(&header), part(&claims), URL_SAFE_NO_PAD.encode(random(256)))
    }

    pub(super) fn fs_read(&self, ns: &str, pod: &str, path: &str) -> Result<String, String> {
        let p = self.running_pod(ns, pod)?;
        let path = normalize(path)?;
        let missing = || format!("{}: No such file or directory", path);
        match self.place(&p, &path) {
            Place::ReadOnly(f) => self.special_file(&p, &f).ok_or_else(missing),
            Place::Volume(pv) => {
                let rel = Self::rel_in_volume(&p, &path);
                self.files.volumes.get(&pv).and_then(|fs| fs.get(&rel)).cloned().ok_or_else(missing)
            }
            Place::Pod(uid, rel) => {
                if let Some(c) = self.files.pods.get(&uid).and_then(|fs| fs.get(&rel)) {
                    return Ok(c.clone());
                }
                let image = p.image(0);
                if path == "/usr/share/nginx/html/index.html" && image.contains("nginx") {
                    return Ok(NGINX_INDEX.to_string());
                }
                Err(missing())
            }
        }
    }

    pub(super) fn fs_write(&mut self, ns: &str, pod: &str, path: &str, contents: &str, append: bool) -> Result<(), String> {
        let p = self.running_pod(ns, pod)?;
        let path = normalize(path)?;
        if path == "/" {
            return Err(format!("{}: Is a directory", path));
        }
        let (fs, rel) = match self.place(&p, &path) {
            Place::ReadOnly(f) => return Err(format!("{}: Read-only file system", f)),
            Place::Volume(pv) => (self.files.volumes.entry(pv).or_default(), Self::rel_in_volume(&p, &path)),
            Place::Pod(uid, rel) => (self.files.pods.entry(uid).or_default(), rel),
        };
        if rel.is_empty() {
            return Err(format!("{}: Is a directory", path));
        }
        let fs = Rc::make_mut(fs);
        let entry = fs.entry(rel).or_default();
        if append {
            entry.push_str(contents);
        } else {
            *entry = contents.to_string();
        }
        Ok(())
    }

    pub(super) fn fs_list(&self, ns: &str, pod: &str, path: &str) -> Result<Vec<String>, String> {
        let p = self.running_pod(ns, pod)?;
        let path = normalize(path)?;
        let mut out: BTreeSet<String> = BTreeSet::new();
        let collect = |fs: &Fs, prefix: &str, out: &mut BTreeSet<String>| {
            for k in fs.keys() {
                let rest = if prefix.is_empty() { Some(k.as_str()) } else { k.strip_prefix(prefix).and_then(|r| r.strip_prefix('/')) };
                if let Some(r) = rest {
                    if let Some(first) = r.split('/').next().filter(|s| !s.is_empty()) {
                        out.insert(first.to_string());
                    }
                }
            }
        };
        match self.place(&p, &path) {
            Place::ReadOnly(_) if path == API_TOKEN_PATH => return Ok(["ca.crt", "namespace", "token"].map(String::from).to_vec()),
            Place::ReadOnly(_) => return Err(format!("{}: Not a directory", path)),
            Place::Volume(pv) => {
                if let Some(fs) = self.files.volumes.get(&pv) {
                    collect(fs, &Self::rel_in_volume(&p, &path), &mut out);
                }
            }
            Place::Pod(uid, rel) => {
                if let Some(fs) = self.files.pods.get(&uid) {
                    collect(fs, &rel, &mut out);
                }
                if path == "/usr/share/nginx/html" && p.image(0).contains("nginx") {
                    out.insert("50x.html".into());
                    out.insert("index.html".into());
                }
            }
        }
        // Mount points and standard directories below this path.
        if let Some(c) = p.tmpl.containers.first() {
            let token = p.mounts_api_token().then_some(API_TOKEN_PATH);
            for mp in c.mounts.iter().map(|(_, mp)| mp.as_str()).chain(token) {
                if let Some(r) = under(mp, &path) {
                    if let Some(first) = r.split('/').next().filter(|s| !s.is_empty()) {
                        out.insert(first.to_string());
                    }
                }
            }
        }
        if path == "/" {
            for d in ["bin", "dev", "etc", "home", "lib", "proc", "root", "run", "sys", "tmp", "usr", "var"] {
                out.insert(d.to_string());
            }
        }
        if path == "/etc" {
            for f in ["hostname", "hosts", "resolv.conf"] {
                out.insert(f.to_string());
            }
        }
        Ok(out.into_iter().collect())
    }
}

const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking.</p>\n</body>\n</html>\n";
