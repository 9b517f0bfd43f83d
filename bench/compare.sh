#!/usr/bin/env bash
# Full builds of the issue's corpora by Pedon and, when installed, by Hugo (Debian's `hugo`),
# measured in one run on this machine: wall time, peak memory (GNU time), output size and search
# index size, with Pedon's ratios to Hugo. Then Pedon alone on 1,000 / 10,000 / 50,000 pages of
# 100–400 words, for the scaling curve. Output folders are removed before each build, as a clean
# CI build would have them. Usage: bench/compare.sh [RUNS]   (median of RUNS, default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
gen=../shared/bench/gen_corpus.py
work=${PEDON_BENCH_DIR:-/tmp/pedon-bench}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --locked -q
pedon=$PWD/target/release/pedon
mkdir -p "$work"

# Runs "$@" RUNS times from a clean OUT; prints the median "wall_s peak_KiB".
measure() {
  local out=$1; shift
  local results=()
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>&1
    results+=("$(cat "$work/time.txt")")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

mib() { du -sm --apparent-size "$1" | cut -f1; }

printf '%-7s %-6s %8s %9s %11s %10s\n' pages tool wall_s peak_MiB output_MiB index_MiB
for spec in "1000 corpus-1000 800 3000" "10000 peers-10000 300 1200"; do
  read -r pages name min max <<<"$spec"
  corpus="$work/$name"
  layouts=neutral
  command -v hugo >/dev/null && layouts=neutral,hugo
  if [ ! -d "$corpus/neutral" ] || { command -v hugo >/dev/null && [ ! -d "$corpus/hugo" ]; }; then
    python3 "$gen" --out "$corpus" --force --pages "$pages" --min-words "$min" --max-words "$max" \
      --layouts "$layouts" >/dev/null
  fi
  read -r pw pk <<<"$(measure "$corpus/neutral/public" "$pedon" build --root "$corpus/neutral")"
  printf '%-7s %-6s %8s %9s %11s %10s\n' "$pages" pedon "$pw" $((pk / 1024)) \
    "$(mib "$corpus/neutral/public")" "$(mib "$corpus/neutral/public/search")"
  if command -v hugo >/dev/null; then
    read -r hw hk <<<"$(measure "$work/hugo-out" hugo --quiet -s "$corpus/hugo" -d "$work/hugo-out")"
    printf '%-7s %-6s %8s %9s %11s %10s\n' "$pages" hugo "$hw" $((hk / 1024)) \
      "$(mib "$work/hugo-out")" "$(mib "$work/hugo-out/index.json")"
    python3 -c 'import sys; pw,pk,hw,hk=map(float,sys.argv[1:]); print(f"        pedon/hugo: wall {pw/hw:.2f}, peak memory {pk/hk:.2f}")' "$pw" "$pk" "$hw" "$hk"
  fi
done

echo "scaling (Pedon, 100-400 words a page):"
printf '%-7s %8s %9s %11s %12s\n' pages wall_s peak_MiB output_MiB ms_per_page
for pages in 1000 10000 50000; do
  corpus="$work/scale-$pages"
  [ -d "$corpus/neutral" ] || python3 "$gen" --out "$corpus" --force --pages "$pages" \
    --min-words 100 --max-words 400 --layouts neutral >/dev/null
  read -r w k <<<"$(measure "$corpus/neutral/public" "$pedon" build --root "$corpus/neutral")"
  printf '%-7s %8s %9s %11s %12s\n' "$pages" "$w" $((k / 1024)) "$(mib "$corpus/neutral/public")" \
    "$(python3 -c "print(f'{$w * 1000 / $pages:.3f}')")"
done
