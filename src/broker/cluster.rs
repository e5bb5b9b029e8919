//! The brokers of the simulated cluster and where partition replicas go.
//!
//! Owns broker ids, their liveness and replica placement. One process plays every broker (a
//! deliberate difference from Kafka, said in the README); failover itself comes later, but the
//! data model already carries replicas, leaders and ISRs. Must not hold partition data.

/// One broker of the cluster, as `kafka-broker-api-versions.sh` or the UI would list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerNode {
    /// `node.id` / `broker.id`.
    pub id: i32,
    /// The advertised host (always local: every broker lives in this tab).
    pub host: String,
    /// The advertised port, as a real quickstart would show it.
    pub port: i32,
    /// False once the broker is stopped (for failover lessons).
    pub alive: bool,
}

/// The brokers, in id order, and which one is the controller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    brokers: Vec<BrokerNode>,
}

impl Default for Cluster {
    /// One broker with id 1, as Kafka's KRaft quickstart (`node.id=1`).
    fn default() -> Self {
        Self::with_broker_ids(&[1])
    }
}

impl Cluster {
    /// A cluster of live brokers with these ids (duplicates are dropped, order by id).
    pub fn with_broker_ids(ids: &[i32]) -> Self {
        let mut ids = ids.to_vec();
        crate::sort::sort(&mut ids);
        ids.dedup();
        let brokers = ids
            .into_iter()
            .enumerate()
            .map(|(i, id)| BrokerNode {
                id,
                host: "localhost".to_owned(),
                port: 9092 + i32::try_from(i).unwrap_or(0),
                alive: true,
            })
            .collect();
        Self { brokers }
    }

    /// Every broker, in id order.
    pub fn brokers(&self) -> &[BrokerNode] {
        &self.brokers
    }

    /// How many brokers are registered (alive or not), as replication-factor checks count them.
    pub fn broker_count(&self) -> i32 {
        i32::try_from(self.brokers.len()).unwrap_or(i32::MAX)
    }

    /// How many brokers are up.
    pub fn alive_count(&self) -> usize {
        self.brokers.iter().filter(|b| b.alive).count()
    }

    /// The active controller: the lowest live broker id (one process plays the KRaft quorum).
    pub fn controller_id(&self) -> Option<i32> {
        self.brokers.iter().find(|b| b.alive).map(|b| b.id)
    }

    /// Replicas for partition `partition` of a new topic with `replication_factor` copies:
    /// striped across brokers so leaders (the first replica) spread evenly, as Kafka's
    /// placement aims to. The caller has checked `replication_factor <= broker_count()`.
    pub fn place_replicas(&self, partition: i32, replication_factor: i32) -> Vec<i32> {
        let n = self.brokers.len();
        if n == 0 {
            return Vec::new();
        }
        let start = usize::try_from(partition).unwrap_or(0) % n;
        let copies = usize::try_from(replication_factor).unwrap_or(0).min(n);
        (0..copies)
            .map(|j| self.brokers[(start + j) % n].id)
            .collect()
    }

    /// True when the broker with `id` exists and is up.
    pub fn is_alive(&self, id: i32) -> bool {
        self.brokers.iter().any(|b| b.id == id && b.alive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cluster_is_one_broker_with_id_1_as_in_the_quickstart() {
        let cluster = Cluster::default();
        assert_eq!(cluster.broker_count(), 1);
        assert_eq!(cluster.controller_id(), Some(1));
        assert_eq!(cluster.place_replicas(0, 1), vec![1]);
    }

    #[test]
    fn replicas_are_striped_so_leaders_spread_across_brokers() {
        let cluster = Cluster::with_broker_ids(&[1, 2, 3]);
        assert_eq!(cluster.place_replicas(0, 2), vec![1, 2]);
        assert_eq!(cluster.place_replicas(1, 2), vec![2, 3]);
        assert_eq!(cluster.place_replicas(2, 2), vec![3, 1]);
    }
}
