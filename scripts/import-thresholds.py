#!/usr/bin/env python3
"""Import the sourced soil threshold-value table into Pedon's bundled data files.

Usage:
    python3 scripts/import-thresholds.py REFERENCE_DIR

REFERENCE_DIR holds the working group's research tables: thresholds.csv, vocabulary-map.csv and
thresholds-notes.md. They are an input of this import, not of the site: the YAML it writes is
committed and edited by hand afterwards, and nothing in the build or the tests reads the tables.
Re-running the import regenerates the files below; it first compares each committed country file
with what it would write and refuses to write anything (exit status 1) when a committed value
would disappear or change its number, listing each one, unless `--allow-removals` is given: a
value an editor added by hand is never erased silently. The script writes

    data/contaminants.yaml
    data/land-uses.yaml
    data/value-types.yaml
    data/thresholds/<iso3>.yaml      (one per jurisdiction in the CSV)

Standard library only, deterministic output. Every number is copied from the CSV as written; the
editorial parts (display names, local keys, source tiers, jurisdiction notes) are the tables
below, and every one of them is checked against the CSV so that a changed CSV fails loudly
instead of being imported half-right.

Self-checks (the script exits with status 1 if one fails):
  * every land_use / value_type string of the CSV is in vocabulary-map.csv, and every class it
    maps to is in the common vocabulary of thresholds-notes.md (2.1, 2.2);
  * every CSV row appears exactly once in the output (rows with an empty value as `value: none`);
  * no two records of a file share the identity key (instrument, contaminant, land_use,
    value_type, ph, texture, organic_carbon, extraction, medium, scope). Collisions are printed,
    then resolved with the `scope` rules below, which may only be used for that.
"""

import argparse
import collections
import csv
import math
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = (
    "# First imported by scripts/import-thresholds.py from the working group's reference table\n"
    "# (thresholds.csv, with each value's source); edited by hand since. Keep every value's source.\n"
)

# --------------------------------------------------------------------------------------------
# Contaminants: CSV key -> (name, symbol or None, group, aliases). Ids follow the rules in
# contaminant_id(); CAS numbers come from the CSV only.
# --------------------------------------------------------------------------------------------

GROUPS = [
    "heavy_metal", "metalloid", "other_inorganic", "pesticide", "pop", "pah", "petroleum", "voc",
    "other_organic",
]

ELEMENT_IDS = {
    "cadmium": "cd", "lead": "pb", "arsenic": "as", "mercury": "hg", "zinc": "zn", "copper": "cu",
    "nickel": "ni", "antimony": "sb", "barium": "ba", "beryllium": "be", "boron": "b",
    "cobalt": "co", "manganese": "mn", "molybdenum": "mo", "selenium": "se", "silver": "ag",
    "tellurium": "te", "thallium": "tl", "tin": "sn", "vanadium": "v", "fluorine": "f",
    "chromium_total": "cr", "chromium_vi": "cr_vi", "chromium_iii": "cr_iii",
}

CONTAMINANTS = {
    # heavy metals and their variants
    "barium": ("Barium", "Ba", "heavy_metal", ["barium"]),
    "beryllium": ("Beryllium", "Be", "heavy_metal", ["beryllium"]),
    "cadmium": ("Cadmium", "Cd", "heavy_metal", ["cadmium"]),
    "chromium_total": ("Chromium (total)", "Cr", "heavy_metal", ["chromium", "total chromium"]),
    "chromium_iii": ("Chromium (III)", "Cr(III)", "heavy_metal",
                     ["criii", "cr(iii)", "trivalent chromium"]),
    "chromium_iii_insoluble_salts": ("Chromium (III), insoluble salts", None, "heavy_metal",
                                     ["cr(iii) insoluble salts"]),
    "chromium_vi": ("Chromium (VI)", "Cr(VI)", "heavy_metal",
                    ["crvi", "cr(vi)", "cr6+", "hexavalent chromium"]),
    "cobalt": ("Cobalt", "Co", "heavy_metal", ["cobalt"]),
    "copper": ("Copper", "Cu", "heavy_metal", ["copper"]),
    "lead": ("Lead", "Pb", "heavy_metal", ["lead"]),
    "manganese": ("Manganese", "Mn", "heavy_metal", ["manganese"]),
    "mercury": ("Mercury", "Hg", "heavy_metal", ["mercury"]),
    "mercury_inorganic": ("Mercury, inorganic", None, "heavy_metal", ["inorganic mercury"]),
    "mercury_organic": ("Mercury, organic", None, "heavy_metal", ["organic mercury"]),
    "mercuric_chloride_and_mercury_salts": ("Mercuric chloride and mercury salts", None,
                                            "heavy_metal", ["hgcl2", "mercury salts"]),
    "methyl_mercury": ("Methylmercury", None, "heavy_metal", ["methyl mercury", "mehg"]),
    "molybdenum": ("Molybdenum", "Mo", "heavy_metal", ["molybdenum"]),
    "nickel": ("Nickel", "Ni", "heavy_metal", ["nickel"]),
    "nickel_soluble_salts": ("Nickel, soluble salts", None, "heavy_metal",
                             ["nickel salts"]),
    "silver": ("Silver", "Ag", "heavy_metal", ["silver"]),
    "thallium": ("Thallium", "Tl", "heavy_metal", ["thallium"]),
    "thallium_soluble_salts": ("Thallium, soluble salts", None, "heavy_metal",
                               ["thallium salts"]),
    "tin": ("Tin", "Sn", "heavy_metal", ["tin"]),
    "vanadium": ("Vanadium", "V", "heavy_metal", ["vanadium"]),
    "zinc": ("Zinc", "Zn", "heavy_metal", ["zinc"]),
    # metalloids
    "antimony": ("Antimony", "Sb", "metalloid", ["antimony"]),
    "arsenic": ("Arsenic", "As", "metalloid", ["arsenic"]),
    "boron": ("Boron", "B", "metalloid", ["boron"]),
    "selenium": ("Selenium", "Se", "metalloid", ["selenium"]),
    "tellurium": ("Tellurium", "Te", "metalloid", ["tellurium"]),
    # other inorganic
    "cyanide": ("Cyanide", None, "other_inorganic", ["cyanide", "cn"]),
    "cyanide_complex": ("Cyanide, complex", None, "other_inorganic", ["complex cyanide"]),
    "cyanide_free": ("Cyanide, free", None, "other_inorganic", ["free cyanide"]),
    "cyanides": ("Cyanides", None, "other_inorganic", []),
    "fluorides": ("Fluorides", None, "other_inorganic", ["fluoride"]),
    "fluorine": ("Fluorine", "F", "other_inorganic", ["fluorine"]),
    # pesticides and biocides
    "2,4,5-t": ("2,4,5-T", None, "pesticide", ["2,4,5-trichlorophenoxyacetic acid"]),
    "2,4-d": ("2,4-D", None, "pesticide", ["2,4-dichlorophenoxyacetic acid"]),
    "aldrin": ("Aldrin", None, "pesticide", ["aldrin"]),
    "aldrin_plus_dieldrin": ("Aldrin + dieldrin", None, "pesticide", ["aldrin and dieldrin"]),
    "alpha_endosulfan": ("alpha-Endosulfan", None, "pesticide",
                         ["α-endosulfan", "endosulfan i"]),
    "alpha_hch": ("alpha-HCH", None, "pesticide",
                  ["α-hch", "alpha-hexachlorocyclohexane"]),
    "atrazine": ("Atrazine", None, "pesticide", ["atrazine"]),
    "beta_hch": ("beta-HCH", None, "pesticide", ["β-hch", "beta-hexachlorocyclohexane"]),
    "bifenthrin": ("Bifenthrin", None, "pesticide", ["bifenthrin"]),
    "carbaryl": ("Carbaryl", None, "pesticide", ["carbaryl"]),
    "carbofuran": ("Carbofuran", None, "pesticide", ["carbofuran"]),
    "chlordane": ("Chlordane", None, "pesticide", ["chlordane"]),
    "chlordane_sum": ("Chlordane, sum", None, "pesticide", []),
    "chlordane_technical": ("Chlordane, technical", None, "pesticide", ["technical chlordane"]),
    "chlorpyrifos": ("Chlorpyrifos", None, "pesticide", ["chlorpyrifos"]),
    "ddd_sum": ("DDD, sum", None, "pesticide", []),
    "dde_sum": ("DDE, sum", None, "pesticide", []),
    "ddt": ("DDT", None, "pesticide", ["ddt"]),
    "ddt_dde_ddd_sum": ("DDT + DDE + DDD, sum", None, "pesticide", []),
    "ddt_sum": ("DDT, sum", None, "pesticide", []),
    "ddt_total": ("DDT, total", None, "pesticide", ["total ddt"]),
    "dichlorvos": ("Dichlorvos", None, "pesticide", ["dichlorvos", "ddvp"]),
    "dieldrin": ("Dieldrin", None, "pesticide", ["dieldrin"]),
    "dimethoate": ("Dimethoate", None, "pesticide", ["dimethoate"]),
    "drins_sum": ("Drins, sum", None, "pesticide", ["drins"]),
    "endosulfan": ("Endosulfan", None, "pesticide", ["endosulfan"]),
    "endrin": ("Endrin", None, "pesticide", ["endrin"]),
    "gamma_hch_lindane": ("gamma-HCH (lindane)", None, "pesticide",
                          ["lindane", "γ-hch", "gamma-hexachlorocyclohexane"]),
    "hch_mixture_or_beta_hch": ("HCH mixture or beta-HCH", None, "pesticide", []),
    "hch_total": ("HCH, total", None, "pesticide", ["total hch", "hexachlorocyclohexane"]),
    "heptachlor": ("Heptachlor", None, "pesticide", ["heptachlor"]),
    "heptachlor_epoxide_sum": ("Heptachlor epoxide, sum", None, "pesticide",
                               ["heptachlor epoxide"]),
    "hexachlorobenzene": ("Hexachlorobenzene", None, "pesticide", ["hcb"]),
    "lindane": ("Lindane", None, "pesticide", ["gamma-hch", "γ-hch"]),
    "mcpa": ("MCPA", None, "pesticide", ["mcpa"]),
    "mcpb": ("MCPB", None, "pesticide", ["mcpb"]),
    "mecoprop": ("Mecoprop", None, "pesticide", ["mcpp"]),
    "methoxychlor": ("Methoxychlor", None, "pesticide", ["methoxychlor"]),
    "mirex": ("Mirex", None, "pesticide", ["mirex"]),
    "organophosphorus_compounds": ("Organophosphorus compounds", None, "pesticide",
                                   ["organophosphates"]),
    "p,p'-ddd": ("p,p'-DDD", None, "pesticide", ["4,4'-ddd"]),
    "p,p'-dde": ("p,p'-DDE", None, "pesticide", ["4,4'-dde"]),
    "pentachlorophenol": ("Pentachlorophenol", None, "pesticide", ["pcp"]),
    "picloram": ("Picloram", None, "pesticide", ["picloram"]),
    "toxaphene": ("Toxaphene", None, "pesticide", ["toxaphene", "camphechlor"]),
    # persistent organic pollutants (PCBs)
    "pcb6": ("PCB6", None, "pop", ["6 pcb"]),
    "pcb_sum_7": ("PCB (7), sum", None, "pop", ["pcb7", "7 pcb"]),
    "pcbs": ("PCBs", None, "pop", ["pcb", "polychlorinated biphenyls"]),
    "pcbs_high_risk": ("PCBs (high risk)", None, "pop", []),
    "pcbs_non_dioxin_like": ("PCBs, non-dioxin-like", None, "pop", ["ndl-pcb"]),
    "pcbs_sum_pcb6_and_pcb118": ("PCB6 + PCB 118, sum", None, "pop", []),
    "pcbs_total_12": ("PCBs, sum of 12", None, "pop", ["12 pcb"]),
    # PAHs
    "benzo_a_pyrene": ("Benzo[a]pyrene", None, "pah", ["bap", "b[a]p", "benzo(a)pyrene"]),
    "carcinogenic_pahs_as_bap_teq": ("Carcinogenic PAHs as BaP-TEQ", None, "pah",
                                     ["bap-teq", "bap teq"]),
    "naphthalene": ("Naphthalene", None, "pah", ["naphthalene"]),
    "pah16_sum": ("PAH16, sum", None, "pah", ["pah16", "pah 16"]),
    "pah_sum_10": ("PAH (10), sum", None, "pah", ["pah10", "pah 10"]),
    "pah_sum_tab1_items_25_34": ("PAH, sum of D.Lgs. 152/2006 Tabella 1 items 25-34", None,
                                 "pah", []),
    "total_pahs_16": ("PAHs, total (16)", None, "pah", ["total pah"]),
    # petroleum
    "mineral_oil": ("Mineral oil", None, "petroleum", ["mineral oil"]),
    "petroleum_hydrocarbons_c10_c40": ("Petroleum hydrocarbons (C10-C40)", None, "petroleum",
                                       ["tph c10-c40", "c10-c40"]),
    "tph": ("Total petroleum hydrocarbons (TPH)", None, "petroleum", ["tph"]),
    # other organic
    "phenol": ("Phenol", None, "other_organic", ["phenol"]),
}

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")



