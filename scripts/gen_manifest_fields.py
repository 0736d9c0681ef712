#!/usr/bin/env python3
"""Generate src/manifest/fields.rs: the compact field table the manifest checker uses for
kubectl-style strict decoding (unknown fields, wrong types) without linking typed API structs.

Source: the Kubernetes v1.34.0 OpenAPI definitions as published in the PyPI package
`kubernetes-validate` (file kubernetes-json-schema/v1.34.0-local/_definitions.json, generated from
the upstream api/openapi-spec). Usage:

    pip download --no-deps -d /tmp/kv kubernetes-validate==1.37.0
    python3 scripts/gen_manifest_fields.py /tmp/kv/kubernetes_validate-1.37.0-py3-none-any.whl

Only the types reachable from the kinds in ROOTS are emitted, each once (PodSpec is shared by
StatefulSet and Deployment). Go type names in decode errors come from the definition names;
named string types and ResourceList, which the schema flattens, come from GO_NAMES.
"""
import json
import sys
import zipfile

VERSION = "v1.34.0"
ROOTS = [
    ("v1", "Service", "io.k8s.api.core.v1.Service"),
    ("apps/v1", "StatefulSet", "io.k8s.api.apps.v1.StatefulSet"),
    ("v1", "PersistentVolume", "io.k8s.api.core.v1.PersistentVolume"),
    ("v1", "PersistentVolumeClaim", "io.k8s.api.core.v1.PersistentVolumeClaim"),
    ("storage.k8s.io/v1", "StorageClass", "io.k8s.api.storage.v1.StorageClass"),
    ("apps/v1", "Deployment", "io.k8s.api.apps.v1.Deployment"),
    ("v1", "ConfigMap", "io.k8s.api.core.v1.ConfigMap"),
    ("policy/v1", "PodDisruptionBudget", "io.k8s.api.policy.v1.PodDisruptionBudget"),
]
# (definition, field) -> Go type name shown in "of type ..." when the schema only says "string"/map.
GO_NAMES = {
    ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"): "v1.PodManagementPolicyType",
    ("io.k8s.api.apps.v1.StatefulSetUpdateStrategy", "type"): "v1.StatefulSetUpdateStrategyType",
    ("io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted"): "v1.PersistentVolumeClaimRetentionPolicyType",
    ("io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy", "whenScaled"): "v1.PersistentVolumeClaimRetentionPolicyType",
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): "v1.DeploymentStrategyType",
    ("io.k8s.api.core.v1.PodSpec", "restartPolicy"): "v1.RestartPolicy",
    ("io.k8s.api.core.v1.PodSpec", "dnsPolicy"): "v1.DNSPolicy",
    ("io.k8s.api.core.v1.Container", "imagePullPolicy"): "v1.PullPolicy",
    ("io.k8s.api.core.v1.Container", "terminationMessagePolicy"): "v1.TerminationMessagePolicy",
    ("io.k8s.api.core.v1.Container", "restartPolicy"): "v1.ContainerRestartPolicy",
    ("io.k8s.api.core.v1.ContainerPort", "protocol"): "v1.Protocol",
    ("io.k8s.api.core.v1.ServicePort", "protocol"): "v1.Protocol",
    ("io.k8s.api.core.v1.ServiceSpec", "type"): "v1.ServiceType",
    ("io.k8s.api.core.v1.ServiceSpec", "sessionAffinity"): "v1.ServiceAffinity",
    ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "volumeMode"): "v1.PersistentVolumeMode",
    ("io.k8s.api.core.v1.PersistentVolumeSpec", "volumeMode"): "v1.PersistentVolumeMode",
    ("io.k8s.api.core.v1.PersistentVolumeSpec", "persistentVolumeReclaimPolicy"): "v1.PersistentVolumeReclaimPolicy",
    ("io.k8s.api.core.v1.ResourceRequirements", "limits"): "v1.ResourceList",
    ("io.k8s.api.core.v1.ResourceRequirements", "requests"): "v1.ResourceList",
    ("io.k8s.api.core.v1.VolumeResourceRequirements", "limits"): "v1.ResourceList",
    ("io.k8s.api.core.v1.VolumeResourceRequirements", "requests"): "v1.ResourceList",
    ("io.k8s.api.core.v1.PersistentVolumeSpec", "capacity"): "v1.ResourceList",
    ("io.k8s.api.core.v1.PodSpec", "overhead"): "v1.ResourceList",
    ("io.k8s.api.storage.v1.StorageClass", "reclaimPolicy"): "v1.PersistentVolumeReclaimPolicy",
    ("io.k8s.api.storage.v1.StorageClass", "volumeBindingMode"): "v1.VolumeBindingMode",
}
ITEM_GO_NAMES = {
    ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "accessModes"): "v1.PersistentVolumeAccessMode",
    ("io.k8s.api.core.v1.PersistentVolumeSpec", "accessModes"): "v1.PersistentVolumeAccessMode",
}
# Type codes (read by src/manifest/schema.rs): s string, b []byte, i int32, I int64, f float64,
# o bool, q Quantity, n IntOrString, t Time, r raw JSON, a number: that struct, [T list of T,
# {T map of T, (go.Name)T T under a named Go type.
SCALAR_DEFS = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "q",
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "n",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "t",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "t",
}


