#!/usr/bin/env bash
# Edit-to-reload latency of `pedon serve` on the 1,000- and 10,000-page corpora (the issue's:
# 1,000 pages of 800–3,000 words, 14 MB; 10,000 pages of 300–1,200 words, 76 MB) and on the
# site-shaped corpus of 10,000 pages (six languages, 50,000 records; bench/site.rs, its first
# English chapter edited; PEDON_SERVE_SITE=0 leaves it out): 20 edits of the
# page the corpus manifest names, GAP seconds apart, each timed from the file write to the `reload`
# event and to the GET made on that event, as an open page reloads. Then the rebuild alone, by stage
# (benches/rebuild.rs). Usage: bench/serve.sh [GAP]   (default 3 s, so the search index, rebuilt
# in the background after each edit, is not still running when the next edit comes; a shorter GAP
# measures edits made while it is). To compare two binaries on a shared machine, edit by edit,
# use bench/serve_ab.py.
set -euo pipefail
cd "$(dirname "$0")/.."
gap=${1:-3}
work=${PEDON_BENCH_DIR:-/tmp/pedon-bench}
# The corpus generator is the project's own (bench/corpus.rs), built once beside the binary.
cargo build --release --locked -q --bins --example gen_corpus
gen=$PWD/target/release/examples/gen_corpus
mkdir -p "$work"
for spec in "1000 corpus-1000 800 3000" "10000 peers-10000 300 1200"; do
  read -r pages name min max <<<"$spec"
  corpus="$work/$name"
  [ -d "$corpus/neutral" ] || "$gen" --out "$corpus" --force --pages "$pages" \
    --min-words "$min" --max-words "$max" --layouts neutral >/dev/null
  page=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["touch_page"]; print(t["section_dir"]+"/"+t["file"])' "$corpus/manifest.json")
  echo "== $pages pages ($(du -sm "$corpus/neutral/content" | cut -f1) MiB of Markdown), editing $page"
  python3 bench/serve.py target/release/pedon "$corpus/neutral" "$page" 20 "$gap"
  PEDON_BENCH_SITE="$corpus/neutral" PEDON_BENCH_PAGE="content/$page" \
    cargo bench --locked -q --bench rebuild 2>/dev/null | sed 's/^/   /'
done
[ "${PEDON_SERVE_SITE:-1}" = 1 ] || exit 0
site=$work/site-10000
[ -d "$site/site" ] || "$gen" --out "$site" --shape site --pages 10000 >/dev/null
page=$(cd "$site/site/content" && find . -name '*.md' ! -name '_index*' ! -name '*.*.md' | sort | head -1)
page=${page#./}
echo "== site-shaped, 10,000 pages in six languages and 50,000 records, editing $page"
cp -p "$site/site/content/$page" "$site/page.md.orig"
trap 'cp -p "$site/page.md.orig" "$site/site/content/$page"' EXIT
python3 bench/serve.py target/release/pedon "$site/site" "$page" 20 "$gap"
