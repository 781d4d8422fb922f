/*
** Internal: several Philox4x64-10 blocks of one key at once, from Random123's own round and
** key-schedule functions. A block is a chain of ten dependent 64-bit multiplications; computing
** the blocks round by round side by side lets the CPU overlap the chains (the multiplier's
** latency hidden by the other blocks' work) where block after block would wait on each one.
** The blocks are exactly philox4x64(ctr[i], key) (tests/test_philox.c checks them against
** Random123 and its published known-answer vectors).
*/
#ifndef WP_PHILOX_INT_H
#define WP_PHILOX_INT_H
#include <stddef.h>
#include <stdint.h>

#include <Random123/philox.h>

#define WP_PHILOX_ROUNDS 10 /* philox4x64() is philox4x64_R(10, ...) */

/* out[i] = philox4x64(ctr[i], key) for i < n (n small and known at compile time: inlined and
** unrolled, so the blocks' rounds interleave). */
static inline __attribute__((always_inline)) void wp_philox4x64_n(size_t n,
                                                                  const philox4x64_ctr_t *ctr,
                                                                  philox4x64_key_t key,
                                                                  philox4x64_ctr_t *out)
{
#pragma GCC unroll 8
  for (size_t i = 0; i < n; i++)
    out[i] = _philox4x64round(ctr[i], key);
  for (int r = 1; r < WP_PHILOX_ROUNDS; r++) {
    key = _philox4x64bumpkey(key);
#pragma GCC unroll 8
    for (size_t i = 0; i < n; i++)
      out[i] = _philox4x64round(out[i], key);
  }
}

/* Uniform on (0, 1] from a word's top 53 bits, centred in their cell: never 0 (a logarithm of
** it is finite). From 1/2 up the half-cell offset rounds to the 2^-53 grid, and the top word
** rounds to exactly 1 (probability 2^-53); every user accepts 1. */
static inline double wp_philox_u01(uint64_t x)
{
  return ((double)(x >> 11) + 0.5) * 0x1p-53;
}

#endif
