//! [`Catalog`]: what outlives a Spark session — tables (the course's "Delta" tables: append-only,
//! versioned) and streaming checkpoints — as files on a cluster's disk outlive its shells. The
//! playground keeps one catalog with its topics.
//!
//! Owns the tables' versions and the checkpoint files. Must not run queries.

use std::rc::Rc;

use crate::streams::checkpoint::MemoryCheckpoints;
use crate::streams::types::StructField;
use crate::streams::value::Row;

/// One commit of a table (`DESCRIBE HISTORY` prints them).
#[derive(Debug, Clone, PartialEq)]
pub struct TableVersion {
    /// The version number, from 0.
    pub version: u64,
    /// When it was written (ms since the epoch).
    pub timestamp_ms: i64,
    /// `CREATE TABLE`, `WRITE`, `STREAMING UPDATE`.
    pub operation: String,
    /// Rows this version added (or, when `overwrite`, the table's whole content from now on).
    pub rows: Rc<Vec<Row>>,
    /// Whether this version replaced the table's rows (a complete-mode query's batch), as
    /// Delta's overwrite does.
    pub overwrite: bool,
}

/// An append-only table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The name as created (lookup ignores case).
    pub name: String,
    /// Its columns.
    pub schema: Vec<StructField>,
    /// Its versions, oldest first.
    pub versions: Vec<TableVersion>,
}

impl Table {
    /// Every row of the latest version, in write order.
    pub fn rows(&self) -> Vec<Row> {
        // From the last overwrite on (a complete-mode query's batch replaces the rows).
        let from = self.versions.iter().rposition(|v| v.overwrite).unwrap_or(0);
        self.versions[from..]
            .iter()
            .flat_map(|v| v.rows.iter().cloned())
            .collect()
    }
}

/// Tables and checkpoints.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    /// The tables, in creation order.
    pub tables: Vec<Table>,
    /// The checkpoint files of every query.
    pub checkpoints: MemoryCheckpoints,
    /// Stored records that did not read back (key → text), kept as they are so that nothing
    /// stored is lost: they are written back with the rest.
    pub unreadable: std::collections::BTreeMap<String, String>,
    /// The checkpoints of the queries running now, in any session sharing this catalog (not
    /// stored): a second query over one of them is refused, as Spark refuses it.
    pub running: Vec<(String, Rc<std::cell::Cell<bool>>)>,
}

impl Catalog {
    /// Whether a query over the checkpoint `location` runs now.
    pub fn is_running(&mut self, location: &str) -> bool {
        self.running.retain(|(_, alive)| alive.get());
        self.running.iter().any(|(l, _)| l == location)
    }

    /// Moves on every change (a checkpoint file, a table version): what the playground
    /// compares to know when to store the catalog again.
    pub fn revision(&self) -> u64 {
        let versions: usize = self.tables.iter().map(|t| t.versions.len()).sum();
        self.checkpoints.revision() + self.tables.len() as u64 + versions as u64
    }

    /// The table called `name` (case-insensitive; a `default.` prefix is accepted).
    pub fn table(&self, name: &str) -> Option<&Table> {
        let name = name.strip_prefix("default.").unwrap_or(name);
        self.tables
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// Appends `rows` as a new version of `name`, creating the table with `schema` if needed.
    /// Returns the version written.
    pub fn append(
        &mut self,
        name: &str,
        schema: &[StructField],
        rows: Vec<Row>,
        timestamp_ms: i64,
        operation: &str,
    ) -> u64 {
        self.write(name, schema, rows, timestamp_ms, operation, false)
    }

    /// Writes `rows` as a new version of `name` (creating the table with `schema` if needed):
    /// added to its rows, or replacing them with `overwrite`. Returns the version written.
    pub fn write(
        &mut self,
        name: &str,
        schema: &[StructField],
        rows: Vec<Row>,
        timestamp_ms: i64,
        operation: &str,
        overwrite: bool,
    ) -> u64 {
        let name = name.strip_prefix("default.").unwrap_or(name);
        let index = match self
            .tables
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(name))
        {
            Some(i) => i,
            None => {
                self.tables.push(Table {
                    name: name.to_string(),
                    schema: schema.to_vec(),
                    versions: Vec::new(),
                });
                self.tables.len() - 1
            }
        };
        let table = &mut self.tables[index];
        // After the highest version, not the count: a version that did not read back keeps its
        // number.
        let version = table.versions.last().map_or(0, |v| v.version + 1);
        table.versions.push(TableVersion {
            version,
            timestamp_ms,
            operation: operation.to_string(),
            rows: Rc::new(rows),
            overwrite,
        });
        version
    }
}
