//! `kubectl create namespace|deployment|service ...`: kubectl's generators. Each builds its
//! object on the client from flags, as upstream's create_namespace.go, create_deployment.go and
//! create_service.go do, then sends it like `create -f` (or only prints it with
//! `--dry-run=client -o yaml`, the usual way to start a manifest). Other generators are refused
//! as not simulated.

use serde_json::{json, Map, Value};

use super::{dry_run, ns_of, parse_flags, Dry, DRY_RUN, OUTPUT, TEMPLATE};
use crate::engine::{ApiError, Kind};
use crate::kubectl::flags::{flag, FlagSpec, FlagType::*, Flags};
use crate::kubectl::output;
use crate::kubectl::session::{Interpreter, Output};
use crate::manifest;

/// Flags every generator takes (PrintFlags, dry run, validation, apply annotation).
const COMMON: [FlagSpec; 7] = [
    OUTPUT,
    TEMPLATE,
    DRY_RUN,
    flag("validate", None, Str),
    flag("save-config", None, Bool),
    flag("field-manager", None, Str),
    flag("allow-missing-template-keys", None, Bool),
];

/// `args` are `create`'s arguments, the generator's word among them.
pub fn create(it: &mut Interpreter, generator: &str, args: &[String], out: &mut Output) {
    let mut rest = args.to_vec();
    if let Some(i) = rest.iter().position(|a| a == generator) {
        rest.remove(i);
    }
    match generator {
        "namespace" | "ns" => namespace(it, &rest, out),
        "deployment" | "deploy" => deployment(it, &rest, out),
        "service" | "svc" => service(it, &rest, out),
        "serviceaccount" | "sa" => service_account(it, &rest, out),
        other => out.fail(&format!("error: `kubectl create {other}` is not simulated; write a manifest and use kubectl create -f (or kubectl apply -f)")),
    }
}

/// Parses a generator's flags; its one NAME (cobra's `NameFromCommandArgs`: only words
/// before `--` count).
fn parse(args: &[String], own: &[FlagSpec], path: &str, out: &mut Output) -> Option<(Flags, String)> {
    let specs: Vec<FlagSpec> = COMMON.iter().chain(own).copied().collect();
    let f = parse_flags(args, &specs, path, out)?;
    let before_dash = f.dash_at.unwrap_or(f.args.len());
    match (before_dash, f.args.first()) {
        (1, Some(name)) => {
            let name = name.clone();
            Some((f, name))
        }
        _ => {
            out.fail(&format!("error: exactly one NAME is required, got {before_dash}\nSee '{path} -h' for help and examples"));
            None
        }
    }
}

fn namespace(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let Some((f, name)) = parse(args, &[], "kubectl create namespace", out) else { return };
    let obj = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}, "spec": {}, "status": {}});
    send(it, &f, Kind::Namespace, obj, "created", |r| r.printed, out);
}

fn service_account(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let Some((f, name)) = parse(args, &[], "kubectl create serviceaccount", out) else { return };
    let obj = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}});
    send(it, &f, Kind::ServiceAccount, obj, "created", |r| r.printed, out);
}

fn deployment(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let own = [flag("image", None, StringArray), flag("port", None, Int), flag("replicas", Some('r'), Int)];
    let Some((f, name)) = parse(args, &own, "kubectl create deployment", out) else { return };
    // A string slice: repeated and comma-separated values both add images.
    let images: Vec<String> = f.strings("image").iter().flat_map(|v| v.split(',')).filter(|v| !v.is_empty()).map(str::to_string).collect();
    if images.is_empty() {
        return out.fail("error: required flag(s) \"image\" not set");
    }
    let command: Vec<String> = f.args.get(1..).unwrap_or_default().to_vec();
    if images.len() > 1 && !command.is_empty() {
        return out.fail("error: cannot specify multiple --image options and command");
    }
    let labels = json!({"app": name});
    let mut containers: Vec<Value> = Vec::new();
    for image in &images {
        let mut container = json!({"name": container_name(it, image), "image": image, "resources": {}});
        if !command.is_empty() {
            container["command"] = json!(command);
        }
        containers.push(container);
    }
    // `--port` goes on the first container only.
    if let (Some(port), Some(first)) = (f.int("port").filter(|p| *p >= 0), containers.first_mut()) {
        first["ports"] = json!([{"containerPort": port}]);
    }
    let obj = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"labels": labels, "name": name},
        "spec": {
            "replicas": f.int("replicas").unwrap_or(1),
            "selector": {"matchLabels": labels},
            "strategy": {},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}},
        },
        "status": {},
    });
    send(it, &f, Kind::Deployment, obj, "created", |r| format!("error: failed to create deployment: {}", r.status), out);
}

