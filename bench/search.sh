#!/usr/bin/env bash
# Search index at scale: builds the 1,000- and 10,000-page corpora (300–1,200 words a page), prints
# the index's size and file count, then, in headless Chromium against a local static server,
# the bytes a reader downloads in all (page included) and the time from keystroke to results for
# five queries, cold (fresh browser) and warm (a second query, "arsenic remediation", in the same
# page). Times include the search box's 120 ms debounce.
# Usage: bench/search.sh [PAGES...]   (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${PEDON_BENCH_DIR:-/tmp/pedon-bench}
pages=("${@:-1000 10000}")
[ $# -gt 0 ] || pages=(1000 10000)
# The corpus generator is the project's own (bench/corpus.rs), built once beside the binary.
cargo build --release --locked -q --bins --example gen_corpus
gen=$PWD/target/release/examples/gen_corpus
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
mkdir -p "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
queries=("cadmium" "cadmium netherlands agricultural" "aqua regia digestion" "sampl" "bioavailability")

for n in "${pages[@]}"; do
  corpus="$work/search-$n"
  [ -d "$corpus/neutral" ] || "$gen" --out "$corpus" --force --pages "$n" \
    --min-words 300 --max-words 1200 --layouts neutral >/dev/null
  site="$corpus/neutral"
  /usr/bin/time -f '%e %M' -o "$work/time.txt" ./target/release/pedon build --root "$site" >/dev/null 2>&1
  read -r wall kb <"$work/time.txt"
  idx="$site/public/search"
  echo "== $n pages: build ${wall} s, peak $((kb / 1024)) MiB (whole site, index included)"
  printf '   index: %s MiB in %s files; term shards %s KiB in %s files (largest %s KiB); page texts %s MiB\n' \
    "$(du -sm "$idx" | cut -f1)" "$(find "$idx" -type f | wc -l)" \
    "$(( $(du -sb "$idx/i" | cut -f1) / 1024 ))" "$(ls "$idx/i" | wc -l)" \
    "$(( $(ls -S -l "$idx/i" | awk 'NR==2{print $5}') / 1024 ))" "$(du -sm "$idx/p" | cut -f1)"

  page=$(cd "$site/public" && find . -name '*.html' -path './*/*' | sort | sed -n 2p)
  (cd "$site/public" && exec python3 -c '
import http.server, sys, time
class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_GET(self):
        if self.path.startswith("/__hold"):
            time.sleep(4)
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
' "$port" >/dev/null 2>&1) &
  server=$!
  sleep 1
  cp bench/search-harness.js "$site/public/search-harness.js"
  printf '   %-34s %12s %6s %9s %12s %6s %9s\n' query cold_KB files cold_ms warm_KB files warm_ms
  for q in "${queries[@]}"; do
    warm="arsenic remediation"
    dir=$(dirname "$page")
    depth=$(echo "$dir" | tr -cd '/' | wc -c)
    up=$(printf '../%.0s' $(seq "$depth"))
    sed "s#</body>#<script>var QUERY = \"$q\", WARM = \"$warm\";</script><script src=\"${up}search-harness.js\"></script></body>#" \
      "$site/public/$page" >"$site/public/$dir/bench-search.html"
    profile=$(mktemp -d)
    dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
      --dump-dom "http://127.0.0.1:$port/${dir#./}/bench-search.html" 2>/dev/null || true)
    rm -rf "$profile"
    echo "$dom" | python3 -c '
import html, json, re, sys
q = sys.argv[1]
m = re.search(r"<pre id=\"out\">(.*?)</pre>", sys.stdin.read(), re.S)
if not m:
    print("   %-34s no result (timed out)" % q); sys.exit()
d = json.loads(html.unescape(m.group(1)))
c, w = d["cold"], d["warm"]
print("   %-34s %12.1f %6d %9.0f %12.1f %6d %9.0f   (%s; page %.1f KB)" % (q, c["bytes"] / 1000, c["files"], c["ms"],
      w["bytes"] / 1000, w["files"], w["ms"], c["status"], c["page_bytes"] / 1000))
' "$q"
  done
  kill "$server" 2>/dev/null || true
  rm -f "$site/public/search-harness.js"
done
