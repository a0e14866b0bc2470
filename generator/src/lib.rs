//! The Microsoft Graph SDK generator.
//!
//! The pipeline ([`pipeline`] drives it; `ARCHITECTURE.md` at the repository root explains it):
//!
//! 1. [`config`] reads `codegen.toml`: which description, which paths, which crate.
//! 2. [`spec`] reads a description: OpenAPI ([`openapi`], through [`yaml`], the only module that knows the YAML
//!    library), or OData CSDL ([`csdl`]) converted to the same OpenAPI document by Microsoft's rules.
//! 3. [`lower`] selects the configured operations and builds the [`model`]: a URL tree (one node per path
//!    segment) and the types the selected operations use, with every Rust name chosen by [`naming`]; then the
//!    whole-model [`passes`] complete it (inheritance, shared inline types, cycles, clouds and permissions).
//! 4. [`emit`] renders the model with `quote!` and formats it with `prettyplease` ([`features`] decides the Cargo
//!    features of a crate split per area).
//! 5. [`sync`] compares those files with what is on disk and writes (or, in check mode, reports) the difference,
//!    without touching anything when any input is wrong.
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
pub mod passes;
pub mod permissions;
pub mod pipeline;
pub mod snippet;
pub mod spec;
pub mod sync;
pub mod yaml;

pub use error::{Error, Result};

/// The generator's version, recorded in every lock file.
pub const GENERATOR_VERSION: &str = concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION"));
