//! [`Playground::dispatch`]: the one door every front end's action comes in by.
//!
//! Owns routing each [`Action`] to the part of the engine that runs it and shaping its
//! answer into an [`Outcome`]. Must not hold the actions' logic (the engine's parts do) nor
//! notify anyone: each part marks the areas it changed, and the adapter drains them.

use super::action::{Action, GroupAction, Outcome, ReaderAction};
use super::changes::Area;
use super::groups::{GroupActionError, GroupsModel};
use super::reader::ReaderError;
use super::reader::{Reader, SeekTarget};
use super::{Playground, PlaygroundError};

impl Playground {
    /// Runs `action`: what it answers, or why it was refused (with Kafka's error where
    /// Kafka has one). The areas it changed are marked for [`Playground::take_changes`].
    pub fn dispatch(&mut self, action: Action) -> Result<Outcome, PlaygroundError> {
        let said = Outcome::Said;
        match action {
            Action::CreateTopic(form) => self.create_topic(&form).map(said),
            Action::DeleteTopic { topic } => self.delete_topic(&topic).map(said),
            Action::AddPartitions { topic, total } => self.add_partitions(&topic, &total).map(said),
            Action::Produce { topic, form } => {
                let result = self.produce(&topic, &form);
                self.changes.mark(Area::Producer);
                result.map(said)
            }
            Action::SetPartitioner(kind) => {
                self.set_partitioner(kind);
                Ok(Outcome::Done)
            }
            Action::FastForward { ms } => self.fast_forward(ms).map(said),
            Action::Group(action) => self.dispatch_group(action),
            Action::Reader(action) => self.dispatch_reader(action).map(said),
            Action::Terminal(action) => self.dispatch_terminal(action),
            Action::Sample(action) => self.dispatch_sample(action).map(|()| Outcome::Done),
            Action::Notebook(action) => self.dispatch_notebook(action),
            Action::Import {
                topic,
                file_name,
                key_field,
                records,
            } => self.import(&topic, &file_name, &key_field, records),
        }
    }

    fn dispatch_group(&mut self, action: GroupAction) -> Result<Outcome, PlaygroundError> {
        type Run = Box<dyn FnOnce(&mut GroupsModel) -> Result<String, GroupActionError>>;
        let run: Run = match action {
            GroupAction::Load => return self.with_groups(|_| Ok(Outcome::Done)),
            GroupAction::StartConsumer {
                group,
                topic,
                strategy,
                reset,
            } => {
                if topic.is_empty() {
                    return Err(PlaygroundError::NoTopicToRead);
                }
                Box::new(move |g| g.start_consumer(&group, &topic, &strategy, reset))
            }
            GroupAction::Step => Box::new(|g| {
                g.step();
                Ok("Every running consumer polled once.".to_owned())
            }),
            GroupAction::SetRunning(running) => Box::new(move |g| {
                g.set_running(running);
                Ok(if running {
                    "The consumers run, each at its own rate, on every page until you stop them."
                        .to_owned()
                } else {
                    "The consumers stopped: they poll only when you step them.".to_owned()
                })
            }),
            GroupAction::SetPaused { client_id, paused } => {
                Box::new(move |g| g.set_paused(&client_id, paused))
            }
            GroupAction::Crash { client_id } => Box::new(move |g| g.crash(&client_id)),
            GroupAction::Leave { client_id } => Box::new(move |g| g.leave(&client_id)),
            GroupAction::Remove { client_id } => Box::new(move |g| g.remove(&client_id)),
            GroupAction::SetPollRate { client_id, rate } => {
                Box::new(move |g| g.set_poll_rate(&client_id, &rate))
            }
            GroupAction::SetMaxPollRecords { client_id, records } => {
                Box::new(move |g| g.set_max_poll_records(&client_id, &records))
            }
            GroupAction::ResetOffsets {
                group,
                target,
                execute,
            } => Box::new(move |g| g.reset_offsets(&group, target, execute)),
            GroupAction::DeleteGroup { group } => Box::new(move |g| g.delete_group(&group)),
        };
        self.with_groups(|g| Ok(Outcome::Said(run(g)?)))
    }

    /// The standalone reader's actions: it assigns, seeks and polls, never joining a group
    /// nor committing. Created over the shared coordinator at first use.
    fn dispatch_reader(&mut self, action: ReaderAction) -> Result<String, PlaygroundError> {
        if self.reader.is_none() {
            let groups = self.with_groups(|g| Ok(g.groups()))?;
            self.reader = Some(Reader::new(groups));
        }
        self.changes.mark(Area::Reader);
        let Some(reader) = self.reader.as_mut() else {
            return Err(PlaygroundError::GroupsNotLoaded);
        };
        match action {
            ReaderAction::Assign { topic, partitions } => reader.assign(&topic, &partitions),
            ReaderAction::Seek {
                partition,
                kind,
                text,
            } => SeekTarget::parse(&kind, &text).and_then(|target| reader.seek(partition, target)),
            ReaderAction::Poll { max_records } => {
                let max = max_records.trim();
                match max.parse::<usize>().ok().filter(|&n| n >= 1) {
                    Some(records) => reader.poll(records),
                    None => Err(ReaderError::NotAMaxPollRecords(max.to_owned())),
                }
            }
        }
        .map_err(PlaygroundError::from)
    }

    /// The standalone reader, once it was used.
    pub fn reader(&self) -> Option<&Reader> {
        self.reader.as_ref()
    }
}