/// The container's name: the image's last path part without tag or digest; one with `.` or `_`
/// (not DNS-1123) gets dashes and a random 5-character suffix, as kubectl's
/// `sanitizeAndUniquify`.
fn container_name(it: &mut Interpreter, image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let name = last.split(':').next().unwrap_or(last);
    let name = name.split('@').next().unwrap_or(name);
    if name.contains(['.', '_']) {
        format!("{}-{}", name.replace(['_', '.'], "-"), it.engine.client_random(5))
    } else {
        name.to_string()
    }
}

const SERVICE_HELP: &str = "Create a service using a specified subcommand.

Aliases:
service, svc

Available Commands:
  clusterip       Create a ClusterIP service
  externalname    Create an ExternalName service
  loadbalancer    Create a LoadBalancer service
  nodeport        Create a NodePort service

Usage:
  kubectl create service [flags] [options]

Use \"kubectl create service <command> --help\" for more information about a command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

fn service(it: &mut Interpreter, args: &[String], out: &mut Output) {
    let Some(i) = args.iter().position(|a| !a.starts_with('-')) else {
        out.err(SERVICE_HELP.trim_end());
        out.exit_code = 1;
        return;
    };
    let mut rest = args.to_vec();
    let sub = rest.remove(i);
    let (ty, path) = match sub.as_str() {
        "clusterip" => ("ClusterIP", "kubectl create service clusterip"),
        "nodeport" => ("NodePort", "kubectl create service nodeport"),
        "loadbalancer" => ("LoadBalancer", "kubectl create service loadbalancer"),
        "externalname" => ("ExternalName", "kubectl create service externalname"),
        other => return out.fail(&format!("error: unknown command \"{other}\" for \"kubectl create service\"\nSee 'kubectl create service -h' for help and examples")),
    };
    let own: &[FlagSpec] = match ty {
        "ClusterIP" => &[flag("tcp", None, StringArray), flag("clusterip", None, Str)],
        "NodePort" => &[flag("tcp", None, StringArray), flag("node-port", None, Int)],
        "ExternalName" => &[flag("tcp", None, StringArray), flag("external-name", None, Str)],
        _ => &[flag("tcp", None, StringArray)],
    };
    let Some((f, name)) = parse(&rest, own, path, out) else { return };
    let tcp: Vec<String> = f.strings("tcp").iter().flat_map(|v| v.split(',')).map(str::to_string).collect();
    let cluster_ip = f.string("clusterip").unwrap_or_default();
    let external_name = f.string("external-name");
    if ty == "ExternalName" && external_name.is_none() {
        return out.fail("error: required flag(s) \"external-name\" not set");
    }
    if cluster_ip != "None" && tcp.is_empty() && ty != "ExternalName" {
        return out.fail("error: at least one tcp port specifier must be provided");
    }
    if let Some(ext) = external_name.filter(|e| !manifest::field::dns1123_subdomain(e).is_empty()) {
        return out.fail(&format!("error: invalid service external name {ext}"));
    }
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port, target) = match parse_ports(spec) {
            Ok(p) => p,
            Err(e) => return out.fail(&format!("error: {e}")),
        };
        let mut p = json!({"name": spec.replace(':', "-"), "port": port, "protocol": "TCP", "targetPort": target});
        if let Some(node_port) = f.int("node-port").filter(|n| *n != 0) {
            p["nodePort"] = json!(node_port);
        }
        ports.push(p);
    }
    let mut spec = Map::new();
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), json!({"app": name}));
    spec.insert("type".into(), json!(ty));
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), json!(cluster_ip));
    }
    if let Some(ext) = external_name {
        spec.insert("externalName".into(), json!(ext));
    }
    let obj = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"labels": {"app": name}, "name": name},
        "spec": spec,
        "status": {"loadBalancer": {}},
    });
    send(it, &f, Kind::Service, obj, "created", |r| format!("error: failed to create {ty} service: {}", r.status), out);
}