def load(path):
    inner = "kubernetes_validate/kubernetes-json-schema/%s-local/_definitions.json" % VERSION
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            return json.loads(z.read(inner))["$defs"]
    with open(path) as f:
        return json.load(f)["$defs"]


def main():
    defs = load(sys.argv[1])
    order, index = [], {}

    def struct_index(name):
        if name not in index:
            index[name] = len(order)
            order.append(name)
        return index[name]

    def go_name(name):
        parts = name.split(".")
        return "%s.%s" % (parts[-2], parts[-1])

    def ty(prop, owner, field, item=False):
        ref = prop.get("$ref")
        if ref:
            name = ref.split("/")[-1]
            if name in SCALAR_DEFS:
                return SCALAR_DEFS[name]
            d = defs[name]
            if not d.get("properties"):
                return "(%s)r" % go_name(name)
            return "%d" % struct_index(name)
        t = prop.get("type")
        if isinstance(t, list):
            t = [x for x in t if x != "null"][0]
        if t == "string":
            if prop.get("format") == "byte":
                return "b"
            if prop.get("format") == "date-time":
                return "t"
            named = (ITEM_GO_NAMES if item else GO_NAMES).get((owner, field))
            return "(%s)s" % named if named else "s"
        if t == "integer":
            return "I" if prop.get("format") == "int64" else "i"
        if t == "number":
            return "f"
        if t == "boolean":
            return "o"
        if t == "array":
            return "[" + ty(prop["items"], owner, field, item=True)
        if t == "object":
            add = prop.get("additionalProperties")
            if add is None:
                return "r"
            inner = "{" + ty(add, owner, field, item=True)
            named = GO_NAMES.get((owner, field))
            return "(%s)%s" % (named, inner) if named else inner
        raise SystemExit("unhandled schema at %s.%s: %r" % (owner, field, prop))

    roots = [(av, kind, struct_index(name)) for av, kind, name in ROOTS]
    rows = []
    i = 0
    while i < len(order):
        name = order[i]
        props = defs[name].get("properties", {})
        fields = ["%s:%s" % (f, ty(p, name, f)) for f, p in sorted(props.items())]
        rows.append(" ".join([name.split(".")[-1], go_name(name)] + fields))
        i += 1

    gvks = set()
    for name, d in defs.items():
        if name.startswith("io.k8s.apimachinery") or name.endswith("List"):
            continue
        for g in d.get("x-kubernetes-group-version-kind", []):
            av = "%s/%s" % (g["group"], g["version"]) if g["group"] else g["version"]
            gvks.add((av, g["kind"]))

    out = []
    out.append("//! The API's field table for strict decoding, generated by scripts/gen_manifest_fields.py")
    out.append("//! from the Kubernetes %s OpenAPI definitions. Do not edit by hand; rerun the script." % VERSION)
    out.append("")
    out.append("/// Every struct reachable from [`ROOTS`], once each, a line each: its name, its Go name, and")
    out.append("/// `field:type` sorted by field (type codes in `schema::parse_type`; a number is the struct on")
    out.append("/// that line, from 0). Text rather than Rust statics: a table of references cost ~5 KB gzip.")
    out.append("pub(super) const STRUCTS: &str = \"")
    out.extend(rows)
    out.append("\";")
    out.append("")
    out.append("/// (apiVersion, kind, index into STRUCTS) of the kinds whose fields are checked.")
    out.append("#[rustfmt::skip]")
    out.append("pub(super) static ROOTS: [(&str, &str, u16); %d] = [" % len(roots))
    for av, kind, idx in roots:
        out.append('    ("%s", "%s", %d),' % (av, kind, idx))
    out.append("];")
    out.append("")
    out.append("/// `apiVersion kind` of every object kind the %s API server serves, a line each." % VERSION)
    out.append("pub(super) const KNOWN_KINDS: &str = \"")
    for av, kind in sorted(gvks):
        out.append("%s %s" % (av, kind))
    out.append("\";")
    with open("src/manifest/fields.rs", "w") as f:
        f.write("\n".join(out) + "\n")
    print("structs: %d, known kinds: %d" % (len(rows), len(gvks)))


if __name__ == "__main__":
    main()
