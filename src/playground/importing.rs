//! The import panel's action as the engine runs it: check every parsed record against the
//! topic, produce them all (or none) through the playground's producer, and follow the
//! delivery ticket at each tick, so the timeline says "Imported …" once the store has every
//! record, whether or not the panel is still on screen.
//!
//! Owns that action and the pending imports. Must not parse files (`import_file`, `import`
//! do) nor choose partitions (the producer's partitioner does).

use super::action::Outcome;
use super::deliveries::{DeliveryId, DeliveryState};
use super::import::{check_fits, ImportedRecord, TopicLimits};
use super::{Event, Playground, PlaygroundError};

/// An import produced and waiting for the store: its timeline event once stored.
#[derive(Debug, Clone)]
pub struct PendingImport {
    delivery: DeliveryId,
    imported: Event,
}

impl Playground {
    /// Checks every imported record against the topic, then produces them all (or none). The
    /// timeline says "Imported …" at the tick after the store has them all.
    pub(super) fn import(
        &mut self,
        topic: &str,
        file_name: &str,
        key_field: &str,
        records: Vec<ImportedRecord>,
    ) -> Result<Outcome, PlaygroundError> {
        let limits = self.broker.borrow().topic(topic).map(|t| {
            let log = t.configs.log_config();
            TopicLimits {
                max_message_bytes: log.max_message_bytes,
                compacted: log.cleanup_policy.compacts(),
            }
        });
        let Some(limits) = limits else {
            return Err(PlaygroundError::NoSuchTopic {
                topic: topic.to_owned(),
            });
        };
        check_fits(&records, limits).map_err(PlaygroundError::Import)?;
        let batch = records.into_iter().map(|r| (r.key, r.value)).collect();
        let (n, delivery) = self
            .produce_tracked(topic, batch)
            .map_err(|error| PlaygroundError::NothingProduced(Box::new(error)))?;
        let key_field = key_field.trim();
        let imported = Event::Imported {
            records: n as u64,
            file_name: file_name.to_owned(),
            topic: topic.to_owned(),
            key_field: (!key_field.is_empty()).then(|| key_field.to_owned()),
        };
        let stored = imported.to_string();
        self.imports.push(PendingImport { delivery, imported });
        Ok(Outcome::Storing {
            delivery,
            records: n,
            stored,
        })
    }

    /// Tells the timeline of each import the store now has entirely; forgets one it lost
    /// (the panel, and the failed flush's own line, say so).
    pub(super) fn tick_imports(&mut self) {
        let mut settled = Vec::new();
        let deliveries = &self.deliveries;
        self.imports
            .retain(|pending| match deliveries.state(pending.delivery) {
                Some(DeliveryState::Waiting) => true,
                Some(DeliveryState::Failed(_)) => false,
                // Stored (or forgotten, which only a stored ticket is).
                Some(DeliveryState::Stored) | None => {
                    settled.push(pending.imported.clone());
                    false
                }
            });
        for event in settled {
            self.record(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::action::Action;
    use crate::playground::forms::TopicForm;
    use crate::playground::test_support::persistent_playground;
    use crate::protocol::TopicPartition;

    fn imported_lines(p: &Playground) -> Vec<String> {
        p.timeline()
            .iter()
            .filter(|e| matches!(e, Event::Imported { .. }))
            .map(ToString::to_string)
            .collect()
    }

    fn import(p: &mut Playground) -> Result<Outcome, PlaygroundError> {
        let records = (1..=2)
            .map(|line| ImportedRecord {
                line,
                key: Some(format!("c{line}")),
                value: format!(r#"{{"customer_id":"c{line}"}}"#),
            })
            .collect();
        p.dispatch(Action::Import {
            topic: "orders".into(),
            file_name: "orders.jsonl".into(),
            key_field: " customer_id ".into(),
            records,
        })
    }

    fn orders(p: &mut Playground) {
        let form = TopicForm {
            name: "orders".into(),
            partitions: "1".into(),
            ..TopicForm::default()
        };
        p.create_topic(&form).expect("created");
    }

    #[test]
    fn the_timeline_says_imported_at_the_tick_after_the_store_has_every_record_with_no_panel() {
        let mut p = persistent_playground();
        orders(&mut p);
        let Ok(Outcome::Storing { stored, .. }) = import(&mut p) else {
            panic!("the records wait for the store");
        };
        let said = "Imported 2 record(s) from orders.jsonl into orders, keyed by customer_id.";
        assert_eq!(stored, said);
        p.tick(0);
        assert!(imported_lines(&p).is_empty(), "not stored yet");
        p.acknowledge(&TopicPartition::new("orders", 0), 2);
        p.tick(0);
        assert_eq!(imported_lines(&p), [said]);
        p.tick(0);
        assert_eq!(imported_lines(&p).len(), 1, "told once");
    }

    #[test]
    fn an_import_the_store_lost_is_not_told_as_imported() {
        let mut p = persistent_playground();
        orders(&mut p);
        import(&mut p).expect("produced");
        p.storage_failed(
            crate::protocol::ErrorCode::KafkaStorageError,
            "The browser refused to store more data (quota).".into(),
        );
        p.tick(0);
        assert!(imported_lines(&p).is_empty());
    }

    #[test]
    fn an_import_refused_as_a_whole_keeps_kafkas_error_and_says_nothing_was_produced() {
        let mut p = persistent_playground();
        orders(&mut p);
        p.make_read_only("Another tab owns it.");
        let refused = import(&mut p).expect_err("read-only");
        assert_eq!(
            refused.code(),
            Some(crate::protocol::ErrorCode::NotLeaderOrFollower)
        );
        assert_eq!(
            refused.named(),
            "Nothing was produced: NOT_LEADER_OR_FOLLOWER: Another tab owns it."
        );
    }
}
