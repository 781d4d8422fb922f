#!/usr/bin/env bash
# bench_mpi.sh [PATHS] [REPEATS] [BUILD_DIR]: the MPI build's risk split (docs/distributed.md).
# Wall time of `wattpivot risk` on the default portfolio, 1 rank x 1 thread against 2 ranks x
# 1 thread, interleaved REPEATS times (the baseline in the same run); the median of each, the
# speed-up, and the share of the 2-rank wall time spent gathering the results and waiting for
# the slower rank (printed by rank 0). Defaults: 1,000,000 paths, 3 repeats, build-mpi.
set -euo pipefail
paths=${1:-1000000} repeats=${2:-3} build=${3:-build-mpi}
bin=$build/wattpivot
[ -x "$bin" ] || { echo "bench_mpi: $bin missing: WP_BUILD_DIR=$build WP_CMAKE_ARGS=-DWP_MPI=ON WP_SETUP_EXTRA='libopenmpi-dev openmpi-bin' ./scripts/setup" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
wall() { # wall RANKS: seconds of one run; its text output in $out
  local t0 t1
  t0=$(date +%s.%N)
  mpirun -n "$1" "$bin" risk --paths "$paths" --threads 1 --quiet > "$out"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}'
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
one=() two=() gather=() waiting=()
for ((r = 1; r <= repeats; r++)); do
  one+=("$(wall 1)")
  two+=("$(wall 2)")
  line=$(grep "^Split over" "$out")
  waiting+=("$(sed -E 's/.*waiting for the others ([0-9.]+) s.*/\1/' <<<"$line")")
  gather+=("$(sed -E 's/.*gathering ([0-9.]+) s.*/\1/' <<<"$line")")
  echo "repeat $r: 1 rank ${one[-1]} s, 2 ranks ${two[-1]} s ($line)" >&2
done
m1=$(printf '%s\n' "${one[@]}" | median)
m2=$(printf '%s\n' "${two[@]}" | median)
mg=$(printf '%s\n' "${gather[@]}" | median)
mw=$(printf '%s\n' "${waiting[@]}" | median)
printf 'paths %d, %d repeats (medians)\n' "$paths" "$repeats"
printf '  1 rank  x 1 thread   %8.2f s wall\n' "$m1"
printf '  2 ranks x 1 thread   %8.2f s wall\n' "$m2"
calc() { awk "BEGIN {printf \"%.4f\", $1}"; }
printf '  speed-up             %8.2f x (target >= 1.8)\n' "$(calc "$m1 / $m2")"
printf '  gathering            %8.3f s = %.2f %% of the 2-rank wall time (target < 2 %%)\n' \
  "$mg" "$(calc "100 * $mg / $m2")"
printf '  rank 0 waiting       %8.3f s = %.2f %% (the other rank still running)\n' \
  "$mw" "$(calc "100 * $mw / $m2")"
