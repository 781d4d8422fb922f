/*
** The Philox building blocks of the random streams (src/model/philox_int.h,
** philox_avx2_int.h) against Random123's published known-answer vectors
** (tests/data/philox_kat.txt) and against Random123's own philox4x32 on many counters and keys:
** the AVX2 4x32 blocks (when the CPU has AVX2) and their uniforms against the scalar ones, bit
** for bit; the installed Random123's philox4x64 (the bootstrap's block starts) against its
** known answers.
*/
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/simd_int.h"
#include "harness.h"
#include "model/philox_int.h"

#ifdef WP_VECTOR_BUILD /* GCC on x86-64: the vector code's own build (src/core/simd_int.h) */
/* A simple LCG walks the test's counters and keys. */
static uint64_t next(uint64_t *x)
{
  return *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
}

#pragma GCC push_options
#pragma GCC target("avx2")
#include "model/philox_avx2_int.h"
#define HAVE_AVX2_CODE 1

/* Four (or 4 n) Philox4x32 blocks in vectors; out[i * 4 + l] is group i's lane l. */
static void avx2_blocks(size_t n, const philox4x32_ctr_t *c, philox4x32_key_t k,
                        philox4x32_ctr_t *out)
{
  wp_philox4x32_v4 x[3];
  for (size_t i = 0; i < n; i++) x[i] = wp_philox4x32_v4_of(c + 4 * i);
  switch (n) {
  case 1: wp_philox4x32_avx2_n(1, x, k); break;
  case 2: wp_philox4x32_avx2_n(2, x, k); break;
  default: wp_philox4x32_avx2_n(3, x, k); break;
  }
  for (size_t i = 0; i < n; i++)
    for (int j = 0; j < 4; j++) {
      uint64_t w[4];
      memcpy(w, &x[i].w[j], sizeof w);
      for (int l = 0; l < 4; l++) out[4 * i + (size_t)l].v[j] = (uint32_t)w[l];
      CHECK(w[0] >> 32 == 0 && w[1] >> 32 == 0 && w[2] >> 32 == 0 && w[3] >> 32 == 0);
    }
}

static void avx2_uniforms(const uint32_t hi[4], const uint32_t lo[4], double u[4])
{
  const __m256i h = _mm256_set_epi64x(hi[3], hi[2], hi[1], hi[0]);
  const __m256i l = _mm256_set_epi64x(lo[3], lo[2], lo[1], lo[0]);
  const __m256d v = wp_philox_u01_2x32_avx2(h, l);
  memcpy(u, &v, sizeof v);
}
#pragma GCC pop_options
#endif

static void test_known_answers(void)
{
  FILE *f = fopen(WP_SOURCE_DIR "/tests/data/philox_kat.txt", "r");
  if (!CHECK(f != NULL)) return;
  char line[512];
  int n64 = 0, n32 = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    unsigned rounds = 0;
    uint64_t v[10];
    char name[16];
    int got = sscanf(line,
                     "%15s %u %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64
                     " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64,
                     name, &rounds, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
                     &v[9]);
    if (!CHECK(got == 12 && rounds == WP_PHILOX_ROUNDS)) continue;
    if (strcmp(name, "philox4x64") == 0) {
      const philox4x64_ctr_t c = {{v[0], v[1], v[2], v[3]}};
      const philox4x64_key_t k = {{v[4], v[5]}};
      const philox4x64_ctr_t out = philox4x64(c, k); /* the bootstrap's block starts */
      for (int j = 0; j < 4; j++) CHECK(out.v[j] == v[6 + j]);
      n64++;
    } else if (CHECK(strcmp(name, "philox4x32") == 0)) {
      const philox4x32_ctr_t c = {{(uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2], (uint32_t)v[3]}};
      const philox4x32_key_t k = {{(uint32_t)v[4], (uint32_t)v[5]}};
      const philox4x32_ctr_t ref = philox4x32(c, k);
      for (int j = 0; j < 4; j++) CHECK(ref.v[j] == v[6 + j]);
#ifdef HAVE_AVX2_CODE
      if (__builtin_cpu_supports("avx2")) {
        const philox4x32_ctr_t c4[4] = {c, c, c, c};
        philox4x32_ctr_t out[4];
        avx2_blocks(1, c4, k, out);
        for (int l = 0; l < 4; l++)
          for (int j = 0; j < 4; j++) CHECK(out[l].v[j] == v[6 + j]);
      }
#endif
      n32++;
    }
  }
  fclose(f);
  CHECK_EQ_I64(n64, 3);
  CHECK_EQ_I64(n32, 3);
}

