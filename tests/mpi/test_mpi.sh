#!/usr/bin/env bash
# The MPI build's risk split over 1, 2 and 3 ranks on this machine (docs/distributed.md): the
# JSON is byte-identical to the build without MPI (wattpivot-serial) for every rank and thread
# count; a rank that fails ends the job with its error and no result. Prints "N passed, N failed".
# Usage: test_mpi.sh MPI_BINARY SERIAL_BINARY SOURCE_DIR
set -u
mpi_bin=$1 serial_bin=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# CI runs as root; Open MPI refuses root unless told (a container, not a shared cluster).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 # more ranks than cores on a 2-core machine
passed=0 failed=0
check() { # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name" >&2; fi
}
mpi() { timeout 300 mpirun --oversubscribe -n "$@"; }

# Runs whose JSON must not depend on where the paths ran.
runs=("--paths 2000 --seed 5"
      "--paths 1001 --seed 9 --no-wait"
      "--paths 7 --seed 3"
      "$src/data/default_scenario.yaml --paths 999 --seed 2 --wait-site Childress")
i=0
for args in "${runs[@]}"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$serial_bin" risk $args --threads 2 --json > "$work/serial$i.json" 2> "$work/serial$i.err"
  check "serial run $i" test -s "$work/serial$i.json"
  for ranks in 1 2 3; do
    for threads in 1 2; do
      out=$work/mpi$i-$ranks-$threads.json
      # shellcheck disable=SC2086
      mpi "$ranks" "$mpi_bin" risk $args --threads "$threads" --json > "$out" 2> "$out.err"
      check "run $i ($args), $ranks ranks x $threads threads: exit 0" test $? -eq 0
      check "run $i ($args), $ranks ranks x $threads threads: same JSON" \
        cmp -s "$work/serial$i.json" "$out"
    done
  done
done

# sweep: the points split over the ranks, the CSV byte-identical to one process's (also with
# more ranks than points: empty blocks, rank 0's among them).
sweeps=("--vary market.btc_price_usd=60000:140000:5 --vary strategy.capex_usd_per_yr=1e9:4e9:3"
        "--grid --vary market.btc_price_usd=70000:110000:2 --vary market.colo_usd_per_kw_month=120:180:2 --strategy hybrid"
        "--vary market.btc_price_usd=60000:80000:3 --strategy hybrid")
i=0
for args in "${sweeps[@]}"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$serial_bin" sweep $args --csv - --quiet > "$work/sweep$i.csv" 2> "$work/sweep$i.err"
  check "sweep $i serial" test -s "$work/sweep$i.csv"
  for ranks in 1 2 4; do
    out=$work/sweep$i-$ranks.csv
    # shellcheck disable=SC2086
    mpi "$ranks" "$mpi_bin" sweep $args --csv - --quiet > "$out" 2> "$out.err"
    check "sweep $i ($args), $ranks ranks: exit 0" test $? -eq 0
    check "sweep $i ($args), $ranks ranks: same CSV" cmp -s "$work/sweep$i.csv" "$out"
  done
done

# Text output names the split and the time spent exchanging.
mpi 2 "$mpi_bin" risk --paths 500 --quiet > "$work/text.txt" 2>&1
check "text: exit 0" test $? -eq 0
check "text: says the split" grep -q "Split over 2 processes" "$work/text.txt"

# Rank 1 cannot read its scenario: it says so, rank 0 says another process failed, the job
# fails, and no result is printed.
printf '%s\n' '#!/bin/sh' \
  "if [ \"\$OMPI_COMM_WORLD_RANK\" = 1 ]; then exec \"$mpi_bin\" risk \"$work/missing.yaml\" --paths 100 --json; fi" \
  "exec \"$mpi_bin\" risk --paths 100 --json" > "$work/one_bad.sh"
chmod +x "$work/one_bad.sh"
mpi 2 "$work/one_bad.sh" > "$work/bad.json" 2> "$work/bad.err"
rc=$?
check "a failing rank fails the job" test $rc -ne 0
check "no result on failure" test ! -s "$work/bad.json"
check "the failing rank says why" grep -q "missing.yaml" "$work/bad.err"
check "rank 0 says another process failed" grep -q "another process of the split run failed" "$work/bad.err"

# Every other command runs once, on rank 0 (its error is printed once, not per rank).
mpi 2 "$mpi_bin" pln > "$work/other.txt" 2>&1
check "other commands: once" test "$(grep -c "unknown command 'pln'" "$work/other.txt")" -eq 1

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
