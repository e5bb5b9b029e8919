//! The Streams page as the engine runs it: the notebook's Spark session over the playground's
//! broker, groups and catalog; its actions; its queries' triggers at each tick; a sample's
//! topics; the late event; and where its queries stand in a topic's lanes.
//!
//! Owns turning the page's actions into notebook and producer calls, and marking what they
//! changed. Must not interpret PySpark (the shell does) nor hold the cells (the notebook does).

use std::rc::Rc;

use crate::broker::ProducerRecord;
use crate::streams::kafka::reader::{offsets_of, read_ranges, OffsetRange, ReadOutcome};
use crate::streams::query::progress::iso_millis;
use crate::streams::session::SparkSession;
use crate::streams::shell::PySparkShell;

use super::super::action::{NotebookAction, Outcome};
use super::super::changes::Area;
use super::super::forms::TopicForm;
use super::super::lane_marks::{LaneMark, MarkKind};
use super::super::notebook::{samples, Notebook, NotebookError, QueryCard};
use super::super::PlaygroundError;
use super::Playground;

impl Playground {
    /// The Streams page's notebook.
    pub fn notebook(&self) -> &Notebook {
        &self.notebook
    }

    /// A new Spark session for the notebook, sharing the playground's broker, groups and
    /// catalog (tables and checkpoints, kept with the topics).
    fn new_kernel(&mut self) -> Result<PySparkShell, PlaygroundError> {
        let groups = self.shared_groups()?;
        // Each session draws its own query ids (and so its own temporary checkpoints).
        let seed = self.seed
            ^ 0x5ca1_ab1e
            ^ self
                .notebook
                .next_session_number()
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let session =
            SparkSession::new(Rc::clone(&self.broker), groups, self.spark_catalog(), seed);
        Ok(PySparkShell::for_notebook(session))
    }

    /// A session for the next run when none is attached.
    fn kernel_if_needed(&mut self) -> Result<Option<PySparkShell>, PlaygroundError> {
        if self.notebook.has_kernel() {
            Ok(None)
        } else {
            self.new_kernel().map(Some)
        }
    }

    /// Runs a Streams page action. Running cells, stepping a query, loading a sample and the
    /// late event can write (a sink, a table, a topic) and are refused once the tab is
    /// read-only; editing and stopping are not.
    pub(in crate::playground) fn dispatch_notebook(
        &mut self,
        action: NotebookAction,
    ) -> Result<Outcome, PlaygroundError> {
        let mut said = None;
        // Typing changes only the cells; what runs changes the queries (their cards and the
        // lanes' marks) too.
        let mut area = Area::Streams;
        match action {
            NotebookAction::Restore { cells } => {
                self.notebook.restore(cells);
                area = Area::NotebookCells;
            }
            NotebookAction::AddCell { after, kind } => {
                self.notebook.add(after, kind, String::new());
                area = Area::NotebookCells;
            }
            NotebookAction::Edit { cell, source } => {
                self.notebook.edit(cell, source);
                area = Area::NotebookCells;
            }
            NotebookAction::SetKind { cell, kind } => {
                self.notebook.set_kind(cell, kind);
                area = Area::NotebookCells;
            }
            NotebookAction::RemoveCell { cell } => {
                self.notebook.remove(cell);
                area = Area::NotebookCells;
            }
            NotebookAction::Run { cell } => {
                self.ensure_writable()?;
                let fresh = self.kernel_if_needed()?;
                self.notebook.run(cell, fresh);
            }
            NotebookAction::RunAll => {
                self.ensure_writable()?;
                let ids: Vec<u64> = self.notebook.cells().iter().map(|c| c.id).collect();
                for id in ids {
                    let fresh = self.kernel_if_needed()?;
                    if !self.notebook.run(id, fresh) {
                        break;
                    }
                }
            }
            NotebookAction::Restart => {
                let stopped = self.notebook.restart();
                said = Some(format!(
                    "Session restarted: {stopped} running quer{} stopped. The next run starts a new Spark session; tables and checkpoints stay.",
                    if stopped == 1 { "y" } else { "ies" }
                ));
            }
            NotebookAction::LoadSample { id } => {
                self.ensure_writable()?;
                said = Some(self.load_sample(&id)?);
            }
            NotebookAction::Step { query } => {
                self.ensure_writable()?;
                said = Some(self.step_query(query)?);
            }
            NotebookAction::Stop { query } => self.notebook.stop(query),
            NotebookAction::SendLateEvent { query } => {
                self.ensure_writable()?;
                said = Some(self.send_late_event(query)?);
            }
        }
        self.changes.mark(Area::NotebookCells);
        if area == Area::Streams {
            self.changes.mark(Area::Streams);
            // A sink wrote to a topic, a table grew, a group committed: each shows elsewhere.
            self.absorb_changes();
        }
        Ok(said.map_or(Outcome::Done, Outcome::Said))
    }

