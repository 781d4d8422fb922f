#!/usr/bin/env bash
# Install into a temporary prefix and use it as a third party would (docs/api.md): build a
# program with pkg-config (shared and static) and with CMake's find_package (both targets), run
# each; the shared library exports exactly the declared public API; the man pages open.
# Prints "N passed, N failed". Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
passed=0 failed=0
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@" > "$work/last.log" 2>&1; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $name" >&2; sed 's/^/  /' "$work/last.log" >&2; fi
}
cc=${CC:-cc}
check "cmake --install" cmake --install "$build" --prefix "$prefix"
check "the command is installed" "$prefix/bin/wattpivot" --version
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
check "pkg-config knows wattpivot" pkg-config --exists wattpivot
check "pkg-config version = the headers'" \
  grep -q "WP_VERSION_MAJOR $(pkg-config --modversion wattpivot | cut -d. -f1)" \
  "$prefix/include/wattpivot/version.h"

# pkg-config, shared library
# shellcheck disable=SC2046
check "pkg-config: build (shared)" $cc -std=c11 -o "$work/c_shared" "$src/tests/install/consumer.c" \
  $(pkg-config --cflags --libs wattpivot)
check "pkg-config: run (shared)" env LD_LIBRARY_PATH="$prefix/lib" "$work/c_shared"
check "pkg-config: the program uses the shared library" \
  sh -c "LD_LIBRARY_PATH='$prefix/lib' ldd '$work/c_shared' | grep -q 'libwattpivot.so'"

# pkg-config, static library (its dependencies from Requires.private / Libs.private)
libs=$(pkg-config --static --libs wattpivot | sed "s|-lwattpivot|$prefix/lib/libwattpivot.a|")
# shellcheck disable=SC2046,SC2086
check "pkg-config --static: build" $cc -std=c11 -o "$work/c_static" \
  "$src/tests/install/consumer.c" $(pkg-config --cflags wattpivot) $libs
check "pkg-config --static: run" "$work/c_static"

# CMake find_package, both targets
mkdir -p "$work/cm"
cat > "$work/cm/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(consumer C)
find_package(wattpivot 0.3 REQUIRED)
add_executable(c_shared $src/tests/install/consumer.c)
target_link_libraries(c_shared PRIVATE wattpivot::wattpivot)
add_executable(c_static $src/tests/install/consumer.c)
target_link_libraries(c_static PRIVATE wattpivot::wattpivot_static)
CMAKE
check "find_package: configure" cmake -S "$work/cm" -B "$work/cm/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix"
check "find_package: build" cmake --build "$work/cm/build"
check "find_package: run (shared)" "$work/cm/build/c_shared"
check "find_package: run (static)" "$work/cm/build/c_static"

# The shared library exports the public API and nothing else.
so=$(ls "$prefix"/lib/libwattpivot.so.*.*.* | head -n 1)
# (the linker's own section markers _edata, _end, __bss_start are not the library's)
nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ && $3 !~ /^(_edata|_end|__bss_start|_init|_fini)$/ {print $3}' |
  sort -u > "$work/exported"
grep -ohE "\bwp_[a-z0-9_]+\(" "$prefix"/include/wattpivot/*.h | tr -d '(' | sort -u > "$work/declared"
check "exports only declared wp_ functions" test -z "$(comm -23 "$work/exported" "$work/declared")"
check "exports every declared function" test -z "$(comm -13 "$work/exported" "$work/declared")"
check "soname carries major.minor" sh -c "objdump -p '$so' | grep -q 'SONAME *libwattpivot.so.0.3'"

# Man pages, from the same text as --help.
check "man wattpivot" test -s "$prefix/share/man/man1/wattpivot.1"
for cmd in plan risk sweep finance design schedule mining btc scenario runs; do
  check "man wattpivot-$cmd" sh -c "MANPATH='$prefix/share/man' man -P cat wattpivot-$cmd 2>/dev/null | grep -q 'wattpivot $cmd'"
done
check "bash completion installed" test -s "$prefix/share/bash-completion/completions/wattpivot"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
