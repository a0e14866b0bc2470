#![doc = include_str!("../../README.md")]
//! (The README above is compiled as a doctest, so its quickstart keeps working against the generated crate.)
