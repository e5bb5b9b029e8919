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
use crate::streams::types::StructField;
use crate::streams::value::Value;

const CHECKPOINT: &str = "spark/checkpoint/";
const TABLE: &str = "spark/table/";

/// Every record of `catalog`, keys under `prefix`.
pub fn to_records(catalog: &Catalog, prefix: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, text) in catalog.checkpoints.files() {
        out.insert(format!("{prefix}{CHECKPOINT}{path}"), text.clone());
    }
    for table in &catalog.tables {
        // One column a line, `name<TAB>type`: a column's name may be any text (`count(1)`).
        let schema: Vec<String> = table
            .schema
            .iter()
            .map(|f| format!("{}\t{}", f.name, f.data_type.simple_string()))
            .collect();
        out.insert(format!("{prefix}{TABLE}{}", table.name), schema.join("\n"));
        for v in &table.versions {
            let mut bytes = Vec::new();
            for row in v.rows.iter() {
                encode(&Value::Struct(Rc::from(row.clone())), &mut bytes);
            }
            let rows = base64::engine::general_purpose::STANDARD.encode(bytes);
            out.insert(
                format!("{prefix}{TABLE}{}/{:010}", table.name, v.version),
                format!("{}\n{}\n{}", v.timestamp_ms, v.operation, rows),
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
    for (key, text) in records {
        let Some(rest) = key.strip_prefix(prefix) else {
            continue;
        };
        if let Some(path) = rest.strip_prefix(CHECKPOINT) {
            catalog.checkpoints.write(path, text.clone());
        } else if let Some(name) = rest.strip_prefix(TABLE) {
            match name.rsplit_once('/') {
                Some((table, version)) => match version.parse::<u64>() {
                    Ok(v) => versions.push((table.to_string(), v, key, text)),
                    Err(_) => damaged.push(key.clone()),
                },
                None => match parse_schema(text) {
                    Some(schema) => catalog.tables.push(Table {
                        name: name.to_string(),
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
    let mut lines = text.splitn(3, '\n');
    let timestamp_ms = lines.next()?.parse().ok()?;
    let operation = lines.next()?.to_string();
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::types::DataType;

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
        let records = to_records(&c, "app/");
        let (back, damaged) = from_records(records.iter(), "app/");
        assert!(damaged.is_empty());
        assert_eq!(back.checkpoints.files(), c.checkpoints.files());
        assert_eq!(back.tables, c.tables);
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
    }
}
