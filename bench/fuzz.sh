#!/usr/bin/env bash
# A long fuzzing session: the property tests of src/fuzz.rs (front matter, YAML, slugs, URLs,
# whole pages with Pedon's extensions) with SCALE times the cases `cargo test` runs, in the test
# profile: slower than release, but with overflow checks and debug assertions, which is what a
# fuzzer should hit.
# Prints each property's executions and time. Usage: bench/fuzz.sh [SCALE]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
PEDON_FUZZ_SCALE=${1:-20} cargo test --locked -q --lib fuzz -- --nocapture --test-threads 2 2>&1 \
  | grep -oE 'fuzz [a-z ]+: [0-9]+ executions in [0-9.]+ s|test result.*|panicked.*|minimal failing.*'
echo "total $(( $(date +%s) - start )) s (including the build)"
