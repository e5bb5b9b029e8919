//! The catalog as records for the playground's store, and back: one record per checkpoint file
//! (its text as it is), one per table (its schema) and one per table version (its rows in the
//! canonical value encoding, base64). A version's rows never change once written, so a flush
//! writes only what is new.
//!
//! Owns the record layout under a key prefix the caller gives. Must not know the store.

use std::collections::BTreeMap;
use std::rc::Rc;

use base64::Engine as _;

use super::catalog::{Catalog, Table, TableVersion};
use crate::streams::checkpoint::CheckpointStore;
use crate::streams::exec::value_codec::{encode, Decoder};
use crate::streams::sql::parse_data_type;
use crate::streams::types::{DataType, StructField};
use crate::streams::value::Value;

const CHECKPOINT: &str = "spark/checkpoint/";
const TABLE: &str = "spark/table/";

/// A table's name in a key: `%` and `/` escaped, so a path-named table (`/tmp/delta/orders`)
/// stays one key segment.
fn key_name(name: &str) -> String {
    name.replace('%', "%25").replace('/', "%2F")
}

fn name_from_key(segment: &str) -> String {
    segment.replace("%2F", "/").replace("%25", "%")
}

/// A type as stored: Spark's simple form with every field name backquoted, so any name
/// (`user-id`, `count(1)`) reads back.
fn stored_type(t: &DataType) -> String {
    match t {
        DataType::Array { element, .. } => format!("array<{}>", stored_type(element)),
        DataType::Map { key, value, .. } => {
            format!("map<{},{}>", stored_type(key), stored_type(value))
        }
        DataType::Struct(fields) => {
            let inner: Vec<String> = fields
                .iter()
                .map(|f| {
                    format!(
                        "`{}`:{}",
                        f.name.replace('`', "``"),
                        stored_type(&f.data_type)
                    )
                })
                .collect();
            format!("struct<{}>", inner.join(","))
        }
        other => other.simple_string(),
    }
}

/// Every record of `catalog`, keys under `prefix`.
pub fn to_records(catalog: &Catalog, prefix: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, text) in catalog.checkpoints.files() {
        out.insert(format!("{prefix}{CHECKPOINT}{path}"), text.clone());
    }
    out.extend(
        catalog
            .unreadable
            .iter()
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    for table in &catalog.tables {
        // One column a line, `name<TAB>type`: a column's name may be any text (`count(1)`).
        let schema: Vec<String> = table
            .schema
            .iter()
            .map(|f| format!("{}\t{}", f.name, stored_type(&f.data_type)))
            .collect();
        let name = key_name(&table.name);
        out.insert(format!("{prefix}{TABLE}{name}"), schema.join("\n"));
        for v in &table.versions {
            let mut bytes = Vec::new();
            for row in v.rows.iter() {
                encode(&Value::Struct(Rc::from(row.clone())), &mut bytes);
            }
            let rows = base64::engine::general_purpose::STANDARD.encode(bytes);
            out.insert(
                format!("{prefix}{TABLE}{name}/{:010}", v.version),
                format!(
                    "{}\n{}\n{}\n{}",
                    v.timestamp_ms,
                    v.operation,
                    if v.overwrite { "overwrite" } else { "append" },
                    rows
                ),
            );
        }
    }
    out
}