# Short names for table cells, each an abbreviation that appears in the instrument's title.
SHORT = {
    "nepm-2013": "NEPM 2013, Schedule B1",
    "ccme-2007": "CCME SQG Update 7.0",
    "ccme-2013-compilation": "CCME, as compiled c. 2013",
    "gb-15618-2018": "GB 15618-2018",
    "gb-36600-2018": "GB 36600-2018",
    "bbodschv-2021": "BBodSchV",
    "directive-86-278-eec": "Directive 86/278/EEC",
    "decree-214-2007": "Government Decree 214/2007",
    "dlgs-152-2006": "D.Lgs. 152/2006",
    "dm-46-2019": "D.M. 46/2019",
    "soil-contamination-countermeasures-act": "Soil Contamination Countermeasures Act",
    "agricultural-land-soil-pollution-prevention-act": "Agricultural Land Soil Pollution Prevention Act",
    "soil-environment-conservation-act": "Soil Environment Conservation Act",
    "circulaire-bodemsanering-2013": "Circulaire bodemsanering 2013",
    "regeling-bodemkwaliteit": "Regeling bodemkwaliteit",
    "ta-2553-2009": "TA-2553/2009",
    "monitoring-standards-2011": "Soil Pollution Monitoring Standards",
    "rsl-2018": "US EPA RSL",
    "qcvn-03-mt-2015": "QCVN 03-MT:2015/BTNMT",
}

def contaminant_id(key):
    if key in ELEMENT_IDS:
        return ELEMENT_IDS[key]
    return re.sub(r"[^a-z0-9_-]", "", key.lower())


# --------------------------------------------------------------------------------------------
# Common vocabulary: read from thresholds-notes.md 2.1 / 2.2; names are ours.
# --------------------------------------------------------------------------------------------

LAND_USE_NAMES = collections.OrderedDict([
    ("agricultural", "Agricultural"),
    ("residential_sensitive", "Residential, sensitive"),
    ("residential", "Residential"),
    ("residential_parkland", "Residential and parkland"),
    ("parkland", "Parkland"),
    ("commercial", "Commercial"),
    ("industrial", "Industrial"),
    ("commercial_industrial", "Commercial and industrial"),
    ("forestry", "Forestry"),
    ("all_land", "All land"),
    ("mixed", "Mixed"),
])

VALUE_TYPE_NAMES = collections.OrderedDict([
    ("background", "Background"),
    ("precautionary", "Precautionary"),
    ("screening", "Screening"),
    ("intervention", "Intervention"),
    ("regulatory_limit", "Regulatory limit"),
    ("classification", "Classification"),
])


def normalise_class(raw):
    raw = raw.strip()
    # The map may explain a class in brackets (`screening (SVK: …)`, `intervention (provisional
    # — …)`): the class is the word before them.
    raw = raw.split(" (", 1)[0].strip()
    return raw.replace(".", "_")


def read_vocabulary_tables(notes_path):
    """Returns ([(id, meaning)] for 2.1, [(id, meaning)] for 2.2) in table order."""
    with open(notes_path, encoding="utf-8") as f:
        text = f.read()
    tables = {}
    for heading in ("### 2.1", "### 2.2"):
        start = text.index(heading)
        end = text.index("\n### ", start + 1)
        rows = []
        for line in text[start:end].splitlines():
            m = re.match(r"^\|\s*`([^`]+)`\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$", line)
            if m:
                rows.append((normalise_class(m.group(1)), m.group(2)))
        tables[heading] = rows
    return tables["### 2.1"], tables["### 2.2"]


def sentence(text):
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


# --------------------------------------------------------------------------------------------
# Jurisdictions: instruments, sources (with tier), local keys for land uses and value types,
# and the notes a reader must see. Everything matched against the CSV strings exactly.
# --------------------------------------------------------------------------------------------

COUNTRIES = collections.OrderedDict()

COUNTRIES["AUS"] = dict(
    notes="""\
National Environment Protection (Assessment of Site Contamination) Measure 1999 as amended 2013
(NEPM), Schedule B1.

- **Health investigation levels** (Table 1A(1)) for four land uses: HIL A residential with
  garden/accessible soil (incl. childcare, preschools, primary schools), HIL B residential with
  minimal soil access, HIL C public open space, HIL D commercial/industrial. Three generic
  **ecological investigation levels** (Table 1B(5)) for urban residential/public open space.
- As HIL assumes 70 % oral bioavailability. Pb HIL A-C come from a blood-lead (IEUBK) model,
  HIL D from the adult lead model at 50 % bioavailability. The Hg HIL is for inorganic mercury,
  not elemental. Carcinogenic PAHs are assessed as BaP-TEQ (8 PAHs x TEF). The PCB HIL is for
  non-dioxin-like PCBs only.
- EILs depend on soil properties; only the generic aged-As, DDT and naphthalene EILs are listed.
- **Secondary source** (tier S): values are transcribed from the ENRS-App source code. HIL A/B/C
  metal values were cross-checked against the Macquarie University comparison table. Re-check
  against the official NEPM before the database leaves demo status.
- Values are total concentrations on a dry-weight basis; do not compare them with extractable
  (e.g. ammonium-nitrate) values from other countries.
""",
    instruments=[
        dict(
            match="National Environment Protection (Assessment of Site Contamination) Measure 1999, as amended 2013 (NEPM), Schedule B1",
            id="nepm-2013", status="in_force",
            sources=[
                dict(match_title="NEPM 2013 Schedule B1 Table 1A(1) Health investigation levels (HIL)",
                     id="enrs-app-hil", tier="secondary"),
                dict(match_title="NEPM 2013 Schedule B1 Table 1B(5) Generic EILs",
                     id="enrs-app-eil", tier="secondary"),
            ],
        ),
    ],
    land_uses=[
        ("hil_a", "residential with garden/accessible soil (HIL A; incl. childcare, preschools, primary schools)"),
        ("hil_b", "residential with minimal soil access (HIL B; high-rise/flats)"),
        ("hil_c", "public open space (HIL C; parks, playgrounds, sports fields)"),
        ("hil_d", "commercial/industrial (HIL D)"),
        ("urban_residential_pos", "urban residential and public open space"),
    ],
    value_types=[
        ("hil", "health investigation level (HIL)"),
        ("eil", "ecological investigation level (EIL, generic)"),
    ],
)

COUNTRIES["CAN"] = dict(
    notes="""\
CCME Canadian Soil Quality Guidelines, Summary Table **Update 7.0, September 2007**, for four
land uses: agricultural, residential/parkland, commercial, industrial.

- **Dated**: CCME has revised several guidelines since 2007 (a zinc revision was out for
  consultation in December 2016). Show the year and check the current CCME table before use.
- The one zinc value (residential/parkland, "CCME 2013") comes from a secondary compilation
  (Taylor & Rouillon, Macquarie University), not from the 2007 table.
- The Hg value is for inorganic mercury; DDT is total DDT. The selenium value for commercial and
  industrial land was truncated in the excerpt and is not recorded.
- **Secondary source** (tier S): a copy of the official summary table (Scribd). Re-check against
  the official CCME table before the database leaves demo status.
""",
    instruments=[
        dict(
            match="Canadian Soil Quality Guidelines for the Protection of Environmental and Human Health (CCME), Summary Table Update 7.0",
            id="ccme-2007", issuer="CCME", status="dated",
            status_note="CCME has revised several guidelines since this 2007 summary table; check the current CCME table.",
            sources=[dict(match_title="CCME Canadian Soil Quality Guidelines Summary Tables, Update 7.0",
                          id="scribd", tier="secondary")],
        ),
        dict(
            match="Canadian Soil Quality Guidelines (CCME), as compiled c. 2013",
            id="ccme-2013-compilation", issuer="CCME", status="dated",
            status_note="Value from a secondary compilation; a zinc revision was out for consultation in December 2016, so check the current CCME table.",
            sources=[dict(match_title="Compiled comparison table (Taylor & Rouillon, Macquarie University)",
                          id="macquarie", tier="secondary")],
        ),
    ],
    land_uses=[
        ("agricultural", "agricultural"),
        ("residential_parkland", "residential/parkland"),
        ("commercial", "commercial"),
        ("industrial", "industrial"),
    ],
    value_types=[
        ("sqg", "soil quality guideline (SQG; generic, lower of environmental and human-health SQG)"),
    ],
)

COUNTRIES["CHN"] = dict(
    notes="""\
Two national standards of 2018, both in force since 1 August 2018.

- **GB 15618-2018** (agricultural land; replaces GB 15618-1995). Risk screening values
  (Table 1) depend on four soil pH bands and on the land class: Cd, Hg, As, Pb, Cr for paddy
  vs. other land; Cu for orchard vs. other land; Ni and Zn one class. Table 2 adds HCH total,
  DDT total and BaP. Risk intervention values (Table 3) exist for Cd, Hg, As, Pb and Cr only:
  **there is no intervention value for Cu, Ni, Zn**. The As intervention values *decrease*
  with pH. Reading (from the transcribing projects): at or below screening = priority
  protection; between the two values = safe utilisation; above intervention = strict control.
- **GB 36600-2018** (development land): screening and intervention values for category 1 land
  (sensitive uses, mainly residential) and category 2 land (mainly industrial/commercial),
  45 basic items (Table 1) and 40 other items (Table 2). Footnote a (As, Co, V) relates to
  natural background; its exact wording was not retrieved. The exact GB 50137 land classes in
  categories 1 and 2 were **not** verified.
- A "screening" value on Chinese agricultural land protects food safety; it does not mean the
  same as a screening level elsewhere. Values are total content on a dry-weight basis.
- **Secondary source** (tier S): transcriptions of the official MEE PDFs in two independent
  GitHub projects, which agree for GB 15618. Re-check against the official PDF before the
  database leaves demo status.
""",
    instruments=[
        dict(
            match="GB 15618-2018 Soil environmental quality — Risk control standard for soil contamination of agricultural land (MEE & SAMR; issued 2018-06-22, in force 2018-08-01)",
            id="gb-15618-2018", issuer="MEE & SAMR", status="in_force",
            sources=[
                dict(match_where="GitHub HuangWuwutelling/ml-learning", id="ml-learning",
                     tier="secondary"),
                dict(match_where="GitHub lensis22414017/SRS, data/standards/gb15618_2018_official.csv",
                     id="srs", tier="secondary"),
            ],
        ),
        dict(
            match="GB 36600-2018 Soil environmental quality — Risk control standard for soil contamination of development land (MEE & SAMR; in force 2018-08-01)",
            id="gb-36600-2018", issuer="MEE & SAMR", status="in_force",
            sources=[dict(match_title="GB 36600-2018 Table 1", id="srs", tier="secondary")],
        ),
    ],
    land_uses=[
        ("paddy", "agricultural: paddy field"),
        ("other_dryland_orchard", "agricultural: other agricultural land (dryland, orchard etc.)"),
        ("orchard", "agricultural: orchard"),
        ("other_paddy_dryland", "agricultural: other agricultural land (paddy, dryland etc.)"),
        ("all_agricultural", "agricultural: all agricultural land"),
        ("category_1", "development land category 1 (第一类用地; sensitive uses, mainly residential — see GB 36600 §3 for exact GB 50137 classes)"),
        ("category_2", "development land category 2 (第二类用地; mainly industrial/commercial — see GB 36600 §3)"),
    ],
    value_types=[
        ("screening", "risk screening value (风险筛选值)"),
        ("intervention", "risk intervention value (风险管制值)"),
    ],
)

