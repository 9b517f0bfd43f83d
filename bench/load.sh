#!/usr/bin/env bash
# Load on the preview server: REQUESTS GETs (page, 404, stylesheet) from CONCURRENCY clients on
# 127.0.0.1 beside SLOW clients sending one byte a second, on the bundled site. Prints requests,
# concurrency, errors, throughput and latency p50/p95/p99/max.
# Usage: bench/load.sh [REQUESTS] [CONCURRENCY] [SLOW]   (default 5000 200 20)
# PEDON=target/debug/pedon skips the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PEDON:-}" ]; then
  cargo build --release --locked -q
  PEDON=target/release/pedon
fi
python3 bench/load.py "$PEDON" . "${1:-5000}" "${2:-200}" "${3:-20}"
