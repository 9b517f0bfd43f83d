#!/usr/bin/env bash
# Times load + validate + render of the threshold database at scale (issue: 50,000 records).
# usage: bench/thresholds.sh [RECORDS] [RUNS]    prints wall time, peak memory and output size.
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-50000}"; runs="${2:-3}"
work="${TMPDIR:-/tmp}/pedon-bench-data-$records"
cargo build --release --quiet
python3 bench/gen_thresholds.py --records "$records" --out "$work" >/dev/null
for cmd in check build; do
  for i in $(seq "$runs"); do
    rm -rf "$work/public"
    /usr/bin/time -f "%e %M" -o "$work/time.txt" ./target/release/pedon "$cmd" --root "$work" >/dev/null 2>&1
    cat "$work/time.txt"
  done | sort -n | awk -v cmd="$cmd" -v n="$records" '{ t[NR]=$1; m[NR]=$2 } END {
      printf "%-5s %6d records: median %.2f s (min %.2f, max %.2f), peak %.0f MiB\n", cmd, n, t[int((NR+1)/2)], t[1], t[NR], m[int((NR+1)/2)]/1024 }'
done
echo "output: $(du -sm "$work/public" | cut -f1) MiB, explorer page: $(stat -c %s "$work/public/thresholds/index.html") bytes," \
  "its records.js: $(stat -c %s "$work/public/thresholds/records.js") bytes, $(gzip -9c "$work/public/thresholds/records.js" | wc -c) gzipped"