COUNTRIES["DEU"] = dict(
    notes="""\
Bundes-Bodenschutz- und Altlastenverordnung (BBodSchV) of 9 July 2021, BGBl. I 2021 S. 2716,
in force 1 August 2023 (replaced the 1999 ordinance). Official text, read from a mirror of
gesetze-im-internet.de.

- **Vorsorgewerte** (precautionary values, Anlage 1): inorganic substances by soil texture
  (sand, loam/silt, clay; the KA5 main groups), organic substances by TOC (<= 4 %, > 4 % to 9 %).
  They **do not apply when TOC > 9 %**. For Pb at pH < 5.0 and for Cd, Ni, Zn at pH < 6.0, clay
  soils use the loam/silt value and loam/silt soils the sand value.
- **Prüfwerte** (trigger values) and **Maßnahmenwerte** (action values), Anlage 2: soil to human
  by four land uses (Tab. 4), soil to food plant on arable land and kitchen gardens (Tab. 6),
  grassland (Tab. 7), crop growth (Tab. 8). Dioxin action values (Tab. 5, ng WHO-TEQ/kg) are not
  included.
- **Extraction differs**: aqua regia (DIN EN 13657 / DIN EN 16174) for the Vorsorgewerte, the
  Tab. 4 metals, As and Hg in Tab. 6 and all Tab. 7 metals; **ammonium nitrate (DIN ISO 19730)**
  for Pb, Cd, Tl in Tab. 6 and all of Tab. 8. The ammonium-nitrate values (0.04-2 mg/kg) are
  *not* comparable with aqua-regia values. Results on dry mass at 105 °C (DIN EN 14346 method A).
- Cd trigger in house/allotment gardens used both by children and for food crops: 2.0 mg/kg.
- If the Cr total trigger is exceeded, measure Cr(VI) (alkaline extraction, DIN EN 15192).
- The BaP trigger stands for the PAH16 mixture; all 16 PAH must be analysed.
- Arable As trigger 200 mg/kg; 50 mg/kg for soils with temporarily reducing conditions. Cd
  action value (NH4NO3) 0.04 mg/kg for bread wheat / vegetables, otherwise 0.1. Grassland Cd
  action value 15 mg/kg at pH < 5; grassland Cu action value 200 mg/kg where sheep graze.
- Sampling depths (Anlage 3 Tab. 3): 0-10 cm (+10-30 cm for playgrounds and residential),
  arable 0-30 and 30-60 cm, grassland 0-10 and 10-30 cm.
""",
    instruments=[
        dict(
            match="Bundes-Bodenschutz- und Altlastenverordnung (BBodSchV) of 9 July 2021 (BGBl. I 2021 S. 2716; in force 1 Aug 2023)",
            id="bbodschv-2021", status="in_force",
            status_note="In force since 1 August 2023; replaced the 1999 ordinance.",
            sources=[dict(match_title="BBodSchV 2021, Anlage 1", id="gesetze-im-internet",
                          tier="primary")],
        ),
    ],
    land_uses=[
        ("all_soils", "all soils"),
        ("playgrounds", "children's playgrounds (Kinderspielflächen)"),
        ("residential", "residential (Wohngebiete)"),
        ("parks", "parks and recreation (Park- und Freizeitanlagen)"),
        ("industrial_commercial", "industrial/commercial (Industrie- und Gewerbegrundstücke)"),
        ("arable_gardens", "agricultural: arable land and kitchen gardens"),
        ("arable", "agricultural: arable land"),
        ("grassland", "agricultural: grassland"),
    ],
    value_types=[
        ("precautionary", "precautionary (Vorsorgewert)"),
        ("trigger", "trigger (Prüfwert)"),
        ("action", "action (Maßnahmenwert)"),
    ],
)

COUNTRIES["EUU"] = dict(
    notes="""\
Council Directive 86/278/EEC on sewage sludge used in agriculture, Annex I A.

- The values are **ranges within which Member States fix their own limits** for soil receiving
  sewage sludge (soil pH 6 to 7); each range is given as a lower-end and an upper-end record.
- Footnote b: for Cu, Ni and Zn, Member States may allow up to 50 % higher values on soils with a
  pH consistently above 7.
- There is no chromium value ("not possible at this stage to fix limit values for chromium").
- The EEA states there are no EU-wide limit values for heavy metals in soil in general; these
  ranges concern only agricultural soil receiving sewage sludge.
""",
    instruments=[
        dict(
            match="Council Directive 86/278/EEC on the protection of the environment, and in particular of the soil, when sewage sludge is used in agriculture, Annex I A",
            id="directive-86-278-eec", status="in_force",
            sources=[dict(match_title="Directive 86/278/EEC Annex I A", id="legislation-gov-uk",
                          tier="primary")],
        ),
    ],
    land_uses=[("sludge_farmland", "agricultural land receiving sewage sludge")],
    value_types=[("limit_range", "limit value range (Member States fix national limits within range)")],
)

COUNTRIES["FIN"] = dict(
    notes="""\
Government Decree on the Assessment of Soil Contamination and Remediation Needs (214/2007).

- The decree sets a threshold value (kynnysarvo) and lower and upper guideline values, as total
  concentration per dry matter; inorganic substances are compared in the < 2 mm fraction.
  Guideline values are flagged e (ecological) or t (health) and p (groundwater).
- **Only the arsenic threshold value was seen**, in a Geological Survey of Finland (GTK) review
  (secondary source). The annex table of the decree was not found; the other values are missing.
""",
    instruments=[
        dict(
            match="Government Decree on the Assessment of Soil Contamination and Remediation Needs (214/2007)",
            id="decree-214-2007", status="in_force",
            sources=[dict(match_title="GTK (Geological Survey of Finland) Annual Review 2016",
                          id="gtk-2016", tier="secondary")],
        ),
    ],
    land_uses=[("all", "all land uses")],
    value_types=[("threshold", "threshold value (kynnysarvo)")],
)

COUNTRIES["ITA"] = dict(
    notes="""\
D.Lgs. 152/2006, Parte IV, Titolo V, Allegato 5, Tabella 1: contamination threshold
concentrations (CSC) for column A (public/private green areas and residential) and column B
(commercial/industrial); agricultural areas from D.M. 46/2019, Allegato 2.

- Exceeding a CSC makes a site "potentially contaminated" and triggers a site-specific risk
  analysis, whose outcome (CSR) is the remediation target.
- The D.M. 46/2019 values are marked * in the source table; the footnote was not retrieved.
- **Discrepancy**: two secondary copies disagree on Sb and As (Ecosurvey: Sb 10/30, As 20/50;
  Laboratorio Lauricella: Sb 10/50, As 20/30). The Ecosurvey values are used and flagged; resolve
  against the Gazzetta Ufficiale before publishing.
- **Secondary sources** (tier S): the Gazzetta Ufficiale page shows the table only as an image;
  values come from the Ecosurvey comparison table (BaP and the PAH sum from Laboratorio
  Lauricella).
""",
    instruments=[
        dict(
            match="D.Lgs. 152/2006 (Testo Unico Ambientale), Parte IV, Titolo V, Allegato 5, Tabella 1",
            id="dlgs-152-2006", status="in_force",
            sources=[
                dict(match_title="D.Lgs. 152/2006 Allegato 5 Tabella 1 CSC (col. A residential/green",
                     id="ecosurvey", tier="secondary"),
                dict(match_title="D.Lgs. 152/2006 Allegato 5 Tabella 1 — transcription by Laboratorio Lauricella",
                     id="lauricella", tier="secondary"),
            ],
        ),
        dict(
            match="D.M. 46/2019 (agricultural areas), Allegato 2",
            id="dm-46-2019", status="in_force",
            sources=[dict(match_title="D.Lgs. 152/2006 Allegato 5 Tabella 1 CSC (col. A residential/green",
                          id="ecosurvey", tier="secondary")],
        ),
    ],
    land_uses=[
        ("agricultural", "agricultural areas (D.M. 46/2019, Allegato 2)"),
        ("column_a", "public/private green areas and residential (colonna A)"),
        ("column_b", "commercial and industrial (colonna B)"),
    ],
    value_types=[
        ("csc", "contamination threshold concentration (CSC, concentrazione soglia di contaminazione)"),
    ],
)

COUNTRIES["JPN"] = dict(
    notes="""\
- **Soil Contamination Countermeasures Act**, Enforcement Regulation (MoE Ordinance No. 29 of
  2002): soil content standards (土壌含有量基準) for the direct-ingestion pathway; an area is
  designated when a standard is exceeded. Cd is 45 mg/kg (revised from 150, in force 1 April
  2021); several other pages still show the outdated 150. Japan also has leaching standards
  (mg/L), which are not included. The extraction method is set by MoE notification and is not in
  the retrieved text. Source: Fukuoka Prefecture page (official).
- **Agricultural Land Soil Pollution Prevention Act** (Cabinet Order No. 204 of 1971):
  designation requirements for paddy soil (Cu, As) and, for Cd, a criterion on **rice**, not on
  soil (mg/kg rice). The extraction methods are not in the retrieved text. Source: an
  environmental impact assessment document that reproduces the table (secondary).
- In the common vocabulary these designation criteria are mapped to "intervention"; in practice
  they are closer to screening.
""",
    instruments=[
        dict(
            match="Soil Contamination Countermeasures Act (土壌汚染対策法), Enforcement Regulation (MoE Ordinance No. 29 of 2002), Appended Table 4: soil content standards (土壌含有量基準)",
            id="soil-contamination-countermeasures-act", issuer="Ministry of the Environment (MoE)",
            status="in_force",
            status_note="Cd standard revised from 150 to 45 mg/kg, in force 1 April 2021; several other pages still show the outdated 150.",
            sources=[dict(match_title="Fukuoka Prefecture", id="fukuoka-prefecture",
                          tier="primary")],
        ),
        dict(
            match="Agricultural Land Soil Pollution Prevention Act (農用地土壌汚染防止法), Enforcement Order (Cabinet Order No. 204 of 1971)",
            id="agricultural-land-soil-pollution-prevention-act", status="in_force",
            sources=[dict(match_title="Horonobe EIA document", id="horonobe-eia",
                          tier="secondary")],
        ),
    ],
    land_uses=[
        ("all_land", "all land (designation of areas requiring measures; direct-ingestion pathway)"),
        ("paddy", "agricultural: paddy fields only"),
        ("rice_land", "agricultural land (rice)"),
    ],
    value_types=[
        ("content_standard", "soil content standard (designation criterion)"),
        ("designation", "designation criterion (area designated if soil value >= criterion)"),
        ("designation_crop", "designation criterion based on crop, not soil"),
    ],
)

COUNTRIES["KOR"] = dict(
    notes="""\
Soil Environment Conservation Act, Art. 4-2, and Enforcement Rule, Art. 1-5 and Appended
Table 3.

- **Concern standards** (토양오염우려기준, warning/investigation level) for regions 1, 2 and 3, and
  **countermeasure standards** (토양오염대책기준, action level).
- Regions are defined by cadastral land category (지목): region 1 includes farmland, residential
  sites, schools, parks and outdoor children's playgrounds; region 2 forest land, salt fields,
  other building sites, warehouses, rivers and recreation sites; region 3 factories, parking,
  gas stations, roads, railways and military sites.
- Concern values are identical on two city government pages (Busan, updated 2024-09-13, and
  Yeosu). **Countermeasure values come from a consultancy page (KSRIC) and are secondary**;
  re-check them against the official Enforcement Rule.
- The dry-weight basis is not stated in the retrieved text.
""",
    instruments=[
        dict(
            match="Soil Environment Conservation Act (토양환경보전법) Art. 4-2 and Enforcement Rule Art. 1-5, Appended Table 3 (토양오염우려기준); countermeasure standards (토양오염대책기준)",
            id="soil-environment-conservation-act", status="in_force",
            sources=[
                dict(match_title="Busan Metropolitan City", id="busan", tier="primary"),
                dict(match_title="KSRIC", id="ksric", tier="secondary"),
            ],
        ),
    ],
    land_uses=[
        ("region_1", "Region 1 (지역1: farmland (paddy, dry field, orchard, pasture), residential sites, school sites, parks, outdoor children's playgrounds, etc.)"),
        ("region_2", "Region 2 (지역2: forest land, salt fields, other building sites, warehouses, rivers, sports/recreation sites, religious sites etc.)"),
        ("region_3", "Region 3 (지역3: factory sites, parking lots, gas-station sites, roads, railways, embankments, military facilities etc.)"),
    ],
    value_types=[
        ("concern", "concern standard (토양오염우려기준; warning/investigation level)"),
        ("countermeasure", "countermeasure standard (토양오염대책기준; action level)"),
    ],
)

COUNTRIES["NLD"] = dict(
    notes="""\
Two texts, read from wetten.overheid.nl (2017 snapshot): the *Circulaire bodemsanering per
1 juli 2013*, Bijlage 1 (Tabel 1 intervention values for soil, Tabel 2 indicative levels for
serious contamination, INEV), and the *Regeling bodemkwaliteit*, Bijlage B Tabel 1 (background
values and maximum values for the soil functions wonen and industrie).

- **All values are for standard soil: 10 % organic matter and 25 % lutum (< 2 µm).** Measured
  values must first be corrected to standard soil (Regeling bodemkwaliteit Bijlage G). The
  constants A, B, C for metals are in Bijlage G Tabel 3 (e.g. Cd 0.4/0.007/0.021, Pb 50/1/1,
  Zn 50/3/1.5, Cu 15/0.6/0.6, Ni 10/1/0, Cr 50/2/0, As 15/0.4/0.4, Hg 0.2/0.0034/0.0017); there
  is no correction for Sb, Mo and Tl. Minimum organic matter and lutum of 2 % are applied
  (Tabel 4). The formula itself is an image in the source and was not transcribed.
- An intervention value exceeded in more than 25 m³ of soil makes a "serious case" of
  contamination: a legal trigger, not a screening level.
- The barium intervention value is withdrawn (it was below natural background); anthropogenic Ba
  may be judged against the former value of 920 mg/kg d.s.
- Soil target values were dropped in 2009 for all compounds except metals; the background values
  (achtergrondwaarden, P95) serve as the clean-soil reference. Values marked * in the source are
  based on the limit of quantification.
- Older figures still found on the web (Cd 12, Cr 380, Hg 10, As 55, Ni 210, from the 2000
  circular) are **superseded**; do not use them.
- **Dated**: the Environment and Planning Act (Omgevingswet, 2024) replaced the circular and the
  Regeling bodemkwaliteit; whether the values changed was not checked.
""",
    instruments=[
        dict(
            match="Circulaire bodemsanering 2013 (Soil Remediation Circular, version 1 July 2013), Bijlage 1",
            id="circulaire-bodemsanering-2013", status="dated",
            status_note="The Omgevingswet (2024) replaced the circular; whether the values changed was not checked.",
            sources=[dict(match_title="Circulaire bodemsanering per 1 juli 2013", id="wetten",
                          tier="primary")],
        ),
        dict(
            match="Regeling bodemkwaliteit (Soil Quality Regulation), Bijlage B Tabel 1",
            id="regeling-bodemkwaliteit", status="dated",
            status_note="Text of a 2017 snapshot; the Omgevingswet (2024) replaced the Regeling bodemkwaliteit and whether the values changed was not checked.",
            sources=[dict(match_title="Regeling bodemkwaliteit Bijlage B Tabel 1", id="wetten",
                          tier="primary")],
        ),
    ],
    land_uses=[
        ("all", "all land uses (not land-use specific)"),
        ("all_clean_soil", "all land uses (clean-soil reference)"),
        ("wonen", "residential (bodemfunctieklasse/kwaliteitsklasse wonen)"),
        ("industrie", "industrial (bodemfunctieklasse/kwaliteitsklasse industrie)"),
    ],
    value_types=[
        ("background", "background value (achtergrondwaarde; functions as soil target value)"),
        ("max_wonen", "maximum value for soil reuse (maximale waarde wonen)"),
        ("max_industrie", "maximum value for soil reuse (maximale waarde industrie)"),
        ("intervention", "intervention (interventiewaarde bodemsanering)"),
        ("intervention_withdrawn", "intervention (withdrawn)"),
        ("intervention_former_ba", "intervention (former, for anthropogenic Ba only)"),
        ("inev", "indicative level for serious contamination (INEV)"),
    ],
)

