//! Whole-model passes: each takes the model (or the part it completes) and completes it. The lowering runs the
//! first three in order ([`inherit`], [`share`], [`cycles`]); the pipeline runs [`annotate`] once the model is
//! built.

pub mod annotate;
pub mod cycles;
pub mod examples;
pub mod inherit;
pub mod share;
