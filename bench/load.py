#!/usr/bin/env python3
"""Load on `pedon serve` over loopback: REQUESTS GETs from CONCURRENCY client threads (each its own
connection per request), optionally beside SLOW clients that send one byte a second. Prints
requests, concurrency, errors, throughput and latency percentiles.

Usage: load.py PEDON SITE [REQUESTS] [CONCURRENCY] [SLOW]
"""
import socket, subprocess, sys, threading, time

def main():
    pedon, site = sys.argv[1], sys.argv[2]
    total = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    conc = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    slow = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    proc = subprocess.Popen([pedon, "serve", "--root", site, "--port", "0"],
                            stderr=subprocess.PIPE, text=True)
    port, base = None, "/"
    deadline = time.time() + 120
    while time.time() < deadline:
        line = proc.stderr.readline()
        if line.startswith("Serving at http://"):
            rest = line.split("http://", 1)[1].split()[0]
            host, _, path = rest.partition("/")
            port, base = int(host.rsplit(":", 1)[1]), "/" + path
            break
    if port is None:
        proc.kill(); sys.exit("the server did not start")
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()

    paths = [base, base + "404-not-here.html", base + "style.css"]
    stop = threading.Event()
    def trickle():
        try:
            s = socket.create_connection(("127.0.0.1", port))
            for b in b"GET / HTTP/1.1\r\nHost: x\r\n":
                if stop.is_set(): break
                s.send(bytes([b])); time.sleep(1)
        except OSError:
            pass
    for _ in range(slow):
        threading.Thread(target=trickle, daemon=True).start()

    lat, errors, lock = [], [0], threading.Lock()
    counter = iter(range(total))
    def worker():
        while True:
            with lock:
                i = next(counter, None)
            if i is None: return
            req = f"GET {paths[i % len(paths)]} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
            t = time.perf_counter()
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=30)
                s.sendall(req)
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
                s.close()
                ok = data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.1 404")
            except OSError:
                ok = False
            took = time.perf_counter() - t
            with lock:
                lat.append(took)
                if not ok: errors[0] += 1
    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conc)]
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.perf_counter() - start
    stop.set(); proc.kill(); proc.wait()
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p / 100))] * 1000
    print(f"requests {len(lat)}  concurrency {conc}  slow clients {slow}  errors {errors[0]}")
    print(f"wall {wall:.2f} s  throughput {len(lat) / wall:.0f} req/s")
    print(f"latency ms: p50 {pct(50):.1f}  p95 {pct(95):.1f}  p99 {pct(99):.1f}  max {lat[-1] * 1000:.1f}")

main()