COUNTRIES["NOR"] = dict(
    notes="""\
Norwegian Climate and Pollution Agency guidance TA-2553/2009: health-based condition classes
(tilstandsklasse 1-5) for contaminated soil.

- Each value is the upper limit of a condition class; the TK1 upper limit is the normverdi
  (background). The classes apply to all land and are linked to land use later, through
  acceptance criteria.
- **Secondary source** (tier S): a third-party Python module (the repository name was not shown
  by the index). The values look internally consistent but were seen in one source only.
  Re-check against TA-2553/2009 before the database leaves demo status.
""",
    instruments=[
        dict(
            match='Norwegian Climate and Pollution Agency guidance TA-2553/2009 "Helsebaserte tilstandsklasser for forurenset grunn" (health-based condition classes for contaminated soil)',
            id="ta-2553-2009", issuer="Norwegian Climate and Pollution Agency",
            status="in_force",
            sources=[dict(match_title="TA-2553/2009 condition-class limits — a second third-party transcription",
                          id="typescript-plan", tier="secondary"),
                     dict(match_title="TA-2553/2009 condition classes", id="python-module",
                          tier="secondary")],
        ),
    ],
    land_uses=[("all", "all land uses (classes are later linked to land use via acceptance criteria)")],
    value_types=[
        ("tk1", "condition class limit: TK1 upper limit = normverdi (very good / background)"),
        ("tk2", "condition class limit: TK2 upper limit (good)"),
        ("tk3", "condition class limit: TK3 upper limit (moderate)"),
        ("tk4", "condition class limit: TK4 upper limit (poor)"),
        ("tk5", "condition class limit: TK5 upper limit (very poor)"),
    ],
)

COUNTRIES["TWN"] = dict(
    notes="""\
Soil Pollution Monitoring Standards (土壤污染監測標準) of 31 January 2011, under the Soil and
Groundwater Pollution Remediation Act. Official text (Laws & Regulations Database).

- Total heavy-metal content, dry basis. General monitoring standards apply to all land; lower
  monitoring baseline values apply to food-crop farmland.
- **Incomplete**: the retrieved table was truncated after Hg, so Ni, Pb and Zn are missing. The
  control standards (管制標準) were not retrieved.
""",
    instruments=[
        dict(
            match="Soil Pollution Monitoring Standards (土壤污染監測標準), issued 31 Jan 2011 under Soil and Groundwater Pollution Remediation Act Art. 6(2)",
            id="monitoring-standards-2011", status="in_force",
            sources=[dict(match_title="Soil Pollution Monitoring Standards (土壤污染監測標準), Art. 4 table — full text",
                          id="moj-open-data", tier="primary"),
                     dict(match_title="Soil Pollution Monitoring Standards (土壤污染監測標準), Art. 4 table — text",
                          id="moj-open-data-completion", tier="primary")],
        ),
    ],
    land_uses=[
        ("general", "general land (all land uses)"),
        ("food_crop_farmland", "agricultural: food-crop farmland (食用作物農地)"),
    ],
    value_types=[
        ("monitoring_standard", "monitoring standard (監測標準值)"),
        ("monitoring_baseline", "monitoring baseline value for food-crop farmland (監測基準值)"),
    ],
)

COUNTRIES["USA"] = dict(
    notes="""\
US EPA Regional Screening Levels (RSLs), generic tables at target risk 1E-6 / THQ 1.0, for
resident and industrial soil.

- **RSLs are revised regularly: this is a 2018 snapshot.** Show it as such, or replace it with the
  current EPA table.
- RSLs are screening levels for Superfund site assessment, not cleanup standards: generic
  levels at 1E-6 cancer risk or hazard quotient 1 (lead from EPA lead models).
- The key letters in each note are EPA's: c cancer, n noncancer, L lead model, R relative
  bioavailability, s Csat, m ceiling.
- **Secondary source** (tier S): the RSL CSV bundled in a third-party app (August 2018). The
  residential values for As, Cd, Cr(VI), Cu, Ni, Pb and Zn match the "US EPA (2019)" column of
  the Macquarie University compilation.
""",
    instruments=[
        dict(
            match="US EPA Regional Screening Levels (RSLs) for chemical contaminants at Superfund sites — generic tables, TR=1E-6, THQ=1.0",
            id="rsl-2018", issuer="US EPA", status="dated",
            status_note="RSL tables are revised regularly; these values are a 2018 snapshot.",
            sources=[dict(match_title="EPA RSL generic table", id="epa-app", tier="secondary")],
        ),
    ],
    land_uses=[
        ("resident", "residential (resident soil)"),
        ("industrial", "industrial (industrial soil, composite worker)"),
    ],
    value_types=[("rsl", "regional screening level (RSL)")],
)

COUNTRIES["VNM"] = dict(
    notes="""\
QCVN 03-MT:2015/BTNMT (Circular 64/2015/TT-BTNMT): maximum total content of heavy metals in
topsoil by land use (agricultural, forestry, residential, industrial, commercial/service).

- **Superseded**: reported no longer in force from 1 September 2023; replaced by QCVN
  03:2023/BTNMT (Circular 01/2023/TT-BTNMT, 13 March 2023; three land types "Loại 1-3"), whose
  values were **not** retrieved. Publish the 2015 values only as historical.
- The regulation does not apply to mining areas or natural/special-use forests.
- **Secondary source** (tier S): transcription by ARC; status from greencert.com.vn.
""",
    instruments=[
        dict(
            match="QCVN 03-MT:2015/BTNMT National technical regulation on the allowable limits of heavy metals in soils (Circular 64/2015/TT-BTNMT, 21 Dec 2015)",
            id="qcvn-03-mt-2015", issuer="Ministry of Natural Resources and Environment (BTNMT)",
            status="superseded",
            status_note="Reported no longer in force from 1 September 2023; replaced by QCVN 03:2023/BTNMT, whose values were not retrieved.",
            sources=[dict(match_title="QCVN 03-MT:2015/BTNMT, table of maximum total content",
                          id="arc", tier="secondary")],
        ),
    ],
    land_uses=[
        ("agricultural", "agricultural land (đất nông nghiệp)"),
        ("forestry", "forestry land (đất lâm nghiệp)"),
        ("residential", "residential land (đất dân sinh)"),
        ("industrial", "industrial land (đất công nghiệp)"),
        ("commercial_service", "commercial/service land (đất thương mại, dịch vụ)"),
    ],
    value_types=[("max_limit", "maximum allowable limit (giới hạn tối đa)")],
)

# --------------------------------------------------------------------------------------------
# Second and third research passes (thresholds-notes.md sections 9-10): new jurisdictions, new
# instruments of existing ones, and notes brought up to date with what those passes found.
# --------------------------------------------------------------------------------------------

COUNTRIES["CAN"]["notes"] = COUNTRIES["CAN"]["notes"] + """
**Québec** (regional instrument, CA-QC): Land Protection and Rehabilitation Regulation (RPRT),
Q-2, r. 37, Schedule II limit values, mg/kg of soil (dry matter).

- Schedule II lands (s. 1): industrial, commercial or institutional zoning without residential or
  sensitive uses, roads, sidewalks, bicycle paths and municipal parks except play areas.
- The copy read ends after chlorobenzene: the rest of Schedule II and Schedule I (the other lands)
  were not retrieved. All 20 values equal criterion C of the 1998 Politique de protection des sols.
- The legal consequence of exceeding a limit value was not read; the mapping to "intervention" is
  provisional.
"""
COUNTRIES["CAN"]["instruments"].append(dict(
    match="Québec: Land Protection and Rehabilitation Regulation (Règlement sur la protection et la réhabilitation des terrains), chapter Q-2, r. 37 (O.C. 216-2003), Schedule II (Annexe II)",
    id="rprt-q-2-r-37", short="RPRT Q-2, r. 37, Schedule II", subdivision="CA-QC", status="in_force",
    sources=[dict(match_title="Land Protection and Rehabilitation Regulation, Q-2, r. 37", id="legisquebec",
                  tier="primary")],
))
COUNTRIES["CAN"]["land_uses"].append(
    ("schedule_ii_lands", "industrial/commercial/institutional lands and roads, sidewalks, bicycle paths and municipal parks (RPRT s. 1, Schedule II lands)"))
COUNTRIES["CAN"]["value_types"].append(("limit_value", "limit value (valeur limite), Schedule II"))

COUNTRIES["NOR"]["notes"] = """\
Norwegian Climate and Pollution Agency guidance TA-2553/2009: health-based condition classes
(tilstandsklasse 1-5) for contaminated soil.

- Each value is the upper limit of a condition class; the TK1 upper limit is the normverdi
  (background). The classes apply to all land and are linked to land use later, through
  acceptance criteria.
- **Secondary sources** (tier S): two third-party transcriptions (a Python module and a JSON table
  in a design plan) agree on every value they share. Miljødirektoratet confirms that the
  normverdier (TK1 upper limits) are in forurensningsforskriften chapter 2, annex 1, but does not
  show the values there. Re-check against TA-2553/2009 before the database leaves demo status.
"""

COUNTRIES["TWN"]["notes"] = """\
Two standards under the Soil and Groundwater Pollution Remediation Act, Art. 6(2), read in the
Laws & Regulations Database of the R.O.C. (Ministry of Justice open data, update of 11 October 2024).

- **Control standards** (土壤污染管制標準; issued 21 November 2001, amended 1 May 2008 and
  31 January 2011): general land, and lower values for food-crop farmland (Cd, Cu, Hg, Pb, Zn).
  Values in mg per kg soil, dry basis (Art. 3). The 13 metal values agree with the TEPA column of a
  peer-reviewed comparison (PMC3643867). Chlorinated solvents, dichlorobenzenes,
  3,3'-dichlorobenzidine and dioxins are not included.
- **Monitoring standards** (土壤污染監測標準, 31 January 2011): total heavy-metal content, dry basis.
  General monitoring standards apply to all land; lower monitoring baseline values apply to
  food-crop farmland.
- A value can be disapplied with the central authority's approval where the concentration is
  shown to be geogenic (Art. 2).
"""
COUNTRIES["TWN"]["instruments"].insert(0, dict(
    match="Soil Pollution Control Standards (土壤污染管制標準), under Soil and Groundwater Pollution Remediation Act Art. 6(2); issued 21 Nov 2001, amended 1 May 2008 and 31 Jan 2011 (latest amendment in the Oct 2024 MOJ data)",
    id="control-standards-2011", short="Soil Pollution Control Standards", status="in_force",
    sources=[dict(match_title="Soil Pollution Control Standards (土壤污染管制標準), Art. 5 table",
                  id="moj-open-data", tier="primary")],
))
COUNTRIES["TWN"]["value_types"] += [
    ("control_standard", "control standard (管制標準值)"),
    ("control_standard_farmland", "control standard for food-crop farmland (食用作物農地之管制標準值)"),
]

