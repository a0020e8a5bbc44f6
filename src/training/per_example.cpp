#include "rbmkit/training/per_example.hpp"

#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

#include "rbmkit/asserts.hpp"
#include "rbmkit/kernels/bf16_rows.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/simd.hpp"
#include "rbmkit/kernels/sparse_product.hpp"
#include "rbmkit/kernels/streams.hpp"
#include "rbmkit/sampling/gibbs.hpp"

namespace rbmkit {
namespace {

// Sense-reversing barrier: a few hundred nanoseconds between two cores while both are free. It
// spins for a bounded time (a few microseconds of pause instructions), then sleeps on the
// flag (std::atomic::wait, a futex), so that a machine busy with other work does not lose the
// time slices the other thread needs to arrive.
class SpinBarrier {
 public:
  explicit SpinBarrier(int n) : n_(n) {}
  void wait(bool& local_sense) {
    local_sense = !local_sense;
    if (count_.fetch_add(1, std::memory_order_acq_rel) == n_ - 1) {
      count_.store(0, std::memory_order_relaxed);
      sense_.store(local_sense, std::memory_order_release);
      sense_.notify_all();
      return;
    }
    // First without pause (about 140 cycles each on recent Intel cores, most of a wake-up's
    // latency between two cores), then with it.
    for (int spins = 0; spins < kTightSpins; ++spins)
      if (sense_.load(std::memory_order_acquire) == local_sense) return;
    for (int spins = 0; spins < kSpins; ++spins) {
      if (sense_.load(std::memory_order_acquire) == local_sense) return;
#if defined(__x86_64__)
      __builtin_ia32_pause();
#endif
    }
    while (sense_.load(std::memory_order_acquire) != local_sense) sense_.wait(!local_sense, std::memory_order_acquire);
  }

