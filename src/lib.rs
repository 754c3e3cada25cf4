//! seaworthy: a linter that tells whether a Docker Compose project is fit for production.
#![forbid(unsafe_code)]

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod compose;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod dockerfile;
pub mod duration;
pub mod engine;
pub mod fingerprint;
pub mod fix;
pub mod image_ref;
pub mod knowledge;
pub mod project;
pub mod report;
pub mod rules;
pub mod secret;
pub mod server;
pub mod source;
pub mod suppress;
pub mod yaml;
