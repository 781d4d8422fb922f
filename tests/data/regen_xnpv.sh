#!/usr/bin/env bash
# Regenerate tests/data/xnpv_gnumeric.csv: XNPV and XIRR of many dated cash-flow series as
# computed by Gnumeric's own XNPV/XIRR functions (ssconvert recalculates every formula).
# Needs python3 and gnumeric's ssconvert (not on CI: CI only reads the stored results).
#   ./tests/data/regen_xnpv.sh            (from the project root)
# The series are built here (deterministic), written as a .gnumeric workbook with formulas
# =XNPV(rate, flows, dates) and =XIRR(flows, dates) (dates as =DATE(y,m,d)), converted with
#   ssconvert xnpv.gnumeric xnpv.csv
# and the computed values are stored next to the series in xnpv_gnumeric.csv.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v ssconvert >/dev/null || { echo "regen_xnpv: ssconvert (gnumeric) not found" >&2; exit 1; }

python3 - "$tmp" <<'EOF'
import calendar, math, sys
tmp = sys.argv[1]

def month_ends(y, m, n):
    out = []
    for k in range(n):
        yy, mm = y + (m - 1 + k) // 12, (m - 1 + k) % 12 + 1
        out.append((yy, mm, calendar.monthrange(yy, mm)[1]))
    return out

class Lcg:  # tiny deterministic generator (no dependence on Python's random module)
    def __init__(self, s): self.s = s
    def u(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) % 2**64
        return (self.s >> 11) / 2**53

series = []  # (name, rate, dates[(y,m,d)], flows)
def add(name, rate, start, flows):
    series.append((name, rate, month_ends(start[0], start[1], len(flows)), [float(f) for f in flows]))

add("two_flows", 0.10, (2026, 1), [-100] + [0] * 10 + [110])
add("annuity_12", 0.08, (2026, 1), [-1000] + [90] * 12)
g = Lcg(7)
proj = [-(8e6 + 4e6 * g.u()) for _ in range(18)] + \
       [1.5e6 * (1.02 ** (k / 12)) * (0.9 + 0.2 * g.u()) for k in range(162)]
add("project_180", 0.10, (2026, 1), proj)
add("leap_span", 0.12, (2027, 11), [-500, 100, 120, 140, 160, 60])
add("leap_feb_start", 0.07, (2024, 2), [-300] + [30] * 11)
add("tiny", 0.09, (2026, 3), [-1e-6, 3e-7, 4e-7, 5e-7])
add("huge", 0.11, (2026, 1), [-4e12] + [1.1e11] * 47)
add("negative_irr", 0.05, (2026, 1), [-100] + [5] * 12)
add("high_irr", 0.20, (2026, 1), [-100, 0, 130])
add("roots_10_20", 0.15, (2025, 12), [-100] + [0] * 11 + [230] + [0] * 11 + [-132])
add("roots_5_50", 0.30, (2025, 12), [-100] + [0] * 11 + [255] + [0] * 11 + [-157.5])
add("all_positive", 0.10, (2026, 1), [10, 20, 30])
add("all_negative", 0.10, (2026, 1), [-10, -20, -30])
add("leading_zeros", 0.10, (2026, 1), [0, 0, -100, 20, 30, 40, 50])
g = Lcg(11)
mix = [2e5 + 5e4 * g.u() for _ in range(24)] + [-(3e6 + 1e6 * g.u()) for _ in range(15)] + \
      [6e5 + 1e5 * g.u() for _ in range(81)]
add("mine_convert_ai_120", 0.10, (2026, 1), mix)
add("sparse", 0.10, (2026, 6), [-1000, 0, 0, 0, 0, 0, 400, 0, 0, 0, 0, 0, 400, 0, 0, 0, 0, 0, 400])
add("negative_rate", -0.05, (2026, 1), [-100, 30, 30, 30, 30])
add("zero_rate", 0.0, (2026, 1), [-100, 30, 30, 30, 30])
add("rate_35", 0.35, (2026, 1), [-100, 30, 30, 30, 30])
add("alternating", 0.10, (2026, 1), [-100, 60, -20, 60, -20, 60])
add("zero_irr", 0.10, (2026, 1), [-100, 0, 0, 100])
g = Lcg(3)
add("long_240", 0.06, (2030, 1), [-5e7] + [4.5e5 * (1 + 0.5 * g.u()) for _ in range(239)])
add("deep_loss", 0.10, (2026, 1), [-100] + [0] * 11 + [5])
add("lender_view", 0.10, (2026, 1), [100] + [-9] * 12)
add("century_leap_2100", 0.10, (2099, 11), [-100, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10])
add("y2000_leap", 0.10, (2000, 1), [-100, 25, 25, 25, 25, 25])

