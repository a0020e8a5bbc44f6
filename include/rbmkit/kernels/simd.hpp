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

// Lanes [0, n) for 0 <= n <= kWidth.
inline Tail first_lanes(long n) { return static_cast<Tail>((1u << n) - 1u); }
inline Floats zeros() { return _mm512_setzero_ps(); }
inline Floats broadcast(float x) { return _mm512_set1_ps(x); }
inline Floats load(const float* p) { return _mm512_loadu_ps(p); }
inline Floats load(const float* p, Tail t) { return _mm512_maskz_loadu_ps(t, p); }  // zeros past the tail
inline void store(float* p, Floats v) { _mm512_storeu_ps(p, v); }
inline void store(float* p, Floats v, Tail t) { _mm512_mask_storeu_ps(p, t, v); }
inline Floats fmadd(Floats a, Floats b, Floats c) { return _mm512_fmadd_ps(a, b, c); }  // a b + c
inline Floats add(Floats a, Floats b) { return _mm512_add_ps(a, b); }
inline Floats mul(Floats a, Floats b) { return _mm512_mul_ps(a, b); }
inline Floats bit_or(Floats a, Floats b) { return _mm512_or_ps(a, b); }
// 1 / y from the 14-bit reciprocal estimate and one Newton step (relative error ~1e-8).
inline Floats inverse(Floats y) {
  const __m512 r = _mm512_rcp14_ps(y);
  return _mm512_mul_ps(r, _mm512_fnmadd_ps(y, r, _mm512_set1_ps(2.0f)));
}
inline float sum(Floats v) { return _mm512_reduce_add_ps(v); }
// y[0..4) = sum(s0), ..., sum(s3).
inline void sums(Floats s0, Floats s1, Floats s2, Floats s3, float* y) {
  y[0] = sum(s0);
  y[1] = sum(s1);
  y[2] = sum(s2);
  y[3] = sum(s3);
}
// One bit per lane, lane k at bit k: a_k < b_k (false for NaN).
inline std::uint32_t less(Floats a, Floats b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
// Lane k from a where bit k of m is set, else from b.
inline Floats select(std::uint32_t m, Floats a, Floats b) { return _mm512_mask_blend_ps(static_cast<__mmask16>(m), b, a); }
// One bit per lane, lane k at bit k: x_k != 0 (true for NaN).
inline std::uint32_t nonzero(Floats x) {
  return _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_NEQ_UQ);
}
#else
using Floats = __m256;
using Tail = __m256i;  // all ones in the lanes a tail covers

// Lanes [0, n) for 0 <= n <= kWidth.
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
inline Floats mul(Floats a, Floats b) { return _mm256_mul_ps(a, b); }
inline Floats bit_or(Floats a, Floats b) { return _mm256_or_ps(a, b); }
// 1 / y, correctly rounded (AVX2's reciprocal estimate has 12 bits; a division costs less than
// the exp beside it).
inline Floats inverse(Floats y) { return _mm256_div_ps(_mm256_set1_ps(1.0f), y); }
// ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)).
inline float sum(Floats v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}
// y[0..4) = the sums of s0, ..., s3 in one transposing tree (three vhaddps and a fold of the
// halves instead of four reductions of seven instructions each).
inline void sums(Floats s0, Floats s1, Floats s2, Floats s3, float* y) {
  const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(s0, s1), _mm256_hadd_ps(s2, s3));
  _mm_storeu_ps(y, _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1)));
}
inline std::uint32_t nonzero(Floats x) {
  return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_NEQ_UQ)));
}
inline std::uint32_t less(Floats a, Floats b) {
  return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(a, b, _CMP_LT_OQ)));
}
// The lane bits of m back as a vector mask for vblendvps.
inline Floats select(std::uint32_t m, Floats a, Floats b) {
  const __m256i bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  const __m256i on = _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32(static_cast<int>(m)), bit), bit);
  return _mm256_blendv_ps(b, a, _mm256_castsi256_ps(on));
}
#endif

}  // namespace rbmkit::simd
#endif
