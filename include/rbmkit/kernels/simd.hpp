// One float register of the widest kind this build targets, for the hand-written kernels:
//   AVX-512:        16 lanes, tails through mask registers;
//   AVX2 with FMA:   8 lanes, tails through vmaskmovps (lanes past the tail are neither read
//                    nor written, so a tail never touches memory beyond the array);
//   neither:         RBMKIT_SIMD_WIDTH is 0 and the kernels keep their scalar loops.
// fmadd rounds once (an FMA) on both kinds, so a kernel written with these functions gives the
// same bits as its scalar twin written with std::fma wherever the sums run in the same order.
#pragma once

#include <immintrin.h>

#include <cstdint>

#if defined(__AVX512F__)
#define RBMKIT_SIMD_WIDTH 16
#elif defined(__AVX2__) && defined(__FMA__)
#define RBMKIT_SIMD_WIDTH 8
#else
#define RBMKIT_SIMD_WIDTH 0
#endif

#if RBMKIT_SIMD_WIDTH > 0
namespace rbmkit::simd {

inline constexpr long kWidth = RBMKIT_SIMD_WIDTH;

#if RBMKIT_SIMD_WIDTH == 16
using Floats = __m512;
using Tail = __mmask16;  // which of the first lanes a tail covers

// Lanes [0, n) for 0 < n <= kWidth.
inline Tail first_lanes(long n) { return static_cast<Tail>((1u << n) - 1u); }
inline Floats zeros() { return _mm512_setzero_ps(); }
inline Floats broadcast(float x) { return _mm512_set1_ps(x); }
inline Floats load(const float* p) { return _mm512_loadu_ps(p); }
inline Floats load(const float* p, Tail t) { return _mm512_maskz_loadu_ps(t, p); }  // zeros past the tail
inline void store(float* p, Floats v) { _mm512_storeu_ps(p, v); }
inline void store(float* p, Floats v, Tail t) { _mm512_mask_storeu_ps(p, t, v); }
inline Floats fmadd(Floats a, Floats b, Floats c) { return _mm512_fmadd_ps(a, b, c); }  // a b + c
inline Floats add(Floats a, Floats b) { return _mm512_add_ps(a, b); }
inline float sum(Floats v) { return _mm512_reduce_add_ps(v); }
// One bit per lane, lane k at bit k: x_k != 0 (true for NaN).
inline std::uint32_t nonzero(Floats x) {
  return _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_NEQ_UQ);
}
#else
using Floats = __m256;
using Tail = __m256i;  // all ones in the lanes a tail covers

inline Tail first_lanes(long n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
inline Floats zeros() { return _mm256_setzero_ps(); }
inline Floats broadcast(float x) { return _mm256_set1_ps(x); }
inline Floats load(const float* p) { return _mm256_loadu_ps(p); }
inline Floats load(const float* p, Tail t) { return _mm256_maskload_ps(p, t); }
inline void store(float* p, Floats v) { _mm256_storeu_ps(p, v); }
inline void store(float* p, Floats v, Tail t) { _mm256_maskstore_ps(p, t, v); }
inline Floats fmadd(Floats a, Floats b, Floats c) { return _mm256_fmadd_ps(a, b, c); }
inline Floats add(Floats a, Floats b) { return _mm256_add_ps(a, b); }
// ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)).
inline float sum(Floats v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}
inline std::uint32_t nonzero(Floats x) {
  return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_NEQ_UQ)));
}
#endif

}  // namespace rbmkit::simd
#endif
