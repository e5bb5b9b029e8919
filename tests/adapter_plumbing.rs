//! The Yew adapter's components change the engine only through the handle's `dispatch`
//! (which publishes every change): none reaches the playground's cell, which only the shell's
//! plumbing (the JavaScript API's install) takes.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/source_files.rs"]
mod source_files;

use std::fs;
use std::path::Path;

use source_files::rust_files;

/// True when `line` names the handle's `playground` field (`store.playground`, not
/// `crate::playground::…` nor a longer name).
fn reaches_field(line: &str) -> bool {
    line.match_indices(".playground").any(|(at, found)| {
        !line[at + found.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn the_field_is_told_apart_from_the_module_and_longer_names() {
    assert!(reaches_field(
        "store.persistence.set_flush_policy(next, &store.playground);"
    ));
    assert!(reaches_field("store.playground.borrow_mut()"));
    assert!(!reaches_field("use crate::playground::Action;"));
    assert!(!reaches_field("store.playground_rows()"));
}

#[test]
fn no_component_or_page_reaches_the_playgrounds_cell() {
    let mut files = Vec::new();
    rust_files(Path::new("src/ui/components"), &mut files);
    rust_files(Path::new("src/ui/pages"), &mut files);
    assert!(files.len() > 10, "the components were found: {files:?}");
    let reaching: Vec<String> = files
        .iter()
        .flat_map(|path| {
            fs::read_to_string(path)
                .expect("readable source file")
                .lines()
                .filter(|line| line.contains("playground_cell_for_plumbing") || reaches_field(line))
                .map(|line| format!("{}: {}", path.display(), line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(reaching.is_empty(), "{reaching:#?}");
}