    /// Runs one trigger of query `handle` now (the card's Step button) and says what it did.
    fn step_query(&mut self, handle: usize) -> Result<String, PlaygroundError> {
        let active = self
            .notebook
            .kernel()
            .and_then(|k| k.session().query(handle))
            .map(|q| q.active)
            .ok_or(NotebookError::QueryGone)?;
        if !active {
            return Err(NotebookError::QueryStopped.into());
        }
        let step = self.notebook.step(handle);
        let failed = self
            .notebook
            .kernel()
            .and_then(|k| k.session().query(handle))
            .and_then(|q| q.exception.clone());
        Ok(if let Some(why) = failed {
            format!("The query failed: {why}")
        } else if step.waiting_for_storage {
            "The batch waits for records still loading from storage: step again in a moment."
                .to_owned()
        } else if step.waiting_for_store {
            "The batch ran; it commits once the store has its Kafka sink's records.".to_owned()
        } else if step.ran {
            "One micro-batch ran.".to_owned()
        } else {
            "No batch ran: no new records, and the watermark did not move.".to_owned()
        })
    }

    /// Runs the notebook's queries whose triggers are due (called by [`Playground::tick`]).
    pub(in crate::playground) fn tick_notebook(&mut self) {
        if !self.notebook.has_active_queries() {
            return;
        }
        if self.notebook.poll() {
            self.changes.mark(Area::Streams);
            self.absorb_changes();
        }
    }

