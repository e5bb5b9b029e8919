//! Kafka-style member ids (`<client.id>-<uuid>`, static: `<group.instance.id>-<uuid>`) from a
//! seedable source, so a simulation replays identically.
//!
//! Owns the id format and the pseudo-random UUIDs. Must not use OS randomness or the clock: the
//! same seed always yields the same ids.

/// Produces UUID v4-formatted strings from a seeded SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct MemberIdSource {
    state: u64,
}

impl MemberIdSource {
    /// A source whose sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// SplitMix64: tiny, fast and good enough to make ids look random; not for security.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The next UUID, formatted like Java's `UUID.randomUUID().toString()` (version 4, IETF variant).
    pub fn next_uuid(&mut self) -> String {
        let hi = (self.next_u64() & !0xF000) | 0x4000;
        let lo = (self.next_u64() & !(0b11 << 62)) | (0b10 << 62);
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xFFFF,
            hi & 0xFFFF,
            lo >> 48,
            lo & 0xFFFF_FFFF_FFFF
        )
    }

    /// A member id: `<group.instance.id>-<uuid>` for a static member, else `<client.id>-<uuid>`.
    pub fn next_member_id(&mut self, client_id: &str, group_instance_id: Option<&str>) -> String {
        let prefix = group_instance_id.unwrap_or(client_id);
        format!("{prefix}-{}", self.next_uuid())
    }
}

impl Default for MemberIdSource {
    fn default() -> Self {
        Self::new(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids_look_like_kafkas_and_replay_from_the_seed() {
        let mut a = MemberIdSource::new(7);
        let mut b = MemberIdSource::new(7);
        let id = a.next_member_id("console-consumer", None);
        assert_eq!(id, b.next_member_id("console-consumer", None));
        let uuid = id.strip_prefix("console-consumer-").unwrap_or_default();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "4", "version 4");
        assert!("89ab".contains(&uuid[19..20]), "IETF variant");
        assert_ne!(id, a.next_member_id("console-consumer", None));
    }

    #[test]
    fn a_static_member_id_starts_with_the_instance_id() {
        let mut ids = MemberIdSource::new(1);
        assert!(ids
            .next_member_id("c", Some("inst-1"))
            .starts_with("inst-1-"));
    }
}
