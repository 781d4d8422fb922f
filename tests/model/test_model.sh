#!/usr/bin/env bash
# plan --write-model, solved by another solver: GLPK's glpsol (Debian package glpk-utils) reads the
# written CPLEX LP file and, on small generated portfolios where CBC proves the optimum, finds the
# same objective as the NPV `plan` reports (million USD, 1e-6 relative) for all-in and hybrid;
# CBC's own command line (coinor-cbc, when present) solves the MPS file to the same value. The
# written programs are the last phase's (the best NPV under the earlier phases' rows and bounds).
# Prints "N passed, N failed".
# Usage: test_model.sh WATTPIVOT GLPSOL [CBC]
set -u
bin=$1 glpsol=$2 cbc=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
small="--set scenario.horizon_months=96 --set strategy.convert_month_step=12 \
  --set strategy.mip_gap=1e-9 --set strategy.solver_nodes=1000000 \
  --set strategy.tranches=[0.5,1.0] --set strategy.hybrid_floor_cover=0"
for case in "4 9" "3 5" "6 4"; do
  set -- $case
  "$bin" scenario generate --sites "$1" --seed "$2" "$work/s.yaml" --force > /dev/null 2>&1 ||
    { bad "generate $case"; continue; }
  for strategy in hybrid all-in; do
    name="$1 sites seed $2 $strategy"
    # shellcheck disable=SC2086
    if ! "$bin" plan "$work/s.yaml" --no-store --strategy "$strategy" $small --json \
        --write-model "$work/m.lp" > "$work/plan.json" 2> "$work/plan.err"; then
      bad "$name: plan"; head -5 "$work/plan.err" >&2; continue
    fi
    # shellcheck disable=SC2086
    "$bin" plan "$work/s.yaml" --no-store --strategy "$strategy" $small \
      --write-model "$work/m.mps" > /dev/null 2>&1 || bad "$name: plan (mps)"
    read -r npv status < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["strategies"][0]
print(repr(s["npv_usd"] / 1e6), s["solve"]["status"].replace(" ", "_"))' "$work/plan.json")
    [ "$status" = optimal ] && ok || bad "$name: status $status, want optimal"
    "$glpsol" --lp "$work/m.lp" -o "$work/glpk.txt" > "$work/glpk.log" 2>&1 ||
      { bad "$name: glpsol"; head -5 "$work/glpk.log" >&2; continue; }
    glpk=$(sed -n 's/^Objective: *[a-zA-Z_]* = *\([-0-9.e+]*\).*/\1/p' "$work/glpk.txt")
    grep -Eq "^Status: *(INTEGER )?OPTIMAL" "$work/glpk.txt" && ok || bad "$name: glpsol not optimal"
    python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 1e-6 * max(1, abs(a)))' \
      "$npv" "$glpk" && ok || bad "$name: glpsol objective $glpk, plan NPV $npv (million USD)"
    if [ -n "$cbc" ]; then
      "$cbc" "$work/m.mps" -max -solve > "$work/cbc.log" 2>&1 || bad "$name: cbc"
      c=$(sed -n 's/^Objective value: *\([-0-9.e+]*\).*/\1/p' "$work/cbc.log")
      # CBC prints the objective in its minimizing form after -max: compare magnitudes' signs too
      python3 -c 'import sys; a, b = float(sys.argv[1]), abs(float(sys.argv[2])) * (1 if float(sys.argv[1]) >= 0 else -1); sys.exit(abs(a - b) > 1e-6 * max(1, abs(a)))' \
        "$npv" "${c:-nan}" && ok || bad "$name: cbc objective ${c:-none}, plan NPV $npv"
    fi
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
