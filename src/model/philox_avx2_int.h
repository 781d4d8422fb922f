/*
** Internal: four Philox4x32-10 blocks at once in AVX2 vectors, and their uniforms. Include it
** inside `#pragma GCC target("avx2")` (callers check the CPU at run time).
**
** A block's four 32-bit words are four vectors: word j of block l sits in the low half of 64-bit
** lane l, so one unsigned 32 x 32 -> 64-bit vector multiplication gives a round's products of
** all four blocks. A round is Random123's _philox4x32round (out = {hi1 ^ v1 ^ k0, lo1, hi0 ^
** v3 ^ k1, lo0}, products M0 v0 and M1 v2) and the key bumps by Random123's Weyl constants
** between rounds, as philox4x32_R(10, ...). The lanes' high halves carry garbage until the
** end (the multiplication reads only the low halves); the result is masked. Several groups
** of four blocks run side by side to hide the multiplication latency.
*/
#ifndef WP_PHILOX_AVX2_INT_H
#define WP_PHILOX_AVX2_INT_H
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#include "philox_int.h"

/* Four blocks: w[j] holds word j of each lane's block (low 32 bits of each 64-bit lane). */
typedef struct wp_philox4x32_v4 {
  __m256i w[4];
} wp_philox4x32_v4;

/* Lane l's counter c[l] as the vectors' lane l. */
static inline wp_philox4x32_v4 wp_philox4x32_v4_of(const philox4x32_ctr_t c[4])
{
  wp_philox4x32_v4 v;
  for (int j = 0; j < 4; j++)
    v.w[j] = _mm256_set_epi64x(c[3].v[j], c[2].v[j], c[1].v[j], c[0].v[j]);
  return v;
}

/* x[i] = the Philox4x32-10 blocks of counters x[i] under key k, for i < n (n small and known
** at compile time: inlined and unrolled, the groups' rounds interleave). The round keys and the
** multipliers are read from memory by the instructions that use them, leaving the vector
** registers to the blocks' state. */
static inline __attribute__((always_inline)) void
wp_philox4x32_avx2_n(size_t n, wp_philox4x32_v4 *x, philox4x32_key_t k)
{
  const __m256i m[2] = {_mm256_set1_epi64x(PHILOX_M4x32_0), _mm256_set1_epi64x(PHILOX_M4x32_1)};
  __m256i rk[WP_PHILOX_ROUNDS][2]; /* the key schedule: 32-bit additions, high halves 0 */
  for (int r = 0; r < WP_PHILOX_ROUNDS; r++) {
    rk[r][0] = _mm256_set1_epi64x(k.v[0]);
    rk[r][1] = _mm256_set1_epi64x(k.v[1]);
    k.v[0] += PHILOX_W32_0;
    k.v[1] += PHILOX_W32_1;
  }
#pragma GCC unroll 10
  for (int r = 0; r < WP_PHILOX_ROUNDS; r++) {
#pragma GCC unroll 4
    for (size_t i = 0; i < n; i++) {
      const __m256i p0 = _mm256_mul_epu32(x[i].w[0], m[0]), p1 = _mm256_mul_epu32(x[i].w[2], m[1]);
      const __m256i hi1 = _mm256_srli_epi64(p1, 32), hi0 = _mm256_srli_epi64(p0, 32);
      const __m256i n0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x[i].w[1]), rk[r][0]);
      const __m256i n2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x[i].w[3]), rk[r][1]);
      x[i].w[0] = n0;
      x[i].w[1] = p1;
      x[i].w[2] = n2;
      x[i].w[3] = p0;
    }
  }
  const __m256i low = _mm256_set1_epi64x(0xffffffffLL);
#pragma GCC unroll 4
  for (size_t i = 0; i < n; i++)
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++) x[i].w[j] = _mm256_and_si256(x[i].w[j], low);
}

/* wp_philox_u01_2x32(hi, lo) lane by lane (hi, lo: 32-bit words in the lanes' low halves):
** the 53 bits as hi x 2^21 + (lo >> 11), each part made exact through the 2^52 exponent
** trick, then centred and scaled as the scalar function does. */
static inline __m256d wp_philox_u01_2x32_avx2(__m256i hi, __m256i lo)
{
  const __m256i exp52 = _mm256_set1_epi64x(0x4330000000000000LL); /* 2^52 */
  const __m256d two52 = _mm256_set1_pd(0x1p52);
  const __m256d dh = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(hi, exp52)), two52);
  const __m256d dl = _mm256_sub_pd(
      _mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(lo, 11), exp52)), two52);
  const __m256d top = _mm256_add_pd(_mm256_mul_pd(dh, _mm256_set1_pd(0x1p21)), dl);
  return _mm256_mul_pd(_mm256_add_pd(top, _mm256_set1_pd(0.5)), _mm256_set1_pd(0x1p-53));
}

#endif
