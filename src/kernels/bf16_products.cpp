#include "rbmkit/kernels/bf16_products.hpp"

#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& thread_stream() {
  thread_local dnnl::stream stream(cpu_engine());
  return stream;
}

// Every primitive runs with a user scratchpad, one per calling thread, so that concurrent calls
// never share oneDNN's global one.
dnnl::primitive_attr user_scratchpad() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

memory thread_scratchpad(const memory::desc& md) {
  thread_local std::vector<std::uint8_t> buffer;
  if (buffer.size() < md.get_size()) buffer.resize(md.get_size());
  return memory(md, cpu_engine(), buffer.data());
}

}  // namespace

// A matmul primitive and the scratchpad it needs. Outside the anonymous namespace: it is a
// member type of Bf16Weights::Impl, which has external linkage.
struct Bf16Matmul {
  dnnl::matmul matmul;
  memory::desc scratchpad;
};

namespace {

// cache[key], made from make() (a matmul primitive_desc) the first time; safe to call from
// several threads at once (the entries never move: std::map).
template <class Key, class Make>
const Bf16Matmul& cached_matmul(std::mutex& mutex, std::map<Key, Bf16Matmul>& cache, const Key& key, Make make) {
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const dnnl::matmul::primitive_desc pd = make();
    it = cache.emplace(key, Bf16Matmul{dnnl::matmul(pd), pd.scratchpad_desc()}).first;
  }
  return it->second;
}

// Runs the primitive on the calling thread with its thread's scratchpad, and waits for it.
void run(const Bf16Matmul& p, std::unordered_map<int, memory> args) {
  args.insert({DNNL_ARG_SCRATCHPAD, thread_scratchpad(p.scratchpad)});
  p.matmul.execute(thread_stream(), args);
  thread_stream().wait();
}

// A's rows in bf16 (rows, cols), in a buffer of the calling thread (slot 0 or 1). Outside a
// parallel region a large A is converted by every thread, a share each: the product reads the
// buffer on every thread, so one thread's stores would each wait for the line to leave the
// other core's cache (at 100 x 784 one thread took 12.5 us of a 200 us product).
std::uint16_t* bf16_rows(const Matrix& A, int slot) {
  thread_local std::vector<std::uint16_t> buffers[2];
  std::vector<std::uint16_t>& b = buffers[slot];
  const auto n = static_cast<std::size_t>(A.size());
  b.resize(n);
  const float* a = A.data();
  std::uint16_t* out = b.data();
#pragma omp parallel if (n >= (std::size_t{1} << 15) && !omp_in_parallel())
  {
    // Shares of whole 64-byte lines of the output (32 values).
    const auto T = static_cast<std::size_t>(omp_get_num_threads()), t = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t lines = (n + 31) / 32, first = std::min(n, lines * t / T * 32),
                      last = std::min(n, lines * (t + 1) / T * 32);
    to_bf16(a + first, out + first, last - first);
  }
  return out;
}

[[noreturn]] void fail(const dnnl::error& e, const char* what) {
  throw InvalidArgument(std::string("bf16 products (oneDNN): ") + what + ": " + e.what());
}

// A with every entry rounded to bf16 (to_bf16), kept in fp32, times s.
Matrix rounded(const Matrix& A, float s = 1.0f) {
  Matrix R(A.rows(), A.cols());
  for (Eigen::Index i = 0; i < A.size(); ++i) R.data()[i] = from_bf16(to_bf16(s * A.data()[i]));
  return R;
}

}  // namespace

bool bf16_products_onednn() {
  // oneDNN 2.6 has bf16 matmul kernels from AVX-512 on (native on AVX512_BF16 and AMX); on
  // AVX2 CPUs it has none and refuses the primitive.
  static const bool available = [] {
    const char* emulate = std::getenv("RBMKIT_BF16_EMULATE");
    if (emulate && *emulate && std::string(emulate) != "0") return false;
    try {
      const memory::desc a({2, 2}, dt::bf16, tag::ab), c({2, 2}, dt::f32, tag::ab);
      dnnl::matmul::primitive_desc(dnnl::matmul::desc(a, a, c), cpu_engine());
      return true;
    } catch (const dnnl::error&) {
      return false;
    }
  }();
  return available;
}

