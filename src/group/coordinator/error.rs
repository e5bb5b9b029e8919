//! Everything the group coordinator can refuse, with written messages and Kafka's error names.
//!
//! Owns the error enum only. Must not decide when an error applies: the coordinator does.

use thiserror::Error;

use crate::group::assignor::AssignorError;
use crate::protocol::ErrorCode;

/// Why a group request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GroupError {
    /// A dynamic member's first join: Kafka hands out an id and asks it to join again with it.
    #[error("member id required: join group \"{group}\" again with member id \"{member_id}\"")]
    MemberIdRequired {
        /// The group joined.
        group: String,
        /// The id the member must use from now on.
        member_id: String,
    },
    /// The member id is not (or no longer) part of the group.
    #[error("member \"{member_id}\" is not a member of group \"{group}\"; it was removed or never joined, so it must join again")]
    UnknownMemberId {
        /// The group.
        group: String,
        /// The member id given.
        member_id: String,
    },
    /// The request carries another generation than the group's current one.
    #[error("generation {given} is not the current generation {current} of group \"{group}\"; the member must rejoin")]
    IllegalGeneration {
        /// The group.
        group: String,
        /// The generation the request carried.
        given: i32,
        /// The group's generation.
        current: i32,
    },
    /// The group is rebalancing; the member must rejoin.
    #[error("group \"{group}\" is rebalancing; rejoin the group to take part")]
    RebalanceInProgress {
        /// The group.
        group: String,
    },
    /// Another member now holds this `group.instance.id`.
    #[error("group.instance.id \"{instance_id}\" now belongs to member \"{current_member_id}\"; member \"{member_id}\" is fenced")]
    FencedInstanceId {
        /// The static instance id.
        instance_id: String,
        /// The (old) member id that was fenced.
        member_id: String,
        /// The member id that holds the instance id now.
        current_member_id: String,
    },
    /// `session.timeout.ms` outside the broker's bounds.
    #[error("session.timeout.ms {given} is outside the broker's range [{min}, {max}] (group.min.session.timeout.ms, group.max.session.timeout.ms)")]
    InvalidSessionTimeout {
        /// The value given.
        given: i64,
        /// `group.min.session.timeout.ms`.
        min: i64,
        /// `group.max.session.timeout.ms`.
        max: i64,
    },
    /// None of the member's assignors is supported by every current member.
    #[error(
        "none of the assignors {protocols:?} is supported by every member of group \"{group}\""
    )]
    InconsistentGroupProtocol {
        /// The group.
        group: String,
        /// The assignors the member offered.
        protocols: Vec<String>,
    },
    /// The member named an assignor Brooklet does not have (the Java client fails at startup).
    #[error("unknown partition.assignment.strategy \"{0}\"; use range, roundrobin, sticky or cooperative-sticky")]
    UnknownAssignor(String),
    /// A request was malformed (empty group id, empty subscription list of assignors, ...).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The assignor failed while computing the assignment for the leader.
    #[error("the assignor could not compute an assignment: {0}")]
    Assignment(#[from] AssignorError),
    /// The group is Dead (being removed).
    #[error("group \"{group}\" is being removed; retry against a new group")]
    CoordinatorNotAvailable {
        /// The group.
        group: String,
    },
    /// Deleting a group that still has members.
    #[error("the group \"{group}\" is not empty (state {state}); stop its consumers first")]
    NonEmptyGroup {
        /// The group.
        group: String,
        /// Its state.
        state: String,
    },
    /// The group does not exist.
    #[error("the group id \"{group}\" does not exist")]
    GroupIdNotFound {
        /// The group.
        group: String,
    },
}

impl GroupError {
    /// Kafka's error for this refusal.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::MemberIdRequired { .. } => ErrorCode::MemberIdRequired,
            Self::UnknownMemberId { .. } => ErrorCode::UnknownMemberId,
            Self::IllegalGeneration { .. } => ErrorCode::IllegalGeneration,
            Self::RebalanceInProgress { .. } => ErrorCode::RebalanceInProgress,
            Self::FencedInstanceId { .. } => ErrorCode::FencedInstanceId,
            Self::InvalidSessionTimeout { .. } => ErrorCode::InvalidSessionTimeout,
            Self::InconsistentGroupProtocol { .. } => ErrorCode::InconsistentGroupProtocol,
            Self::UnknownAssignor(_) => ErrorCode::InvalidConfig,
            Self::InvalidRequest(_) | Self::Assignment(_) => ErrorCode::InvalidRequest,
            Self::CoordinatorNotAvailable { .. } => ErrorCode::CoordinatorNotAvailable,
            Self::NonEmptyGroup { .. } => ErrorCode::NonEmptyGroup,
            Self::GroupIdNotFound { .. } => ErrorCode::GroupIdNotFound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_names_its_kafka_code() {
        let e = GroupError::RebalanceInProgress { group: "g1".into() };
        assert_eq!(e.code().name(), "REBALANCE_IN_PROGRESS");
        assert!(e.to_string().contains("g1"));
        let e = GroupError::InvalidSessionTimeout {
            given: 10,
            min: 6000,
            max: 1_800_000,
        };
        assert_eq!(e.code().name(), "INVALID_SESSION_TIMEOUT");
    }
}
