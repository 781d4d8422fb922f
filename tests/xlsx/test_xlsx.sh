#!/usr/bin/env bash
# plan --xlsx, recalculated by an independent engine (Gnumeric's ssconvert --recalc): every cell
# of every sheet, formulas included, equals the value wattpivot cached for it to 1e-9 relative
# (1e-9 absolute near zero): the strategies, their portfolio ledgers (sums over the site
# ledgers), the sites' NPVs (XNPV over their ledgers), the corporate layer and every site ledger
# (revenue, opex, EBITDA, CFADS, debt service, taxable income, losses carried forward, tax, cash
# flows and their running sums live); the live cells are formulas (XNPV, XIRR, MIN, IF, sums),
# not copies. finance --xlsx likewise. Prints "N passed, N failed".
# Usage: test_xlsx.sh WATTPIVOT SSCONVERT (python3 reads the workbook's XML)
set -u
bin=$1 ssconvert=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work # Gnumeric keeps settings in the home directory
passed=0 failed=0
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@" > "$work/last.log" 2>&1; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $name" >&2; head -20 "$work/last.log" >&2; fi
}
for args in "" "--set scenario.hurdle_rate=0.07 --set strategy.cash_floor_usd=0"; do
  rm -rf "$work/cached" "$work/recalc" && mkdir -p "$work/cached" "$work/recalc"
  # shellcheck disable=SC2086
  check "plan --xlsx $args" "$bin" plan --no-store --xlsx "$work/plan.xlsx" $args
  # cached values as written, and the same workbook recalculated by Gnumeric
  check "export cached ($args)" "$ssconvert" -S --export-type=Gnumeric_stf:stf_csv \
    "$work/plan.xlsx" "$work/cached/s_%n.csv"
  check "export recalculated ($args)" "$ssconvert" --recalc -S \
    --export-type=Gnumeric_stf:stf_csv "$work/plan.xlsx" "$work/recalc/s_%n.csv"
  # Assumptions, Strategies, a ledger per strategy (4), Sites, Corporate, a mining ledger per
  # site (14) and one per conversion
  check "every sheet recalculated ($args)" test "$(ls "$work/recalc" | wc -l)" -eq "$(ls "$work/cached" | wc -l)"
  check "a ledger per site and conversion ($args)" test "$(ls "$work/recalc" | wc -l)" -gt 22
  check "Sites and Corporate sheets ($args)" sh -c "head -1 '$work/recalc/s_6.csv' | grep -q '^strategy,site' && head -1 '$work/recalc/s_7.csv' | grep -q '^date,\"overhead USD\"'"
  for f in "$work"/cached/s_*.csv; do
    g=$work/recalc/$(basename "$f")
    check "$(basename "$f") ($args): every cell as cached" awk -F, -v OTHER="$g" '
      function num(s) { return s ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ }
      BEGIN { bad = 0 }
      { if ((getline line < OTHER) <= 0) { print "row " NR " missing"; bad = 1; exit }
        n = split(line, b, ","); if (n != NF) { print "row " NR ": " NF " vs " n " cells"; bad = 1 }
        for (i = 1; i <= NF; i++) {
          if (num($i) && num(b[i])) {
            d = $i - b[i]; if (d < 0) d = -d; s = $i < 0 ? -$i : $i
            if (d > 1e-9 * s && d > 1e-9) { print "row " NR " col " i ": " $i " vs " b[i]; bad = 1 }
          } else if ($i != b[i]) { print "row " NR " col " i ": " $i " vs " b[i]; bad = 1 }
        } }
      END { exit bad }' "$f"
  done
done
# finance --xlsx: one pathway's inputs, ledger and metrics; the NPVs and IRRs recalculated.
# (the contract with term debt: prepayments, a construction loan, a sculpted loan and DSCRs)
for pw in "colo --grid-mw 10" "gpu-merchant --grid-mw 20 --hurdle-rate 0.12" "mining --grid-mw 50" \
  "gpu-contract --grid-mw 30 --term-debt on"; do
  rm -rf "$work/fc" "$work/fr" && mkdir -p "$work/fc" "$work/fr"
  # shellcheck disable=SC2086
  check "finance --xlsx ($pw)" "$bin" finance --pathway $pw --xlsx "$work/fin.xlsx"
  check "finance export ($pw)" "$ssconvert" -S --export-type=Gnumeric_stf:stf_csv "$work/fin.xlsx" "$work/fc/s_%n.csv"
  check "finance recalc ($pw)" "$ssconvert" --recalc -S --export-type=Gnumeric_stf:stf_csv "$work/fin.xlsx" "$work/fr/s_%n.csv"
  check "finance: three sheets ($pw)" test "$(ls "$work/fr" | wc -l)" -eq 3
  for f in "$work"/fc/s_*.csv; do
    g=$work/fr/$(basename "$f")
    check "finance $(basename "$f") ($pw): every cell as cached" awk -F, -v OTHER="$g" '
      function num(s) { return s ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ }
      { if ((getline line < OTHER) <= 0) exit 1
        n = split(line, b, ","); if (n != NF) { print "row " NR; bad = 1 }
        for (i = 1; i <= NF; i++)
          if (num($i) && num(b[i])) { d = $i - b[i]; if (d < 0) d = -d; s = $i < 0 ? -$i : $i
            if (d > 1e-9 * s && d > 1e-9) { print "row " NR " col " i ": " $i " vs " b[i]; bad = 1 } }
          else if ($i != b[i]) { print "row " NR " col " i ": " $i " vs " b[i]; bad = 1 } }
      END { exit bad }' "$f"
  done
