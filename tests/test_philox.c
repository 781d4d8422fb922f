/*
** The side-by-side Philox blocks (src/model/philox_int.h) against Random123's published
** known-answer vectors (tests/data/philox4x64_kat.txt) and against Random123's own philox4x64
** on many counters, for every block count the engine uses.
*/
#include <inttypes.h>
#include <stdio.h>

#include "harness.h"
#include "model/philox_int.h"

static void test_known_answers(void)
{
  FILE *f = fopen(WP_SOURCE_DIR "/tests/data/philox4x64_kat.txt", "r");
  if (!CHECK(f != NULL)) return;
  char line[512];
  int n = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    unsigned rounds = 0;
    uint64_t v[10];
    int got = sscanf(line,
                     "philox4x64 %u %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64
                     " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64,
                     &rounds, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
                     &v[9]);
    if (!CHECK(got == 11 && rounds == WP_PHILOX_ROUNDS)) continue;
    const philox4x64_ctr_t c = {{v[0], v[1], v[2], v[3]}};
    const philox4x64_key_t k = {{v[4], v[5]}};
    philox4x64_ctr_t out;
    wp_philox4x64_n(1, &c, k, &out);
    for (int j = 0; j < 4; j++) CHECK(out.v[j] == v[6 + j]);
    n++;
  }
  fclose(f);
  CHECK_EQ_I64(n, 3);
}

/* 1, 2, 4 and 8 blocks side by side equal philox4x64 block by block. */
static void test_side_by_side_equals_random123(void)
{
  uint64_t x = 0x243f6a8885a308d3ULL; /* a simple LCG walks the counters and keys */
  int mismatches = 0;
  for (int trial = 0; trial < 200; trial++) {
    philox4x64_ctr_t c[8], out[8];
    for (int i = 0; i < 8; i++)
      for (int j = 0; j < 4; j++)
        c[i].v[j] = x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const philox4x64_key_t k = {{x * 3 + 1, x ^ 0x9e3779b97f4a7c15ULL}};
    const size_t counts[] = {1, 2, 4, 8};
    for (size_t t = 0; t < 4; t++) {
      switch (counts[t]) {
      case 1: wp_philox4x64_n(1, c, k, out); break;
      case 2: wp_philox4x64_n(2, c, k, out); break;
      case 4: wp_philox4x64_n(4, c, k, out); break;
      default: wp_philox4x64_n(8, c, k, out); break;
      }
      for (size_t i = 0; i < counts[t]; i++) {
        philox4x64_ctr_t ref = philox4x64(c[i], k);
        for (int j = 0; j < 4; j++) mismatches += ref.v[j] != out[i].v[j];
      }
    }
  }
  CHECK_EQ_I64(mismatches, 0);
}

/* The uniform is never 0 (its logarithm is finite); the top word gives exactly 1. */
static void test_u01_range(void)
{
  CHECK(wp_philox_u01(0) == 0x1p-54);
  CHECK(wp_philox_u01((uint64_t)1 << 11) == 1.5 * 0x1p-53);
  CHECK(wp_philox_u01(UINT64_MAX >> 1) < 0.5);
  CHECK(wp_philox_u01(UINT64_MAX) == 1.0);
}

int main(void)
{
  RUN(test_known_answers);
  RUN(test_side_by_side_equals_random123);
  RUN(test_u01_range);
  return harness_report();
}