COUNTRIES["VNM"]["notes"] = """\
Two national technical regulations of the Ministry of Natural Resources and Environment (BTNMT).

- **QCVN 03:2023/BTNMT** (Circular 01/2023/TT-BTNMT, 13 March 2023), Table 1: maximum limit values
  for items 1-18 (metals and organochlorine pesticides) on three land types, Loại 1-3. It replaces
  QCVN 03-MT:2015, 45:2012, 54:2013 and 15:2008. Loại 1 includes the agricultural land group,
  aquaculture and salt-making land and residential land (definition only partly retrieved); the
  definitions of Loại 2 and 3 and the basis (dry weight?) were **not** retrieved. The copy read ends
  at item 19 (toxaphene).
- **QCVN 03-MT:2015/BTNMT** (Circular 64/2015/TT-BTNMT): maximum total content of heavy metals in
  topsoil by land use. **Superseded** by QCVN 03:2023/BTNMT: its values are kept as historical.
  It does not apply to mining areas or natural/special-use forests.
- **Secondary sources** (tier S): the 2023 table as reproduced by Thư Viện Pháp Luật (status from
  clv.vn); the 2015 table as transcribed by ARC (status from greencert.com.vn).
"""
for _ic in COUNTRIES["VNM"]["instruments"]:
    if _ic["id"] == "qcvn-03-mt-2015":
        _ic["status_note"] = "Replaced by QCVN 03:2023/BTNMT (Circular 01/2023/TT-BTNMT); kept as historical."
COUNTRIES["VNM"]["instruments"].insert(0, dict(
    match="QCVN 03:2023/BTNMT National technical regulation on soil quality (Circular 01/2023/TT-BTNMT, 13 Mar 2023); replaces QCVN 03-MT:2015/BTNMT, QCVN 45:2012/BTNMT, QCVN 54:2013/BTNMT, QCVN 15:2008/BTNMT",
    id="qcvn-03-2023", short="QCVN 03:2023/BTNMT", issuer="Ministry of Natural Resources and Environment (BTNMT)",
    status="in_force",
    sources=[dict(match_title="QCVN 03:2023/BTNMT Bảng 1", id="thuvienphapluat", tier="secondary")],
))
COUNTRIES["VNM"]["land_uses"] += [
    ("loai_1", "Loại 1 (type-1 land: includes the agricultural land group, aquaculture and salt-making land and residential land — class definition only partly retrieved)"),
    ("loai_2", "Loại 2 (type-2 land; class definition not retrieved)"),
    ("loai_3", "Loại 3 (type-3 land; class definition not retrieved)"),
]
COUNTRIES["VNM"]["value_types"].insert(0, ("max_limit_value", "maximum limit value (giá trị giới hạn tối đa)"))

COUNTRIES["ARG"] = dict(
    notes="""\
Decreto 831/93, regulation of Law 24.051 on hazardous waste, Annex II, Table 9 "Niveles guía de
calidad de suelos" (µg/g dry weight = mg/kg) for agricultural, residential and industrial use.

- Guide levels (niveles guía), mapped to "screening". The table adopted in 1993 the Environment
  Canada interim criteria of 1991 (reference "J"): show the year.
- The text read is a plain-text rendering of an HTML table with empty cells dropped: only the
  substances with all three values printed were transcribed (31). Boron, Cr(VI), HCH, thallium,
  vanadium, PCDD/PCDF and others were **not** transcribed because their columns were ambiguous.
- Provincial rules (e.g. Buenos Aires) were not searched.
""",
    instruments=[dict(
        match="Decreto 831/93, Reglamentación de la Ley N° 24.051 de Residuos Peligrosos, Anexo II, Tabla 9 — Niveles guía de calidad de suelos",
        id="decreto-831-1993", short="Decreto 831/93, Tabla 9", status="in_force",
        sources=[dict(match_title="Decreto 831/93 (Argentina), Anexo II Tabla 9", id="infoleg", tier="primary")],
    )],
    land_uses=[
        ("agricultural", "agricultural use (uso agrícola)"),
        ("residential", "residential use (uso residencial)"),
        ("industrial", "industrial use (uso industrial)"),
    ],
    value_types=[("nivel_guia", "soil quality guide level (nivel guía de calidad de suelos)")],
)

COUNTRIES["BEL"] = dict(
    name="Belgium",
    notes="""\
**Flemish Region** (regional instrument, BE-VLG): VLAREBO, the Flemish regulation on soil
remediation and soil protection (Besluit van de Vlaamse Regering of 14 December 2007), consolidated
text in the EMIS Navigator legislation database (VITO, for the Flemish government).

- **Annex IV, soil remediation standards** (bodemsaneringsnormen), mg/kg dry matter of the solid
  part of the soil, for destination types I-V. The definitions of the destination types and the
  footnotes were **not** retrieved, so the land uses are not mapped to a common class, and the
  mapping to "intervention" is provisional. The copy ends at the PAH heading: PAHs, mineral oil
  and the rest of Annex IV are not included.
- **Annex V, values for the free use of soil materials** (waarden voor vrij gebruik van
  bodemmaterialen): one value per substance. Chromium is left out (whether total or Cr(III)
  depends on a footnote not retrieved); the copy ends at beta-endosulfan.
""",
    instruments=[
        dict(match="Flemish Region: Besluit van de Vlaamse Regering van 14 december 2007 houdende vaststelling van het Vlaams reglement betreffende de bodemsanering en de bodembescherming (VLAREBO), Bijlage IV",
             id="vlarebo-annex-iv", short="VLAREBO, Bijlage IV", subdivision="BE-VLG", status="in_force",
             sources=[dict(match_title="VLAREBO Bijlage IV", id="emis-navigator-iv", tier="primary")]),
        dict(match="Flemish Region: Besluit van de Vlaamse Regering van 14 december 2007 houdende vaststelling van het Vlaams reglement betreffende de bodemsanering en de bodembescherming (VLAREBO), Bijlage V",
             id="vlarebo-annex-v", short="VLAREBO, Bijlage V", subdivision="BE-VLG", status="in_force",
             sources=[dict(match_title="VLAREBO Bijlage V", id="emis-navigator-v", tier="primary")]),
    ],
    land_uses=[
        ("type_i", "bestemmingstype I (VLAREBO destination type I; type definitions not in the retrieved text)"),
        ("type_ii", "bestemmingstype II (VLAREBO destination type II; type definitions not in the retrieved text)"),
        ("type_iii", "bestemmingstype III (VLAREBO destination type III; type definitions not in the retrieved text)"),
        ("type_iv", "bestemmingstype IV (VLAREBO destination type IV; type definitions not in the retrieved text)"),
        ("type_v", "bestemmingstype V (VLAREBO destination type V; type definitions not in the retrieved text)"),
        ("any_destination", "any destination (free use of soil materials)"),
    ],
    value_types=[
        ("bodemsaneringsnorm", "soil remediation standard (bodemsaneringsnorm)"),
        ("vrij_gebruik", "value for free use of soil materials (waarde voor vrij gebruik van bodemmaterialen)"),
    ],
)

COUNTRIES["BRA"] = dict(
    notes="""\
**Minas Gerais** (regional instrument, BR-MG): Deliberação Normativa COPAM nº 166/2011 (29 June
2011), list of guiding values for soil: the state's quality reference values (VRQ), prevention
values (VP) and investigation values (VI) for agricultural, residential and industrial land.

- VRQ mapped to "background", VP to "precautionary", VI provisionally to "intervention": the legal
  consequence of exceeding a VI was not read in a retrieved text (it could equally be "screening").
- The VP and VI columns are widely described as the federal CONAMA 420/2009 values, but CONAMA 420
  Annex II itself was **not** retrieved; Costa Rica's decree has identical VI triplets for 12
  substances. Whether DN 166 was revised after 2011 was not checked.
- **Secondary source** (tier S): a consultancy page's transcription (the copy ends after xylenes);
  the instrument's title and date were confirmed on the official SIAM-MG page. VRQs printed as
  "< x" (Cd, Mo, Ag) were not transcribed.
""",
    instruments=[dict(
        match="Minas Gerais state: Deliberação Normativa COPAM nº 166/2011 (replaces Anexo I of Deliberação Normativa Conjunta COPAM/CERH nº 02/2010) — Lista de valores orientadores para solos e água subterrânea (VRQ for MG; VP and VI columns)",
        id="dn-copam-166-2011", short="DN COPAM 166/2011", subdivision="BR-MG", issuer="COPAM", status="in_force",
        sources=[dict(match_title="COPAM nº 166 list of guiding values", id="geosam", tier="secondary")],
    )],
    land_uses=[
        ("all_mg_background", "all land uses (Minas Gerais natural background)"),
        ("all", "all land uses"),
        ("agricultural", "agricultural (agrícola)"),
        ("residential", "residential (residencial)"),
        ("industrial", "industrial (industrial)"),
    ],
    value_types=[
        ("vrq", "quality reference value (valor de referência de qualidade, VRQ — Minas Gerais)"),
        ("vp", "prevention value (valor de prevenção, VP)"),
        ("vi", "investigation value (valor de investigação, VI)"),
    ],
)

COUNTRIES["CRI"] = dict(
    notes="""\
Decreto Ejecutivo N° 37757 (15 May 2013), Chapter II "Valores guía para sustancias químicas en
suelos", Art. 6.1 Table 1: intervention values (mg/kg dry soil) for agricultural, residential and
industrial land, read on the official SCIJ/SINALEVI page.

- Intervention values classify contaminated zones and protect human health; higher
  concentrations may be acceptable where a risk analysis shows no risk (Art. 6).
- The copy read is **truncated** after ethylbenzene; the prevention values (6.2) were not
  retrieved. The decree's full title and current validity were not in the retrieved text.
- Thallium as printed: 15 / 2 / 15 (residential lower than the other uses); verify against
  La Gaceta.
""",
    instruments=[dict(
        match='Decreto Ejecutivo N° 37757 (15/05/2013), Capítulo II "Valores guía para sustancias químicas en suelos", Art. 6.1 Tabla 1 (valores de intervención)',
        id="decreto-37757", short="Decreto Ejecutivo 37757, Tabla 1", status="in_force",
        sources=[dict(match_title="Decreto Ejecutivo 37757, Artículo 6", id="scij", tier="primary")],
    )],
    land_uses=[
        ("agricultural", "agricultural (agrícola)"),
        ("residential", "residential (residencial)"),
        ("industrial", "industrial (industrial)"),
    ],
    value_types=[("intervention", "intervention value (valor de intervención)")],
)

COUNTRIES["CZE"] = dict(
    notes="""\
Decree 153/2016 Coll. on the protection of agricultural soil quality (Vyhláška č. 153/2016 Sb.),
as amended by 271/2019 Sb., in force since 1 June 2016; consolidated text of 15 November 2019.

- **Preventive values** (preventivní hodnoty, Annex 1): aqua regia, by soil category (common soils
  and light soils); organic substances in Table 2. Not applicable to geogenically anomalous soils.
- **Indicator values** (indikační hodnoty, Annex 2): contents above which food/feed safety, human
  or animal health or the production function of the soil are threatened (Act 334/1992 Sb.
  § 3(4)). Table 1 (food/feed safety) gives aqua-regia and NH4NO3 values; an exceedance counts
  only where both are exceeded. pH bands are pH in CaCl2. Mapped to "screening": the legal
  threshold sits between screening and intervention.
- Annex 2 Tables 1-2 were reconstructed from a table whose row spans were flattened; the Cd NH4NO3
  values and the light-soil Cd row were **not** transcribed. PCDD/F (ng I-TEQ/kg) left out.
""",
    instruments=[dict(
        match="Vyhláška č. 153/2016 Sb., o stanovení podrobností ochrany kvality zemědělské půdy (Decree 153/2016 Coll. on the protection of agricultural soil quality), as amended by 271/2019 Sb.",
        id="vyhlaska-153-2016", short="Vyhláška 153/2016 Sb.", status="in_force",
        sources=[dict(match_title="Vyhláška č. 153/2016 Sb., consolidated text", id="e-sbirka", tier="primary")],
    )],
    land_uses=[("agricultural", "agricultural land (zemědělská půda)")],
    value_types=[
        ("preventive", "preventive value (preventivní hodnota)"),
        ("indicator_food_feed", "indicator value (indikační hodnota) — food/feed safety (Příloha 2 Tab. 1)"),
        ("indicator_plants", "indicator value (indikační hodnota) — plant growth / production function (Příloha 2 Tab. 2)"),
        ("indicator_health", "indicator value (indikační hodnota) — human and animal health (Příloha 2 Tab. 3–4)"),
    ],
)

