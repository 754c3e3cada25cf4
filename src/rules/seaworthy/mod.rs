//! Rules about seaworthy's own input: inline suppressions.

pub mod sw001_unused_suppression;
pub mod sw002_invalid_suppression;
