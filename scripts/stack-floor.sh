#!/usr/bin/env bash
# Prints the download floor of the product's stack: a one-component Yew app (trunk release,
# opt-level z, LTO, wasm-opt -Oz, as scripts/build.sh builds ours) that parses a pasted YAML
# document with serde_yaml into a typed object and shows its labels or the error's line and
# column: the least this app must do, with nothing of the engine, kubectl or the labs. Issue #6's
# 240 KB budget minus this floor is what the rest of the app would have to fit in.
#
#   scripts/stack-floor.sh    (builds in target/stack-floor/, ~3 min the first time)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" # leaves us in the repository root
ROOT=$PWD
FLOOR=$ROOT/target/stack-floor
mkdir -p "$FLOOR/src"
# The same crate versions as the app (offline: the registry cache already holds them).
cp Cargo.lock Trunk.toml "$FLOOR/"
cat >"$FLOOR/Cargo.toml" <<'EOF'
[package]
name = "floor"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_yaml = "0.9"
yew = { version = "0.23", features = ["csr"] }
wasm-bindgen = "=0.2.130"
web-sys = { version = "0.3", features = ["HtmlTextAreaElement"] }
gloo-timers = "0.4"

[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
EOF
cat >"$FLOOR/src/main.rs" <<'EOF'
use serde::Deserialize;
use std::collections::BTreeMap;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Deserialize)]
struct Meta {
    name: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Obj {
    #[serde(rename = "apiVersion")]
    api_version: String,
    kind: String,
    metadata: Meta,
}

#[function_component]
fn App() -> Html {
    let text = use_state(String::new);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let out = match serde_yaml::from_str::<Obj>(&text) {
        Ok(o) => html! { <ul>{ for o.metadata.labels.iter().map(|(k, v)| html! { <li>{ format!("{}/{} {} {k}={v}", o.api_version, o.kind, o.metadata.name) }</li> }) }</ul> },
        Err(e) => html! { <p>{ format!("{e} at {:?}", e.location().map(|l| (l.line(), l.column()))) }</p> },
    };
    html! { <main><textarea {oninput} />{ out }</main> }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
EOF
echo '<!doctype html><html><head><link data-trunk rel="rust" data-wasm-opt="z"></head><body></body></html>' >"$FLOOR/index.html"
cd "$FLOOR"
CARGO_TARGET_DIR=$FLOOR/target trunk build >build.log 2>&1 || { tail -20 build.log; exit 1; }
total=0
for f in dist/*.wasm dist/*.js dist/*.html; do
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '  %-40s %8d raw %8d gzip-9\n' "${f#dist/}" "$(wc -c <"$f")" "$gz"
done
printf 'stack floor (html+js+wasm, gzip -9): %d bytes = %s KB; issue #6 budget 240 KB\n' "$total" "$(awk -v b="$total" 'BEGIN { printf "%.1f", b / 1024 }')"