bool bf16_products_fast() {
  static const bool fast = [] {
    const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
    return isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
  }();
  return fast;
}

std::uint16_t to_bf16(float x) {
  std::uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((u >> 16) | 0x40u);  // quiet NaN
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<std::uint16_t>(u >> 16);
}

float from_bf16(std::uint16_t b) {
  const std::uint32_t u = static_cast<std::uint32_t>(b) << 16;
  float x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

void to_bf16(const float* x, std::uint16_t* out, std::size_t n) {
  std::size_t i = 0;
#if defined(__AVX512BF16__)
  for (; i + 32 <= n; i += 32) {
    const __m512bh pair = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(x + i + 16), _mm512_loadu_ps(x + i));
    _mm512_storeu_si512(reinterpret_cast<void*>(out + i), reinterpret_cast<__m512i>(pair));
  }
  // The rest 16 at a time, the last masked.
  for (; i < n; i += 16) {
    const __mmask16 in = n - i >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1u);
    const __m256bh half = _mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(in, x + i));
    _mm256_mask_storeu_epi16(out + i, in, reinterpret_cast<__m256i>(half));
  }
#endif
  for (; i < n; ++i) out[i] = to_bf16(x[i]);
}

// oneDNN's AMX layout for bf16 weights B (K, N), "BA16a64b2a": K padded to 32 rows and N to 64
// columns, 32 x 64 blocks stored column-block-major (block (kb, nb) at (nb * K/32 + kb) * 2048),
// each block as 16 row pairs of 64 columns, a row pair's two values side by side:
//   offset(k, n) = (n / 64) * (Kp / 32) * 2048 + (k / 32) * 2048 + ((k % 32) / 2 * 64 + n % 64) * 2 + k % 2.
// Checked against the descriptor oneDNN picks (amx_layout); other layouts take oneDNN's reorder.
constexpr Eigen::Index kBlockK = 32, kBlockN = 64, kBlock = kBlockK * kBlockN;

bool amx_layout(const memory::desc& md, Eigen::Index K, Eigen::Index N) {
  const dnnl_memory_desc_t& d = md.data;
  if (d.ndims != 2 || d.format_kind != dnnl_blocked) return false;
  const auto& b = d.format_desc.blocking;
  const Eigen::Index Kp = (K + kBlockK - 1) / kBlockK * kBlockK, Np = (N + kBlockN - 1) / kBlockN * kBlockN;
  return d.padded_dims[0] == Kp && d.padded_dims[1] == Np && d.offset0 == 0 && b.inner_nblks == 3 &&
         b.inner_blks[0] == 16 && b.inner_idxs[0] == 0 && b.inner_blks[1] == 64 && b.inner_idxs[1] == 1 &&
         b.inner_blks[2] == 2 && b.inner_idxs[2] == 0 && b.strides[0] == kBlock && b.strides[1] == Kp / kBlockK * kBlock;
}

// The row pair (k, k + 1) of a block row as 32-bit units, one per column: x and y (k + 1's
// values, or zeros) for 16 columns, interleaved x0 y0 x1 y1 ... in bf16.
#if defined(__AVX512BF16__)
inline __m512i pair_units(__m512 x, __m512 y) {
  const __m512i both = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(y, x));  // x0..x15 y0..y15
  const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7, 22,
                                              6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
  return _mm512_permutexvar_epi16(interleave, both);
}
#endif

// The rows of W that thread t of T converts (both packings) and updates (bf16_add_outer):
// [row_boundary(rows, T, t), row_boundary(rows, T, t + 1)). The boundaries fall on multiples of
// 64 rows, a block of either packing, so each core reads and writes the same part of the fp32
// master W in every pass, and that part stays in its own L2. Every boundary but the last is a
// multiple of 64 (at most rows rounded down to one), so the threads' blocks never overlap.
Eigen::Index row_boundary(Eigen::Index rows, int T, int t) {
  if (t >= T) return rows;
  return std::min(rows / 64 * 64, (rows * t / T + 32) / 64 * 64);
}

