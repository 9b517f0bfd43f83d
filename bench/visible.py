#!/usr/bin/env python3
"""Save-to-visible latency of `pedon serve` in a real browser.

Starts the server on SITE, opens PAGE's URL in headless Chromium (Debian's, through its
chromedriver), then edits PAGE's Markdown EDITS times. For each edit it measures the time from the
file write to (a) the change painted: the frame after the preview swapped the changed part in place (its
`pedon-updated` mark), or, when the page reloaded, the new page's first paint (Chromium's own
`first-contentful-paint` entry), both on the machine's clock, so the browser's polling does not count
and (b) the new HTML served (a GET made right after the write, repeated until it has the edit).
Prints median and 95th percentile of each.

Usage: visible.py PEDON SITE PAGE [EDITS] [GAP_SECONDS]
  PAGE is the Markdown file to edit, relative to SITE/content (e.g. manual/04-heavy-metals.md).
Needs chromium and chromedriver (bash scripts/test.sh installs them).
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

# The same helpers as the edit-to-served bench, beside this file.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve import free_port, percentile  # noqa: E402


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())["value"]


class Browser:
    def __init__(self):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="pedon-visible-")
        self.driver = subprocess.Popen([shutil.which("chromedriver") or "chromedriver",
                                        f"--port={self.port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", f"--user-data-dir={self.profile}"]}}}}
        self.session = call(self.base, "POST", "/session", caps)["sessionId"]

    def run(self, script):
        return call(self.base, "POST", f"/session/{self.session}/execute/sync",
                    {"script": script, "args": []})

    def goto(self, url):
        call(self.base, "POST", f"/session/{self.session}/url", {"url": url})

    def quit(self):
        try:
            call(self.base, "DELETE", f"/session/{self.session}")
        finally:
            self.driver.terminate()
            shutil.rmtree(self.profile, ignore_errors=True)


def main():
    pedon, site, page = sys.argv[1:4]
    edits = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    gap = float(sys.argv[5]) if len(sys.argv) > 5 else 2.0
    port = free_port()
    proc = subprocess.Popen([pedon, "serve", "--root", site, "--port", str(port)],
                            stderr=subprocess.PIPE, text=True)
    ready = threading.Event()
    base_url = []

    def read_log():
        for line in proc.stderr:
            if line.startswith("Serving at"):
                base_url.append(line.split()[2])
                ready.set()

    threading.Thread(target=read_log, daemon=True).start()
    if not ready.wait(600):
        sys.exit("server did not start")
    url = base_url[0] + page[: -len(".md")] + ".html"
    path = os.path.join(site, "content", page)
    original = open(path, encoding="utf-8").read()
    browser = Browser()
    visible, served, started = [], [], []
    in_place = 0
    try:
        browser.goto(url)
        for _ in range(400):
            if browser.run("return document.documentElement.hasAttribute('data-pedon-live');"):
                break
            time.sleep(0.05)
        for i in range(edits):
            marker = f"Edit number {i} of the visible bench."
            t0 = time.time() * 1000
            with open(path, "w", encoding="utf-8") as f:
                f.write(original.rstrip("\n") + "\n\n" + marker + "\n")
            # Served: the first GET after the write that has the edit.
            while marker not in urllib.request.urlopen(url, timeout=30).read().decode():
                time.sleep(0.005)
            served.append(time.time() * 1000 - t0)
            # Visible: the reloaded page's own first paint, once it shows the edit.
            painted = None
            deadline = time.time() + 30
            while painted is None and time.time() < deadline:
                time.sleep(0.02)
                # Updated in place: the preview's mark, set in the frame after the swap. Else
                # reloaded: the new document's own first paint.
                painted = browser.run(
                    "if (!document.body || !document.body.innerText.includes(%s)) return null;"
                    "var u = performance.getEntriesByName('pedon-updated');"
                    "var mark = u.length && u.length > (window.__benchMarks || 0) ? u[u.length - 1] : null;"
                    "window.__benchMarks = u.length;"
                    "if (mark) return [null, performance.timeOrigin + mark.startTime];"
                    "var p = performance.getEntriesByName('first-contentful-paint')[0];"
                    "var n = performance.getEntriesByType('navigation')[0];"
                    "return [performance.timeOrigin, performance.timeOrigin + (p ? p.startTime : n.domContentLoadedEventEnd)];"
                    % json.dumps(marker))
            if painted is None:
                sys.exit(f"edit {i}: the page never showed the edit")
            if painted[0] is None:
                in_place += 1
            else:
                started.append(painted[0] - t0)
            visible.append(painted[1] - t0)
            time.sleep(gap)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        browser.quit()
        time.sleep(0.3)
        proc.terminate()
        proc.wait()

    def summary(name, values):
        return (f"{name}: median {statistics.median(values):.1f} ms, "
                f"p95 {percentile(values, 95):.1f} ms, min {min(values):.1f}, max {max(values):.1f}")

    print(f"{site} {page}, {edits} edits")
    print(summary("save -> new HTML served", served))
    print(f"updated in place: {in_place} of {edits} edits (the others reloaded)")
    if started:
        print(summary("save -> reload started in Chromium", started))
    print(summary("save -> change painted in Chromium", visible))


if __name__ == "__main__":
    main()