/// `<port>[:<targetPort>]` (create_service.go `parsePorts`): the port as Go's `ParseUint` reads a
/// 16-bit number, the target a port number or an IANA port name.
fn parse_ports(spec: &str) -> Result<(u16, Value), String> {
    let mut parts = spec.split(':');
    let first = parts.next().unwrap_or_default();
    let port: u16 = first.parse().map_err(|_| {
        let range = !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit());
        format!("strconv.ParseUint: parsing {}: {}", crate::kubectl::flags::go_quote(first), if range { "value out of range" } else { "invalid syntax" })
    })?;
    let Some(target) = parts.next() else { return Ok((port, json!(port))) };
    match target.parse::<i64>() {
        Ok(n) if (1..=65535).contains(&n) => Ok((port, json!(n))),
        Ok(_) => Err("must be between 1 and 65535, inclusive".into()),
        Err(_) => match manifest::field::port_name(target) {
            errs if errs.is_empty() => Ok((port, json!(target))),
            errs => Err(errs.join(",")),
        },
    }
}

/// A refusal of a generated object: as kubectl prints a returned API error, and as the server's
/// Status words it, for a generator that wraps the error value.
pub(super) struct Refused {
    pub printed: String,
    pub status: String,
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused { printed: e.to_string(), status: e.message }
    }
}

/// Sends a generated object (or, with `--dry-run=client`, only prints it) and prints the result
/// as `create` (`verb` "created") or `expose` ("exposed") does. `wrap` words a refusal (the
/// server's Status message) as the command prints it.
pub(super) fn send(it: &mut Interpreter, f: &Flags, kind: Kind, mut obj: Value, verb: &str, wrap: impl Fn(Refused) -> String, out: &mut Output) {
    let Some(dry) = dry_run(it, f, out) else { return };
    let format = match output::for_write(f.string("output"), f.string("template")) {
        Ok(format) => format,
        Err(e) => return out.fail(&e),
    };
    let ns = ns_of(it, f);
    // The client names a namespace only when one was given (`EnforceNamespace`).
    if kind.namespaced() && f.namespace().is_some() {
        obj["metadata"]["namespace"] = json!(ns);
    }
    if f.bool("save-config") {
        // Not apply's `with_last_applied`: kubectl encodes a generator's typed object, whose
        // empty annotations are omitted, where a file's object keeps `"annotations":{}`.
        let applied = format!("{}\n", crate::kubectl::printers::json::compact(&obj));
        let mut annotations = Map::new();
        annotations.insert(super::apply::LAST_APPLIED.into(), Value::String(applied));
        obj["metadata"]["annotations"] = Value::Object(annotations);
    }
    let name = super::name_of(&obj).to_string();
    if dry == Dry::Client {
        return out.out(&output::written(kind, &obj, format.as_ref(), &format!("{verb} (dry run)")));
    }
    if kind.namespaced() {
        obj["metadata"]["namespace"] = json!(ns);
    }
    let result = match it.engine.get(kind, if kind.namespaced() { &ns } else { "" }, &name) {
        Ok(_) => Err(Refused::from(ApiError { reason: "AlreadyExists", code: 409, message: format!("{} \"{name}\" already exists", kind.qualified_plural()) })),
        Err(_) => manifest::admit(&obj, None).map_err(|r| Refused { printed: r.message, status: r.status }).and_then(|admitted| {
            super::print_warnings(out, &admitted.warnings);
            if dry == Dry::Server {
                return Ok(admitted.object);
            }
            it.engine.create(admitted.object).map_err(Refused::from)
        }),
    };
    match result {
        Ok(created) => out.out(&output::written(kind, &created, format.as_ref(), &format!("{verb}{}", dry.suffix()))),
        Err(e) => out.fail(&wrap(e)),
    }
}