 private:
  static constexpr int kTightSpins = 2000;  // about 1-2 us of loads
  static constexpr int kSpins = 4000;       // about 10-40 us of pause instructions
  const int n_;
  std::atomic<int> count_{0};
  std::atomic<bool> sense_{false};
};

// acc[0..H) += scale * row[0..H) and the dot product of a[0..H) and b[0..H), in this CPU's
// widest vectors (kernels/simd.hpp): the tail is masked and the dot product ends in one tree
// reduction per row (the compiler's own reduction epilogue is a serial chain of scalar adds,
// which dominated the dense pass; without -ffast-math it does not vectorise a float sum at all).
#if RBMKIT_SIMD_WIDTH > 0
constexpr Eigen::Index kWidth = simd::kWidth;

inline void axpy(float* acc, const float* row, float scale, Eigen::Index H) {
  const simd::Floats f = simd::broadcast(scale);
  Eigen::Index j = 0;
  for (; j + kWidth <= H; j += kWidth) simd::store(acc + j, simd::fmadd(f, simd::load(row + j), simd::load(acc + j)));
  if (j < H) {
    const simd::Tail t = simd::first_lanes(H - j);
    simd::store(acc + j, simd::fmadd(f, simd::load(row + j, t), simd::load(acc + j, t)), t);
  }
}

inline float dot(const float* a, const float* b, Eigen::Index H) {
  simd::Floats s = simd::zeros();
  Eigen::Index j = 0;
  for (; j + kWidth <= H; j += kWidth) s = simd::fmadd(simd::load(a + j), simd::load(b + j), s);
  if (j < H) {
    const simd::Tail t = simd::first_lanes(H - j);
    s = simd::fmadd(simd::load(a + j, t), simd::load(b + j, t), s);
  }
  return simd::sum(s);
}

// y[0..4) = dot products of rows W[0..4) (stride H) with h: four independent accumulator
// chains keep more loads in flight than one row at a time (1.7x faster on the dense pass).
inline void dot4(const float* W, const float* h, Eigen::Index H, float* y) {
  simd::Floats s0 = simd::zeros(), s1 = s0, s2 = s0, s3 = s0;
  const auto step = [&](simd::Floats x, simd::Floats w0, simd::Floats w1, simd::Floats w2, simd::Floats w3) {
    s0 = simd::fmadd(w0, x, s0);
    s1 = simd::fmadd(w1, x, s1);
    s2 = simd::fmadd(w2, x, s2);
    s3 = simd::fmadd(w3, x, s3);
  };
  Eigen::Index j = 0;
  for (; j + kWidth <= H; j += kWidth)
    step(simd::load(h + j), simd::load(W + j), simd::load(W + H + j), simd::load(W + 2 * H + j),
         simd::load(W + 3 * H + j));
  if (j < H) {
    const simd::Tail t = simd::first_lanes(H - j);
    step(simd::load(h + j, t), simd::load(W + j, t), simd::load(W + H + j, t), simd::load(W + 2 * H + j, t),
         simd::load(W + 3 * H + j, t));
  }
  simd::sums(s0, s1, s2, s3, y);
}
#else
inline void axpy(float* __restrict acc, const float* __restrict row, float scale, Eigen::Index H) {
  for (Eigen::Index j = 0; j < H; ++j) acc[j] += scale * row[j];
}

inline float dot(const float* __restrict a, const float* __restrict b, Eigen::Index H) {
  float s = 0.0f;
  for (Eigen::Index j = 0; j < H; ++j) s += a[j] * b[j];
  return s;
}

inline void dot4(const float* W, const float* h, Eigen::Index H, float* y) {
  for (int r = 0; r < 4; ++r) y[r] = dot(W + r * H, h, H);
}
#endif

// y[i] = a[i] + W_i . h for rows i in [r0, r1).
void visible_input(const float* W, const float* a, const float* h, Eigen::Index H, Eigen::Index r0, Eigen::Index r1,
                   float* y) {
  Eigen::Index i = r0;
  for (; i + 4 <= r1; i += 4) dot4(W + i * H, h, H, y + i);
  for (; i < r1; ++i) y[i] = dot(W + i * H, h, H);
  for (i = r0; i < r1; ++i) y[i] += a[i];
}

// acc[0..n) = the sum over q in [0, count) of v[rows[q]] * W_rows[q][0..n), added row by row
// in list order (the FMAs of acc = 0 followed by an axpy per row, so the same bits), with up to
// 8 chunks of simd::kWidth sums held in registers across the rows instead of stored and loaded
// once per row. Rows are `stride` values apart: fp32 rows of n values, or bf16 rows (Bf16Rows) zero
// padded to a multiple of 16, whose n is their stride.
#if RBMKIT_SIMD_WIDTH > 0
template <int C, class Load>
inline void sum_chunks(const std::int32_t* rows, Eigen::Index count, const float* v, Eigen::Index c0, Eigen::Index n,
                       float* acc, Load load) {
  simd::Floats s[C];
  for (auto& x : s) x = simd::zeros();
  for (Eigen::Index q = 0; q < count; ++q) {
    const Eigen::Index i = rows[q];
    const simd::Floats f = simd::broadcast(v[i]);
    for (int c = 0; c < C; ++c) s[c] = simd::fmadd(f, load(i, c0 + kWidth * c), s[c]);
  }
  for (int c = 0; c < C; ++c) {
    const Eigen::Index j = c0 + kWidth * c;
    if (j + kWidth <= n)
      simd::store(acc + j, s[c]);
    else
      simd::store(acc + j, s[c], simd::first_lanes(n - j));
  }
}

template <class Load>
inline void sum_rows(const std::int32_t* rows, Eigen::Index count, const float* v, Eigen::Index n, float* acc,
                     Load load) {
  for (Eigen::Index c0 = 0; c0 < n; c0 += 8 * kWidth) {
    switch (std::min<Eigen::Index>(8, (n - c0 + kWidth - 1) / kWidth)) {
      case 1: sum_chunks<1>(rows, count, v, c0, n, acc, load); break;
      case 2: sum_chunks<2>(rows, count, v, c0, n, acc, load); break;
      case 3: sum_chunks<3>(rows, count, v, c0, n, acc, load); break;
      case 4: sum_chunks<4>(rows, count, v, c0, n, acc, load); break;
      case 5: sum_chunks<5>(rows, count, v, c0, n, acc, load); break;
      case 6: sum_chunks<6>(rows, count, v, c0, n, acc, load); break;
      case 7: sum_chunks<7>(rows, count, v, c0, n, acc, load); break;
      default: sum_chunks<8>(rows, count, v, c0, n, acc, load); break;
    }
  }
}

void sum_rows(const float* W, Eigen::Index H, const std::int32_t* rows, Eigen::Index count, const float* v,
              float* acc) {
  sum_rows(rows, count, v, H, acc, [W, H](Eigen::Index i, Eigen::Index j) {
    return j + kWidth <= H ? simd::load(W + i * H + j) : simd::load(W + i * H + j, simd::first_lanes(H - j));
  });
}

// Bf16Rows' stride is a multiple of 16 values, so its rows have no tail.
void sum_rows(const Bf16Rows& M, const std::int32_t* rows, Eigen::Index count, const float* v, float* acc) {
  sum_rows(rows, count, v, M.stride(), acc, [&M](Eigen::Index i, Eigen::Index j) { return bf16_to_floats(M.row(i) + j); });
}
#else
void sum_rows(const float* W, Eigen::Index H, const std::int32_t* rows, Eigen::Index count, const float* v,
              float* acc) {
  std::fill_n(acc, H, 0.0f);
  for (Eigen::Index q = 0; q < count; ++q) axpy(acc, W + rows[q] * H, v[rows[q]], H);
}

void sum_rows(const Bf16Rows& M, const std::int32_t* rows, Eigen::Index count, const float* v, float* acc) {
  std::fill_n(acc, M.stride(), 0.0f);
  for (Eigen::Index q = 0; q < count; ++q) bf16_row_axpy(M, rows[q], v[rows[q]], acc);
}
#endif

// The SGD step on W's rows where x0 or xk is on: W_i += lr x0_i p0, then W_i -= lr xk_i pk (the
// order of the two terms everywhere, so the same bits as a pass over each list), one row at a
// time over the union of the two ascending lists, so a row in both is read and written once;
// with bf16 rows (Wb) each changed row is converted again once, after both terms.
void update_rows(float* W, Eigen::Index H, const std::int32_t* active0, Eigen::Index n0, const float* x0,
                 const float* p0, const std::int32_t* activek, Eigen::Index nk, const float* xk, const float* pk,
                 float lr, Bf16Rows* Wb) {
  constexpr std::int32_t kEnd = std::numeric_limits<std::int32_t>::max();
  for (Eigen::Index q0 = 0, qk = 0; q0 < n0 || qk < nk;) {
    const std::int32_t i0 = q0 < n0 ? active0[q0] : kEnd, ik = qk < nk ? activek[qk] : kEnd;
    const std::int32_t i = std::min(i0, ik);
    float* row = W + static_cast<Eigen::Index>(i) * H;
    if (i0 == i) axpy(row, p0, lr * x0[i], H), ++q0;
    if (ik == i) axpy(row, pk, -lr * xk[i], H), ++qk;
    if (Wb) Wb->assign_row(i, row);
  }
}

// One row block: rows [r0, r1) of W and its partial hidden sums.
struct Share {
  Eigen::Index r0 = 0, r1 = 0;
  float* partial[2] = {};  // the block's sum over its active rows, per pass parity (in `sums`)
};

}  // namespace

int row_blocks(const PerExampleConfig& c, std::size_t d) {
  return std::max(1, std::min<int>(c.threads, static_cast<int>(d / 16)));
}

void train_per_example(Model& m, const Dataset& data, const PerExampleConfig& c, std::uint64_t first,
                       std::uint64_t last, const std::function<std::size_t(std::uint64_t)>& pick, int threads) {
  RBMKIT_ASSERT(data.cols() == m.n_visible() && c.threads >= 1, "train_per_example: data (n, d) for W (d, H), threads >= 1");
  const Eigen::Index d = m.W.rows(), H = m.W.cols();
  const bool bf16 = c.precision == Precision::Bf16;
  // bf16: W's rows in bf16 for both passes (rows of Hp values, zero padded), converted again
  // from the fp32 master after each update of a row.
  std::optional<Bf16Rows> Wb;
  if (bf16) Wb.emplace(d, H);
  const Eigen::Index Hp = bf16 ? Wb->stride() : H;
  const int T = row_blocks(c, static_cast<std::size_t>(d));
  const int E = std::clamp(threads, 1, T);
  // Row blocks start at multiples of 16 pixels so every block's random draws start at a fresh
  // Philox block: pixel i uses word i % 4 of block i / 4 whatever the split.
  std::vector<Share> shares(static_cast<std::size_t>(T));
  // The partial sums, each on cache lines of its own: one thread writes a block's sums while the
  // other reads those of the other parity.
  const Eigen::Index sum_stride = (Hp + 15) / 16 * 16;
  Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> sums(2 * T, sum_stride);
  for (int t = 0; t < T; ++t) {
    auto& s = shares[static_cast<std::size_t>(t)];
    s.r0 = (d * t / T) / 16 * 16;
    s.r1 = t == T - 1 ? d : (d * (t + 1) / T) / 16 * 16;
    for (int parity = 0; parity < 2; ++parity) s.partial[parity] = sums.row(2 * t + parity).data();
  }
  const std::uint64_t stride = blocks_per_row(static_cast<std::uint64_t>(std::max(d, H)));
  SpinBarrier barrier(E);
  const float lr = c.learning_rate;

#pragma omp parallel num_threads(E)
  {
    const int t = omp_get_thread_num();
    const unsigned int saved_mxcsr = _mm_getcsr();
    _mm_setcsr(saved_mxcsr | 0x8040);  // FTZ | DAZ
    // This thread's blocks [k0, k1): their rows [r0, r1) are contiguous.
    const int k0 = t * T / E, k1 = (t + 1) * T / E;
    const Eigen::Index r0 = shares[static_cast<std::size_t>(k0)].r0, r1 = shares[static_cast<std::size_t>(k1 - 1)].r1;
    const Eigen::Index rows = r1 - r0;
    bool sense = false;
    int parity = 0;
    std::vector<float> x0(static_cast<std::size_t>(d)), xk(static_cast<std::size_t>(d));
    std::vector<float> u(static_cast<std::size_t>(std::max(rows, H) + 4));
    std::vector<float> b(m.b.data(), m.b.data() + H);  // each thread keeps the same copy of b
    std::vector<float> s(static_cast<std::size_t>(H)), p0(static_cast<std::size_t>(H)), h(static_cast<std::size_t>(H));
    std::vector<float> pk(static_cast<std::size_t>(H));
    float* W = m.W.data();
    float* a = m.a.data();
    std::optional<Bf16Rows> hb;  // the hidden states in bf16 (exact), for the downward pass
    if (bf16) {
      hb.emplace(1, H);
      for (Eigen::Index i = r0; i < r1; ++i) Wb->assign_row(i, W + i * H);  // this thread's rows only
    }

    // This thread's rows where x0 (resp. the chain's state xk) is nonzero, for the update.
    std::vector<std::int32_t> active0(static_cast<std::size_t>(rows + 16)), activek(active0.size());
    Eigen::Index n0 = 0, nk = 0;

    // p = sigm(b + the partial sums of every block, in block order, over the rows where v != 0):
    // the same arithmetic whatever the number of threads executing the blocks. The rows where
    // v != 0 go to `active` (n of them).
    const auto up = [&](const float* v, float* p, std::int32_t* active, Eigen::Index& n) {
      n = 0;
      for (int k = k0; k < k1; ++k) {
        Share& block = shares[static_cast<std::size_t>(k)];
        float* part = block.partial[parity];
        const Eigen::Index from = n;
        n += nonzero_indices(v, block.r0, block.r1, active + n);
        if (bf16)
          sum_rows(*Wb, active + from, n - from, v, part);
        else
          sum_rows(W, H, active + from, n - from, v, part);
      }
      if (E > 1) barrier.wait(sense);
      std::copy(b.begin(), b.end(), p);
      for (const auto& block : shares) axpy(p, block.partial[parity], 1.0f, H);
      sigmoid(p, p, static_cast<std::size_t>(H));
      parity ^= 1;
    };

    std::size_t next = first < last ? pick(first) : 0;  // the next update's example
    for (std::uint64_t upd = first; upd < last; ++upd) {
      const std::size_t row = next;
      if (upd + 1 < last) data.prefetch_row(next = pick(upd + 1));  // in cache by the next update
      const std::uint64_t stream = stream_id(Purpose::Gibbs, upd);
      data.copy_row(row, x0.data());
      std::copy(x0.begin() + r0, x0.begin() + r1, xk.begin() + r0);
      up(x0.data(), p0.data(), active0.data(), n0);
      std::copy(p0.begin(), p0.end(), pk.begin());
      for (int step = 0; step < c.k; ++step) {
        const std::uint64_t base = 2 * static_cast<std::uint64_t>(step) * stride;
        RandomStream(c.seed, stream, base).uniform(u.data(), static_cast<std::size_t>(H));
        float* v = xk.data();
        if (bf16) {
          std::uint16_t* hs = hb->row(0);
          for (Eigen::Index j = 0; j < H; ++j) hs[j] = u[j] < pk[j] ? kBf16One : 0;
          bf16_rows_times(*Wb, hs, a, r0, r1, v);
        } else {
          for (Eigen::Index j = 0; j < H; ++j) h[j] = u[j] < pk[j] ? 1.0f : 0.0f;
          visible_input(W, a, h.data(), H, r0, r1, v);
        }
        sigmoid(v + r0, v + r0, static_cast<std::size_t>(rows));
        RandomStream(c.seed, stream, base + stride + static_cast<std::uint64_t>(r0) / 4)
            .uniform(u.data(), static_cast<std::size_t>(rows));
        for (Eigen::Index i = r0; i < r1; ++i) v[i] = u[i - r0] < v[i] ? 1.0f : 0.0f;
        up(xk.data(), pk.data(), activek.data(), nk);
      }
      for (Eigen::Index j = 0; j < H; ++j) b[j] += lr * (p0[j] - pk[j]);
      update_rows(W, H, active0.data(), n0, x0.data(), p0.data(), activek.data(), nk, xk.data(), pk.data(), lr,
                  bf16 ? &*Wb : nullptr);
      if (m.visible_bias)
        for (Eigen::Index i = r0; i < r1; ++i) a[i] += lr * (x0[i] - xk[i]);
    }
    if (t == 0) std::copy(b.begin(), b.end(), m.b.data());
    _mm_setcsr(saved_mxcsr);
  }
}

PerExampleSchedule::PerExampleSchedule(int blocks) : blocks_(std::max(1, blocks)), choice_(blocks_) {}

int PerExampleSchedule::threads() {
  if (blocks_ == 1) return 1;
  ++segments_;
  // Measure each choice at first, then look at the other one again every kProbeEvery segments.
  if (seconds_per_update_[1] < 0) return blocks_;
  if (seconds_per_update_[0] < 0) return 1;
  const int other = choice_ == 1 ? blocks_ : 1;
  return segments_ % kProbeEvery == 0 ? other : choice_;
}

void PerExampleSchedule::record(int threads, std::uint64_t updates, double seconds) {
  if (updates == 0 || blocks_ == 1) return;
  double& rate = seconds_per_update_[threads == 1 ? 0 : 1];
  const double measured = seconds / static_cast<double>(updates);
  rate = rate < 0 ? measured : 0.5 * rate + 0.5 * measured;
  if (seconds_per_update_[0] >= 0 && seconds_per_update_[1] >= 0)
    choice_ = seconds_per_update_[0] < seconds_per_update_[1] ? 1 : blocks_;
}

}  // namespace rbmkit
