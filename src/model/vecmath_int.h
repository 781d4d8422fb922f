/*
** Internal: glibc's vector math library (libmvec) for four doubles at once, for code compiled
** for AVX2 (include it inside `#pragma GCC target("avx2")`). Its functions work lane by lane
** like the scalar ones but do not always round to the same last bit. Used only when the build
** found libmvec (WP_HAVE_LIBMVEC) on x86-64 and the CPU has AVX2 (checked at run time).
*/
#ifndef WP_VECMATH_INT_H
#define WP_VECMATH_INT_H
#include <immintrin.h>

typedef double wp_vm4d __attribute__((vector_size(4 * sizeof(double))));

/* The x86-64 vector function ABI names of libmvec's 4-lane AVX2 variants. */
__m256d _ZGVdN4v_exp(__m256d x);
__m256d _ZGVdN4v_log(__m256d x);
__m256d _ZGVdN4v_sin(__m256d x);
__m256d _ZGVdN4v_cos(__m256d x);

static inline wp_vm4d wp_vm4_exp(wp_vm4d x) { return (wp_vm4d)_ZGVdN4v_exp((__m256d)x); }
static inline wp_vm4d wp_vm4_log(wp_vm4d x) { return (wp_vm4d)_ZGVdN4v_log((__m256d)x); }
static inline wp_vm4d wp_vm4_sin(wp_vm4d x) { return (wp_vm4d)_ZGVdN4v_sin((__m256d)x); }
static inline wp_vm4d wp_vm4_cos(wp_vm4d x) { return (wp_vm4d)_ZGVdN4v_cos((__m256d)x); }
static inline wp_vm4d wp_vm4_sqrt(wp_vm4d x) { return (wp_vm4d)_mm256_sqrt_pd((__m256d)x); }

#endif
