//! The table `df.show()` and the console sink print: Spark's `Dataset.showString` layout and
//! the text of each cell (`ToPrettyString`).
//!
//! Owns the layout and the cell texts; must not evaluate anything (the caller gives it rows
//! already taken, one more than shown when there are more). Matched against Spark 4.x
//! `sql/core/.../classic/Dataset.scala` (`getRows`, `showString`),
//! `common/utils/.../SparkSchemaUtils.escapeMetaCharacters`, `Utils.stringHalfWidth`, and
//! `sql/catalyst/.../expressions/ToPrettyString.scala` + `ToStringBase.scala` (Spark ≥ 3.5;
//! earlier versions printed `null` and `[4B 65 79]` differently, 3.5 and 4.x agree).
//!
//! Widths and truncation count UTF-16 code units as Java's `String.length` does, plus one per
//! full-width (CJK) character, so a line of Chinese text lines up as in Spark's terminal output.
//! Where Java's `substring` would split a surrogate pair (an emoji at the cut), Java's UTF-8
//! encoder prints the lone half as `?`; we print `?` too.

use crate::streams::calendar::{format_date, format_timestamp};
use crate::streams::java_text::{double_to_string, float_to_string};
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;

/// Spark's minimum column width.
const MINIMUM_COL_WIDTH: usize = 3;

/// `Dataset.showString(numRows, truncate, vertical = false)`: the grid `show()` prints, ending in
/// `\n` (`show()` prints it with `println`, so a blank line follows on the terminal).
///
/// `rows` are cell texts from [`pretty_cell`]; only the first `num_rows` are shown. The footer
/// `only showing top N rows` (`row` when N is 1) appears when `has_more_rows` or when `rows` has
/// more than `num_rows`. `truncate` 0 keeps cells whole and left-aligns them; otherwise a cell
/// longer than `truncate` becomes its first `truncate - 3` characters and `...` (just the first
/// `truncate` characters when `truncate` < 4) and cells are right-aligned. Column names are
/// never truncated.
pub fn show_string(
    columns: &[String],
    rows: &[Vec<String>],
    has_more_rows: bool,
    num_rows: usize,
    truncate: usize,
) -> String {
    let (header, body, has_more) = prepare(columns, rows, has_more_rows, num_rows, truncate);
    let mut widths: Vec<usize> = vec![MINIMUM_COL_WIDTH; header.len()];
    for row in std::iter::once(&header).chain(body.iter()) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(string_half_width(cell));
        }
    }
    let mut out = String::new();
    let sep: String = widths
        .iter()
        .map(|w| format!("+{}", "-".repeat(*w)))
        .collect();
    let sep = format!("{sep}+\n");
    out.push_str(&sep);
    grid_line(&header, &widths, truncate > 0, &mut out);
    out.push_str(&sep);
    for row in &body {
        grid_line(row, &widths, truncate > 0, &mut out);
    }
    out.push_str(&sep);
    if has_more {
        out.push_str(&footer(num_rows));
    }
    out
}

/// `Dataset.showString(numRows, truncate, vertical = true)`: one block per row headed
/// `-RECORD 0-----…`, each line ` name | value `; `(0 rows)` when there are none.
pub fn show_string_vertical(
    columns: &[String],
    rows: &[Vec<String>],
    has_more_rows: bool,
    num_rows: usize,
    truncate: usize,
) -> String {
    let (header, body, has_more) = prepare(columns, rows, has_more_rows, num_rows, truncate);
    let name_width = header
        .iter()
        .map(|n| string_half_width(n))
        .fold(MINIMUM_COL_WIDTH, usize::max);
    let data_width = body
        .iter()
        .map(|row| row.iter().map(|c| string_half_width(c)).max().unwrap_or(0))
        .fold(MINIMUM_COL_WIDTH, usize::max);
    let mut out = String::new();
    for (i, row) in body.iter().enumerate() {
        let record = format!("-RECORD {i}");
        out.push_str(&right_pad(&record, name_width + data_width + 5, '-'));
        out.push('\n');
        let lines: Vec<String> = row
            .iter()
            .zip(&header)
            .map(|(cell, name)| {
                format!(
                    " {} | {} ",
                    right_pad(name, name_width, ' '),
                    right_pad(cell, data_width, ' ')
                )
            })
            .collect();
        out.push_str(&lines.join("\n"));
        out.push('\n');
    }
    if body.is_empty() {
        out.push_str("(0 rows)\n");
    } else if has_more {
        out.push_str(&footer(num_rows));
    }
    out
}

/// What `show()` prints for one value (Spark's `ToPrettyString`): `NULL` for null at any depth,
/// binary as `[4B 65 79]`, arrays `[1, 2]`, structs `{1, chicago, NULL}`, maps `{a -> 1}`,
/// timestamps `2026-12-06 10:20:30.12` (UTC), numbers as Java prints them.
pub fn pretty_cell(value: &Value, data_type: &DataType) -> String {
    let mut out = String::new();
    write_pretty(value, data_type, &mut out);
    out
}

