#!/usr/bin/env python3
"""Edit-to-reload latency of `pedon serve`.

Starts the server on a site, opens the reload event stream as a browser page does, then edits one
page EDITS times (an in-place write, as VS Code saves) and measures, for each edit, the time from
the write to (a) the `reload` event on the stream and (b) the first GET of the page that returns
the new text. Prints the median and 95th percentile of both, and the server's cold start time.

Usage: serve.py PEDON SITE PAGE [EDITS] [GAP_SECONDS]
  PAGE is the Markdown file to edit, relative to SITE/content; its URL is read off the server log.
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


def main():
    pedon, site, page = sys.argv[1:4]
    edits = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    gap = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [pedon, "serve", "--root", site, "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    log = []
    ready = threading.Event()

    def read_log():
        for line in server.stderr:
            log.append(line.rstrip())
            if line.startswith("Serving at"):
                ready.set()

    threading.Thread(target=read_log, daemon=True).start()
    if not ready.wait(600):
        sys.exit("server did not start:\n" + "\n".join(log))
    cold = time.perf_counter() - started

    path = os.path.join(site, "content", page)
    original = open(path, encoding="utf-8").read()
    url = "/" + page[: -len(".md")] + ".html"

    events = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    events.request("GET", "/__pedon/events")
    stream = events.getresponse()
    reloads = []
    got = threading.Condition()

    def read_events():
        for raw in stream:
            line = raw.decode().strip()
            if line.startswith("data:"):
                with got:
                    reloads.append((time.perf_counter(), line[5:].strip()))
                    got.notify_all()

    threading.Thread(target=read_events, daemon=True).start()
    time.sleep(0.5)

    def fetch():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", url)
        r = c.getresponse()
        body = r.read().decode()
        c.close()
        return r.status, body

    status, _ = fetch()
    if status != 200:
        sys.exit(f"{url} answered {status}")

    to_event, to_served = [], []
    try:
        for i in range(edits):
            marker = f"Edit number {i} of the latency bench."
            text = original.rstrip("\n") + "\n\n" + marker + "\n"
            with got:
                seen = len(reloads)
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            served = None
            while served is None:
                _, body = fetch()
                if marker in body:
                    served = time.perf_counter()
                elif time.perf_counter() - t0 > 30:
                    sys.exit(f"edit {i} not served after 30 s:\n" + "\n".join(log[-5:]))
            with got:
                got.wait_for(lambda: len(reloads) > seen, timeout=30)
                event_at, data = reloads[seen]
            if data != "reload":
                sys.exit(f"edit {i}: event {data!r}")
            to_event.append((event_at - t0) * 1000)
            to_served.append((served - t0) * 1000)
            time.sleep(gap)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        time.sleep(0.3)
        server.terminate()
        server.wait()

    rebuilt = [l for l in log if l.startswith("Built ")][-3:]
    print(f"cold start to listening: {cold:.2f} s")
    print(
        f"write -> reload event: median {statistics.median(to_event):.1f} ms, "
        f"p95 {percentile(to_event, 95):.1f} ms, min {min(to_event):.1f}, max {max(to_event):.1f}"
    )
    print(
        f"write -> new HTML served: median {statistics.median(to_served):.1f} ms, "
        f"p95 {percentile(to_served, 95):.1f} ms, min {min(to_served):.1f}, max {max(to_served):.1f}"
    )
    print("server log: " + " | ".join(rebuilt))


if __name__ == "__main__":
    main()
