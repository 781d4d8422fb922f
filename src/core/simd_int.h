/*
** src/core/simd_int.h — internal: whether this build has the vector (AVX2) paths. They are
** compiled by GCC on x86-64 (they rely on its `#pragma GCC target`); another compiler (clang, for
** the fuzz build) builds only their scalar counterparts, which give the same results except the
** last bits of the vector math (as WATTPIVOT_SCALAR=1 does at run time).
*/
#ifndef WP_CORE_SIMD_INT_H
#define WP_CORE_SIMD_INT_H

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define WP_VECTOR_BUILD 1
#endif

#endif