COUNTRIES["ESP"] = dict(
    notes="""\
Real Decreto 9/2005 (BOE-A-2005-895), criteria and standards for declaring soils contaminated; in
force, Annexes V and VI unchanged by later amendments. Official consolidated text of the BOE.

- **Generic reference levels** (niveles genéricos de referencia, NGR): Annex V for human health by
  land use (industrial, urban, other uses), Annex VI for ecosystems by receptor (soil organisms,
  aquatic organisms, terrestrial vertebrates). Exceeding an NGR triggers a site-specific risk
  assessment (Annex IV); without one, the region may declare the soil contaminated at 100 times
  the Annex V level (Annex III). Mapped to "screening".
- Annex IV.1.a: total petroleum hydrocarbons above 50 mg/kg trigger a risk assessment.
- **Metals have no national level**: Annex VII.3 leaves them to the autonomous communities;
  regional metal levels were not searched.
- Footnotes travel with the values: some values are the lower limit of detection; regions may go
  up to 700 / 200 mg/kg for anthracene and toluene / xylene.
""",
    instruments=[dict(
        match="Real Decreto 9/2005, de 14 de enero, por el que se establece la relación de actividades potencialmente contaminantes del suelo y los criterios y estándares para la declaración de suelos contaminados (consolidated; annexes V–VI unchanged by later amendments seen)",
        id="real-decreto-9-2005", short="Real Decreto 9/2005", status="in_force",
        sources=[dict(match_title="Real Decreto 9/2005, BOE consolidated text", id="boe", tier="primary")],
    )],
    land_uses=[
        ("industrial", "industrial use (uso industrial)"),
        ("urban", "urban use (uso urbano: housing, offices, facilities and services, recreation and sport)"),
        ("other_uses", "other uses (otros usos: land apt for agriculture, forestry and livestock)"),
        ("ecosystem_protection", "soils where the region prioritises ecosystem protection (Art. 4.2; any land use)"),
        ("all", "all land uses"),
    ],
    value_types=[
        ("ngr_health", "generic reference level for human-health protection (nivel genérico de referencia, NGR; Anexo V)"),
        ("ngr_soil_organisms", "generic reference level for ecosystem protection (NGR, Anexo VI) — soil organisms (organismos del suelo)"),
        ("ngr_aquatic_organisms", "generic reference level for ecosystem protection (NGR, Anexo VI) — aquatic organisms (organismos acuáticos)"),
        ("ngr_terrestrial_vertebrates", "generic reference level for ecosystem protection (NGR, Anexo VI) — terrestrial vertebrates (vertebrados terrestres)"),
        ("risk_assessment_trigger", "trigger for site-specific risk assessment (Anexo IV.1.a)"),
    ],
)

COUNTRIES["GBR"] = dict(
    notes="""\
Category 4 Screening Levels (C4SLs), Defra research project SP1010 (December 2014; England, and
Wales through its own Policy Companion Document), for six substances (As, Cd, Cr(VI), Pb, BaP,
benzene). Land below a C4SL is "clearly not contaminated" (Category 4) under Part 2A; exceeding
one does not make land contaminated.

- **Only two values were found**, each stated in the abstract of a peer-reviewed paper (secondary):
  As 37 mg/kg for residential soils in England (the produce scenario is not stated) and Pb 1300
  mg/kg for public open space (park). The C4SL table itself was not found.
""",
    instruments=[dict(
        match="Category 4 Screening Levels (C4SLs), Defra research project SP1010 (England; Wales adopted them via its own Policy Companion Document)",
        id="c4sl-2014", short="C4SL (Defra SP1010)", issuer="Defra", status="in_force",
        sources=[dict(match_title="Middleton et al. (2017)", id="middleton-2017", tier="secondary"),
                 dict(match_title="Ma & Dean (2022)", id="ma-dean-2022", tier="secondary")],
    )],
    land_uses=[
        ("residential", "residential (source: \"residential soils in England\"; produce scenario not stated)"),
        ("pos_park", "public open space – park (POSpark)"),
    ],
    value_types=[("c4sl", "Category 4 Screening Level (C4SL)")],
)

COUNTRIES["SVK"] = dict(
    notes="""\
Decree 508/2004 Z. z. implementing Act 220/2004 Z. z. on the protection and use of agricultural
soil, Annex 7 Table 1, inserted by Decree 59/2013 Z. z. (in force 1 April 2013): limit values of
risk elements in agricultural soil, mg/kg dry matter, aqua regia (total Hg), by soil type (share of
particles < 0.01 mm: below 20 %, 20-45 %, above 45 %).

- For Cd, Ni and Zn at pH(CaCl2) < 6 and for Pb at pH(CaCl2) < 5, the value of the next lighter
  soil type applies.
- Exceeding a limit value indicates contamination: the soil service determines the critical
  value and evaluates the risk; soil above a limit value is considered damaged (Act 220/2004
  § 8(2)). Mapped to "screening" (between screening and intervention).
- The NH4NO3-extractable and organic-substance tables and the critical values were not retrieved.
""",
    instruments=[dict(
        match="Vyhláška MPRV SR č. 508/2004 Z. z. implementing Act 220/2004 Z. z. on the protection and use of agricultural soil — Príloha č. 7 Tabuľka č. 1, inserted by Vyhláška č. 59/2013 Z. z. (in force 1 Apr 2013)",
        id="vyhlaska-508-2004", short="Vyhláška 508/2004 Z. z., Príloha 7", status="in_force",
        sources=[dict(match_title="Vyhláška č. 59/2013 Z. z.", id="slov-lex", tier="primary")],
    )],
    land_uses=[("agricultural", "agricultural land (poľnohospodárska pôda)")],
    value_types=[("limit_value", "limit value of risk elements (limitná hodnota rizikových prvkov)")],
)

COUNTRIES["SWE"] = dict(
    notes="""\
Naturvårdsverket generic guideline values for contaminated soil (generella riktvärden).

- **One value only**: lead for less sensitive land use (MKM) lowered from 400 to 180 mg/kg, from a
  laboratory's news item (secondary). The agency's page confirms that the latest updates concern
  lead and PCE/TCE, and that guideline values are neither limit values nor remediation targets.
- The definition of less sensitive land use was not retrieved: its mapping to "commercial and
  industrial" is provisional. Other KM/MKM values seen in a third-party note were not confirmed
  and are not included.
""",
    instruments=[dict(
        match="Naturvårdsverket generic guideline values for contaminated soil (generella riktvärden för förorenad mark), revised lead value",
        id="generella-riktvarden", short="Naturvårdsverket generic guideline values",
        issuer="Naturvårdsverket", status="in_force",
        sources=[dict(match_title="ALS Global (Sweden)", id="als-global", tier="secondary")],
    )],
    land_uses=[("mkm", "less sensitive land use (mindre känslig markanvändning, MKM)")],
    value_types=[("riktvarde", "generic guideline value (generellt riktvärde)")],
)

COUNTRIES["THA"] = dict(
    notes="""\
Notification of the National Environment Board on the Soil Quality Standard (Royal Gazette vol. 138,
special part 54 ง, 11 March 2021), which repeals NEB Notification No. 25 (2004). Two land-use
classes: residential, and commerce, agriculture and other activities ("other use").

- **Only the "other use" values** were retrieved; the residential values were not. Zinc was printed
  without a value and is left out; the copy ends at paraquat.
- The legal consequence of exceeding the standard and the dry-weight basis were not stated in the
  text read: the mapping to "screening" is provisional.
- **Secondary source** (tier S): a regulatory-update consultancy's comparison table.
""",
    instruments=[dict(
        match="Notification of the National Environment Board: Soil Quality Standard (ประกาศคณะกรรมการสิ่งแวดล้อมแห่งชาติ เรื่อง กำหนดมาตรฐานคุณภาพดิน), Royal Gazette vol. 138 special part 54 ง, 11 Mar 2021, pp. 20–24; repeals NEB Notification No. 25 (B.E. 2547/2004)",
        id="neb-soil-quality-2021", short="NEB Soil Quality Standard 2021", issuer="National Environment Board",
        status="in_force",
        sources=[dict(match_title="Thailand soil quality standard 2021", id="enviliance", tier="secondary")],
    )],
    land_uses=[("other_use", "land used for commerce, agriculture and other activities (\"other use\"; ที่ดินที่ใช้ประโยชน์เพื่อการค้าขาย เกษตรกรรม และกิจการอื่น ๆ)")],
    value_types=[("soil_quality_standard", "soil quality standard (มาตรฐานคุณภาพดิน)")],
)

SHORT_MORE = {}

# Land-use classes beyond thresholds-notes.md 2.1, for national classes that cannot be mapped.
EXTRA_LAND_USES = [
    ("unmapped", "Not mapped",
     "The instrument's definition of this class was not retrieved, so it is not compared as a common class."),
]

# Scope rules: (iso3, contaminant key, text the condition must contain) -> scope. The wording is
# taken from the condition. Used only for rows whose identity key collides without a scope.
SCOPE_RULES = [
    ("DEU", "cadmium", "applies to bread-wheat or vegetable growing", "bread-wheat or vegetable growing"),
    ("DEU", "cadmium", "other arable crops", "other arable crops"),
    ("EUU", None, "lower end of range", "lower end of range"),
    ("EUU", None, "upper end of range", "upper end of range"),
]

SCOPE_RULES += [
    ("CZE", None, "soil category: common soils", "common soils (běžné půdy)"),
    ("CZE", None, "soil category: light soils", "light soils (lehké půdy)"),
    ("SVK", None, "soil type: sandy, loamy-sand (", "sandy and loamy-sand soils (particles < 0.01 mm below 20 %)"),
    ("SVK", None, "soil type: sandy-loam, loam (", "sandy-loam and loam soils (particles < 0.01 mm 20–45 %)"),
    ("SVK", None, "soil type: clay-loam, clayey, clay (", "clay-loam, clayey and clay soils (particles < 0.01 mm above 45 %)"),
]

CONTAMINANTS.update({
    "2_4_5_trichlorophenol": ("2,4,5-Trichlorophenol", None, "other_organic", ["2,4,5-tcp"]),
    "2_4_6_trichlorophenol": ("2,4,6-Trichlorophenol", None, "other_organic", ["2,4,6-tcp"]),
    "acenaphthene": ("Acenaphthene", None, "pah", []),
    "acenaphthylene": ("Acenaphthylene", None, "pah", []),
    "alpha_chlordane": ("alpha-Chlordane", None, "pesticide", ["α-chlordane", "cis-chlordane"]),
    "anthracene": ("Anthracene", None, "pah", []),
    "benzene": ("Benzene", None, "voc", []),
    "benzo_a_anthracene": ("Benz[a]anthracene", None, "pah", ["benzo(a)anthracene"]),
    "benzo_b_fluoranthene": ("Benzo[b]fluoranthene", None, "pah", ["benzo(b)fluoranthene"]),
    "benzo_ghi_perylene": ("Benzo[ghi]perylene", None, "pah", ["benzo(ghi)perylene"]),
    "benzo_k_fluoranthene": ("Benzo[k]fluoranthene", None, "pah", ["benzo(k)fluoranthene"]),
    "bromide_available": ("Bromide, available", None, "other_inorganic", []),
    "chrysene": ("Chrysene", None, "pah", []),
    "cyanide_available": ("Cyanide, available", None, "other_inorganic", []),
    "cyanide_non_chlorine_oxidisable": ("Cyanide, not oxidisable by chlorine", None, "other_inorganic", []),
    "cyanide_total": ("Cyanide, total", None, "other_inorganic", ["total cyanide"]),
    "ddt_and_derivatives": ("DDT and derivatives", None, "pesticide", []),
    "dibenzo_a_h_anthracene": ("Dibenz[a,h]anthracene", None, "pah", ["dibenzo(a,h)anthracene"]),
    "ethylbenzene": ("Ethylbenzene", None, "voc", []),
    "fluoranthene": ("Fluoranthene", None, "pah", []),
    "fluorene": ("Fluorene", None, "pah", []),
    "fluoride_available": ("Fluoride, available", None, "other_inorganic", []),
    "gamma_chlordane": ("gamma-Chlordane", None, "pesticide", ["γ-chlordane", "trans-chlordane"]),
    "glyphosate": ("Glyphosate", None, "pesticide", []),
    "hch_sum_alpha_beta_gamma": ("HCH, sum of alpha, beta and gamma", None, "pesticide", []),
    "heptachlor_epoxide": ("Heptachlor epoxide", None, "pesticide", []),
    "indeno_1_2_3_cd_pyrene": ("Indeno[1,2,3-cd]pyrene", None, "pah", ["indeno(1,2,3-cd)pyrene"]),
    "o,p'-ddd": ("o,p'-DDD", None, "pesticide", ["2,4'-ddd"]),
    "o,p'-dde": ("o,p'-DDE", None, "pesticide", ["2,4'-dde"]),
    "o,p'-ddt": ("o,p'-DDT", None, "pesticide", ["2,4'-ddt"]),
    "pah_sum_12": ("PAH (12), sum", None, "pah", []),
    "phenanthrene": ("Phenanthrene", None, "pah", []),
    "pyrene": ("Pyrene", None, "pah", []),
    "styrene": ("Styrene", None, "voc", []),
    "thiocyanates": ("Thiocyanates", None, "other_inorganic", []),
    "toluene": ("Toluene", None, "voc", []),
    "xylenes": ("Xylenes", None, "voc", ["xylene"]),
})


# --------------------------------------------------------------------------------------------
# Parsing of the condition / basis text into fields
# --------------------------------------------------------------------------------------------

NUM = r"\d+(?:\.\d+)?"
TEXTURES = {"sand": "sand", "loam/silt": "loam_silt", "clay": "clay"}
TEXTURE_ORDER = ["sand", "loam_silt", "clay"]


