#!/usr/bin/env bash
# Installs what the tests need (when missing) and runs every test. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if need apt-get; then
    [ -n "${PEDON_APT_UPDATED:-}" ] || { apt-get update -qq && export PEDON_APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "please install: $*" >&2; exit 2
  fi
}

# Two tiers, one command. `cargo test` alone needs only the Rust toolchain: the browser and
# deployment tests skip, each printing why, where their tools are missing. Here every tool is
# installed (when missing) and required, so the full run cannot pass by skipping.
export PEDON_REQUIRE_TOOLS=1

# The browser tests serve the built site with Python's static server, a plain static host.
need python3 || apt_install python3
# The browser tests drive the Debian Chromium headless (never a browser a test tool downloads),
# some of them through Debian's chromedriver, installed together so their versions match.
{ need chromium && need chromedriver; } || apt_install chromium chromium-driver
# The sub-path deployment test serves the built site with a real nginx on 127.0.0.1.
need nginx || [ -x /usr/sbin/nginx ] || apt_install nginx-light || apt_install nginx
# The Nu Html Checker (vnu.jar, from npm below) runs on Debian's Java runtime.
need java || apt_install default-jre-headless
# A standard link checker crawls the nginx-served site, fragments included.
need linkchecker || apt_install linkchecker
# From npm, by the lock file, once: axe-core (injected into pages by the accessibility test),
# vnu-jar (the Nu Html Checker) and Lighthouse (run by Node on Debian's Chromium, CHROME_PATH).
# --ignore-scripts: vnu-jar's install script would download a Java runtime of its own.
harness=tests/harness/node_modules
if [ ! -f $harness/axe-core/axe.min.js ] || [ ! -f $harness/vnu-jar/build/dist/vnu.jar ] \
  || [ ! -f $harness/lighthouse/cli/index.js ]; then
  need npm || apt_install nodejs npm
  npm ci --prefix tests/harness --ignore-scripts --no-audit --no-fund >/dev/null
fi
export PEDON_CHROMIUM="${PEDON_CHROMIUM:-$(command -v chromium)}"
export PEDON_CHROMEDRIVER="${PEDON_CHROMEDRIVER:-$(command -v chromedriver)}"

cargo test --locked --all-targets --no-fail-fast
cargo test --locked --doc
