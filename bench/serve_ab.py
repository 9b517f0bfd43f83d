#!/usr/bin/env python3
"""Edit-to-served latency of two `pedon serve` binaries, edit by edit in turn, so that a shared,
noisy machine slows both alike: the ratio of each pair is what to quote.

Each binary serves its own copy of the site. For each of EDITS rounds, the page is edited on A's
copy, then on B's (the order alternating each round), each timed from the write to the `reload`
event and to the first GET that returns the new text, GAP seconds after the last.

Usage: serve_ab.py PEDON_A SITE_A PEDON_B SITE_B PAGE [EDITS] [GAP_SECONDS]
  PAGE is the Markdown file to edit, relative to each SITE/content.
"""

import http.client
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


class Server:
    def __init__(self, pedon, site, page):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [pedon, "serve", "--root", site, "--port", str(self.port)],
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log = []
        ready = threading.Event()

        def read_log():
            for line in self.proc.stderr:
                self.log.append(line.rstrip())
                if line.startswith("Serving at"):
                    ready.set()

        threading.Thread(target=read_log, daemon=True).start()
        if not ready.wait(600):
            sys.exit("server did not start:\n" + "\n".join(self.log))
        self.path = os.path.join(site, "content", page)
        self.original = open(self.path, encoding="utf-8").read()
        self.url = "/" + page[: -len(".md")] + ".html"
        events = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        events.request("GET", "/__pedon/events")
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
        self.to_event, self.to_served = [], []

    def fetch(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request("GET", self.url)
        body = c.getresponse().read().decode()
        c.close()
        return body

    def edit(self, i):
        marker = f"Edit number {i} of the latency bench."
        text = self.original.rstrip("\n") + "\n\n" + marker + "\n"
        with self.got:
            seen = len(self.reloads)
        t0 = time.perf_counter()
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(text)
        while marker not in self.fetch():
            if time.perf_counter() - t0 > 30:
                sys.exit(f"edit {i} not served after 30 s:\n" + "\n".join(self.log[-5:]))
        served = time.perf_counter()
        with self.got:
            self.got.wait_for(lambda: len(self.reloads) > seen, timeout=30)
            event_at, data = self.reloads[seen]
        if data != "reload":
            sys.exit(f"edit {i}: event {data!r}")
        self.to_event.append((event_at - t0) * 1000)
        self.to_served.append((served - t0) * 1000)

    def stop(self):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(self.original)
        time.sleep(0.3)
        self.proc.terminate()
        self.proc.wait()


def summary(name, values):
    return (
        f"{name}: median {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f}, "
        f"min {min(values):.1f}, max {max(values):.1f}"
    )


def main():
    pedon_a, site_a, pedon_b, site_b, page = sys.argv[1:6]
    edits = int(sys.argv[6]) if len(sys.argv) > 6 else 20
    gap = float(sys.argv[7]) if len(sys.argv) > 7 else 3.0
    a = Server(pedon_a, site_a, page)
    b = Server(pedon_b, site_b, page)
    try:
        for i in range(edits):
            for server in (a, b) if i % 2 == 0 else (b, a):
                server.edit(i)
                time.sleep(gap)
    finally:
        a.stop()
        b.stop()
    for name, s in (("A", a), ("B", b)):
        print(summary(f"{name} write -> reload event", s.to_event))
        print(summary(f"{name} write -> new HTML served", s.to_served))
        print(f"{name} server log: " + " | ".join([l for l in s.log if l.startswith("Built ")][-2:]))
    ratios = [x / y for x, y in zip(a.to_served, b.to_served)]
    print(
        f"A/B served, pair by pair: median {statistics.median(ratios):.2f}, "
        f"min {min(ratios):.2f}, max {max(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
