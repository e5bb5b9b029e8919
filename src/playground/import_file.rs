//! What the import panel says about a file it was given: an empty file (or one of blank lines
//! only) is named as such, instead of "1 line(s) need fixing" for a file with no lines; any
//! other file is read by [`super::import::parse_json_lines`], all or nothing.
//!
//! Owns the panel's wording for a whole file. Must not parse lines (`import` does) nor produce
//! (the playground does).

use super::form_error::FormError;
use super::import::{parse_json_lines, ImportedRecord};

/// The records in the file `name` holding `text`, keyed by `key_field`, or what to fix.
pub fn read_file(
    name: &str,
    text: &str,
    key_field: &str,
) -> Result<Vec<ImportedRecord>, FormError> {
    if text.lines().all(|line| line.trim().is_empty()) {
        let what = if text.is_empty() {
            "is empty"
        } else {
            "holds only blank lines"
        };
        return Err(FormError::EmptyImportFile {
            name: name.to_owned(),
            what,
        });
    }
    parse_json_lines(text, key_field).map_err(FormError::ImportLines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_called_empty_and_not_a_file_with_a_line_to_fix() {
        for (text, what) in [("", "is empty"), ("\n  \n\n", "holds only blank lines")] {
            let message = read_file("orders.jsonl", text, "")
                .expect_err("nothing to import")
                .to_string();
            assert_eq!(
                message,
                format!("Nothing was produced: orders.jsonl {what}. Choose a file with one JSON object per line, e.g. {{\"order_id\": 1, \"city\": \"Chicago\"}}.")
            );
        }
    }

    #[test]
    fn a_file_with_lines_is_read_all_or_nothing_as_before() {
        let records = read_file("o.jsonl", "{\"id\": 1}\n{\"id\": 2}\n", "id").expect("two lines");
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].key.as_deref(), Some("2"));
        let bad = read_file("o.jsonl", "{\"id\": 1}\nnot json\n", "id")
            .expect_err("line 2")
            .to_string();
        assert!(
            bad.starts_with("Nothing was produced: 1 line(s) need fixing first."),
            "{bad}"
        );
    }
}
