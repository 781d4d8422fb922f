/*
** tests/fuzz/fuzz.h — the fuzz targets' shared parts. Each target (fuzz_<name>.c) defines
** LLVMFuzzerTestOneInput over one reader of hostile input; it is built two ways: with libFuzzer
** (cmake -DWP_FUZZ=ON, clang) to search, and with replay.c into replay_<name>, which ctest runs
** over the target's corpus (tests/fuzz/corpus/<name>/: seeds and every input that once crashed)
** in every build. A target only asks that the reader returns a status: a crash, a sanitizer
** report, a leak or a hang is the finding.
*/
#ifndef WP_FUZZ_H
#define WP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a NUL-terminated text (malloc'd; NULL when out of memory). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
  char *t = malloc(size + 1);
  if (t) {
    memcpy(t, data, size);
    t[size] = '\0';
  }
  return t;
}

#endif
