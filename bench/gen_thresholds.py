#!/usr/bin/env python3
"""Writes a site with N synthetic threshold records, for timing the data model at scale.

The values are synthetic (this site is never published): the bundled vocabulary from data/ is
reused, and records cycle through contaminants, land uses and value types across 40 real ISO
3166-1 country codes so that every record is valid and distinct.

usage: bench/gen_thresholds.py --records 50000 --out /tmp/pedon-data-50k
"""
import argparse, os, re, shutil

CODES = ("ARG AUS AUT BEL BGR BRA CAN CHE CHL CHN COL CZE DEU DNK ESP EST FIN FRA GBR GRC "
         "HRV HUN IND IRL ITA JPN KOR LTU MEX NLD NOR NZL POL PRT ROU SVK SVN SWE URY ZAF").split()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=50000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(os.path.join(args.out, "data", "thresholds"))
    os.makedirs(os.path.join(args.out, "content"))
    for name in ("contaminants.yaml", "land-uses.yaml", "value-types.yaml"):
        shutil.copy(os.path.join(repo, "data", name), os.path.join(args.out, "data", name))
    with open(os.path.join(args.out, "pedon.toml"), "w") as f:
        f.write('title = "Data benchmark"\nbase_url = "https://example.org/"\n')
    with open(os.path.join(args.out, "content", "_index.md"), "w") as f:
        f.write("---\ntitle: Data benchmark\n---\nSynthetic data.\n")

    def ids(name):
        text = open(os.path.join(repo, "data", name)).read()
        return re.findall(r"^- id: (\S+)", text, re.M)
    contaminants, land_uses, value_types = ids("contaminants.yaml"), ids("land-uses.yaml"), ids("value-types.yaml")
    bands = ['"pH <= 5.5"', '"5.5 < pH <= 6.5"', '"6.5 < pH <= 7.5"', '"pH > 7.5"']
    per_country = -(-args.records // len(CODES))
    written = 0
    for n, code in enumerate(CODES):
        count = min(per_country, args.records - written)
        if count <= 0:
            break
        lines = [f"country: {code}\ninstruments:\n"]
        combos = len(contaminants) * len(land_uses) * len(value_types) * len(bands)
        for inst in range(-(-count // combos)):
            lines.append(f"  - id: instrument-{inst}\n    title: \"Synthetic instrument {inst}\"\n    year: \"2020\"\n"
                         "    sources:\n      - { id: s, title: \"Synthetic source\", where: \"https://example.org\", tier: primary }\n"
                         "    land_uses:\n" + "".join(f"      {l}: {{ term: \"{l} (national)\", class: {l} }}\n" for l in land_uses) +
                         "    value_types:\n" + "".join(f"      {v}: {{ term: \"{v} (national)\", class: {v} }}\n" for v in value_types) +
                         "    values:\n")
            for i in range(min(combos, count - inst * combos)):
                c = contaminants[i % len(contaminants)]
                rest = i // len(contaminants)
                l = land_uses[rest % len(land_uses)]
                rest //= len(land_uses)
                v = value_types[rest % len(value_types)]
                b = bands[(rest // len(value_types)) % len(bands)]
                value = round(0.05 * (1 + (i * 7919 + n * 104729) % 20000), 2)
                lines.append(f"      - {{ contaminant: {c}, land_use: {l}, value_type: {v}, value: {value}, unit: mg/kg, ph: {b} }}\n")
        with open(os.path.join(args.out, "data", "thresholds", code.lower() + ".yaml"), "w") as f:
            f.write("".join(lines))
        written += count
    print(f"{written} records in {len(CODES)} files under {args.out}")

main()