// This thread's blocks of `block` rows of W: [first, last).
std::pair<Eigen::Index, Eigen::Index> owned_blocks(Eigen::Index rows, Eigen::Index block) {
  const int T = omp_get_num_threads(), t = omp_get_thread_num();
  return {row_boundary(rows, T, t) / block, (row_boundary(rows, T, t + 1) + block - 1) / block};
}

// B = W (K = rows, N = cols) into the layout: the calling thread's blocks of an OpenMP team
// (owned_blocks; all of them outside a parallel region).
void pack_amx_owned(const Matrix& W, std::uint16_t* out) {
  const Eigen::Index K = W.rows(), N = W.cols(), Kb = (K + kBlockK - 1) / kBlockK, Nb = (N + kBlockN - 1) / kBlockN;
  for (auto [kb, kb1] = owned_blocks(K, kBlockK); kb < kb1; ++kb)
    for (Eigen::Index nb = 0; nb < Nb; ++nb) {
      std::uint16_t* block = out + (nb * Kb + kb) * kBlock;
      for (Eigen::Index j = 0; j < kBlockK / 2; ++j) {
        const Eigen::Index k = kb * kBlockK + 2 * j;
        const float* x = k < K ? W.row(k).data() : nullptr;
        const float* y = k + 1 < K ? W.row(k + 1).data() : nullptr;
        std::uint16_t* pairs = block + j * kBlockN * 2;
        Eigen::Index n = nb * kBlockN;
        const Eigen::Index end = std::min(N, n + kBlockN);
#if defined(__AVX512BF16__)
        if (x) {
          for (; n + 16 <= end; n += 16) {
            const __m512 xs = _mm512_loadu_ps(x + n), ys = y ? _mm512_loadu_ps(y + n) : _mm512_setzero_ps();
            _mm512_storeu_si512(reinterpret_cast<void*>(pairs + (n % kBlockN) * 2), pair_units(xs, ys));
          }
        }
#endif
        for (; n < end; ++n) {
          pairs[(n % kBlockN) * 2] = x ? to_bf16(x[n]) : 0;
          pairs[(n % kBlockN) * 2 + 1] = y ? to_bf16(y[n]) : 0;
        }
      }
    }
}

#if defined(__AVX512BF16__)
// In place: r[i] lane j becomes r[j] lane i (a 16 x 16 transpose of 32-bit units): pairs of
// units, then of 64-bit pairs, then 128-bit quarters twice.
inline void transpose16(__m512i r[16]) {
  __m512i t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_unpacklo_epi64(t[i], t[i + 2]);
    r[i + 1] = _mm512_unpackhi_epi64(t[i], t[i + 2]);
    r[i + 2] = _mm512_unpacklo_epi64(t[i + 1], t[i + 3]);
    r[i + 3] = _mm512_unpackhi_epi64(t[i + 1], t[i + 3]);
  }
  for (int h = 0; h < 16; h += 8)
    for (int i = 0; i < 4; ++i) {
      t[h + i] = _mm512_shuffle_i32x4(r[h + i], r[h + i + 4], 0x88);
      t[h + i + 4] = _mm512_shuffle_i32x4(r[h + i], r[h + i + 4], 0xdd);
    }
  for (int i = 0; i < 8; ++i) {
    r[i] = _mm512_shuffle_i32x4(t[i], t[i + 8], 0x88);
    r[i + 8] = _mm512_shuffle_i32x4(t[i], t[i + 8], 0xdd);
  }
}
#endif

