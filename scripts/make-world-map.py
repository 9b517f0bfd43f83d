#!/usr/bin/env python3
"""Convert Natural Earth 1:110m country outlines into the compact path set of the coverage map.

Run once, by hand, when the outlines should change; the output is committed and the site's build
never needs npm, Python or the network:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    pip install pycountry          # ISO 3166-1 numeric -> alpha-3
    python3 scripts/make-world-map.py package/countries-110m.json > src/render/world-110m.txt

Source: Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as TopoJSON in the npm package
`world-atlas` 2.0.2 by Mike Bostock (ISC licence for the packaging; the data stays public domain).

What it does, and why:
- Equal Earth projection (an equal-area world projection, so no country looks bigger than it is),
  scaled to a 1000-unit-wide view box; Antarctica left out (no jurisdiction there, and it would
  take a fifth of the height).
- Each shared border (TopoJSON arc) is simplified once (Douglas-Peucker, tolerance TOLERANCE
  units), so neighbours still meet exactly.
- Islands smaller than MIN_AREA square units are dropped, except a country's largest part.
- Coordinates are integers, written relative (`l` deltas) to keep the text small: the file is
  inlined into every contaminant page.

Output: `#` comment lines, then `viewbox<TAB>W H`, then one line per country:
`ALPHA3<TAB>d`, where `d` is an SVG path. Outlines without an ISO code (N. Cyprus, Somaliland,
Kosovo) are written under `---` and drawn as land without data.
"""

import json
import math
import sys

import pycountry

WIDTH = 1000.0
TOLERANCE = 0.9
MIN_AREA = 6.0

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, -y


def decode_arcs(topo):
    """Each arc as (longitude, latitude) points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def split_at_antimeridian(ring):
    """Rings that cross 180 degrees (Russia's Chukotka, Fiji) as one ring on each side.

    The longitudes are unwrapped into one continuous run, then the ring is clipped against
    lon <= 180 and lon >= 180 (Sutherland-Hodgman on one edge), the second part shifted back.
    """
    if all(abs(a[0] - b[0]) < 180 for a, b in zip(ring, ring[1:])):
        return [ring]
    out = [ring[0]]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while prev - lon > 180:
            lon += 360
        out.append((lon, lat))
    edge = 180.0 if max(p[0] for p in out) > 180 else -180.0
    parts = []
    for keep_left in (True, False):
        inside = (lambda p: p[0] <= edge) if keep_left else (lambda p: p[0] >= edge)
        clipped = []
        for a, b in zip(out, out[1:] + out[:1]):
            if inside(a):
                clipped.append(a)
            if inside(a) != inside(b):
                t = (edge - a[0]) / (b[0] - a[0])
                clipped.append((edge, a[1] + t * (b[1] - a[1])))
        if len(clipped) >= 3:
            shift = 0 if (keep_left == (edge == 180.0)) else (-360 if edge == 180.0 else 360)
            parts.append([(lon + shift, lat) for lon, lat in clipped])
    return parts


def dp(points, tol, key=lambda p: p):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = key(points[a]), key(points[b])
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = key(points[i])
            if norm == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs(dy * (px - ax) - dx * (py - ay)) / norm
            if d > best:
                best, at = d, i
        if best > tol:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep) if k]


def ring_points(ring, arcs):
    out = []
    for i in ring:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def area(pts):
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]))) / 2


def main():
    topo = json.load(open(sys.argv[1]))
    arcs = decode_arcs(topo)
    geoms = [g for g in topo["objects"]["countries"]["geometries"] if g.get("id") != "010"]
    # Simplify each arc once, judged in the projection, so neighbours keep one border.
    scale = WIDTH / (2 * equal_earth(180, 0)[0])
    arcs = [
        dp([(equal_earth(*p), p) for p in arc], TOLERANCE / scale, key=lambda q: q[0])
        for arc in arcs
    ]
    arcs = [[p for _, p in arc] for arc in arcs]
    countries = []
    for g in geoms:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        parts = []
        for poly in polys:
            rings = [ring_points(r, arcs) for r in poly]
            for i, outer in enumerate(split_at_antimeridian(rings[0])):
                holes = [h for r in rings[1:] for h in split_at_antimeridian(r)] if i == 0 else []
                parts.append([outer] + holes)
        countries.append((g, [[[equal_earth(*p) for p in r] for r in part] for part in parts]))
    xs = [x for _, parts in countries for part in parts for r in part for x, _ in r]
    ys = [y for _, parts in countries for part in parts for r in part for _, y in r]
    x0, y0 = min(xs), min(ys)
    k = WIDTH / (max(xs) - x0)
    height = math.ceil((max(ys) - y0) * k)

    lines, unnamed = [], []
    for g, parts in countries:
        parts = [[[((x - x0) * k, (y - y0) * k) for x, y in r] for r in part] for part in parts]
        areas = [area(part[0]) for part in parts]
        biggest = max(areas)
        d = []
        for a, rings in zip(areas, parts):
            if a < MIN_AREA and a != biggest:
                continue
            for j, ring in enumerate(rings):
                pts = [(round(x), round(y)) for x, y in ring]
                dedup = [pts[0]]
                for p in pts[1:]:
                    if p != dedup[-1]:
                        dedup.append(p)
                if len(dedup) > 1 and dedup[-1] == dedup[0]:
                    dedup.pop()
                if len(dedup) < 3 and not (a == biggest and j == 0):
                    continue
                d.append(path(dedup))
        if g.get("id") is None:
            unnamed.append("".join(d))
            continue
        country = pycountry.countries.get(numeric=g["id"])
        if country is None:
            sys.exit(f"no ISO 3166-1 code for {g['id']} {g['properties']['name']}")
        lines.append((country.alpha_3, "".join(d)))

    print(__doc__.split("\n\n")[3].replace("\n", "\n# ").join(["# ", ""]))
    print("# Generated by scripts/make-world-map.py; edit that script, not this file.")
    print(f"viewbox\t{int(WIDTH)} {height}")
    for code, d in sorted(lines):
        print(f"{code}\t{d}")
    print(f"---\t{''.join(unnamed)}")


def path(pts):
    out = [f"M{pts[0][0]} {pts[0][1]}"]
    px, py = pts[0]
    cmds = []
    for x, y in pts[1:]:
        cmds.append(f"{x - px} {y - py}")
        px, py = x, y
    # SVG allows "-" to separate numbers, so "1-2" is two numbers.
    body = " ".join(cmds).replace(" -", "-")
    return out[0] + ("l" + body if body else "") + "z"


if __name__ == "__main__":
    main()
