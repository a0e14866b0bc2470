#!/usr/bin/env bash
# Compile-only-what-you-use, measured: `cargo build` of the same downstream program (main.rs, clearPresence) against
#   a) the checked-in slice crate (generated/),
#   b) the full-Graph crate (target/full-graph, from benches/full-graph.toml) with only the `users-presence` feature,
#      and with the whole `users` area,
#   c) the full-Graph crate with every area (`full`).
# Each build starts from an empty target directory (dependencies included) and from one whose dependencies are
# already built (only the SDK and the program compile). Prints wall time and peak memory; needs GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
cargo run -q --release -p xtask -- codegen --config benches/full-graph.toml >/dev/null
work="$root/target/downstream"
rm -rf "$work"
mkdir -p "$work"
make_app() { # name, dependency line
    mkdir -p "$work/$1/src"
    cp benches/downstream/main.rs "$work/$1/src/main.rs"
    cat >"$work/$1/Cargo.toml" <<TOML
[package]
name = "downstream-$1"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
$2
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
TOML
}
make_app slice "msgraph-sdk = { path = \"$root/generated\" }"
make_app presence "msgraph-sdk = { package = \"msgraph-sdk-full\", path = \"$root/target/full-graph\", default-features = false, features = [\"users-presence\"] }"
make_app users "msgraph-sdk = { package = \"msgraph-sdk-full\", path = \"$root/target/full-graph\", default-features = false, features = [\"users\"] }"
make_app full "msgraph-sdk = { package = \"msgraph-sdk-full\", path = \"$root/target/full-graph\", default-features = false, features = [\"full\"] }"
printf '%-8s %-22s %10s %12s\n' crate build seconds peak-MB
for app in slice presence users full; do
    (cd "$work/$app" && cargo generate-lockfile -q 2>/dev/null || true)
    # Cold: nothing built yet.
    out=$( { cd "$work/$app" && /usr/bin/time -f '%e %M' cargo build -q 2>&1 >/dev/null; } | tail -1 )
    printf '%-8s %-22s %10s %12s\n' "$app" "cold (with deps)" "${out% *}" "$(( ${out#* } / 1024 ))"
    # Warm: dependencies built, the SDK and the program rebuilt.
    sdk=msgraph-sdk-full
    [ "$app" = slice ] && sdk=msgraph-sdk
    (cd "$work/$app" && cargo clean -q -p "$sdk" -p "downstream-$app")
    out=$( { cd "$work/$app" && /usr/bin/time -f '%e %M' cargo build -q 2>&1 >/dev/null; } | tail -1 )
    printf '%-8s %-22s %10s %12s\n' "$app" "SDK + program only" "${out% *}" "$(( ${out#* } / 1024 ))"
done
