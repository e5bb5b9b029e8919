//! Spark's catalog in the playground: one [`Catalog`] (tables and streaming checkpoints) for
//! every `pyspark` of the tab's terminals, kept in the store with the topics so that a table
//! and a query's checkpoint survive a reload — a query started again over its
//! `checkpointLocation` goes on exactly where it was, as Spark's does after a restart.
//!
//! Owns when the catalog is stored again (its revision moved). Must not run queries (the
//! terminal's shells do) nor touch the store (the flush loop takes the records).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::Playground;
use crate::storage::format::APP_KEY_PREFIX;
use crate::streams::session::stored::{from_records, to_records};
use crate::streams::session::Catalog;

/// The shared catalog and the revision last handed to the store.
#[derive(Debug, Default)]
pub struct SparkCatalog {
    catalog: Rc<RefCell<Catalog>>,
    stored_revision: u64,
}

impl Playground {
    /// The catalog every terminal's `pyspark` shares.
    pub fn spark_catalog(&self) -> Rc<RefCell<Catalog>> {
        Rc::clone(&self.spark.catalog)
    }

    /// Rebuilds the catalog from the store's application records at open. Returns the keys
    /// of records that did not read (left out; the rest opens).
    pub fn restore_spark(&mut self, records: &BTreeMap<String, String>) -> Vec<String> {
        let (catalog, damaged) = from_records(records.iter(), APP_KEY_PREFIX);
        *self.spark.catalog.borrow_mut() = catalog;
        self.spark.stored_revision = self.spark.catalog.borrow().revision();
        damaged
    }

    /// The catalog's records when it changed since the store last took them (the flush loop
    /// hands them to the persister), else `None`.
    pub fn take_spark_records(&mut self) -> Option<BTreeMap<String, String>> {
        let catalog = self.spark.catalog.borrow();
        let revision = catalog.revision();
        if revision == self.spark.stored_revision {
            return None;
        }
        let records = to_records(&catalog, APP_KEY_PREFIX);
        drop(catalog);
        self.spark.stored_revision = revision;
        Some(records)
    }

    /// Whether the catalog changed since the store last took it.
    pub fn spark_changed(&self) -> bool {
        self.spark.catalog.borrow().revision() != self.spark.stored_revision
    }
}
