//! The Microsoft Graph SDK generator.
//!
//! The pipeline has one layer per module, each feeding the next:
//!
//! 1. [`config`] reads `codegen.toml`: which description, which paths, which crate.
//! 2. [`openapi`] parses an OpenAPI 3.0 description into typed structs ([`yaml`] is the only module that knows the
//!    YAML library).
//! 3. [`lower`] selects the configured paths and builds the [`model`]: a URL tree (one node per path segment) and
//!    the types the selected operations use, with every Rust name already chosen by [`naming`].
//! 4. [`emit`] turns the model into tokens with `quote!`, formats them with `prettyplease` and returns the files.
//! 5. [`workspace`] compares those files with what is on disk and writes (or, in check mode, reports) the
//!    difference, without touching anything when any input is wrong.
//!
//! No input may make it hang or abort: [`limits`] bounds what an input may ask (nesting, inheritance chains) before
//! the parsers and passes that would otherwise go as deep as it does, and [`fuzz`] holds the fuzz targets' bodies.
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod config;
pub mod csdl;
pub mod emit;
pub mod error;
pub mod features;
pub mod fuzz;
pub mod glob;
pub mod limits;
pub mod lower;
pub mod model;
pub mod naming;
pub mod openapi;
pub mod permissions;
pub mod spec;
pub mod workspace;
pub mod yaml;

pub use error::{Error, Result};

/// The generator's version, recorded in every lock file.
pub const GENERATOR_VERSION: &str = concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION"));
