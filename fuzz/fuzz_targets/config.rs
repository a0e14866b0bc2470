//! Fuzz target: see `msgraph_generator::fuzz::config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| msgraph_generator::fuzz::config(data));
