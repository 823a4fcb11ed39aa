//! accord: a static-site generator for England's health-and-justice National
//! Partnership Agreements.
//!
//! The build is a pipeline (see [`pipeline`]): `load` reads content files into
//! raw values, `resolve` checks them against each other and produces the
//! typed [`model`], `render` turns the model into HTML through Tera
//! templates, and `write` puts the files in place atomically. Every problem
//! found on the way is a [`diagnostics::Diagnostic`] naming file and line.

pub mod check;
pub mod config;
pub mod diagnostics;
pub mod init;
pub mod load;
pub mod lock;
pub mod markdown;
pub mod model;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod progress;
pub mod rebuild;
pub mod render;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod suggest;
pub mod write;

/// The version of accord, which the build's summary and the open data name.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use pipeline::{build, build_in_memory, build_with, resolve_site, BuildOptions, BuildReport, Built};
