#!/usr/bin/env bash
# The figures of issue 23 in one run, with public tools only (GNU time for wall time and peak
# memory, the project's own corpus generator):
#
#   1. Pedon against Hugo (Debian's `hugo`) and, where installed, Zola on the standard 10,000-page
#      corpus (300-1,200 words a page, one language): runs in turn (Pedon, Hugo, Zola, Pedon, …),
#      each into a new, empty folder, as users rebuild; median wall time and peak memory of each,
#      and Pedon's ratio to each, of the medians.
#   2. Pedon on the site-shaped corpus of the same 10,000 pages (six languages, translations,
#      SOPs, events, 50,000 threshold records): wall time per page built against the one-language
#      corpus's.
#   3. Pedon's peak memory at 10,000 / 50,000 / 100,000 pages (100-400 words a page, one language).
#   4. The build cache on the site-shaped corpus, all into one folder as `pedon build` is run
#      again: a cold build (no cache), warm builds with nothing changed, and builds after a
#      paragraph added to one English chapter (another each run), each as a share of the cold
#      build; and that the last output equals a `--no-cache` build's (diff -r).
#
# Usage: bench/site.sh [RUNS]   (default 3; the memory curve runs once per size; PEDON_SITE_RUNS
# sets part 2's and part 4's runs apart, their builds being the longest)
# PEDON_BENCH_DIR (default /tmp/pedon-bench) holds the corpora, kept between runs;
# PEDON_BENCH_OUT (default /dev/shm) where the builds write, each build's folder removed after it:
# memory, so the disk is not in the figures, nor ext4's slow reuse of inodes freed a moment before;
# PEDON_BENCH_SIZES overrides the sizes of part 3 ("10000 50000 100000"); PEDON_BENCH_PARTS the
# parts to run ("1 2 3"; part 2's ratio needs part 1); PEDON_BIN another pedon binary (the
# previous version's, to compare).
#
# The machine this runs on is often shared: quote medians, and the spread (min-max) printed
# beside them says how noisy the run was.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
site_runs=${PEDON_SITE_RUNS:-$runs}
work=${PEDON_BENCH_DIR:-/tmp/pedon-bench}
outs=${PEDON_BENCH_OUT:-/dev/shm}/pedon-site-$$
sizes=${PEDON_BENCH_SIZES:-10000 50000 100000}
parts=" ${PEDON_BENCH_PARTS:-1 2 3 4} "
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --locked -q --bins --example gen_corpus
gen=$PWD/target/release/examples/gen_corpus
pedon=${PEDON_BIN:-$PWD/target/release/pedon}
mkdir -p "$work" "$outs"
trap 'rm -rf "$outs"' EXIT

# run NAME CMD... : one run of CMD with OUT replaced by a new folder; appends "wall_s peak_KiB"
# to $outs/NAME.times and leaves the folder's path in $last. A failed build stops the script.
last=
run() {
  local name=$1; shift
  last="$outs/$name-$(date +%s%N)"
  if ! /usr/bin/time -f '%e %M' -o "$outs/time.txt" "${@//OUT/$last}" >"$outs/$name.log" 2>&1; then
    echo "$name failed:" >&2; tail -20 "$outs/$name.log" >&2; exit 1
  fi
  cat "$outs/time.txt" >>"$outs/$name.times"
}

# stats NAME : "median_wall min_wall max_wall median_peak_MiB" of NAME's runs.
stats() {
  python3 - "$outs/$1.times" <<'EOF'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
w = [r[0] for r in rows]; m = [r[1] / 1024 for r in rows]
print(f"{statistics.median(w):.2f} {min(w):.2f} {max(w):.2f} {statistics.median(m):.0f}")
EOF
}

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

# Files under a folder, and the pages Pedon says it built ("Built N pages").
files() { find "$1" -type f | wc -l; }
built_pages() { sed -n 's/^Built \([0-9]*\) pages.*/\1/p' "$outs/$1.log"; }

declare -A wall peak
if [[ $parts == *" 1 "* ]]; then
echo "== 1. standard corpus, 10,000 pages of 300-1,200 words, one language; $runs runs each, in turn"
corpus=$work/peers-10000
layouts=neutral
tools=(pedon)
if command -v hugo >/dev/null; then layouts+=,hugo; tools+=(hugo); fi
if command -v zola >/dev/null; then layouts+=,zola; tools+=(zola); fi
want=$(tr , ' ' <<<"$layouts")
for l in $want; do
  [ -d "$corpus/$l" ] || { rm -rf "$corpus"; break; }
done
[ -d "$corpus" ] || "$gen" --out "$corpus" --pages 10000 --min-words 300 --max-words 1200 \
  --layouts "$layouts" >/dev/null
for _ in $(seq "$runs"); do
  for tool in "${tools[@]}"; do
    case $tool in
      pedon) run pedon-10k "$pedon" build --root "$corpus/neutral" -o OUT ;;
      hugo) run hugo-10k hugo --quiet -s "$corpus/hugo" -d OUT ;;
      zola) run zola-10k zola --root "$corpus/zola" build -o OUT ;;
    esac
    rm -rf "$last"
  done
done
printf '%-6s %9s %15s %9s\n' tool wall_s "(min-max)" peak_MiB
for tool in "${tools[@]}"; do
  read -r w lo hi m <<<"$(stats "$tool-10k")"
  wall[$tool]=$w; peak[$tool]=$m
  printf '%-6s %9s %15s %9s\n' "$tool" "$w" "($lo-$hi)" "$m"