done
check "finance: the ledger's tax reads the Inputs' loss limit" python3 -c "import sys, zipfile; x = zipfile.ZipFile('$work/fin.xlsx').read('xl/worksheets/sheet2.xml').decode(); sys.exit(0 if x.count('Inputs!\$B\$3') >= 2 * 180 else 1)"
check "finance: NPVs by XNPV" sh -c "'$ssconvert' --export-type=Gnumeric_XmlIO:sax '$work/fin.xlsx' '$work/fin.gnumeric' && zcat -f '$work/fin.gnumeric' | grep -ci 'xnpv(' | grep -qx 2"

# The live cells are formulas: the workbook's own expressions, seen through Gnumeric's format.
check "to gnumeric" "$ssconvert" --export-type=Gnumeric_XmlIO:sax "$work/plan.xlsx" "$work/plan.gnumeric"
zcat -f "$work/plan.gnumeric" > "$work/plan.xml" 2>/dev/null
# 4 strategies, and each of the 56 site rows' NPV (a sum over its projects' ledgers) and mining NPV
check "NPV by XNPV (4 strategies, 2 x 56 sites at least: a site NPV sums its projects')" test "$(grep -oi 'xnpv(' "$work/plan.xml" | wc -l)" -ge 116
# The site ledgers are live: in every site ledger, every month's revenue, EBITDA, tax, cash
# flows and cumulative cash are formulas (counted in the workbook's own XML).
check "site ledgers: the derived lines are formulas in every month" python3 -c "
import csv, re, sys, zipfile
z = zipfile.ZipFile('$work/plan.xlsx')
names = [n for n in z.namelist() if re.match(r'xl/worksheets/sheet[0-9]+.xml', n)]
sheets = sorted(names, key=lambda n: int(re.findall('[0-9]+', n)[0]))[8:]
head = next(csv.reader(open('$work/cached/s_8.csv')))
def letter(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s
lines = ['revenue_usd', 'opex_usd', 'ebitda_usd', 'cfads_usd', 'debt_service_usd',
         'taxable_income_usd', 'nol_balance_usd', 'tax_usd', 'unlevered_tax_usd',
         'project_cash_flow_usd', 'equity_cash_flow_usd', 'cumulative_project_usd',
         'cumulative_equity_usd']
for n in sheets:
    x = z.read(n).decode()
    for what in lines:
        got = len(re.findall(r'<c r=\"%s[0-9]+\"[^>]*><f>' % letter(head.index(what)), x))
        if got != 180: sys.exit('%s %s: %d formulas' % (n, what, got))
sys.exit(0 if len(sheets) > 14 else 'only %d site sheets' % len(sheets))"
check "IRR by XIRR" test "$(grep -oi 'xirr(' "$work/plan.xml" | wc -l)" -ge 1
check "cash floor test by IF (4 strategies)" test "$(grep -c 'Col="5" ExprID' "$work/plan.xml")" -eq 4
check "month-end cash a formula in every month (180 x 4)" test "$(grep -c 'Col="14" ExprID' "$work/plan.xml")" -eq 720
check "cumulative project cash flow a formula in every month" test "$(grep -c 'Col="13" ExprID' "$work/plan.xml")" -eq 720
# A discount rate per business (docs/model/finance.md), against Gnumeric's own XNPV: a colo
# conversion from month 12 with mining at 14 %/yr and colo at 7.5 %/yr discounts the months before
# month 12 at 14 % and the rest at 7.5 %, each from month 0, so the NPV is
# XNPV(0.14, flows before, dates) + XNPV(0.075, flows from month 12, dates) over the ledger.
check "finance with two discount rates" sh -c "'$bin' finance --pathway colo --grid-mw 10 \
  --convert-month 12 --set valuation.discount_rate_mining=0.14 \
  --set valuation.discount_rate_colo=0.075 --ledger '$work/two.csv' --json > '$work/two.json'"
awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) if ($i == "project_cash_flow_usd") c = i
            print "date,before,after"; next }
  { split($1, d, "-"); m = NR - 2
    printf "\"=DATE(%d,%d,%d)\",%s,%s\n", d[1], d[2], d[3], m < 12 ? $c : 0, m < 12 ? 0 : $c }
  END { printf "\"=XNPV(0.14,B2:B%d,A2:A%d)+XNPV(0.075,C2:C%d,A2:A%d)\",,\n", NR, NR, NR, NR }' \
  "$work/two.csv" > "$work/two_oracle.csv"
check "two rates: the split XNPV sheet (182 rows)" test "$(wc -l < "$work/two_oracle.csv")" -eq 182
check "two rates: recalculated by Gnumeric" "$ssconvert" --recalc "$work/two_oracle.csv" "$work/two_out.csv"
check "two rates: the engine's NPV is Gnumeric's to 1e-9" python3 -c "
import json, sys
npv = json.load(open('$work/two.json'))['npv_usd']
got = float(open('$work/two_out.csv').read().strip().splitlines()[-1].split(',')[0])
sys.exit(0 if abs(npv - got) <= 1e-9 * abs(npv) else 'engine %r, Gnumeric %r' % (npv, got))"
# Refusals: a workbook needs a file; an unwritable place is said.
check "--xlsx - refused" sh -c "! '$bin' plan --no-store --xlsx - 2> '$work/err' && grep -q 'a workbook is binary' '$work/err'"
check "--xlsx in a missing folder refused" sh -c "! '$bin' plan --no-store --xlsx /proc/wp-none/x.xlsx 2> '$work/err' && grep -q -- '--xlsx: cannot create /proc/wp-none/x.xlsx' '$work/err'"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
