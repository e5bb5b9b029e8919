//! Choosing a partition for a record the way Kafka's clients do.
//!
//! Owns murmur2 (the Java client), CRC32 "consistent" (librdkafka) and the sticky choice for
//! null keys. Must not know about topics' storage, the clock or any web API.