// B = W^T (K = W's cols, N = W's rows) into the layout: the row pair (k, k + 1) of B at column n
// is W(n, k) and W(n, k + 1), side by side in W's row n, so each 32-bit unit of the layout comes
// from two neighbouring floats of one row of W. Sixteen rows of W at a time give 16 x 16 units,
// transposed in registers so that each of a block's row pairs is written 16 columns at a time.
// The calling thread's blocks, as pack_amx_owned.
void pack_amx_transposed_owned(const Matrix& W, std::uint16_t* out) {
  const Eigen::Index K = W.cols(), N = W.rows(), Kb = (K + kBlockK - 1) / kBlockK;
  auto* units = reinterpret_cast<std::uint32_t*>(out);  // 2048 bf16 = 1024 units per block
  for (auto [nb, nb1] = owned_blocks(N, kBlockN); nb < nb1; ++nb)
    for (Eigen::Index kb = 0; kb < Kb; ++kb) {
      std::uint32_t* block = units + (nb * Kb + kb) * (kBlock / 2);
      const Eigen::Index k0 = kb * kBlockK, end = std::min(N, (nb + 1) * kBlockN);
      Eigen::Index n = nb * kBlockN;
#if defined(__AVX512BF16__)
      if (k0 + kBlockK <= K)
        for (; n + 16 <= end; n += 16) {
          __m512i r[16];
          for (int i = 0; i < 16; ++i) {
            const float* row = W.row(n + i).data() + k0;
            r[i] = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(_mm512_loadu_ps(row + 16), _mm512_loadu_ps(row)));
          }
          transpose16(r);  // r[j]: unit j (the row pair 2j, 2j + 1) of columns n .. n + 15
          for (int j = 0; j < 16; ++j) _mm512_storeu_si512(block + j * kBlockN + n % kBlockN, r[j]);
        }
#endif
      for (; n < end; ++n) {
        const float* row = W.row(n).data();
        std::uint32_t* column = block + n % kBlockN;  // unit j of this column at column[j * 64]
        for (Eigen::Index j = 0; j < kBlockK / 2; ++j) {
          const Eigen::Index k = k0 + 2 * j;
          const std::uint32_t lo = k < K ? to_bf16(row[k]) : 0, hi = k + 1 < K ? to_bf16(row[k + 1]) : 0;
          column[j * kBlockN] = lo | (hi << 16);
        }
      }
    }
}

struct Bf16Weights::Impl {
  Eigen::Index K = 0, N = 0;
  bool transpose = false;
  memory::desc weights_md;
  memory weights;
  dnnl::reorder convert;
  memory::desc source_md;
  bool packed_here = false;  // the layout is amx_layout: W is packed by pack_amx(_transposed)
  mutable std::mutex mutex;
  mutable std::map<std::pair<Eigen::Index, bool>, Bf16Matmul> products;  // by (M, with bias)
  Matrix emulated;  // without oneDNN's bf16 kernels: B (K, N) rounded to bf16, in fp32

  dnnl::matmul::primitive_desc describe(Eigen::Index M, const memory::desc& w, bool bias) const {
    const memory::desc src({M, K}, dt::bf16, tag::ab), dst({M, N}, dt::f32, tag::ab);
    if (bias) {
      const memory::desc b({1, N}, dt::f32, tag::ab);
      return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, w, b, dst), user_scratchpad(), cpu_engine());
    }
    return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, w, dst), user_scratchpad(), cpu_engine());
  }

  const Bf16Matmul& product(Eigen::Index M, bool bias) const {
    return cached_matmul(mutex, products, std::make_pair(M, bias), [&] { return describe(M, weights_md, bias); });
  }

  // The calling thread's blocks of W packed (all of them outside a parallel region).
  void pack_owned(const Matrix& W) {
    auto* out = static_cast<std::uint16_t*>(weights.get_data_handle());
    if (transpose)
      pack_amx_transposed_owned(W, out);
    else
      pack_amx_owned(W, out);
  }
};

Bf16Weights::Bf16Weights() : impl_(std::make_unique<Impl>()) {}
Bf16Weights::~Bf16Weights() = default;
Bf16Weights::Bf16Weights(Bf16Weights&&) noexcept = default;
Bf16Weights& Bf16Weights::operator=(Bf16Weights&&) noexcept = default;

bool Bf16Weights::empty() const { return impl_->K == 0; }
Eigen::Index Bf16Weights::rows() const { return impl_->K; }
Eigen::Index Bf16Weights::cols() const { return impl_->N; }

