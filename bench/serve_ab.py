#!/usr/bin/env python3
"""Edit-to-served latency of two `pedon serve` binaries, edit by edit in turn, so that a shared,
noisy machine slows both alike: the ratio of each pair is what to quote.

Each binary serves its own copy of the site. For each of EDITS rounds, the page is edited on A's
copy, then on B's (the order alternating each round), each timed from the write to the `reload`
event and to the GET made on that event (which must return the new text), GAP seconds after
the last.

Usage: serve_ab.py PEDON_A SITE_A PEDON_B SITE_B PAGE [EDITS] [GAP_SECONDS]
  PAGE is the Markdown file to edit, relative to each SITE/content.
"""

import os
import statistics
import sys
import time

# The server, the edit and the figures are serve.py's, beside this file.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve import Server, summary  # noqa: E402


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
