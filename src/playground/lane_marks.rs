//! Where consumers stand in a topic's partition lanes: each group's committed offset and each
//! live consumer's position as a mark, and the slot between record cells each mark goes in.
//!
//! Owns the marks' shape, wording and placement. Must not read the broker or the groups (the
//! [`crate::playground::groups::GroupsModel`] gathers the marks) or touch the DOM. Tested natively.

/// What a mark stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    /// The group's committed offset: the next record the group will read after a restart.
    Committed {
        /// The group id.
        group: String,
    },
    /// A live consumer's position: the next record it reads.
    Position {
        /// Its `client.id` (`c1`, ...).
        client_id: String,
        /// Its group.
        group: String,
        /// Its member colour (CSS class `member-N`).
        colour: u8,
    },
    /// A running Spark query of the Streams page: the next offset its next batch reads.
    Query {
        /// `queryName`, or `query N`.
        name: String,
    },
}

/// One mark in one partition's lane.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LaneMark {
    /// The partition.
    pub partition: i32,
    /// The offset it points at (the next record to read).
    pub offset: i64,
    /// Whose mark it is.
    pub kind: MarkKind,
}

impl LaneMark {
    /// The mark's short label, e.g. `g1 committed 40` or `c2 at 37`.
    pub fn label(&self) -> String {
        match &self.kind {
            MarkKind::Committed { group } => format!("{group} committed {}", self.offset),
            MarkKind::Position { client_id, .. } => format!("{client_id} at {}", self.offset),
            MarkKind::Query { name } => format!("{name} at {}", self.offset),
        }
    }

    /// What the mark means, in a sentence (the tooltip).
    pub fn explain(&self) -> String {
        match &self.kind {
            MarkKind::Committed { group } => format!(
                "Group {group} committed offset {} in __consumer_offsets: after a restart it reads from here",
                self.offset
            ),
            MarkKind::Position { client_id, group, .. } => format!(
                "{client_id} (group {group}) reads offset {} next",
                self.offset
            ),
            MarkKind::Query { name } => format!(
                "Spark query {name} committed its batches up to here: its next micro-batch starts at offset {}",
                self.offset
            ),
        }
    }
}

/// Puts each of `partition`'s marks in a slot of a lane whose cells hold `offsets`
/// (ascending, possibly with gaps after compaction): slot `i` is just before cell `i`, slot
/// `offsets.len()` is after the last cell. A mark goes before the first cell at or past its
/// offset; marks behind the first shown cell go in slot 0 (their label says the offset) and
/// marks at or past the end in the last slot. Each slot's marks are sorted.
pub fn place(marks: &[LaneMark], partition: i32, offsets: &[i64]) -> Vec<Vec<LaneMark>> {
    let mut slots = vec![Vec::new(); offsets.len() + 1];
    for mark in marks.iter().filter(|m| m.partition == partition) {
        let slot = offsets.partition_point(|&o| o < mark.offset);
        slots[slot].push(mark.clone());
    }
    for slot in &mut slots {
        crate::sort::sort(slot);
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn committed(partition: i32, offset: i64, group: &str) -> LaneMark {
        LaneMark {
            partition,
            offset,
            kind: MarkKind::Committed {
                group: group.into(),
            },
        }
    }

    fn position(partition: i32, offset: i64, client: &str) -> LaneMark {
        LaneMark {
            partition,
            offset,
            kind: MarkKind::Position {
                client_id: client.into(),
                group: "g1".into(),
                colour: 0,
            },
        }
    }

    #[test]
    fn a_mark_sits_just_before_the_record_it_points_at() {
        let marks = [committed(0, 12, "g1")];
        let slots = place(&marks, 0, &[10, 11, 12, 13]);
        assert_eq!(slots.len(), 5);
        assert_eq!(slots[2], vec![committed(0, 12, "g1")]);
        assert!(slots
            .iter()
            .enumerate()
            .all(|(i, s)| i == 2 || s.is_empty()));
    }

    #[test]
    fn a_mark_at_the_log_end_sits_after_the_last_record() {
        let marks = [position(1, 14, "c1"), committed(1, 99, "g2")];
        let slots = place(&marks, 1, &[10, 11, 12, 13]);
        assert_eq!(
            slots[4],
            vec![position(1, 14, "c1"), committed(1, 99, "g2")]
        );
    }

    #[test]
    fn a_mark_behind_the_shown_records_sits_at_the_lane_start() {
        let slots = place(&[committed(0, 3, "g1")], 0, &[10, 11]);
        assert_eq!(slots[0], vec![committed(0, 3, "g1")]);
        assert_eq!(slots[0][0].label(), "g1 committed 3");
    }

    #[test]
    fn a_mark_on_a_compacted_gap_sits_before_the_next_record_kept() {
        let slots = place(&[position(0, 5, "c2")], 0, &[2, 7, 9]);
        assert_eq!(slots[1], vec![position(0, 5, "c2")]);
    }

    #[test]
    fn marks_of_other_partitions_are_left_out() {
        let slots = place(&[committed(2, 0, "g1")], 0, &[0, 1]);
        assert!(slots.iter().all(Vec::is_empty));
    }

    #[test]
    fn an_empty_lane_has_one_slot_holding_every_mark() {
        let slots = place(&[committed(0, 0, "g1"), position(0, 0, "c1")], 0, &[]);
        assert_eq!(slots.len(), 1);
        assert_eq!(slots[0].len(), 2);
    }

    #[test]
    fn labels_and_tooltips_name_the_group_or_consumer_and_the_offset() {
        assert_eq!(position(0, 37, "c2").label(), "c2 at 37");
        assert_eq!(
            position(0, 37, "c2").explain(),
            "c2 (group g1) reads offset 37 next"
        );
        assert!(committed(0, 40, "g1")
            .explain()
            .starts_with("Group g1 committed offset 40 in __consumer_offsets"));
    }
}
