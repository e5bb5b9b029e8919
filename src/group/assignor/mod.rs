//! Kafka's client-side partition assignors: range, roundrobin, sticky, cooperative-sticky.
//!
//! Pure functions from subscriptions and metadata to assignments. Must not know about the
//! coordinator's state, storage or the clock.
