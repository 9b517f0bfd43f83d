#!/usr/bin/env bash
# Generates the 1,000- and 10,000-page benchmark corpora and prints Pedon's build time and peak
# memory for each (median of RUNS runs, GNU time). Usage: bench/build.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
gen=../shared/bench/gen_corpus.py
work=${PEDON_BENCH_DIR:-/tmp/pedon-bench}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --locked -q
mkdir -p "$work"
printf '%-8s %10s %12s %10s\n' pages wall_s peak_MiB output_MiB
for pages in 1000 10000; do
  corpus="$work/corpus-$pages"
  [ -d "$corpus/neutral" ] || python3 "$gen" --out "$corpus" --force --pages "$pages" --layouts neutral >/dev/null
  results=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" ./target/release/pedon build --root "$corpus/neutral" 2>/dev/null
    results+=("$(cat "$work/time.txt")")
  done
  median=$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  wall=${median% *}; kb=${median#* }
  out=$(du -sm --apparent-size "$corpus/neutral/public" | cut -f1)
  printf '%-8s %10s %12s %10s\n' "$pages" "$wall" "$(( kb / 1024 ))" "$out"
done
