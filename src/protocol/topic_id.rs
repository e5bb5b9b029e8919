//! A topic's id, as Kafka prints it: 22 characters of URL-safe base64.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// A Kafka topic id: 16 random bytes, printed as 22 characters of URL-safe base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopicId(pub [u8; 16]);

impl TopicId {
    /// A random id from `rng`, redrawn while its text would start with `-`, as Kafka's
    /// `Uuid.randomUuid` does (such ids are awkward on command lines).
    pub fn random(rng: &mut fastrand::Rng) -> Self {
        loop {
            let bytes = rng.u128(..).to_be_bytes();
            let id = TopicId(bytes);
            if bytes != [0; 16] && !id.to_string().starts_with('-') {
                return id;
            }
        }
    }
}

impl std::fmt::Display for TopicId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(self.0))
    }
}
