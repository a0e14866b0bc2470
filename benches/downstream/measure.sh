#!/usr/bin/env bash
# Compile only what you use, measured. Builds three downstream programs, each from an empty target directory
# (dependencies included, "cold") and again with its dependencies built (only the SDK and the program, "SDK only"):
#   slice     clearPresence (main.rs) against the checked-in slice crate (generated/): the yardstick;
#   presence  the same program against the full-Graph crate (target/full-graph) with `users-presence`;
#   crud      users_crud.rs (list with $select/$filter and paging, get, the manager, patch) with `users-core` and
#             `users-manager`;
#   mail      mail.rs (list messages, send mail) with `users-messages` and `users-send-mail`;
# then `cargo check` of the full-Graph crate with `full` (cold, and SDK only). Prints wall seconds and the peak
# resident memory of the largest process (GNU time's %M). Run it on a quiet machine: the numbers are the machine's.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
cargo run -q --release -p xtask -- codegen --config benches/full-graph.toml >/dev/null
work="$root/target/downstream"
rm -rf "$work"
mkdir -p "$work"
export CARGO_INCREMENTAL=0
full_dep() { # features (a TOML list's inside)
    echo "msgraph-sdk = { package = \"msgraph-sdk-full\", path = \"$root/target/full-graph\", default-features = false, features = [$1] }"
}
make_app() { # name, program, dependency line
    mkdir -p "$work/$1/src"
    cp "benches/downstream/$2" "$work/$1/src/main.rs"
    cat >"$work/$1/Cargo.toml" <<TOML
[package]
name = "downstream-$1"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
$3
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
TOML
    # The same dependency versions as the workspace's tests.
    cp benches/full-graph-tests/Cargo.lock "$work/$1/Cargo.lock" 2>/dev/null || true
}
make_app slice main.rs "msgraph-sdk = { path = \"$root/generated\" }"
make_app presence main.rs "$(full_dep '"users-presence"')"
make_app crud users_crud.rs "$(full_dep '"users-core", "users-manager"')"
make_app mail mail.rs "$(full_dep '"users-messages", "users-send-mail"')"
make_app full main.rs "$(full_dep '"full"')"
timed() { # dir, cargo arguments…
    local dir=$1
    shift
    local out
    out=$( { cd "$dir" && /usr/bin/time -f '%e %M' cargo "$@" -q 2>&1 >/dev/null; } | tail -1 )
    echo "${out% *} $(( ${out#* } / 1024 ))"
}
printf '%-9s %-7s %-22s %9s %9s\n' program cargo build seconds peak-MB
for app in slice presence crud mail full; do
    command=build
    [ "$app" = full ] && command=check
    read -r secs mb < <(timed "$work/$app" "$command")
    printf '%-9s %-7s %-22s %9s %9s\n' "$app" "$command" "cold (with deps)" "$secs" "$mb"
    # The SDK (and its models crate, where it has one) and the program.
    packages=(-p msgraph-sdk-full -p msgraph-sdk-full-models)
    [ "$app" = slice ] && packages=(-p msgraph-sdk)
    (cd "$work/$app" && cargo clean -q "${packages[@]}" -p "downstream-$app")
    read -r secs mb < <(timed "$work/$app" "$command")
    printf '%-9s %-7s %-22s %9s %9s\n' "$app" "$command" "SDK + program only" "$secs" "$mb"
done