def cell(r, c, text, value=False):
    vt = ' ValueType="40"' if value else ''
    return f'<gnm:Cell Row="{r}" Col="{c}"{vt}>{text}</gnm:Cell>'

def colname(c):
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s

# Layout: one column pair per series (dates, flows) from row 3; row 0 = XNPV, row 1 = XIRR.
cells = []
maxrow = 0
for k, (name, rate, dates, flows) in enumerate(series):
    cd, cf = 2 * k, 2 * k + 1
    n = len(flows)
    rng_d = f"{colname(cd)}4:{colname(cd)}{3 + n}"
    rng_f = f"{colname(cf)}4:{colname(cf)}{3 + n}"
    cells.append(cell(0, cd, f"=XNPV({rate!r},{rng_f},{rng_d})"))
    cells.append(cell(1, cd, f"=XIRR({rng_f},{rng_d})"))
    for i, ((y, m, d), f) in enumerate(zip(dates, flows)):
        cells.append(cell(3 + i, cd, f"=DATE({y},{m},{d})"))
        cells.append(cell(3 + i, cf, repr(f), True))
    maxrow = max(maxrow, 3 + n)
xml = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<gnm:Workbook xmlns:gnm="http://www.gnumeric.org/v10.dtd">',
       '<gnm:SheetNameIndex><gnm:SheetName>S</gnm:SheetName></gnm:SheetNameIndex>',
       '<gnm:Sheets><gnm:Sheet><gnm:Name>S</gnm:Name>',
       f'<gnm:MaxCol>{2 * len(series)}</gnm:MaxCol><gnm:MaxRow>{maxrow + 1}</gnm:MaxRow>',
       '<gnm:Cells>'] + cells + ['</gnm:Cells></gnm:Sheet></gnm:Sheets></gnm:Workbook>']
open(f"{tmp}/xnpv.gnumeric", "w").write("\n".join(xml) + "\n")
import pickle
pickle.dump(series, open(f"{tmp}/series.pkl", "wb"))
EOF

ssconvert "$tmp/xnpv.gnumeric" "$tmp/xnpv.csv" 2>"$tmp/ssconvert.err" || { cat "$tmp/ssconvert.err" >&2; exit 1; }
version=$(ssconvert --version | head -1)

python3 - "$tmp" "$version" > xnpv_gnumeric.csv <<'EOF'
import csv, pickle, sys
tmp, version = sys.argv[1], sys.argv[2]
series = pickle.load(open(f"{tmp}/series.pkl", "rb"))
rows = list(csv.reader(open(f"{tmp}/xnpv.csv")))
print("# XNPV and XIRR computed by Gnumeric (" + version + ") from the formulas")
print("#   =XNPV(rate, flows, dates) and =XIRR(flows, dates), dates =DATE(y,m,d) month ends.")
print("# Regenerate: ./tests/data/regen_xnpv.sh   (builds the .gnumeric workbook, then")
print("#   ssconvert xnpv.gnumeric xnpv.csv   recalculates and exports every value).")
print("# S,name,rate,xnpv_gnumeric,xirr_gnumeric(\"none\" where Gnumeric returns an error)")
print("# F,name,YYYY-MM-DD,flow   (the series' flows, in date order)")
for k, (name, rate, dates, flows) in enumerate(series):
    xnpv, xirr = rows[0][2 * k], rows[1][2 * k]
    if not xnpv or xnpv.startswith("#"):
        sys.exit(f"regen_xnpv: Gnumeric did not compute XNPV for {name}: {xnpv!r}")
    if not xirr or xirr.startswith("#"):
        xirr = "none"
    print(f"S,{name},{rate!r},{xnpv},{xirr}")
    for (y, m, d), f in zip(dates, flows):
        print(f"F,{name},{y:04d}-{m:02d}-{d:02d},{f!r}")
EOF
echo "regen_xnpv: wrote $(grep -c '^S,' xnpv_gnumeric.csv) series to tests/data/xnpv_gnumeric.csv" >&2
