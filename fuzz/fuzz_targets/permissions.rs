//! Fuzz target: see `msgraph_generator::fuzz::permissions`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| msgraph_generator::fuzz::permissions(data));