done
for tool in "${tools[@]:1}"; do
  echo "pedon/$tool (ratio of medians): wall $(ratio "${wall[pedon]}" "${wall[$tool]}"), peak memory $(ratio "${peak[pedon]}" "${peak[$tool]}")"
done
[ -z "$(command -v hugo)" ] && echo "hugo: not installed"
[ -z "$(command -v zola)" ] && echo "zola: not installed"
echo
fi

if [[ $parts == *" 2 "* ]]; then
echo "== 2. site-shaped corpus: the same 10,000 pages in six languages, 50,000 records; $site_runs runs"
site=$work/site-10000
[ -d "$site/site" ] || "$gen" --out "$site" --shape site --pages 10000 >/dev/null
for _ in $(seq "$site_runs"); do
  run site-10k "$pedon" build --root "$site/site" -o OUT
  output_files=$(files "$last")
  rm -rf "$last"
done
read -r sw slo shi sm <<<"$(stats site-10k)"
site_pages=$(built_pages site-10k)
per_site=$(python3 -c "print(f'{$sw * 1000 / $site_pages:.3f}')")
printf '%-12s %7s %9s %15s %9s %7s %12s\n' corpus pages wall_s "(min-max)" peak_MiB files ms_per_page
if [ -n "${wall[pedon]:-}" ]; then
  one_pages=$(built_pages pedon-10k)
  per_one=$(python3 -c "print(f'{${wall[pedon]} * 1000 / $one_pages:.3f}')")
  printf '%-12s %7s %9s %15s %9s %7s %12s\n' one-language "$one_pages" "${wall[pedon]}" "" "${peak[pedon]}" "" "$per_one"
fi
printf '%-12s %7s %9s %15s %9s %7s %12s\n' site-shaped "$site_pages" "$sw" "($slo-$shi)" "$sm" "$output_files" "$per_site"
[ -n "${wall[pedon]:-}" ] && echo "time per page, site-shaped / one-language: $(ratio "$per_site" "$per_one")"
grep -E '^Built' "$outs/site-10k.log" | tail -1
echo
fi

if [[ $parts == *" 3 "* ]]; then
echo "== 3. peak memory by size (100-400 words a page, one language; one run each)"
printf '%-7s %9s %9s %7s\n' pages wall_s peak_MiB files
for pages in $sizes; do
  corpus=$work/scale-$pages
  [ -d "$corpus/neutral" ] || "$gen" --out "$corpus" --force --pages "$pages" \
    --min-words 100 --max-words 400 --layouts neutral >/dev/null
  run "scale-$pages" "$pedon" build --root "$corpus/neutral" -o OUT
  read -r w _ _ m <<<"$(stats "scale-$pages")"
  printf '%-7s %9s %9s %7s\n' "$pages" "$w" "$m" "$(files "$last")"
  rm -rf "$last"
done
echo
fi

[[ $parts == *" 4 "* ]] || exit 0
echo "== 4. build cache, site-shaped corpus of 10,000 pages, into one folder; $site_runs runs each"
site=$work/site-10000
[ -d "$site/site" ] || "$gen" --out "$site" --shape site --pages 10000 >/dev/null
root=$site/site
rm -rf "$root/.pedon"
warm=$outs/site-warm
# run_into NAME CMD... : `run` into the one folder `warm` (not a new one each time).
run_into() {
  local name=$1; shift
  if ! /usr/bin/time -f '%e %M' -o "$outs/time.txt" "$@" >"$outs/$name.log" 2>&1; then
    echo "$name failed:" >&2; tail -20 "$outs/$name.log" >&2; exit 1
  fi
  cat "$outs/time.txt" >>"$outs/$name.times"
}
run_into cold "$pedon" build --root "$root" -o "$warm"
for _ in $(seq "$site_runs"); do run_into warm "$pedon" build --root "$root" -o "$warm"; done
# The chapters edited, in English (no language in the name), restored at the end.
mapfile -t chapters < <(cd "$root" && find content -name '*.md' ! -name '_index*' ! -name '*.*.md' | sort | head -"$site_runs")
backup=$outs/chapters
for i in "${!chapters[@]}"; do
  mkdir -p "$backup/$(dirname "${chapters[$i]}")"
  cp -p "$root/${chapters[$i]}" "$backup/${chapters[$i]}"
done
restore() { for c in "${chapters[@]}"; do cp -p "$backup/$c" "$root/$c"; done; }
trap 'restore; rm -rf "$outs"' EXIT
for i in "${!chapters[@]}"; do
  printf '\nA paragraph added for the benchmark, run %s.\n' "$i" >>"$root/${chapters[$i]}"
  run_into edit "$pedon" build --root "$root" -o "$warm"
done
"$pedon" build --no-cache --root "$root" -o "$outs/site-clean" >/dev/null 2>&1
if diff -rq "$warm" "$outs/site-clean" >/dev/null; then same="identical"; else same="DIFFERENT"; fi
rm -rf "$outs/site-clean"
read -r cw _ _ cm <<<"$(stats cold)"
printf '%-22s %9s %15s %9s %9s\n' build wall_s "(min-max)" peak_MiB of_cold
printf '%-22s %9s %15s %9s %9s\n' "cold (no cache yet)" "$cw" "" "$cm" 1.00
for name in warm edit; do
  read -r w lo hi m <<<"$(stats $name)"
  label=$([ $name = warm ] && echo "warm, nothing changed" || echo "warm, one chapter edited")
  printf '%-22s %9s %15s %9s %9s\n' "$label" "$w" "($lo-$hi)" "$m" "$(ratio "$w" "$cw")"
done
grep -E '^Built' "$outs/edit.log" | tail -1
echo "last output against a --no-cache build of the same sources (diff -r): $same"
