//! Data types and DDL schema strings.
