//! The web app's entry point. trunk builds this binary for wasm32 (see index.html `data-bin`);
//! the native build exists only so `cargo build`/`cargo test` of the whole crate stay simple.

#[cfg(target_arch = "wasm32")]
fn main() {
    statefulset_lab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "statefulset-lab is the web app: run scripts/serve.sh and open it in a browser \
         (the command-line tool is `stslab`)."
    );
}