fn write_pretty(value: &Value, data_type: &DataType, out: &mut String) {
    match value {
        Value::Null => out.push_str("NULL"),
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Byte(n) => out.push_str(&n.to_string()),
        Value::Short(n) => out.push_str(&n.to_string()),
        Value::Integer(n) => out.push_str(&n.to_string()),
        Value::Long(n) => out.push_str(&n.to_string()),
        Value::Float(x) => out.push_str(&float_to_string(*x)),
        Value::Double(x) => out.push_str(&double_to_string(*x)),
        Value::String(s) => out.push_str(s),
        Value::Binary(bytes) => {
            // SparkStringUtils.getHexString: upper-case pairs in brackets, space-separated.
            let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
            out.push('[');
            out.push_str(&pairs.join(" "));
            out.push(']');
        }
        Value::Date(days) => out.push_str(&format_date(*days)),
        Value::Timestamp(micros) => out.push_str(&format_timestamp(*micros)),
        Value::Array(items) => {
            let element = element_type(data_type);
            write_separated(out, ('[', ']'), ", ", items, |item, out| {
                write_pretty(item, element, out)
            });
        }
        Value::Map(entries) => {
            let (key_type, value_type) = map_types(data_type);
            write_separated(out, ('{', '}'), ", ", entries, |(k, v), out| {
                write_pretty(k, key_type, out);
                out.push_str(" -> ");
                write_pretty(v, value_type, out);
            });
        }
        Value::Struct(values) => {
            let fields = struct_fields(data_type);
            let typed: Vec<(&Value, &DataType)> = values
                .iter()
                .enumerate()
                .map(|(i, v)| (v, fields.get(i).map_or(&DataType::Null, |f| &f.data_type)))
                .collect();
            write_separated(out, ('{', '}'), ", ", &typed, |(v, t), out| {
                write_pretty(v, t, out)
            });
        }
    }
}

/// An array type's element type (`void` for any other type, so a value that does not match
/// its type still prints).
pub(crate) fn element_type(data_type: &DataType) -> &DataType {
    match data_type {
        DataType::Array { element, .. } => element,
        _ => &DataType::Null,
    }
}

/// A map type's key and value types (`void` for any other type).
pub(crate) fn map_types(data_type: &DataType) -> (&DataType, &DataType) {
    match data_type {
        DataType::Map { key, value, .. } => (key, value),
        _ => (&DataType::Null, &DataType::Null),
    }
}

/// A struct type's fields (none for any other type).
pub(crate) fn struct_fields(data_type: &DataType) -> &[StructField] {
    match data_type {
        DataType::Struct(fields) => fields,
        _ => &[],
    }
}

/// `open`, the items written by `write` with `separator` between them, `close`: the shape of
/// every nested value in `show()` and `to_json`.
pub(crate) fn write_separated<T>(
    out: &mut String,
    (open, close): (char, char),
    separator: &str,
    items: &[T],
    mut write: impl FnMut(&T, &mut String),
) {
    out.push(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        write(item, out);
    }
    out.push(close);
}

type Prepared = (Vec<String>, Vec<Vec<String>>, bool);

/// `getRows`: escaped names, then the shown rows' cells escaped and truncated.
fn prepare(
    columns: &[String],
    rows: &[Vec<String>],
    has_more_rows: bool,
    num_rows: usize,
    truncate: usize,
) -> Prepared {
    let header: Vec<String> = columns.iter().map(|c| escape_meta_characters(c)).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .take(num_rows)
        .map(|row| {
            row.iter()
                .map(|cell| truncate_cell(&escape_meta_characters(cell), truncate))
                .collect()
        })
        .collect();
    (header, body, has_more_rows || rows.len() > num_rows)
}

fn footer(num_rows: usize) -> String {
    let noun = if num_rows == 1 { "row" } else { "rows" };
    format!("only showing top {num_rows} {noun}\n")
}

fn grid_line(cells: &[String], widths: &[usize], right_align: bool, out: &mut String) {
    for (cell, width) in cells.iter().zip(widths) {
        out.push('|');
        let pad = " ".repeat(width.saturating_sub(string_half_width(cell)));
        if right_align {
            out.push_str(&pad);
            out.push_str(cell);
        } else {
            out.push_str(cell);
            out.push_str(&pad);
        }
    }
    out.push_str("|\n");
}

/// Commons `StringUtils.rightPad` to a display width.
fn right_pad(text: &str, width: usize, pad: char) -> String {
    let mut out = text.to_string();
    for _ in string_half_width(text)..width {
        out.push(pad);
    }
    out
}

/// `SparkSchemaUtils.escapeMetaCharacters`: control characters that would break the grid are
/// shown as their escapes.
fn escape_meta_characters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{000C}' => out.push_str("\\f"),
            '\u{0008}' => out.push_str("\\b"),
            '\u{000B}' => out.push_str("\\v"),
            '\u{0007}' => out.push_str("\\a"),
            other => out.push(other),
        }
    }
    out
}

/// `getRows`' truncation, in UTF-16 code units as Java's `length`/`substring` count.
fn truncate_cell(text: &str, truncate: usize) -> String {
    if truncate == 0 || utf16_len(text) <= truncate {
        return text.to_string();
    }
    if truncate < 4 {
        utf16_prefix(text, truncate)
    } else {
        let mut out = utf16_prefix(text, truncate - 3);
        out.push_str("...");
        out
    }
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The first `units` UTF-16 code units; a pair cut in half becomes `?` as Java prints a lone
/// surrogate.
fn utf16_prefix(text: &str, units: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let len = c.len_utf16();
        if used + len > units {
            if used < units {
                out.push('?');
            }
            break;
        }
        out.push(c);
        used += len;
    }
    out
}

/// `Utils.stringHalfWidth`: UTF-16 length plus one for each full-width character.
pub fn string_half_width(text: &str) -> usize {
    text.chars()
        .map(|c| c.len_utf16() + usize::from(is_full_width(c)))
        .sum()
}

/// Spark's `fullWidthRegex` ranges (Hangul Jamo, CJK, Hangul syllables, compatibility forms,
/// full-width forms).
fn is_full_width(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE10}'..='\u{FE19}'
        | '\u{FE30}'..='\u{FE6F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}')
}

#[cfg(test)]
mod tests;
