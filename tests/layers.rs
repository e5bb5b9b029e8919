//! Invariants 1 and 2 (README, "Invariants"), checked on the source: the native layers import
//! no web crate (`web_sys`, `js_sys`, `gloo`, `yew`) and nothing but the `Clock`
//! implementations reads the wall clock. The web adapters (`src/ui/`, `src/main.rs`), the
//! IndexedDB backend and the clock's wasm implementation are the only places a web crate may
//! appear.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

/// Files where a web crate is the point: the IndexedDB backend, its request helper, and the
/// clock, whose wasm implementation reads `Date.now()`.
const WEB_BACKENDS: [&str; 3] = [
    "src/storage/indexed_db.rs",
    "src/storage/idb_request.rs",
    "src/clock.rs",
];
/// The only readers of the wall clock.
const CLOCKS: [&str; 1] = ["src/clock.rs"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code lines of `path` (comments left out) that mention any of `needles`.
fn uses(path: &Path, needles: &[&str]) -> Vec<String> {
    fs::read_to_string(path)
        .expect("readable source file")
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .filter(|line| needles.iter().any(|n| line.contains(n)))
        .map(|line| format!("{}: {}", path.display(), line.trim()))
        .collect()
}

const WEB_CRATES: [&str; 4] = ["web_sys", "js_sys", "gloo", "yew"];
const WALL_CLOCKS: [&str; 3] = ["SystemTime", "Instant::now", "Date::now"];

fn native_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files
        .into_iter()
        .filter(|f| {
            let relative = f.strip_prefix(root).expect("under the crate");
            let relative = relative.to_string_lossy().replace('\\', "/");
            !relative.starts_with("src/ui/") && relative != "src/main.rs"
        })
        .collect()
}

fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .expect("under the crate")
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn the_native_layers_import_no_web_crate() {
    let found: Vec<String> = native_files()
        .iter()
        .filter(|f| !WEB_BACKENDS.contains(&relative(f).as_str()))
        .flat_map(|f| uses(f, &WEB_CRATES))
        .collect();
    assert!(
        found.is_empty(),
        "web crates below the adapters:\n{}",
        found.join("\n")
    );
    // The check sees what it looks for: the IndexedDB backend does use web_sys.
    let backend = Path::new(env!("CARGO_MANIFEST_DIR")).join(WEB_BACKENDS[0]);
    assert!(!uses(&backend, &WEB_CRATES).is_empty());
}

#[test]
fn only_the_clocks_read_the_wall_clock() {
    let found: Vec<String> = native_files()
        .iter()
        .filter(|f| !CLOCKS.contains(&relative(f).as_str()))
        .flat_map(|f| uses(f, &WALL_CLOCKS))
        .collect();
    assert!(
        found.is_empty(),
        "wall-clock reads outside clock.rs:\n{}",
        found.join("\n")
    );
    let clock = Path::new(env!("CARGO_MANIFEST_DIR")).join(CLOCKS[0]);
    assert!(!uses(&clock, &WALL_CLOCKS).is_empty());
}
