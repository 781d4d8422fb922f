/*
** Internal: the counter-based random streams' building blocks, on Random123's Philox.
** - Philox4x32-10 streams of the risk engine's market and schedule draws (wp_philox4x32_key,
**   wp_philox4x32_ctr): the key is the seed, the counter the stream's coordinates and a domain
**   per module. philox_avx2_int.h computes four such blocks at once in AVX2 vectors.
** - Uniforms of 53 bits from one 64-bit word or two 32-bit words.
** tests/test_philox.c checks the blocks against Random123 and its published known-answer
** vectors.
*/
#ifndef WP_PHILOX_INT_H
#define WP_PHILOX_INT_H
#include <stddef.h>
#include <stdint.h>

#include <Random123/philox.h>

#define WP_PHILOX_ROUNDS 10 /* philox4x32() and philox4x64() are philox*_R(10, ...) */

/* Uniform on (0, 1] from a word's top 53 bits, centred in their cell: never 0 (a logarithm of
** it is finite). From 1/2 up the half-cell offset rounds to the 2^-53 grid, and the top word
** rounds to exactly 1 (probability 2^-53); every user accepts 1. */
static inline double wp_philox_u01(uint64_t x)
{
  return ((double)(x >> 11) + 0.5) * 0x1p-53;
}

/* Uniform from the 64-bit word of two 32-bit words (hi, lo): wp_philox_u01(hi << 32 | lo). */
static inline double wp_philox_u01_2x32(uint32_t hi, uint32_t lo)
{
  return wp_philox_u01(((uint64_t)hi << 32) | lo);
}

/* A Philox4x32 stream: key = the seed's low and high halves; counter = (a's low and high
** halves, b, domain << 16 | block). A stream is (seed, domain, a, b); block < 2^16 numbers
** its blocks. */
#define WP_PHILOX_BLOCK_BITS 16
static inline philox4x32_key_t wp_philox4x32_key(uint64_t seed)
{
  philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
  return k;
}
static inline philox4x32_ctr_t wp_philox4x32_ctr(uint64_t a, uint32_t b, uint32_t domain,
                                                 uint32_t block)
{
  philox4x32_ctr_t c = {{(uint32_t)a, (uint32_t)(a >> 32), b,
                         (domain << WP_PHILOX_BLOCK_BITS) | block}};
  return c;
}

#endif