void Bf16Weights::assign(const Matrix& W, bool transpose) {
  Impl& p = *impl_;
  const Eigen::Index K = transpose ? W.cols() : W.rows(), N = transpose ? W.rows() : W.cols();
  if (!bf16_products_onednn()) {
    p.K = K;
    p.N = N;
    p.transpose = transpose;
    p.emulated = transpose ? rounded(W.transpose()) : rounded(W);
    return;
  }
  try {
    if (K != p.K || N != p.N || transpose != p.transpose || !p.weights) {
      p.products.clear();
      p.K = K;
      p.N = N;
      p.transpose = transpose;
      // oneDNN's preferred layout of B for products with a few dozen rows, used for every row
      // count (a primitive for another count takes the same layout).
      const memory::desc any({K, N}, dt::bf16, tag::any);
      p.weights_md = p.describe(64, any, true).weights_desc();
      p.weights = memory(p.weights_md, cpu_engine());
      p.packed_here = amx_layout(p.weights_md, K, N);
      if (p.packed_here) {
        std::memset(p.weights.get_data_handle(), 0, p.weights_md.get_size());  // the padding stays zero
      } else {
        p.source_md = memory::desc({K, N}, dt::f32, transpose ? tag::ba : tag::ab);
        p.convert = dnnl::reorder(dnnl::reorder::primitive_desc(cpu_engine(), p.source_md, cpu_engine(), p.weights_md));
      }
    }
    if (p.packed_here) {
#pragma omp parallel if (K * N > (1 << 18))
      p.pack_owned(W);
      return;
    }
    memory source(p.source_md, cpu_engine(), const_cast<float*>(W.data()));
    p.convert.execute(thread_stream(), source, p.weights);
    thread_stream().wait();
  } catch (const dnnl::error& e) {
    fail(e, "converting the weights");
  }
}

void Bf16Weights::reassign(const Matrix& W) { assign(W, impl_->transpose); }

bool Bf16Weights::packs_owned_rows(const Matrix& W) const {
  const Impl& p = *impl_;
  return bf16_products_onednn() && p.packed_here && p.weights &&
         (p.transpose ? W.cols() == p.K && W.rows() == p.N : W.rows() == p.K && W.cols() == p.N);
}

void Bf16Weights::pack_owned_rows(const Matrix& W) { impl_->pack_owned(W); }

void Bf16Weights::multiply(const Matrix& A, Matrix& C, const Vector* bias) const {
  const Impl& p = *impl_;
  if (A.cols() != p.K)
    throw InvalidArgument("bf16 product: A has " + std::to_string(A.cols()) + " columns for B of " + std::to_string(p.K) +
                          " rows");
  const Eigen::Index M = A.rows();
  C.resize(M, p.N);
  if (M == 0) return;
  if (!bf16_products_onednn()) {
    // The same rounded operands, exact products (8-bit significands) and fp32 sums in Eigen.
    C.noalias() = rounded(A) * p.emulated;
    if (bias) C.rowwise() += bias->transpose();
    return;
  }
  try {
    const Bf16Matmul& product = p.product(M, bias != nullptr);
    memory src(memory::desc({M, p.K}, dt::bf16, tag::ab), cpu_engine(), bf16_rows(A, 0));
    memory dst(memory::desc({M, p.N}, dt::f32, tag::ab), cpu_engine(), C.data());
    std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, p.weights}, {DNNL_ARG_DST, dst}};
    if (bias) args.insert({DNNL_ARG_BIAS, memory(memory::desc({1, p.N}, dt::f32, tag::ab), cpu_engine(),
                                                 const_cast<float*>(bias->data()))});
    run(product, std::move(args));
  } catch (const dnnl::error& e) {
    fail(e, "multiplying");
  }
}