def band(var, lo_op, lo, hi_op, hi):
    """Writes a band in the grammar `a < VAR <= b`, `VAR <= b`, `VAR > a`."""
    parts = []
    if lo is not None:
        parts.append("%s %s" % (lo, lo_op))
    parts.append(var)
    if hi is not None:
        parts.append("%s %s" % (hi_op, hi))
    return " ".join(parts)


def parse_ph_segment(seg):
    """`pH<=5.5 (soil pH band)`, `5.5<pH<=6.5 (soil pH band)`, `pH>7.5 (soil pH band)`."""
    m = re.fullmatch(r"(?:(%s)\s*(<=|<)\s*)?pH\s*(?:(<=|<|>=|>)\s*(%s))?\s*\(soil pH band\)" % (NUM, NUM), seg)
    if not m:
        return None
    lo, lo_op, op, val = m.groups()
    if lo is None and op in (">", ">="):
        return "pH %s %s" % (op, val)
    return band("pH", lo_op, lo, op, val)


def parse_toc_segment(seg):
    m = re.fullmatch(r"TOC\s*(<=|<)\s*(%s)\s*%%" % NUM, seg)
    if m:
        return "TOC %s %s" % (m.group(1), m.group(2))
    m = re.fullmatch(r"TOC\s*>\s*(%s)\s*%%\s*to\s*(%s)\s*%%" % (NUM, NUM), seg)
    if m:
        return "%s < TOC <= %s" % (m.group(1), m.group(2))
    return None


def parse_texture_segment(seg):
    m = re.fullmatch(r"soil texture: (sand|loam/silt|clay)(?: \(KA5 main groups\))?", seg)
    return TEXTURES[m.group(1)] if m else None


def parse_extraction_segment(seg):
    if seg == "aqua regia":
        return "aqua_regia"
    if re.fullmatch(r"ammonium nitrate extract(?: \(DIN ISO 19730\), NOT aqua regia)?", seg):
        return "ammonium_nitrate"
    if seg == "alkaline hot extraction DIN EN 15192":
        return "alkaline"
    return None


def condition_ph(iso, condition):
    """pH bands inside a condition: `soil pH < 5` (CRI), `pH/CaCl2 <= 6.5`, `pH/CaCl2 5.0–6.5` (CZE)."""
    if iso == "CRI":
        m = re.search(r"soil pH (<|≥) (%s)" % NUM, condition)
        if m:
            return "pH %s %s" % ("<" if m.group(1) == "<" else ">=", m.group(2))
    if iso == "CZE":
        m = re.search(r"pH/CaCl2 (%s)–(%s)" % (NUM, NUM), condition)
        if m:
            return "%s <= pH <= %s" % (m.group(1), m.group(2))
        m = re.search(r"pH/CaCl2 (≤|<|>) (%s)" % NUM, condition)
        if m:
            return "pH %s %s" % ({"≤": "<="}.get(m.group(1), m.group(1)), m.group(2))
    return None


def basis_ph(basis):
    m = re.search(r"soil pH (%s) to (%s)" % (NUM, NUM), basis)
    return "%s <= pH <= %s" % (m.group(1), m.group(2)) if m else None


def basis_extraction(basis):
    if "NH4NO3-extractable" in basis or "NH4NO3 extract" in basis:
        return "ammonium_nitrate"
    if "aqua regia extract" in basis or "aqua regia digestion" in basis:
        return "aqua_regia"
    return None


def band_lower(text):
    """Lower bound of a band for sorting (None = unbounded below)."""
    if not text:
        return -math.inf
    m = re.match(r"^(%s) <=? " % NUM, text)
    if m:
        return float(m.group(1))
    m = re.search(r" >=? (%s)$" % NUM, text)
    if m:
        return float(m.group(1))
    return -math.inf


# --------------------------------------------------------------------------------------------
# YAML writing (a small, strict emitter: plain scalars only where they are unambiguous)
# --------------------------------------------------------------------------------------------

PLAIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./+-]*$")
NOT_STRING_RES = [
    re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$"),
    re.compile(r"^[-+]?[0-9][0-9_]*$"),                                   # int (incl. 1.1 forms)
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$"),   # float
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),      # float, exponent
    re.compile(r"^0[xob][0-9a-fA-F_]+$"),
    re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),                          # date (1.1 timestamp)
    re.compile(r"^\.(?:inf|Inf|INF|nan|NaN|NAN)$"),
]


def q(s):
    """A string scalar: plain when safe, otherwise double-quoted with escapes."""
    s = str(s)
    if PLAIN_RE.match(s) and not any(r.match(s) for r in NOT_STRING_RES):
        return s
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def dq(s):
    """A string scalar, always double-quoted."""
    text = q(s)
    return text if text.startswith('"') else '"' + text + '"'


def flow_map(pairs):
    return "{ " + ", ".join("%s: %s" % (k, v) for k, v in pairs) + " }"


def flow_list(items):
    return "[" + ", ".join(q(i) for i in items) + "]"


def block_text(text, indent):
    pad = " " * indent
    lines = text.rstrip("\n").split("\n")
    out = []
    for line in lines:
        line = line.rstrip()
        out.append(pad + line if line else "")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------

class ImportError_(Exception):
    pass


def fail(msg):
    raise ImportError_(msg)


def most_common(values):
    counts = collections.Counter(values)
    first = {}
    for i, v in enumerate(values):
        first.setdefault(v, i)
    return sorted(counts, key=lambda v: (-counts[v], first[v]))[0]


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build(ref):
    rows = read_csv(os.path.join(ref, "thresholds.csv"))
    vocab_rows = read_csv(os.path.join(ref, "vocabulary-map.csv"))
    land_vocab, value_vocab = read_vocabulary_tables(os.path.join(ref, "thresholds-notes.md"))

    # ---- common vocabulary
    if [c for c, _ in land_vocab] != list(LAND_USE_NAMES):
        fail("land-use classes in thresholds-notes.md 2.1 changed: %s" % [c for c, _ in land_vocab])
    if [c for c, _ in value_vocab] != list(VALUE_TYPE_NAMES):
        fail("value-type classes in thresholds-notes.md 2.2 changed: %s" % [c for c, _ in value_vocab])

    vocab = {}
    for v in vocab_rows:
        vocab[(v["country"], v["field"], v["original"])] = normalise_class(v["proposed_class"])
    missing = sorted({(r["country"], f, r[f]) for r in rows for f in ("land_use", "value_type")
                      if (r["country"], f, r[f]) not in vocab})
    if missing:
        fail("strings missing from vocabulary-map.csv:\n  " + "\n  ".join(map(repr, missing)))
    for (country, field, original), cls in sorted(vocab.items()):
        allowed = (list(LAND_USE_NAMES) + [c for c, _, _ in EXTRA_LAND_USES]
                   if field == "land_use" else VALUE_TYPE_NAMES)
        if cls not in allowed:
            fail("vocabulary-map.csv maps %r to unknown class %r" % (original, cls))

    # ---- contaminants
    keys = sorted({r["contaminant"] for r in rows})
    unknown = [k for k in keys if k not in CONTAMINANTS]
    if unknown:
        fail("contaminant keys without a display entry: %s" % unknown)
    extra = sorted(set(CONTAMINANTS) - set(keys))
    if extra:
        fail("display entries for keys not in the CSV: %s" % extra)
    ids = {k: contaminant_id(k) for k in keys}
    if len(set(ids.values())) != len(ids):
        fail("contaminant ids collide")
    for k, i in ids.items():
        if not ID_RE.match(i):
            fail("bad contaminant id %r for %r" % (i, k))
    cas = collections.defaultdict(list)
    for r in rows:
        for c in r["cas"].split(";"):
            c = c.strip()
            if c and c not in cas[r["contaminant"]]:
                cas[r["contaminant"]].append(c)
    contaminants = []
    multi_cas = []
    for k in keys:
        name, symbol, group, aliases = CONTAMINANTS[k]
        if group not in GROUPS:
            fail("bad group %r" % group)
        if len(cas[k]) > 1:
            # One key, several CAS numbers (a sum, or two sources that disagree): a single `cas`
            # cannot state that without choosing, so it is left out and reported.
            multi_cas.append((k, cas[k]))
        contaminants.append(dict(key=k, id=ids[k], name=name, symbol=symbol,
                                 cas=cas[k][0] if len(cas[k]) == 1 else None,
                                 group=group, aliases=aliases))
    contaminants.sort(key=lambda c: (GROUPS.index(c["group"]), c["name"].casefold(), c["id"]))

    # ---- jurisdictions
    by_iso = collections.OrderedDict()
    for i, r in enumerate(rows):
        r["_row"] = i + 2  # line number in the CSV (header is line 1)
        by_iso.setdefault(r["iso3"], []).append(r)
    if set(by_iso) != set(COUNTRIES):
        fail("jurisdictions differ: CSV %s, script %s" % (sorted(by_iso), sorted(COUNTRIES)))

    files = []
    seen_rows = collections.Counter()
    collisions_report = []
    for iso in sorted(by_iso):
        crows = by_iso[iso]
        conf = COUNTRIES[iso]
        names = {r["country"] for r in crows}
        if len(names) != 1:
            fail("%s has several country names: %s" % (iso, names))
        country = names.pop()
        lu_keys = collections.OrderedDict((term, key) for key, term in conf["land_uses"])
        vt_keys = collections.OrderedDict((term, key) for key, term in conf["value_types"])

        instruments = []
        inst_by_title = {}
        for r in crows:
            title = r["instrument"]
            if title in inst_by_title:
                inst_by_title[title]["rows"].append(r)
                continue
            matches = [ic for ic in conf["instruments"] if ic["match"] == title]
            if len(matches) != 1:
                fail("%s: instrument not configured: %r" % (iso, title))
            inst = dict(conf=matches[0], title=title, rows=[r])
            inst_by_title[title] = inst
            instruments.append(inst)
        if len(instruments) != len(conf["instruments"]):
            fail("%s: configured instruments not all in the CSV" % iso)

        out_instruments = []
        for inst in instruments:
            ic = inst["conf"]
            irows = inst["rows"]
            years = {r["year"] for r in irows}
            if len(years) != 1:
                fail("%s %s: several years %s" % (iso, ic["id"], years))
            year = years.pop()
            basis = most_common([r["basis"] for r in irows])

            # sources
            sources = []
            src_of_row = {}
            for r in irows:
                pair = (r["source_title"], r["source_where"], r["source_url"])
                hits = [sc for sc in ic["sources"]
                        if ("match_title" not in sc or r["source_title"].startswith(sc["match_title"]))
                        and ("match_where" not in sc or r["source_where"].startswith(sc["match_where"]))]
                if len(hits) != 1:
                    fail("%s %s: source matches %d rules: %r" % (iso, ic["id"], len(hits), pair))
                sc = hits[0]
                existing = [s for s in sources if s["id"] == sc["id"]]
                if existing:
                    if (existing[0]["title"], existing[0]["where"], existing[0]["url"]) != pair:
                        fail("%s %s: source id %s has two texts" % (iso, ic["id"], sc["id"]))
                else:
                    sources.append(dict(id=sc["id"], title=pair[0], where=pair[1], url=pair[2],
                                        tier=sc["tier"]))
                src_of_row[r["_row"]] = sc["id"]
            if len(sources) != len(ic["sources"]):
                fail("%s %s: configured sources not all used" % (iso, ic["id"]))
            # keep the configured order of sources
            order = [sc["id"] for sc in ic["sources"]]
            sources.sort(key=lambda s: order.index(s["id"]))

            # local vocabularies used by this instrument, in configured order
            used_lu = {r["land_use"] for r in irows}
            used_vt = {r["value_type"] for r in irows}
            for term in used_lu:
                if term not in lu_keys:
                    fail("%s: land use without a local key: %r" % (iso, term))
            for term in used_vt:
                if term not in vt_keys:
                    fail("%s: value type without a local key: %r" % (iso, term))
            land_uses = [(lu_keys[t], t, vocab[(country, "land_use", t)])
                         for t in lu_keys if t in used_lu]
            value_types = [(vt_keys[t], t, vocab[(country, "value_type", t)])
                           for t in vt_keys if t in used_vt]
            lu_index = {k: i for i, (k, _, _) in enumerate(land_uses)}
            vt_index = {k: i for i, (k, _, _) in enumerate(value_types)}

            records = []
            for r in irows:
                rec = collections.OrderedDict()
                rec["_row"] = r["_row"]
                rec["_key"] = r["contaminant"]
                rec["_condition"] = r["condition"]
                rec["contaminant"] = ids[r["contaminant"]]
                rec["land_use"] = lu_keys[r["land_use"]]
                rec["value_type"] = vt_keys[r["value_type"]]
                raw_value = r["value"].strip()
                unit = r["unit"].strip()
                medium = None
                if unit == "mg/kg rice":
                    unit, medium = "mg/kg", "rice"
                elif unit != "mg/kg":
                    fail("row %d: unexpected unit %r" % (r["_row"], unit))
                if raw_value == "":
                    rec["value"] = None
                else:
                    if not re.fullmatch(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[-+][0-9]+)?", raw_value):
                        fail("row %d: value %r is not a plain number" % (r["_row"], raw_value))
                    rec["value"] = raw_value
                rec["unit"] = unit if raw_value != "" else None
                rec["medium"] = medium

                ph = texture = toc = extraction = None
                keep = []
                for seg in r["condition"].split("; "):
                    s = seg.strip()
                    if not s:
                        continue
                    p = parse_ph_segment(s)
                    t = parse_texture_segment(s)
                    o = parse_toc_segment(s)
                    e = parse_extraction_segment(s)
                    if p:
                        if ph:
                            fail("row %d: two pH bands" % r["_row"])
                        ph = p
                    elif t:
                        texture = t
                    elif o:
                        toc = o
                    elif e:
                        if extraction and extraction != e:
                            fail("row %d: two extractions" % r["_row"])
                        extraction = e
                    else:
                        keep.append(seg.rstrip())
                if ph is None:
                    # pH bands written inside a longer condition (CRI, CZE): the band becomes
                    # structured and the text stays in the note, which says how pH is measured.
                    ph = condition_ph(iso, r["condition"])
                bph = basis_ph(r["basis"])
                if bph:
                    if ph and ph != bph:
                        fail("row %d: pH in condition and basis differ" % r["_row"])
                    ph = bph
                bex = basis_extraction(r["basis"])
                if bex and not extraction:
                    extraction = bex
                elif bex and extraction != bex and "unless stated" not in r["basis"]:
                    fail("row %d: extraction %s in condition, %s in basis" % (r["_row"], extraction, bex))
                rec["ph"] = ph
                rec["texture"] = texture
                rec["organic_carbon"] = toc
                rec["extraction"] = extraction
                rec["scope"] = None
                rec["basis"] = r["basis"] if r["basis"] != basis else None
                rec["note"] = "; ".join(keep).strip() or None
                rec["source"] = src_of_row[r["_row"]] if len(sources) > 1 else None
                records.append(rec)

            out_instruments.append(dict(conf=ic, title=inst["title"], year=year, basis=basis,
                                        sources=sources, land_uses=land_uses,
                                        value_types=value_types, records=records,
                                        lu_index=lu_index, vt_index=vt_index))

        # ---- identity check, then scopes for the collisions
        def identity(inst, rec):
            return (inst["conf"]["id"], rec["contaminant"], rec["land_use"], rec["value_type"],
                    rec["ph"], rec["texture"], rec["organic_carbon"], rec["extraction"],
                    rec["medium"], rec["scope"])

        groups = collections.defaultdict(list)
        for inst in out_instruments:
            for rec in inst["records"]:
                groups[identity(inst, rec)].append(rec)
        colliding = [g for g in groups.values() if len(g) > 1]
        colliding_rows = {rec["_row"] for g in colliding for rec in g}
        for g in colliding:
            print("collision in %s: %s" % (iso, ", ".join(
                "CSV line %d (%s = %s)" % (rec["_row"], rec["contaminant"], rec["value"]) for rec in g)))
        for inst in out_instruments:
            for rec in inst["records"]:
                if rec["_row"] not in colliding_rows:
                    continue
                hits = [scope for (riso, rkey, text, scope) in SCOPE_RULES
                        if riso == iso and (rkey is None or rkey == rec["_key"])
                        and text in rec["_condition"]]
                if len(hits) != 1:
                    fail("%s CSV line %d: collision without exactly one scope rule" % (iso, rec["_row"]))
                rec["scope"] = hits[0]
                collisions_report.append((iso, inst["conf"]["id"], rec["contaminant"],
                                          rec["land_use"], rec["value_type"], rec["value"],
                                          rec["scope"], rec["_row"]))
        final = collections.Counter(identity(inst, rec) for inst in out_instruments
                                    for rec in inst["records"])
        dup = [k for k, n in final.items() if n > 1]
        if dup:
            fail("%s: identity collisions remain after scopes: %s" % (iso, dup))

        # ---- order and coverage
        for inst in out_instruments:
            inst["records"].sort(key=lambda rec: (
                rec["contaminant"], inst["lu_index"][rec["land_use"]],
                inst["vt_index"][rec["value_type"]], band_lower(rec["ph"]),
                TEXTURE_ORDER.index(rec["texture"]) if rec["texture"] else -1,
                band_lower(rec["organic_carbon"]), rec["extraction"] or "", rec["medium"] or "",
                rec["scope"] or "", rec["_row"]))
            for rec in inst["records"]:
                seen_rows[rec["_row"]] += 1
        files.append(dict(iso=iso, country=country, notes=conf["notes"],
                          instruments=out_instruments))

    all_rows = {r["_row"] for r in rows}
    if set(seen_rows) != all_rows or any(n != 1 for n in seen_rows.values()):
        fail("CSV rows not written exactly once")
    return rows, contaminants, multi_cas, land_vocab, value_vocab, files, collisions_report


