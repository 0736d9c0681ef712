//! Cluster DNS (spec §8), answered from Services and the ready endpoints of their
//! EndpointSlices as CoreDNS would: search
//! path `<ns>.svc.cluster.local svc.cluster.local cluster.local`, `ndots:5`.

use super::cluster::Engine;
use super::meta::*;
use super::*;

const DOMAIN: &str = "cluster.local";

impl Engine {
    fn candidates(name: &str, ns: &str) -> Vec<String> {
        let absolute = name.ends_with('.');
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name.is_empty() {
            return Vec::new();
        }
        if absolute {
            return vec![name];
        }
        let search = [format!("{}.svc.{}", ns, DOMAIN), format!("svc.{}", DOMAIN), DOMAIN.to_string()];
        let mut out = Vec::new();
        let dots = name.matches('.').count();
        if dots >= 5 {
            out.push(name.clone());
        }
        for s in &search {
            out.push(format!("{}.{}", name, s));
        }
        if dots < 5 {
            out.push(name);
        }
        out
    }

    fn lookup(&self, fqdn: &str) -> Option<Vec<String>> {
        let rest = fqdn.strip_suffix(&format!(".{}", DOMAIN))?;
        let labels: Vec<&str> = rest.split('.').collect();
        match labels.as_slice() {
            [svc, ns, "svc"] => {
                let s = self.store.services.named(ns, svc)?;
                match &s.cluster_ip {
                    Some(ip) => Some(vec![ip.to_string()]),
                    None => {
                        let ips: Vec<String> = self.ready_endpoints(ns, svc).into_iter().map(|(ip, _)| ip.to_string()).collect();
                        (!ips.is_empty()).then_some(ips)
                    }
                }
            }
            [host, svc, ns, "svc"] => {
                let s = self.store.services.named(ns, svc)?;
                if s.cluster_ip.is_some() {
                    return None;
                }
                let ips: Vec<String> = self.ready_endpoints(ns, svc).into_iter().filter(|(_, h)| h.as_deref() == Some(*host)).map(|(ip, _)| ip.to_string()).collect();
                (!ips.is_empty()).then_some(ips)
            }
            [ip, ns, "pod"] => {
                let _ = self.store.generic.get(&(Kind::Namespace, key("", ns)))?;
                let octets: Vec<&str> = ip.split('-').collect();
                (octets.len() == 4 && octets.iter().all(|o| o.parse::<u8>().is_ok())).then(|| vec![octets.join(".")])
            }
            _ => None,
        }
    }

    pub(super) fn dns_resolve(&self, name: &str, client_ns: &str) -> DnsAnswer {
        for c in Self::candidates(name, client_ns) {
            if let Some(ips) = self.lookup(&c) {
                return DnsAnswer::Addresses { fqdn: c, ips };
            }
        }
        DnsAnswer::NxDomain
    }

    pub(super) fn dns_resolve_srv(&self, name: &str, client_ns: &str) -> Vec<SrvRecord> {
        for c in Self::candidates(name, client_ns) {
            let Some(rest) = c.strip_suffix(&format!(".{}", DOMAIN)) else { continue };
            let labels: Vec<&str> = rest.split('.').collect();
            let [port, proto, svc, ns, "svc"] = labels.as_slice() else { continue };
            let (Some(port), Some(proto)) = (port.strip_prefix('_'), proto.strip_prefix('_')) else { continue };
            let Some(s) = self.store.services.named(ns, svc) else { continue };
            let Some(p) = s.ports.iter().find(|p| p.name.as_deref() == Some(port) && p.protocol.eq_ignore_ascii_case(proto)) else { continue };
            let svc_fqdn = format!("{}.{}.svc.{}", svc, ns, DOMAIN);
            if s.cluster_ip.is_some() {
                return vec![SrvRecord { priority: 0, weight: 100, port: p.port, target: format!("{}.", svc_fqdn) }];
            }
            let ready = self.ready_endpoints(ns, svc);
            let n = ready.len().max(1) as u32;
            let mut out: Vec<SrvRecord> = ready
                .iter()
                .map(|(ip, hostname)| {
                    let host = hostname.as_ref().map(|h| h.to_string()).unwrap_or_else(|| format!("{:x}", super::statefulset::utils::fnv1a_32(ip.as_bytes())));
                    let port = p.target.as_i64().unwrap_or(p.port);
                    SrvRecord { priority: 0, weight: 100 / n, port, target: format!("{}.{}.", host, svc_fqdn) }
                })
                .collect();
            crate::sort::sort_by(&mut out, |a, b| a.target.cmp(&b.target));
            if !out.is_empty() {
                return out;
            }
        }
        Vec::new()
    }
}