/* The AVX2 4x32 blocks (1, 2 and 3 groups of four) and their uniforms equal Random123's
** philox4x32 and wp_philox_u01_2x32, including words with the top bits set. */
static void test_avx2_equals_random123(void)
{
#ifdef HAVE_AVX2_CODE
  if (!__builtin_cpu_supports("avx2")) {
    printf("test_philox: no AVX2 on this CPU; the vector blocks are not used here\n");
    return;
  }
  uint64_t x = 0x13198a2e03707344ULL;
  int mismatches = 0;
  for (int trial = 0; trial < 300; trial++) {
    philox4x32_ctr_t c[12], out[12];
    for (int i = 0; i < 12; i++)
      for (int j = 0; j < 4; j++) c[i].v[j] = (uint32_t)(next(&x) >> 32);
    if (trial % 3 == 0) c[trial % 12].v[trial % 4] = 0xffffffffu;
    const philox4x32_key_t k = {{(uint32_t)(next(&x) >> 32), (uint32_t)(next(&x) >> 32)}};
    for (size_t n = 1; n <= 3; n++) {
      avx2_blocks(n, c, k, out);
      for (size_t i = 0; i < 4 * n; i++) {
        const philox4x32_ctr_t ref = philox4x32(c[i], k);
        for (int j = 0; j < 4; j++) mismatches += ref.v[j] != out[i].v[j];
      }
    }
    uint32_t hi[4], lo[4];
    double u[4];
    for (int l = 0; l < 4; l++) {
      hi[l] = out[l].v[0];
      lo[l] = out[l].v[1];
    }
    if (trial == 0) hi[0] = lo[0] = 0xffffffffu, hi[1] = lo[1] = 0;
    avx2_uniforms(hi, lo, u);
    for (int l = 0; l < 4; l++) {
      const double want = wp_philox_u01_2x32(hi[l], lo[l]);
      mismatches += memcmp(&want, &u[l], sizeof want) != 0;
    }
  }
  CHECK_EQ_I64(mismatches, 0);
#endif
}

/* The uniform is never 0 (its logarithm is finite); the top word gives exactly 1; two words
** make one 64-bit word, high word first. */
static void test_u01_range(void)
{
  CHECK(wp_philox_u01(0) == 0x1p-54);
  CHECK(wp_philox_u01((uint64_t)1 << 11) == 1.5 * 0x1p-53);
  CHECK(wp_philox_u01(UINT64_MAX >> 1) < 0.5);
  CHECK(wp_philox_u01(UINT64_MAX) == 1.0);
  CHECK(wp_philox_u01_2x32(0x80000000u, 0) == wp_philox_u01((uint64_t)1 << 63));
  CHECK(wp_philox_u01_2x32(0, 0x800u) == wp_philox_u01(0x800u));
}

/* The stream's counter keeps its coordinates apart: the seed is the key; a, b, the domain
** and the block each move a different part of the counter. */
static void test_stream_layout(void)
{
  const philox4x32_key_t k = wp_philox4x32_key(0x0123456789abcdefULL);
  CHECK(k.v[0] == 0x89abcdefu && k.v[1] == 0x01234567u);
  const philox4x32_ctr_t c = wp_philox4x32_ctr(0x1122334455667788ULL, 7u, 0x6d6bu, 2u);
  CHECK(c.v[0] == 0x55667788u && c.v[1] == 0x11223344u && c.v[2] == 7u);
  CHECK(c.v[3] == (0x6d6bu << WP_PHILOX_BLOCK_BITS | 2u));
}

int main(void)
{
  RUN(test_known_answers);
  RUN(test_avx2_equals_random123);
  RUN(test_u01_range);
  RUN(test_stream_layout);
  return harness_report();
}