def render_contaminants(contaminants):
    out = [HEADER]
    for c in contaminants:
        out.append("- id: %s\n" % q(c["id"]))
        out.append("  name: %s\n" % q(c["name"]))
        if c["symbol"]:
            out.append("  symbol: %s\n" % q(c["symbol"]))
        if c["cas"]:
            out.append("  cas: %s\n" % q(c["cas"]))
        out.append("  group: %s\n" % q(c["group"]))
        out.append("  aliases: %s\n" % flow_list(c["aliases"]))
    return "".join(out)


def render_vocabulary(entries, names):
    out = [HEADER]
    for cid, meaning in entries:
        out.append("- id: %s\n" % q(cid))
        out.append("  name: %s\n" % q(names[cid]))
        out.append("  description: %s\n" % dq(sentence(meaning)))
    return "".join(out)


def render_country(f):
    out = [HEADER]
    out.append("country: %s\n" % q(f["iso"]))
    out.append("name: %s\n" % q(f["country"]))
    out.append("notes: |\n")
    out.append(block_text(f["notes"], 2))
    out.append("instruments:\n")
    for inst in f["instruments"]:
        ic = inst["conf"]
        out.append("  - id: %s\n" % q(ic["id"]))
        out.append("    title: %s\n" % dq(inst["title"]))
        short = ic.get("short") or SHORT.get(ic["id"])
        if short:
            out.append("    short: %s\n" % dq(short))
        if ic.get("subdivision"):
            out.append("    subdivision: %s\n" % q(ic["subdivision"]))
        out.append("    year: %s\n" % dq(inst["year"]))
        if ic.get("issuer"):
            out.append("    issuer: %s\n" % q(ic["issuer"]))
        out.append("    status: %s\n" % q(ic["status"]))
        if ic.get("status_note"):
            out.append("    status_note: %s\n" % dq(ic["status_note"]))
        out.append("    basis: %s\n" % dq(inst["basis"]))
        out.append("    sources:\n")
        for s in inst["sources"]:
            out.append("      - id: %s\n" % q(s["id"]))
            out.append("        title: %s\n" % dq(s["title"]))
            out.append("        where: %s\n" % dq(s["where"]))
            if s["url"]:
                out.append("        url: %s\n" % dq(s["url"]))
            out.append("        tier: %s\n" % q(s["tier"]))
        out.append("    land_uses:\n")
        for key, term, cls in inst["land_uses"]:
            out.append("      %s: %s\n" % (q(key), flow_map([("term", q(term)), ("class", q(cls))])))
        out.append("    value_types:\n")
        for key, term, cls in inst["value_types"]:
            out.append("      %s: %s\n" % (q(key), flow_map([("term", q(term)), ("class", q(cls))])))
        out.append("    values:\n")
        for rec in inst["records"]:
            pairs = [("contaminant", q(rec["contaminant"])), ("land_use", q(rec["land_use"])),
                     ("value_type", q(rec["value_type"]))]
            pairs.append(("value", rec["value"] if rec["value"] is not None else "none"))
            for k in ("unit", "medium", "ph", "texture", "organic_carbon", "extraction", "scope",
                      "basis", "note", "source"):
                if rec[k] is not None:
                    quote = dq if k in ("ph", "organic_carbon", "scope", "basis", "note") else q
                    pairs.append((k, quote(rec[k])))
            out.append("      - %s\n" % flow_map(pairs))
    return "".join(out)


IDENTITY_FIELDS = ("contaminant", "land_use", "value_type", "ph", "texture", "organic_carbon",
                   "extraction", "medium", "scope")


def file_records(text):
    """The records of a country file as this script writes them (one flow map per value line),
    keyed by instrument and identity, with their value."""
    out = {}
    inst = None
    for line in text.splitlines():
        m = re.match(r"^  - id: (\S+)$", line)
        if m:
            inst = m.group(1)
        if line.startswith("      - {"):
            fields = dict(re.findall(r'([a-z_]+): ("(?:[^"\\]|\\.)*"|[^,}]*)', line[9:]))
            fields = {k: v.strip().strip('"') for k, v in fields.items()}
            out[(inst,) + tuple(fields.get(k) for k in IDENTITY_FIELDS)] = fields.get("value")
    return out


def lost_records(path, text):
    """Values of the committed file at `path` that `text` would drop or renumber."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        old = file_records(f.read())
    new = file_records(text)
    return [(key, value, new.get(key)) for key, value in old.items() if new.get(key) != value]


def write(path, text, written):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    old = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
    if old != text:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    written.append((os.path.relpath(path, REPO), old == text))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reference",
                    help="folder with thresholds.csv, vocabulary-map.csv, thresholds-notes.md")
    ap.add_argument("--allow-removals", action="store_true",
                    help="write even when a committed value would be dropped or changed")
    args = ap.parse_args()
    try:
        rows, contaminants, multi_cas, land_vocab, value_vocab, files, collisions = build(args.reference)
    except (ImportError_, OSError, KeyError, ValueError) as e:
        print("import-thresholds: error: %s" % e, file=sys.stderr)
        return 1

    data = os.path.join(REPO, "data")
    lost = []
    for f in files:
        path = os.path.join(data, "thresholds/%s.yaml" % f["iso"].lower())
        lost += [(os.path.relpath(path, REPO),) + x for x in lost_records(path, render_country(f))]
    if lost:
        print("import-thresholds: %d committed value(s) would be dropped or changed:" % len(lost),
              file=sys.stderr)
        for path, key, old, new in lost:
            print("  %s: %s: %s -> %s" % (path, " / ".join(k for k in key if k), old,
                                          new if new is not None else "(dropped)"), file=sys.stderr)
        if not args.allow_removals:
            print("nothing written; keep those values in the reference table, or re-run with "
                  "--allow-removals if dropping them is intended", file=sys.stderr)
            return 1
    written = []
    write(os.path.join(data, "contaminants.yaml"), render_contaminants(contaminants), written)
    land_names = collections.OrderedDict(LAND_USE_NAMES)
    for cid, name, description in EXTRA_LAND_USES:
        land_names[cid] = name
        land_vocab = land_vocab + [(cid, description)]
    write(os.path.join(data, "land-uses.yaml"), render_vocabulary(land_vocab, land_names), written)
    write(os.path.join(data, "value-types.yaml"), render_vocabulary(value_vocab, VALUE_TYPE_NAMES), written)
    expected = {"contaminants.yaml", "land-uses.yaml", "value-types.yaml"}
    for f in files:
        name = "thresholds/%s.yaml" % f["iso"].lower()
        expected.add(name)
        write(os.path.join(data, name), render_country(f), written)
    stale = []
    tdir = os.path.join(data, "thresholds")
    for name in sorted(os.listdir(tdir)):
        if name.endswith(".yaml") and "thresholds/" + name not in expected:
            stale.append("data/thresholds/" + name)

    # ---- summary
    print("\nFiles (%d):" % len(written))
    for path, unchanged in written:
        print("  %-32s %s" % (path, "unchanged" if unchanged else "written"))
    if stale:
        print("  stale, not produced by this run (remove by hand): %s" % ", ".join(stale))
    n_numeric = sum(1 for f in files for i in f["instruments"] for r in i["records"] if r["value"] is not None)
    n_none = sum(1 for f in files for i in f["instruments"] for r in i["records"] if r["value"] is None)
    print("\nCSV rows: %d -> records: %d numeric + %d none" % (len(rows), n_numeric, n_none))
    print("Contaminants: %d" % len(contaminants))
    for k, numbers in multi_cas:
        print("  %s: the CSV gives several CAS numbers (%s); `cas` left out" % (k, ", ".join(numbers)))
    print("\nInstruments and sources:")
    for f in files:
        for inst in f["instruments"]:
            print("  %s %-48s %-10s %4d records" % (f["iso"], inst["conf"]["id"], inst["conf"]["status"],
                                                   len(inst["records"])))
            for s in inst["sources"]:
                print("        source %-22s %s" % (s["id"], s["tier"]))
    print("\nRecords per jurisdiction:")
    for f in files:
        print("  %s %-26s %4d" % (f["iso"], f["country"],
                                  sum(len(i["records"]) for i in f["instruments"])))
    print("\nCollisions resolved with scope (%d records):" % len(collisions))
    for iso, inst, cid, lu, vt, value, scope, line in collisions:
        print("  %s %s %s/%s/%s value %s -> scope %r (CSV line %d)" % (iso, inst, cid, lu, vt, value, scope, line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
