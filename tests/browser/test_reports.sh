#!/usr/bin/env bash
# The HTML reports in a real browser (headless Chromium): plan, risk and sweep reports render,
# their charts are in the rendered DOM (no script needed: they are static SVG), and a screenshot
# is drawn. Prints "N passed, N failed". Usage: test_reports.sh WATTPIVOT CHROMIUM
set -u
bin=$1 chromium=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@" > /dev/null 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name" >&2; fi
}
browse() { # browse FILE OUT_PREFIX: rendered DOM and a screenshot
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$work/profile" --dump-dom "file://$1" > "$2.dom" 2> "$2.err"
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$work/profile" --window-size=1000,1400 --screenshot="$2.png" "file://$1" \
    >> "$2.err" 2>&1
}
count() { grep -o "$1" "$2" | wc -l; }

"$bin" plan --no-store --out "$work/plan" > /dev/null
"$bin" risk --paths 300 --quiet --out "$work/risk" > /dev/null
"$bin" sweep --vary market.btc_price_usd=60000:140000:3 --vary strategy.capex_usd_per_yr=1e9:4e9:2 \
  --quiet --out "$work/tornado" > /dev/null
"$bin" sweep --grid --vary market.btc_price_usd=60000:140000:3 \
  --vary market.colo_usd_per_kw_month=100:200:3 --strategy hybrid --quiet --out "$work/grid" > /dev/null

for r in plan risk tornado grid; do
  browse "$work/$r/report.html" "$work/$r"
  check "$r: rendered" test -s "$work/$r.dom"
  check "$r: a screenshot" test "$(stat -c %s "$work/$r.png" 2>/dev/null || echo 0)" -gt 10000
  check "$r: charts in the DOM" test "$(count '<svg' "$work/$r.dom")" -ge 1
done
# every chart draws: each <svg> holds a drawn element (a path, rectangle, line or circle)
for r in plan risk tornado grid; do
  check "$r: every chart has drawn elements" awk 'BEGIN { RS = "<svg"; bad = 0 }
    NR > 1 { split($0, c, "</svg>"); if (c[1] !~ /<(path|rect|line|circle|polyline)[ >]/) bad = 1 }
    END { exit bad || NR < 2 }' "$work/$r.dom"
done
check "plan: revenue by business, a chart per strategy" test "$(count 'class="ctitle">Revenue by business: ' "$work/plan.dom")" -eq 4
check "plan: EBITDA by business, a chart per strategy" test "$(count 'class="ctitle">EBITDA by business: ' "$work/plan.dom")" -eq 4
check "plan: EBITDA charts draw three lines each" awk 'BEGIN { RS = "<svg"; bad = 0; n = 0 }
  /class="ctitle">EBITDA by business: / { split($0, c, "</svg>"); n++
    if (gsub(/<path fill="none" stroke="#/, "", c[1]) < 3) bad = 1 }
  END { exit bad || n != 4 }' "$work/plan.dom"
check "plan: the recommendation is present" grep -q "Recommended: " "$work/plan.dom"
check "risk: one chart per strategy" test "$(count '<svg' "$work/risk.dom")" -eq 4
check "risk: markers drawn" grep -q "CVaR 5% " "$work/risk.dom"
check "tornado: one chart per strategy" test "$(count '<svg' "$work/tornado.dom")" -eq 4
check "tornado: a bar per key per strategy" test "$(count '<rect' "$work/tornado.dom")" -eq 8
check "grid: a cell per point" test "$(count '<rect' "$work/grid.dom")" -eq 9

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