/// The catalog `records` (keys under `prefix`) hold. A damaged record is left out, with its
/// key in the second list, so the rest of the catalog still opens.
pub fn from_records<'a>(
    records: impl IntoIterator<Item = (&'a String, &'a String)>,
    prefix: &str,
) -> (Catalog, Vec<String>) {
    let mut catalog = Catalog::default();
    let mut damaged = Vec::new();
    let mut versions: Vec<(String, u64, &'a String, &'a String)> = Vec::new();
    let mut kept: BTreeMap<String, &'a String> = BTreeMap::new();
    for (key, text) in records {
        kept.insert(key.clone(), text);
        let Some(rest) = key.strip_prefix(prefix) else {
            continue;
        };
        if let Some(path) = rest.strip_prefix(CHECKPOINT) {
            catalog.checkpoints.write(path, text.clone());
        } else if let Some(name) = rest.strip_prefix(TABLE) {
            match name.rsplit_once('/') {
                Some((table, version)) => match version.parse::<u64>() {
                    Ok(v) => versions.push((name_from_key(table), v, key, text)),
                    Err(_) => damaged.push(key.clone()),
                },
                None => match parse_schema(text) {
                    Some(schema) => catalog.tables.push(Table {
                        name: name_from_key(name),
                        schema,
                        versions: Vec::new(),
                    }),
                    None => damaged.push(key.clone()),
                },
            }
        }
    }
    crate::sort::sort_by(&mut versions, |a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    for (name, version, key, text) in versions {
        let Some(table) = catalog.tables.iter_mut().find(|t| t.name == name) else {
            damaged.push(key.clone());
            continue;
        };
        match decode_version(version, text) {
            Some(v) => table.versions.push(v),
            None => damaged.push(key.clone()),
        }
    }
    for key in &damaged {
        if let Some(text) = kept.get(key) {
            catalog.unreadable.insert(key.clone(), (*text).clone());
        }
    }
    (catalog, damaged)
}

fn parse_schema(text: &str) -> Option<Vec<StructField>> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (name, t) = line.split_once('\t')?;
            Some(StructField::new(name, parse_data_type(t).ok()?))
        })
        .collect()
}

fn decode_version(version: u64, text: &str) -> Option<TableVersion> {
    let mut lines = text.splitn(4, '\n');
    let timestamp_ms = lines.next()?.parse().ok()?;
    let operation = lines.next()?.to_string();
    let overwrite = match lines.next()? {
        "overwrite" => true,
        "append" => false,
        _ => return None,
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(lines.next()?.trim().as_bytes())
        .ok()?;
    let mut decoder = Decoder::new(&bytes);
    let mut rows = Vec::new();
    while !decoder.is_done() {
        match decoder.value()? {
            Value::Struct(fields) => rows.push(fields.to_vec()),
            _ => return None,
        }
    }
    Some(TableVersion {
        version,
        timestamp_ms,
        operation,
        rows: Rc::new(rows),
        overwrite,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_reads_back_from_its_records() {
        let mut c = Catalog::default();
        c.checkpoints
            .write("/cp/q/offsets/0", "v1\n{}\n{\"t\":{\"0\":5}}".into());
        let schema = vec![
            StructField::new("key", DataType::String),
            StructField::new("count(1)", DataType::Long),
        ];
        c.append(
            "orders_bronze",
            &schema,
            vec![vec![Value::string("a"), Value::Long(1)]],
            10,
            "WRITE",
        );
        c.append(
            "orders_bronze",
            &schema,
            vec![vec![Value::Null, Value::Long(2)]],
            20,
            "STREAMING UPDATE q 1",
        );
        let odd = vec![StructField::new(
            "v",
            DataType::Struct(vec![StructField::new("user-id", DataType::String)]),
        )];
        c.append(
            "/tmp/delta/orders%1",
            &odd,
            vec![vec![Value::Null]],
            30,
            "WRITE",
        );
        let records = to_records(&c, "app/");
        let (back, damaged) = from_records(records.iter(), "app/");
        assert!(damaged.is_empty(), "{damaged:?}");
        assert_eq!(back.checkpoints.files(), c.checkpoints.files());
        // Tables come back in key order.
        let by_name = |tables: &[Table]| {
            let mut t = tables.to_vec();
            crate::sort::sort_by(&mut t, |a, b| a.name.cmp(&b.name));
            t
        };
        assert_eq!(by_name(&back.tables), by_name(&c.tables));
    }

    #[test]
    fn a_damaged_record_is_left_out_and_named() {
        let mut records = BTreeMap::new();
        records.insert("app/spark/table/t".to_string(), "a\tbigint".to_string());
        records.insert(
            "app/spark/table/t/0000000000".to_string(),
            "not a version".to_string(),
        );
        records.insert(
            "app/spark/checkpoint/cp/metadata".to_string(),
            "{}".to_string(),
        );
        let (back, damaged) = from_records(records.iter(), "app/");
        assert_eq!(damaged, ["app/spark/table/t/0000000000"]);
        assert_eq!(back.tables.len(), 1);
        assert_eq!(back.checkpoints.files().len(), 1);
        // Nothing stored is lost: the damaged record is written back as it was.
        assert_eq!(
            to_records(&back, "app/").get("app/spark/table/t/0000000000"),
            records.get("app/spark/table/t/0000000000")
        );
    }
}