void bf16_add_outer(Matrix& M, const std::vector<OuterTerm>& terms, const std::vector<Bf16Weights*>& refresh) {
  Eigen::Index R = 0;
  for (const OuterTerm& t : terms) {
    if (t.A->cols() != M.rows() || t.Y->cols() != M.cols() || t.A->rows() != t.Y->rows())
      throw InvalidArgument("bf16 outer product: A (B, n) and Y (B, k) for M (n, k)");
    R += t.A->rows();
  }
  // Nothing to add, or the emulation (no bf16 kernels): M, then the weights, as they come.
  if (R == 0 || !bf16_products_onednn()) {
    if (R > 0)
      for (const OuterTerm& t : terms) M.noalias() += rounded(*t.A).transpose() * rounded(*t.Y, t.scale);
    for (Bf16Weights* w : refresh) w->reassign(M);
    return;
  }
  // The weights converted in the update's own pass, and those converted after it.
  std::vector<Bf16Weights*> in_pass, after;
  for (Bf16Weights* w : refresh) (w->packs_owned_rows(M) ? in_pass : after).push_back(w);
  const Eigen::Index n = M.rows(), k = M.cols();
  thread_local std::vector<std::uint16_t> a, y;
  a.resize(static_cast<std::size_t>(R * n));
  y.resize(static_cast<std::size_t>(R * k));
  // Each thread converts its own columns of A (rows of A^T) and a share of Y's rows, then adds to
  // its own rows of M (row_boundary) with a product planned on and for its thread: rows
  // (r0, r1) of A^T are the (r1 - r0, R) view at a + r0 with strides (1, n).
  static std::mutex mutex;
  static std::map<std::tuple<Eigen::Index, Eigen::Index, Eigen::Index, Eigen::Index>, Bf16Matmul> cache;
  // The calling thread's buffers (a and y are thread_local: inside the region each name would be
  // the executing thread's own).
  std::uint16_t *a_rows = a.data(), *y_rows = y.data();
  float* m_rows = M.data();
  std::optional<dnnl::error> failure;  // the first product that failed, reported after the region
#pragma omp parallel if (omp_get_max_threads() > 1)
  {
    const int T = omp_get_num_threads(), t = omp_get_thread_num();
    const Eigen::Index r0 = row_boundary(n, T, t), rows = row_boundary(n, T, t + 1) - r0;
    const Eigen::Index y0 = R * t / T, y1 = R * (t + 1) / T;
    thread_local std::vector<float> scaled;
    scaled.resize(static_cast<std::size_t>(k));
    Eigen::Index first = 0;  // the term's first row in [A; ...] and [Y; ...]
    for (const OuterTerm& term : terms) {
      for (Eigen::Index i = 0; i < term.A->rows(); ++i) {
        to_bf16(term.A->data() + i * n + r0, a_rows + (first + i) * n + r0, static_cast<std::size_t>(rows));
        if (first + i < y0 || first + i >= y1) continue;
        const float* y_in = term.Y->data() + i * k;
        for (Eigen::Index j = 0; j < k; ++j) scaled[static_cast<std::size_t>(j)] = term.scale * y_in[j];
        to_bf16(scaled.data(), y_rows + (first + i) * k, static_cast<std::size_t>(k));
      }
      first += term.A->rows();
    }
#pragma omp barrier
    try {
      if (rows > 0) {
        const memory::desc src({rows, R}, dt::bf16, {1, n}), wei({R, k}, dt::bf16, tag::ab),
            dst({rows, k}, dt::f32, tag::ab);
        const Bf16Matmul& product = cached_matmul(mutex, cache, std::make_tuple(rows, R, k, n), [&] {
          dnnl::primitive_attr attr = user_scratchpad();
          dnnl::post_ops accumulate;
          accumulate.append_sum(1.0f);
          attr.set_post_ops(accumulate);
          return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, wei, dst), attr, cpu_engine());
        });
        run(product, {{DNNL_ARG_SRC, memory(src, cpu_engine(), a_rows + r0)},
                      {DNNL_ARG_WEIGHTS, memory(wei, cpu_engine(), y_rows)},
                      {DNNL_ARG_DST, memory(dst, cpu_engine(), m_rows + r0 * k)}});
      }
    } catch (const dnnl::error& e) {
#pragma omp critical(rbmkit_outer_failure)
      if (!failure) failure = e;
    }
    // This thread's rows of M, just written, converted while they are in its cache. The
    // converters' blocks (owned_blocks) fall within these rows (row_boundary).
    for (Bf16Weights* w : in_pass) w->pack_owned_rows(M);
  }
  if (failure) fail(*failure, "accumulating the update");
  for (Bf16Weights* w : after) w->reassign(M);
}

}  // namespace rbmkit
