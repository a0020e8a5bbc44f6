// The arithmetic peak of one core of this CPU, from register-only loops of 12 independent
// accumulators (no loads): fp32 FMA in the widest vectors the build targets (2 flops per lane)
// and, with AVX512_BF16, vdpbf16ps (32 bf16 products added into 16 fp32 lanes: 64 flops each).
// It is what "percent of peak" means for the bf16 and fp32 products (bench/train_vs_peers).
//   core_peak  ->  one JSON line: GFLOP/s per core for each instruction
#include <immintrin.h>

#include <chrono>
#include <cstdio>

#include "rbmkit/kernels/simd.hpp"

namespace {

using namespace rbmkit;

constexpr int kChains = 12;
constexpr long kIterations = 100000000;

template <class Step>
double gflops(double flops_per_step, Step step) {
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < kIterations; ++i) step();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return flops_per_step * kChains * static_cast<double>(kIterations) / seconds / 1e9;
}

}  // namespace

int main() {
  std::printf("{");
#if RBMKIT_SIMD_WIDTH > 0
  simd::Floats x = simd::broadcast(1e-9f), acc[kChains];
  for (auto& a : acc) a = simd::zeros();
  const double fp32 = gflops(2.0 * simd::kWidth, [&] {
#pragma GCC unroll 12
    for (auto& a : acc) a = simd::fmadd(x, x, a);
    __asm__ volatile("" : "+v"(x));  // keeps the loop from being folded
  });
  float checksum = 0;
  for (const auto& a : acc) checksum += simd::sum(a);
  std::printf("\"fp32_fma_gflops\": %.1f, \"fp32_lanes\": %ld, \"checksum\": %g", fp32, simd::kWidth, checksum);
#endif
#if defined(__AVX512BF16__)
  __m512bh ones = reinterpret_cast<__m512bh>(_mm512_set1_epi16(0x3f80));  // bf16 1.0
  __m512 sums[kChains];
  for (auto& s : sums) s = _mm512_setzero_ps();
  const double bf16 = gflops(64, [&] {
#pragma GCC unroll 12
    for (auto& s : sums) s = _mm512_dpbf16_ps(s, ones, ones);
    __asm__ volatile("" : "+v"(ones));
  });
  std::printf(", \"bf16_dot_gflops\": %.1f, \"bf16_checksum\": %g", bf16, _mm512_reduce_add_ps(sums[0]));
#endif
  std::printf("}\n");
}
