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
// a 64-bit lane so one vpmuludq gives eight full 32 x 32 -> 64-bit products (four with AVX2).
// Output: the 64 words in block order (word k of block l at 4 l + k).
constexpr std::size_t kCounters = 16;
constexpr std::uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;

#if defined(__AVX512F__) || defined(__AVX2__)
// A register of 64-bit lanes (8 with AVX-512, 4 with AVX2), each holding one 32-bit word.
#if defined(__AVX512F__)
struct Lanes64 {
  using R = __m512i;
  static constexpr std::uint64_t kCount = 8;
  static R set1(std::uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }
  static R iota() { return _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0); }
  static R add(R a, R b) { return _mm512_add_epi64(a, b); }
  static R mul(R a, R b) { return _mm512_mul_epu32(a, b); }  // low 32 bits of each lane, 64-bit products
  static R bit_xor(R a, R b) { return _mm512_xor_si512(a, b); }
  static R bit_and(R a, R b) { return _mm512_and_si512(a, b); }
  static R bit_or(R a, R b) { return _mm512_or_si512(a, b); }
  static R high(R a) { return _mm512_srli_epi64(a, 32); }
  static R shift_up(R a) { return _mm512_slli_epi64(a, 32); }
};
#else
struct Lanes64 {
  using R = __m256i;
  static constexpr std::uint64_t kCount = 4;
  static R set1(std::uint64_t x) { return _mm256_set1_epi64x(static_cast<long long>(x)); }
  static R iota() { return _mm256_set_epi64x(3, 2, 1, 0); }
  static R add(R a, R b) { return _mm256_add_epi64(a, b); }
  static R mul(R a, R b) { return _mm256_mul_epu32(a, b); }
  static R bit_xor(R a, R b) { return _mm256_xor_si256(a, b); }
  static R bit_and(R a, R b) { return _mm256_and_si256(a, b); }
  static R bit_or(R a, R b) { return _mm256_or_si256(a, b); }
  static R high(R a) { return _mm256_srli_epi64(a, 32); }
  static R shift_up(R a) { return _mm256_slli_epi64(a, 32); }
};
#endif

// Blocks first .. first + 2 kCount - 1 as two groups of kCount side by side (a round is a chain
// of a multiply and three dependent integer operations, so one group alone leaves the
// multiplier idle most of the time). Group g's results: lane l of lo01[g] holds words 0 and 1
// of block first + g kCount + l, lane l of lo23[g] words 2 and 3.
template <class L>
void philox_groups(std::uint32_t k0, std::uint32_t k1, const std::uint32_t stream[2], std::uint64_t first,
                   typename L::R lo01[2], typename L::R lo23[2]) {
  using R = typename L::R;
  const R lo32 = L::set1(0xffffffffu), m0 = L::set1(M0), m1 = L::set1(M1);
  R c0[2], c1[2], c2[2], c3[2];
  for (int g = 0; g < 2; ++g) {
    const R blocks = L::add(L::set1(first + L::kCount * static_cast<std::uint64_t>(g)), L::iota());
    c0[g] = L::bit_and(blocks, lo32);
    c1[g] = L::high(blocks);
    c2[g] = L::set1(stream[0]);
    c3[g] = L::set1(stream[1]);
  }
  std::uint32_t key0 = k0, key1 = k1;
  for (int round = 0; round < 10; ++round) {
    const R q0 = L::set1(key0), q1 = L::set1(key1);
    for (int g = 0; g < 2; ++g) {
      const R p0 = L::mul(c0[g], m0), p1 = L::mul(c2[g], m1);
      const R n0 = L::bit_xor(L::bit_xor(L::high(p1), c1[g]), q0);
      const R n2 = L::bit_xor(L::bit_xor(L::high(p0), c3[g]), q1);
      c1[g] = L::bit_and(p1, lo32);
      c3[g] = L::bit_and(p0, lo32);
      c0[g] = n0;
      c2[g] = n2;
    }
    key0 += W0;
    key1 += W1;
  }
  for (int g = 0; g < 2; ++g) {
    lo01[g] = L::bit_or(c0[g], L::shift_up(c1[g]));
    lo23[g] = L::bit_or(c2[g], L::shift_up(c3[g]));
  }
}

void philox_lanes(std::uint32_t k0, std::uint32_t k1, const std::uint32_t stream[2], std::uint64_t first,
                  std::uint32_t* out) {
  for (std::uint64_t b = 0; b < kCounters; b += 2 * Lanes64::kCount) {
    Lanes64::R lo01[2], lo23[2];
    philox_groups<Lanes64>(k0, k1, stream, first + b, lo01, lo23);
    // Interleave each group's two registers into block order.
    for (int g = 0; g < 2; ++g) {
      std::uint32_t* dst = out + 4 * (b + Lanes64::kCount * static_cast<std::uint64_t>(g));
#if defined(__AVX512F__)
      _mm512_storeu_si512(dst, _mm512_permutex2var_epi64(lo01[g], _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0), lo23[g]));
      _mm512_storeu_si512(dst + 16,
                          _mm512_permutex2var_epi64(lo01[g], _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4), lo23[g]));
#else
      // unpack gives blocks (0, 2) and (1, 3); the 128-bit halves go back in block order.
      const __m256i even = _mm256_unpacklo_epi64(lo01[g], lo23[g]), odd = _mm256_unpackhi_epi64(lo01[g], lo23[g]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_permute2x128_si256(even, odd, 0x20));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 8), _mm256_permute2x128_si256(even, odd, 0x31));
#endif
    }
  }
}
#else
void philox_lanes(std::uint32_t k0, std::uint32_t k1, const std::uint32_t stream[2], std::uint64_t first,
                  std::uint32_t* out) {
  const Philox::key_type key = {{k0, k1}};
  for (std::size_t l = 0; l < kCounters; ++l) {
    const auto r = Philox()(counter(first + l, stream), key);
    for (int k = 0; k < 4; ++k) out[4 * l + k] = r.v[k];
  }
}
#endif

}  // namespace

void RandomStream::uniform(float* out, std::size_t n) {
  const std::size_t blocks = (n + 3) / 4;
  alignas(64) std::uint32_t words[4 * kCounters];
  for (std::size_t b = 0, i = 0; b < blocks; b += kCounters, i += 4 * kCounters) {
    philox_lanes(key_[0], key_[1], stream_, block_ + b, words);
    const std::size_t count = std::min(n - i, 4 * kCounters);
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
