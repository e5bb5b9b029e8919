//! Kafka's shared vocabulary, at the bottom of the layers: what every other module may use and
//! nothing here may import from above (broker, client, console, ui). Today it holds the one
//! calendar every tool prints and parses times with; the engine issue moves `TopicPartition`,
//! `ErrorCode` and `TopicId` here too.

pub mod calendar;
