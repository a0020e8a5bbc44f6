#include "rbmkit/kernels/random.hpp"

#include <Random123/philox.h>
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace rbmkit {
namespace {

using Philox = r123::Philox4x32_R<10>;

inline Philox::ctr_type counter(std::uint64_t block, const std::uint32_t stream[2]) {
  return {{static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32), stream[0],
           stream[1]}};
}

}  // namespace

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t stream, std::uint64_t block)
    : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
      stream_{static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)},
      block_(block) {}

void RandomStream::refill() {
  const Philox::key_type key = {{key_[0], key_[1]}};
  const auto r = Philox()(counter(block_++, stream_), key);
  for (int i = 0; i < 4; ++i) buf_[i] = r.v[i];
  used_ = 0;
}

std::uint32_t RandomStream::next_u32() {
  if (used_ == 4) refill();
  return buf_[used_++];
}

namespace {

// Philox4x32-10 on 16 consecutive counters at once. Same constants and round function as
// Random123's philox4x32 (tested against it): per round
//   (hi0, lo0) = M0 * c0, (hi1, lo1) = M1 * c2,  c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0),
// then the key is bumped by the Weyl constants W0, W1. With AVX-512 each 32-bit word sits in
// a 64-bit lane so one vpmuludq gives eight full 32 x 32 -> 64-bit products. Output: the 64
// words in block order (word k of block l at 4 l + k).
constexpr std::size_t kLanes = 16;

#if defined(__AVX512F__)
constexpr std::uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
void philox_lanes(std::uint32_t k0, std::uint32_t k1, const std::uint32_t stream[2], std::uint64_t first,
                  std::uint32_t* out) {
  const __m512i lo32 = _mm512_set1_epi64(0xffffffffLL);
  const __m512i m0 = _mm512_set1_epi64(M0), m1 = _mm512_set1_epi64(M1);
  // The two halves (blocks first..first+7 and first+8..first+15) go through the rounds side by
  // side: a round is a chain of a multiply and three dependent integer operations, so one half
  // alone leaves the multiplier idle most of the time.
  __m512i c0[2], c1[2], c2[2], c3[2];
  for (int half = 0; half < 2; ++half) {
    const std::uint64_t b = first + 8 * static_cast<std::uint64_t>(half);
    const __m512i blocks = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(b)),
                                            _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0));
    c0[half] = _mm512_and_si512(blocks, lo32);
    c1[half] = _mm512_srli_epi64(blocks, 32);
    c2[half] = _mm512_set1_epi64(stream[0]);
    c3[half] = _mm512_set1_epi64(stream[1]);
  }
  std::uint32_t key0 = k0, key1 = k1;
  for (int round = 0; round < 10; ++round) {
    const __m512i q0 = _mm512_set1_epi64(key0), q1 = _mm512_set1_epi64(key1);
    for (int half = 0; half < 2; ++half) {
      const __m512i p0 = _mm512_mul_epu32(c0[half], m0);
      const __m512i p1 = _mm512_mul_epu32(c2[half], m1);
      const __m512i n0 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(p1, 32), c1[half]), q0);
      const __m512i n2 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(p0, 32), c3[half]), q1);
      c1[half] = _mm512_and_si512(p1, lo32);
      c3[half] = _mm512_and_si512(p0, lo32);
      c0[half] = n0;
      c2[half] = n2;
    }
    key0 += W0;
    key1 += W1;
  }
  for (int half = 0; half < 2; ++half) {
    // Lane l of lo01 holds words 0 and 1 of block l, lane l of lo23 words 2 and 3; interleave
    // them into block order.
    const __m512i lo01 = _mm512_or_si512(c0[half], _mm512_slli_epi64(c1[half], 32));
    const __m512i lo23 = _mm512_or_si512(c2[half], _mm512_slli_epi64(c3[half], 32));
    const __m512i first4 = _mm512_permutex2var_epi64(lo01, _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0), lo23);
    const __m512i last4 = _mm512_permutex2var_epi64(lo01, _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4), lo23);
    _mm512_storeu_si512(out + 32 * half, first4);
    _mm512_storeu_si512(out + 32 * half + 16, last4);
  }
}
#else
void philox_lanes(std::uint32_t k0, std::uint32_t k1, const std::uint32_t stream[2], std::uint64_t first,
                  std::uint32_t* out) {
  const Philox::key_type key = {{k0, k1}};
  for (std::size_t l = 0; l < kLanes; ++l) {
    const auto r = Philox()(counter(first + l, stream), key);
    for (int k = 0; k < 4; ++k) out[4 * l + k] = r.v[k];
  }
}
#endif

}  // namespace

void RandomStream::uniform(float* out, std::size_t n) {
  const std::size_t blocks = (n + 3) / 4;
  alignas(64) std::uint32_t words[4 * kLanes];
  for (std::size_t b = 0, i = 0; b < blocks; b += kLanes, i += 4 * kLanes) {
    philox_lanes(key_[0], key_[1], stream_, block_ + b, words);
    const std::size_t count = std::min(n - i, 4 * kLanes);
#if defined(__AVX512F__)
    const __m512 scale = _mm512_set1_ps(1.0f / 16777216.0f);
    for (std::size_t k = 0; k < count; k += 16) {
      const __mmask16 m = count - k >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (count - k)) - 1u);
      const __m512i w = _mm512_srli_epi32(_mm512_load_si512(words + k), 8);
      _mm512_mask_storeu_ps(out + i + k, m, _mm512_mul_ps(_mm512_cvtepi32_ps(w), scale));
    }
#else
    for (std::size_t k = 0; k < count; ++k) out[i + k] = static_cast<float>(words[k] >> 8) * (1.0f / 16777216.0f);
#endif
  }
  block_ += blocks;
  used_ = 4;
}

double RandomStream::uniform_double() {
  const std::uint64_t hi = next_u32() >> 5;  // 27 bits
  const std::uint64_t lo = next_u32() >> 6;  // 26 bits
  return static_cast<double>((hi << 26) | lo) * 0x1.0p-53;
}

double RandomStream::normal() {
  const double u1 = 1.0 - uniform_double();  // (0, 1]
  const double u2 = uniform_double();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

void RandomStream::normal(float* out, std::size_t n) {
  // Box-Muller on pairs of 24-bit uniforms (u1 in (0, 1]): tails are cut at sqrt(2 ln 2^24) =
  // 5.77 standard deviations, a probability of 8e-9.
  thread_local std::vector<float> u;
  u.resize(2 * n);
  uniform(u.data(), u.size());
  for (std::size_t i = 0; i < n; ++i) {
    const float r = std::sqrt(-2.0f * std::log(1.0f - u[2 * i]));
    out[i] = r * std::cos(2.0f * std::numbers::pi_v<float> * u[2 * i + 1]);
  }
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  // Lemire's nearly divisionless method on 32-bit words for n < 2^32, else 64-bit.
  if (n <= 0xffffffffu) {
    const std::uint32_t bound = static_cast<std::uint32_t>(n);
    std::uint64_t m = std::uint64_t{next_u32()} * bound;
    std::uint32_t low = static_cast<std::uint32_t>(m);
    if (low < bound) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-bound) % bound;
      while (low < threshold) {
        m = std::uint64_t{next_u32()} * bound;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return m >> 32;
  }
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
  std::uint64_t x;
  do {
    x = (std::uint64_t{next_u32()} << 32) | next_u32();
  } while (x >= limit);
  return x % n;
}

}  // namespace rbmkit
