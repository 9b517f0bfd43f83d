#!/usr/bin/env bash
# Full builds of the issue's corpora by Pedon and, when installed, by Hugo (Debian's `hugo`),
# measured in one run on this machine: wall time, peak memory (GNU time), output size and search
# index size, with Pedon's ratios to Hugo. Then Pedon alone on 1,000 / 10,000 / 50,000 pages of
# 100–400 words, for the scaling curve. Usage: bench/compare.sh [RUNS]   (median of RUNS, default 1)
#
# Every build writes a new folder, as a build in a fresh clone does, and the outputs are only
# removed when the script ends: on ext4 without a journal (as here), creating files within a
# minute of deleting tens of thousands makes the kernel skip each recently freed inode in turn,
# which measures the deletion rather than the build. PEDON_BENCH_OUT chooses where the outputs go
# (default: under PEDON_BENCH_DIR; /dev/shm takes the disk out of the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
work=${PEDON_BENCH_DIR:-/tmp/pedon-bench}
outs=${PEDON_BENCH_OUT:-$work/out}/compare-$$
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
# The corpus generator is the project's own (bench/corpus.rs), built once beside the binary.
cargo build --release --locked -q --bins --example gen_corpus
gen=$PWD/target/release/examples/gen_corpus
pedon=$PWD/target/release/pedon
mkdir -p "$work" "$outs"
trap 'rm -rf "$outs"' EXIT

# Runs "$@" RUNS times, each with OUT replaced by a new folder; prints the median
# "wall_s peak_KiB" and leaves the last folder's path in $last.
last=
measure() {
  local name=$1; shift
  local results=()
  for run in $(seq "$runs"); do
    last="$outs/$name-$run"
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "${@//OUT/$last}" >/dev/null 2>&1
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
    "$gen" --out "$corpus" --force --pages "$pages" --min-words "$min" --max-words "$max" \
      --layouts "$layouts" >/dev/null
  fi
  measure "pedon-$pages" "$pedon" build --root "$corpus/neutral" -o OUT >"$work/m.txt"
  read -r pw pk <"$work/m.txt"
  printf '%-7s %-6s %8s %9s %11s %10s\n' "$pages" pedon "$pw" $((pk / 1024)) \
    "$(mib "$last")" "$(mib "$last/search")"
  if command -v hugo >/dev/null; then
    measure "hugo-$pages" hugo --quiet -s "$corpus/hugo" -d OUT >"$work/m.txt"
    read -r hw hk <"$work/m.txt"
    printf '%-7s %-6s %8s %9s %11s %10s\n' "$pages" hugo "$hw" $((hk / 1024)) \
      "$(mib "$last")" "$(mib "$last/index.json")"
    python3 -c 'import sys; pw,pk,hw,hk=map(float,sys.argv[1:]); print(f"        pedon/hugo: wall {pw/hw:.2f}, peak memory {pk/hk:.2f}")' "$pw" "$pk" "$hw" "$hk"
  fi
done

echo "scaling (Pedon, 100-400 words a page):"
printf '%-7s %8s %9s %11s %12s\n' pages wall_s peak_MiB output_MiB ms_per_page
for pages in 1000 10000 50000; do
  corpus="$work/scale-$pages"
  [ -d "$corpus/neutral" ] || "$gen" --out "$corpus" --force --pages "$pages" \
    --min-words 100 --max-words 400 --layouts neutral >/dev/null
  measure "scale-$pages" "$pedon" build --root "$corpus/neutral" -o OUT >"$work/m.txt"
  read -r w k <"$work/m.txt"
  printf '%-7s %8s %9s %11s %12s\n' "$pages" "$w" $((k / 1024)) "$(mib "$last")" \
    "$(python3 -c "print(f'{$w * 1000 / $pages:.3f}')")"
done
