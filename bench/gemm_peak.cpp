// Single-precision GEMM throughput of Eigen (as rbmkit uses it) at the shapes of one CD-1
// minibatch step: (B x d) * (d x H), (B x H) * (H x d) and (d x B) * (B x H).
//   gemm_peak B d H [threads]  ->  one JSON line with GFLOP/s per shape and their mean
#include <omp.h>

#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <class F>
double gflops(double flops, F product) {
  product();  // warm up
  int reps = 0;
  const auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  while (seconds < 0.5) {
    product();
    ++reps;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return flops * reps / seconds / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: gemm_peak B d H [threads]\n");
    return 2;
  }
  const long B = std::atol(argv[1]), d = std::atol(argv[2]), H = std::atol(argv[3]);
  const int threads = argc > 4 ? std::atoi(argv[4]) : omp_get_num_procs();
  Eigen::setNbThreads(threads);
  omp_set_num_threads(threads);
  const Mat V = Mat::Random(B, d), W = Mat::Random(d, H), P = Mat::Random(B, H);
  Mat out1(B, H), out2(B, d), out3(d, H);
  const double f = 2.0 * B * d * H;
  const double up = gflops(f, [&] { out1.noalias() = V * W; });
  const double down = gflops(f, [&] { out2.noalias() = P * W.transpose(); });
  const double grad = gflops(f, [&] { out3.noalias() = V.transpose() * P; });
  std::printf("{\"B\": %ld, \"d\": %ld, \"H\": %ld, \"threads\": %d, \"up\": %.1f, \"down\": %.1f, \"grad\": %.1f, "
              "\"mean\": %.1f}\n",
              B, d, H, threads, up, down, grad, (up + down + grad) / 3);
}
