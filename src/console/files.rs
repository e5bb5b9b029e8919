//! Files a command may read with `< file` or `--producer.config file`.
//!
//! Owns the [`FileSource`] trait and its two plain implementations: files held in memory (the
//! page's bundled samples and imported files, and tests) and, natively, a directory on disk.
//! Must not reach the network or any browser API: the UI fills a [`MemoryFiles`] itself.

use std::collections::BTreeMap;

/// Somewhere named files can be read from.
pub trait FileSource {
    /// The file's text, or a message such as `No such file or directory`.
    fn read(&self, path: &str) -> Result<String, String>;

    /// Names worth offering for completion (may be empty).
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A shared source, so the page can keep adding imported files to the one the console reads.
impl<T: FileSource> FileSource for std::rc::Rc<std::cell::RefCell<T>> {
    fn read(&self, path: &str) -> Result<String, String> {
        self.borrow().read(path)
    }

    fn names(&self) -> Vec<String> {
        self.borrow().names()
    }
}

/// Files held in memory, by name.
#[derive(Debug, Clone, Default)]
pub struct MemoryFiles {
    files: BTreeMap<String, String>,
}

impl MemoryFiles {
    /// No files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) {
        self.files.insert(name.into(), text.into());
    }
}

impl FileSource for MemoryFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let path = path.strip_prefix("./").unwrap_or(path);
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| "No such file or directory".to_owned())
    }

    fn names(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }
}

/// Files on disk, relative paths resolved against a base directory (native only).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
pub struct DirFiles {
    base: std::path::PathBuf,
}

#[cfg(not(target_arch = "wasm32"))]
impl DirFiles {
    /// Files under `base`.
    pub fn new(base: impl Into<std::path::PathBuf>) -> Self {
        Self { base: base.into() }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl FileSource for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let full = self.base.join(path);
        std::fs::read(&full)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => "No such file or directory".to_owned(),
                std::io::ErrorKind::PermissionDenied => "Permission denied".to_owned(),
                _ => e.to_string(),
            })
    }

    fn names(&self) -> Vec<String> {
        std::fs::read_dir(&self.base)
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Parses a Java `.properties` file the simple way Kafka's config files are written:
/// `key=value` or `key:value` lines, `#`/`!` comments, surrounding spaces trimmed.
pub fn parse_properties(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .map(|l| {
            let cut = l.find(['=', ':']);
            match cut {
                Some(i) => (
                    l.get(..i).unwrap_or("").trim().to_owned(),
                    l.get(i + 1..).unwrap_or("").trim().to_owned(),
                ),
                None => (l.to_owned(), String::new()),
            }
        })
        .collect()
}
