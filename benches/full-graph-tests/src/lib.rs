//! Tests of the generated full-Graph crate; see `tests/`.
