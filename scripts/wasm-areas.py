#!/usr/bin/env python3
"""Where the wasm's bytes go: each area's function bodies (and the data section) gzipped on
their own, for the README's "Where the wasm's bytes go" and for deciding what to cut next.

It needs function names, which the release build strips. Build a named copy first (a separate
target dir, since the flags differ; about 4 minutes cold on 2 cores):

    CARGO_TARGET_DIR=target-names RUSTFLAGS="-C symbol-mangling-version=v0" \\
      cargo build --release --target wasm32-unknown-unknown --bin statefulset-lab
    wasm-bindgen --target web --keep-debug --out-dir target-names/bg \\
      target-names/wasm32-unknown-unknown/release/statefulset-lab.wasm
    wasm-opt -Oz -g target-names/bg/statefulset-lab_bg.wasm -o named.wasm
    scripts/wasm-areas.py named.wasm

v0 mangling keeps generic arguments in the names, so a `BTreeMap<Key, Rc<Pod>>::insert` counts
as std's B-tree code and a Yew component's `view` as the screen's. Areas gzipped apart add up
to a little more than the whole file gzipped; `twiggy top`/`twiggy paths` on the same file
show single functions and who keeps them.
"""
import collections
import gzip
import re
import sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def sections(w):
    i = 8
    while i < len(w):
        size, j = leb(w, i + 1)
        yield w[i], j, size
        i = j + size


def imported_functions(w, start):
    """How many functions are imported: they come first in the function index space."""
    n, k = leb(w, start)
    count = 0
    for _ in range(n):
        for _ in range(2):  # module and field names
            length, k = leb(w, k)
            k += length
        kind = w[k]
        k += 1
        if kind == 0:  # function: type index
            count += 1
            _, k = leb(w, k)
        elif kind in (1, 2):  # table (reftype + limits) or memory (limits)
            k += kind == 1
            flags, k = leb(w, k)
            _, k = leb(w, k)
            if flags & 1:
                _, k = leb(w, k)
        elif kind == 3:  # global: value type + mutability
            k += 2
    return count


def function_names(w, start, end):
    _, k = leb(w, start)  # the custom section's own name, "name"
    k += len(b"name")
    names = {}
    while k < end:
        sub = w[k]
        size, body = leb(w, k + 1)
        if sub == 1:
            n, q = leb(w, body)
            for _ in range(n):
                idx, q = leb(w, q)
                length, q = leb(w, q)
                names[idx] = w[q : q + length].decode("utf8", "replace")
                q += length
        k = body + size
    return names


def area(name):
    n = re.sub(r"\[[0-9a-f]+\]", "", name)
    lead = n.lstrip("<&").removeprefix("mut ")
    head = lead.split("::<")[0]
    if "collections::btree" in head:
        return "std B-tree maps (per key/value type)"
    if "slice::sort" in head or head.startswith("statefulset_lab::sort"):
        return "std sorts"
    if "statefulset_lab" in n and re.search(r"Deserializ|Serializ|Visitor|MapAccess|SeqAccess", n):
        return "serde derives and glue for our types"
    if lead.startswith(("serde_yaml", "unsafe_libyaml")):
        return "serde_yaml + libyaml"
    if lead.startswith(("serde_json", "zmij")):
        return "serde_json"
    ours = re.search(r"statefulset_lab::(\w+)", n)
    if lead.startswith("statefulset_lab::") or (lead.startswith("yew::html::component") and ours):
        return {"ui": "the screen (ui: components, state)"}.get(ours.group(1), ours.group(1))
    if lead.startswith(("yew", "web_sys", "wasm_bindgen", "js_sys", "gloo", "implicit_clone", "hashbrown", "indexmap", "slab")):
        return "yew + browser bindings"
    if ours:
        return f"std generics for {ours.group(1)}'s types"
    return "other std (fmt, strings, alloc, malloc)"


def main(path):
    w = open(path, "rb").read()
    imports, names, bodies, data = 0, {}, [], b""
    for sid, start, size in sections(w):
        if sid == 2:
            imports = imported_functions(w, start)
        elif sid == 10:
            n, k = leb(w, start)
            for _ in range(n):
                length, k = leb(w, k)
                bodies.append(w[k : k + length])
                k += length
        elif sid == 11:
            data += w[start : start + size]
        elif sid == 0 and w[start + 1 : start + 5] == b"name":
            names = function_names(w, start, start + size)
    if not names:
        sys.exit(f"{path} has no function names: build it as the docstring says")
    groups = collections.defaultdict(list)
    for k, body in enumerate(bodies):
        groups[area(names.get(imports + k, "?"))].append(body)
    groups["data section (text, tables, panic locations)"] = [data]
    rows = sorted(((len(gzip.compress(b"".join(v), 9)), sum(map(len, v)), g) for g, v in groups.items()), reverse=True)
    for gz, raw, g in rows:
        print(f"{gz / 1000:7.1f} KB gzip {raw / 1000:8.1f} KB raw  {g}")
    print(f"{sum(r[0] for r in rows) / 1000:7.1f} KB gzip {sum(r[1] for r in rows) / 1000:8.1f} KB raw  (areas gzipped apart)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "named.wasm")
