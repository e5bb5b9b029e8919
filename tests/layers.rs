//! Invariants 1 and 2 (README, "Invariants"), checked on the source: the native layers import
//! no web crate (`web_sys`, `js_sys`, `gloo`, `yew`) and nothing but the `Clock`
//! implementations reads the wall clock — the web adapters included: they take time and seeds
//! from the `Clock` too. The web adapters (`src/ui/`, `src/js_api/`, `src/main.rs`), the
//! IndexedDB backend and the clock's wasm implementation are the only places a web crate may
//! appear.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/source_files.rs"]
mod source_files;

use std::fs;
use std::path::{Path, PathBuf};

use source_files::rust_files;

/// Files where a web crate is the point: the IndexedDB backend, its request helper, and the
/// clock, whose wasm implementation reads `Date.now()`.
const WEB_BACKENDS: [&str; 3] = [
    "src/storage/indexed_db.rs",
    "src/storage/idb_request.rs",
    "src/clock.rs",
];
/// The only readers of the wall clock.
const CLOCKS: [&str; 1] = ["src/clock.rs"];

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

/// Every source file, the web adapters' included.
fn all_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files
}

fn native_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    all_files()
        .into_iter()
        .filter(|f| {
            let relative = f.strip_prefix(root).expect("under the crate");
            let relative = relative.to_string_lossy().replace('\\', "/");
            !relative.starts_with("src/ui/")
                && !relative.starts_with("src/js_api/")
                && relative != "src/main.rs"
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
    let files = all_files();
    // The adapters are in the scan, so their reads would be found.
    assert!(files.iter().any(|f| relative(f).starts_with("src/ui/")));
    let found: Vec<String> = files
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

/// The crate's top-level modules from the bottom up; a module may import only from its own
/// layer's modules below it, never from one above (README, "Architecture"). Modules on one line
/// are peers that do not import each other.
const LAYERS: [&[&str]; 11] = [
    &["protocol", "clock", "sort"],
    &["log", "partitioner"],
    &["group"],
    &["broker"],
    &["storage"],
    &["client"],
    &["streams"],
    &["console"],
    &["playground"],
    // The JS adapter sits under the Yew adapter: the page's shell installs it.
    &["js_api"],
    &["ui", "bin", "main"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level module a source file belongs to (`src/log/batch.rs` is in `log`).
fn module_of(path: &Path) -> String {
    let relative = relative(path);
    let rest = relative.trim_start_matches("src/");
    let first = rest.split('/').next().unwrap_or(rest);
    first.trim_end_matches(".rs").to_owned()
}

/// Every `crate::<module>` a file's code lines name.
fn imported_modules(path: &Path) -> Vec<(String, String)> {
    let text = fs::read_to_string(path).expect("readable source file");
    let mut found = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (at, _) in line.match_indices("crate::") {
            let name: String = line[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((name, line.trim().to_owned()));
            }
        }
    }
    found
}

#[test]
fn every_import_points_down_the_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut upward = Vec::new();
    let mut checked = 0;
    for file in &files {
        let module = module_of(file);
        if module == "lib" {
            continue;
        }
        let here = layer_of(&module)
            .unwrap_or_else(|| panic!("{module} (from {}) is in no layer", relative(file)));
        for (imported, line) in imported_modules(file) {
            checked += 1;
            let there = layer_of(&imported).unwrap_or_else(|| {
                panic!("{imported} (named in {}) is in no layer", relative(file))
            });
            let peer = there == here && imported != module;
            if there > here || peer {
                upward.push(format!(
                    "{} ({module}) -> {imported}: {line}",
                    relative(file)
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that point up or sideways:\n{}",
        upward.join("\n")
    );
    // The check sees imports at all: the broker imports the log.
    assert!(checked > 100, "only {checked} imports found");
}

/// The longest a source file may grow before it is split into a folder of concepts.
const MAX_FILE_LINES: usize = 800;

#[test]
fn every_source_file_is_a_real_module_under_the_length_limit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("readable source file");
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            problems.push(format!(
                "{}: {lines} lines (split it by concept)",
                relative(file)
            ));
        }
        // `#[path]` hides the module tree: a module's file must be where its name says.
        if text.lines().any(|l| l.trim_start().starts_with("#[path")) {
            problems.push(format!("{}: uses #[path]", relative(file)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(files.len() > 100, "only {} source files found", files.len());
}

/// Invariant 8: components and pages render and dispatch; none reaches the broker (they read
/// the engine through its query methods and change it through actions).
#[test]
fn no_component_or_page_reaches_the_broker() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/ui/components"), &mut files);
    rust_files(&root.join("src/ui/pages"), &mut files);
    let needles = [
        ".broker()",
        "crate::broker",
        "SharedBroker",
        "RefCell<Broker",
    ];
    let found: Vec<String> = files.iter().flat_map(|f| uses(f, &needles)).collect();
    assert!(
        found.is_empty(),
        "views reaching below the engine:\n{}",
        found.join("\n")
    );
    assert!(files.len() > 10, "only {} view files found", files.len());
}
