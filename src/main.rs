//! The web entry point Trunk builds: mounts the playground into the page.
//!
//! Natively this binary only explains where it belongs; the native console is a separate binary.

#[cfg(target_arch = "wasm32")]
fn main() {
    brooklet::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "brooklet-web is the browser entry point: run `make serve` and open http://127.0.0.1:8080"
    );
    std::process::exit(2);
}
