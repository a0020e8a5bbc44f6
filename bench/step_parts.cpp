// The parts of one minibatch CD-1 step at MNIST's shapes, each timed alone (best of 7 runs of
// 200 calls, microseconds per call) in fp32 and bf16: the products X = V W and Y = S W^T, the
// conversion of W to bf16 (Products::refresh), the update W += alpha V^T S for both phases (in
// bf16 with and without the conversion in the update's own pass), and the fused sigmoid and
// Bernoulli draws of each layer. V is binary with about 19% ones, like MNIST's pixels.
//   step_parts [threads [B [H]]]  ->  one line per part
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "rbmkit/kernels/bf16_products.hpp"
#include "rbmkit/kernels/sparse_product.hpp"
#include "rbmkit/model/products.hpp"
#include "rbmkit/model/units.hpp"

namespace {

using namespace rbmkit;

template <class F>
double best_us(F f) {
  double best = 1e30;
  for (int rep = 0; rep < 7; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 200; ++i) f();
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / 200;
    best = std::min(best, us);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  const Eigen::Index B = argc > 2 ? std::atoi(argv[2]) : 100, d = 784, H = argc > 3 ? std::atoi(argv[3]) : 500;
  omp_set_num_threads(threads);
  Model m;
  m.W = Matrix::Random(d, H) * 0.01f;
  m.a = Vector::Zero(d);
  m.b = Vector::Zero(H);
  const Matrix V = (Matrix::Random(B, d).array() > 0.62f).cast<float>();
  const Matrix S = (Matrix::Random(B, H).array() > 0.0f).cast<float>();
  Matrix X, Y;
  std::printf("%d threads, B = %ld, d = %ld, H = %ld (us per call)\n", threads, static_cast<long>(B),
              static_cast<long>(d), static_cast<long>(H));
  for (const Precision p : {Precision::Fp32, Precision::Bf16}) {
    if (p == Precision::Bf16 && !bf16_products_onednn()) continue;
    Products products(m, p);
    const char* name = p == Precision::Bf16 ? "bf16" : "fp32";
    std::printf("%s up X = V W           %8.1f\n", name, best_us([&] { products.up(V, X); }));
    std::printf("%s down Y = S W^T       %8.1f\n", name, best_us([&] { products.down(S, Y); }));
    // Steps of +-1e-6 keep W where it was.
    if (p == Precision::Fp32) {
      std::printf("%s update               %8.1f\n", name, best_us([&] {
                    add_sparse_outer(m.W, V, S, 1e-6f);
                    add_sparse_outer(m.W, V, S, -1e-6f);
                  }));
      continue;
    }
    std::printf("%s refresh (convert W)  %8.1f\n", name, best_us([&] { products.refresh(); }));
    std::printf("%s update, then refresh %8.1f\n", name, best_us([&] {
                  bf16_add_outer(m.W, {{&V, &S, 1e-6f}, {&V, &S, -1e-6f}});
                  products.refresh();
                }));
    std::printf("%s update converting W  %8.1f\n", name, best_us([&] {
                  bf16_add_outer(m.W, {{&V, &S, 1e-6f}, {&V, &S, -1e-6f}}, products.bf16_weights());
                }));
  }
  Products products(m, Precision::Fp32);
  products.up(V, X);
  products.down(S, Y);
  Matrix states_h(B, H), states_v(B, d);
  std::uint64_t block = 0;
  std::printf("draw hidden (B, H)        %8.1f\n", best_us([&] {
                Matrix inputs = X;
                sample_bernoulli_from_inputs(inputs, states_h, DrawTag{1, 2, block++ * 1000});
              }));
  std::printf("draw visible (B, d)       %8.1f\n", best_us([&] {
                Matrix inputs = Y;
                sample_bernoulli_from_inputs(inputs, states_v, DrawTag{1, 3, block++ * 1000});
              }));
}
