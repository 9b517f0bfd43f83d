#!/usr/bin/env python3
"""Edit-to-reload latency of `pedon serve`.

Starts the server on a site, opens the reload event stream as a browser page does, then edits one
page EDITS times (an in-place write, as VS Code saves) and measures, for each edit, the time from
the write to (a) the `reload` event on the stream, (b) the end of the GET of the page made on
that event, which must return the new text (as an open page reloads), and (c) the search index
served holding the edit's new word (polled every 20 ms from the reload event, as a reader's query
would fetch the manifest and the word's term shard). Prints the median and 95th percentile of
each, and the server's start: to listening, to the page served (at once when the site's last
`pedon build` can be shown while the preview is built) and to its own first build.

Usage: serve.py PEDON SITE PAGE [EDITS] [GAP_SECONDS]
  PAGE is the Markdown file to edit, relative to SITE/content; its URL is read off the server log.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]



def shard_name(manifest, n):
    """The file name of term shard `n`, as search.js makes it (src/index/shards.rs, `Layout`)."""
    h = 0x811C9DC5
    for b in manifest["shards"][n].encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    name = f"{h:08x}"
    return f"{name}-{n}" if n in manifest.get("clash", []) else name

class Server:
    """`pedon serve` on SITE with the reload stream open, as a browser page has it; `edit(i)`
    times one edit of PAGE to the `reload` event and to the GET made on it, with the new text."""

    def __init__(self, pedon, site, page):
        self.port = free_port()
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [pedon, "serve", "--root", site, "--port", str(self.port)],
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log = []
        self.base = "/"
        ready = threading.Event()

        def read_log():
            for line in self.proc.stderr:
                self.log.append(line.rstrip())
                if line.startswith("Serving at"):
                    # "Serving at http://127.0.0.1:PORT/BASE/ (…)": the site's base path.
                    self.base = "/" + line.split()[2].split("/", 3)[3]
                    ready.set()

        threading.Thread(target=read_log, daemon=True).start()
        if not ready.wait(600):
            sys.exit("server did not start:\n" + "\n".join(self.log))
        self.cold = time.perf_counter() - started
        self.path = os.path.join(site, "content", page)
        self.original = open(self.path, encoding="utf-8").read()
        self.url = self.base + page[: -len(".md")] + ".html"
        # A reader's first look: the page answered (from the last `pedon build`'s folder when
        # the server starts warm), then the preview's own first build done.
        status, _ = self.get(timeout=600)
        if status != 200:
            sys.exit(f"{self.url} answered {status}")
        self.first_page = time.perf_counter() - started
        while not any(l.startswith("Built ") for l in self.log):
            if self.proc.poll() is not None or time.perf_counter() - started > 600:
                sys.exit("the first build did not end:\n" + "\n".join(self.log))
            time.sleep(0.05)
        self.built = time.perf_counter() - started
        events = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        events.request("GET", self.base + "__pedon/events")
        stream = events.getresponse()
        self.reloads = []
        self.got = threading.Condition()

        def read_events():
            for raw in stream:
                line = raw.decode().strip()
                if line.startswith("data:"):
                    with self.got:
                        self.reloads.append((time.perf_counter(), line[5:].strip()))
                        self.got.notify_all()

        threading.Thread(target=read_events, daemon=True).start()
        time.sleep(0.5)
        self.to_event, self.to_served, self.to_indexed = [], [], []
        status, _ = self.get()
        if status != 200:
            sys.exit(f"{self.url} answered {status}")

    def get(self, timeout=10):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request("GET", self.url)
        r = c.getresponse()
        body = r.read().decode()
        c.close()
        return r.status, body

    def fetch(self):
        return self.get()[1]

    def get_path(self, path):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("GET", self.base + path)
        r = c.getresponse()
        body = r.read().decode()
        c.close()
        return r.status, body

    def indexed(self, word):
        """Whether the default language's index holds `word`: its manifest names the first term
        of each shard, and the shard whose range holds the word is fetched, as search.js does."""
        status, manifest = self.get_path("search/index.js")
        if status != 200:
            return False
        data = json.loads(manifest[manifest.index(",") + 1 : manifest.rindex(")")])
        shard = max(n for n, first in enumerate(data["shards"]) if first <= word)
        status, terms = self.get_path(f"search/i/{shard_name(data, shard)}.js")
        return status == 200 and f'"{word}":' in terms

    def edit(self, i):
        # A word of letters only, new in each edit, that no stemming changes.
        word = "pedonbench" + "".join(chr(ord("a") + int(d)) for d in f"{i:03d}") + "x"
        marker = f"Edit number {i} of the latency bench, {word}."
        text = self.original.rstrip("\n") + "\n\n" + marker + "\n"
        with self.got:
            seen = len(self.reloads)
        t0 = time.perf_counter()
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(text)
        # As a browser page does: wait for the reload event, then fetch the page. Polling with
        # GETs instead would take CPU from the rebuild it is waiting for.
        with self.got:
            if not self.got.wait_for(lambda: len(self.reloads) > seen, timeout=30):
                sys.exit(f"edit {i}: no reload event after 30 s:\n" + "\n".join(self.log[-5:]))
            event_at, data = self.reloads[seen]
        if data != "reload":
            sys.exit(f"edit {i}: event {data!r}")
        if marker not in self.fetch():
            sys.exit(f"edit {i}: the page served after the reload event lacks the edit")
        served = time.perf_counter()
        self.to_event.append((event_at - t0) * 1000)
        self.to_served.append((served - t0) * 1000)
        while not self.indexed(word):
            if time.perf_counter() - t0 > 60:
                sys.exit(f"edit {i}: `{word}` not in the search index after 60 s")
            time.sleep(0.02)
        self.to_indexed.append((time.perf_counter() - t0) * 1000)

    def stop(self):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(self.original)
        time.sleep(0.3)
        self.proc.terminate()
        self.proc.wait()


def summary(name, values):
    return (
        f"{name}: median {statistics.median(values):.1f} ms, "
        f"p95 {percentile(values, 95):.1f} ms, min {min(values):.1f}, max {max(values):.1f}"
    )


def main():
    pedon, site, page = sys.argv[1:4]
    edits = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    gap = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
    server = Server(pedon, site, page)
    try:
        for i in range(edits):
            server.edit(i)
            time.sleep(gap)
    finally:
        server.stop()
    print(f"start to listening: {server.cold:.2f} s")
    print(f"start to the page served: {server.first_page:.2f} s")
    print(f"start to the preview's first build: {server.built:.2f} s")
    print(summary("write -> reload event", server.to_event))
    print(summary("write -> new HTML served", server.to_served))
    print(summary("write -> word in the search index", server.to_indexed))
    print("server log: " + " | ".join([l for l in server.log if l.startswith("Built ")][-3:]))
    shown = [l for l in server.log if l.startswith("Showed ")]
    print(f"edits shown before their rebuild: {len(shown)}; " + " | ".join(shown[-3:]))


if __name__ == "__main__":
    main()