    /// Loads sample `id`: creates each of its topics that is missing, fills each that is
    /// empty, then replaces the cells. Returns what it set up.
    fn load_sample(&mut self, id: &str) -> Result<String, PlaygroundError> {
        let sample = samples::sample(id).ok_or_else(|| NotebookError::UnknownSample {
            id: id.to_owned(),
            choices: samples::SAMPLES
                .iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
        let mut done = Vec::new();
        for topic in sample.topics {
            let exists = self.broker.borrow().topic(topic.name).is_some();
            if !exists {
                self.create_topic(&TopicForm {
                    name: topic.name.to_owned(),
                    partitions: topic.partitions.to_string(),
                    ..TopicForm::default()
                })?;
                done.push(format!("created topic {}", topic.name));
            }
            let records = (topic.records)();
            // The topic as it is (a learner's may have more partitions than the sample's).
            let partitions = self
                .broker
                .borrow()
                .topic(topic.name)
                .map_or(0, |t| t.partition_count());
            let empty = (0..partitions).all(|p| self.log_end(topic.name, p) == 0);
            if !records.is_empty() && empty {
                let n = self.produce_batch(topic.name, records)?;
                done.push(format!("produced {n} records to {}", topic.name));
            }
        }
        self.notebook.load(sample);
        let setup = if done.is_empty() {
            "its topics were already there, with data".to_owned()
        } else {
            done.join(", ")
        };
        let notice = format!(
            "Loaded \"{}\": {setup}. A new Spark session starts at the first run; the previous session's queries stopped (their checkpoints and tables stay).",
            sample.title
        );
        self.notebook.set_notice(notice.clone());
        Ok(notice)
    }

    /// Sends query `handle`'s source topic's oldest record again, as it was (key, value,
    /// headers, timestamp) to its partition: to a watermarked query, an event older than the
    /// watermark, which its next batch drops as late.
    fn send_late_event(&mut self, handle: usize) -> Result<String, PlaygroundError> {
        let (positions, has_watermark, active, watermark) = {
            let query = self
                .notebook
                .kernel()
                .and_then(|k| k.session().query(handle))
                .ok_or(NotebookError::QueryGone)?;
            (
                query.source_positions(),
                query.has_watermark(),
                query.active,
                query.watermark_ms(),
            )
        };
        if !active {
            return Err(NotebookError::QueryStopped.into());
        }
        if !has_watermark {
            return Err(NotebookError::NoWatermark.into());
        }
        let Some((topic, partition, _)) = positions.first().cloned() else {
            return Err(NotebookError::NoBatchYet.into());
        };
        let groups = self.shared_groups()?;
        let start = offsets_of(&self.broker, &[(topic.clone(), partition)], true)
            .get(&topic, partition)
            .unwrap_or(0);
        let range = OffsetRange {
            topic: topic.clone(),
            partition,
            from: start,
            until: start + 1,
        };
        let oldest = match read_ranges(&self.broker, &groups, &[range], false) {
            Ok(ReadOutcome::Done(records)) => records.into_iter().next(),
            Ok(ReadOutcome::Waiting) => return Err(NotebookError::StillLoading.into()),
            Err(e) => return Err(NotebookError::Source(e).into()),
        };
        let Some(oldest) = oldest else {
            return Err(NotebookError::NothingToResend.into());
        };
        let record = ProducerRecord {
            partition: Some(partition),
            key: oldest.key.clone(),
            value: oldest.value.clone(),
            headers: oldest.headers.clone(),
            timestamp: Some(oldest.timestamp),
        };
        // The copy's offset: the partition's end before the send.
        let copy_at = self.log_end(&topic, partition);
        self.produce_record(&topic, record)?;
        let next = positions
            .iter()
            .find(|(t, p, _)| *t == topic && *p == partition)
            .map_or(0, |(_, _, offset)| *offset);
        let when = match copy_at - next {
            0 => "The query's next batch reads it".to_owned(),
            ahead => format!(
                "The query reads it after the {ahead} record(s) still ahead of it in {topic}-{partition}"
            ),
        };
        let value = oldest
            .value
            .as_ref()
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .unwrap_or_else(|| "null".to_owned());
        let watermark = watermark.map_or_else(String::new, |ms| {
            format!(" The watermark is {}.", iso_millis(ms))
        });
        Ok(format!(
            "Sent offset {} of {topic}-{partition} again as offset {copy_at}: {value}. It is the partition's oldest event.{watermark} {when}; if the watermark has passed its event time by then, that batch drops it and counts it in numRowsDroppedByWatermark.",
            oldest.offset
        ))
    }

    /// The cards of the notebook's queries, newest first, each saying which of its topics do
    /// not exist.
    pub fn notebook_query_cards(&self) -> Vec<QueryCard> {
        let mut cards = self.notebook.query_cards();
        for card in &mut cards {
            self.note_missing_topics(card);
        }
        cards
    }

    fn note_missing_topics(&self, card: &mut QueryCard) {
        let broker = self.broker.borrow();
        card.missing_topics = card
            .subscribed
            .iter()
            .filter(|t| broker.topic(t).is_none())
            .cloned()
            .collect();
    }

    /// The cards of the queries the terminal's interactive `pyspark` shells started, each
    /// with the terminal tab it runs in (they print there; the page only shows them).
    pub fn terminal_query_cards(&self) -> Vec<(u32, QueryCard)> {
        let Some(terminal) = self.terminal() else {
            return Vec::new();
        };
        terminal
            .sessions()
            .iter()
            .filter_map(|s| s.spark_session().map(|spark| (s.id(), spark)))
            .flat_map(|(tab, spark)| {
                spark
                    .queries()
                    .iter()
                    .enumerate()
                    .map(move |(handle, q)| (tab, QueryCard::of(handle, q, &[])))
            })
            .map(|(tab, mut card)| {
                self.note_missing_topics(&mut card);
                (tab, card)
            })
            .collect()
    }

    /// Where the running queries (the notebook's and the terminal's `pyspark` shells') stand
    /// in `topic`'s partitions: the next offset each reads, as marks for the topic's lanes.
    pub fn query_marks(&self, topic: &str) -> Vec<LaneMark> {
        let notebook = self.notebook.kernel().map(PySparkShell::session);
        let terminals = self
            .terminal()
            .into_iter()
            .flat_map(|t| t.sessions().iter().filter_map(|s| s.spark_session()));
        notebook
            .into_iter()
            .chain(terminals)
            .flat_map(|spark| spark.queries().iter().enumerate())
            .filter(|(_, q)| q.active)
            .flat_map(|(handle, q)| {
                let name = q
                    .spec
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("query {}", handle + 1));
                q.source_positions()
                    .into_iter()
                    .filter(|(t, _, _)| t == topic)
                    .map(move |(_, partition, offset)| LaneMark {
                        partition,
                        offset,
                        kind: MarkKind::Query { name: name.clone() },
                    })
            })
            .collect()
    }
}
