#include "rbmkit/model/model.hpp"

#include <cmath>
#include <cstdio>

#include "rbmkit/error.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/streams.hpp"
#include "rbmkit/model/units.hpp"

namespace rbmkit {

void check_model_size(std::size_t n_visible, std::size_t n_hidden) {
  if (n_visible == 0) throw InvalidArgument("the model needs at least one visible unit (got 0)");
  if (n_hidden == 0) throw InvalidArgument("the model needs at least one hidden unit (got 0)");
  constexpr std::size_t kMaxWeights = std::size_t{1} << 31;  // 8 GiB of float32
  if (n_hidden > kMaxWeights / n_visible) {
    const auto gb = [](double weights) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f GB", weights * sizeof(float) / 1e9);
      return std::string(buf);
    };
    throw InvalidArgument("a model with " + std::to_string(n_visible) + " x " + std::to_string(n_hidden) +
                          " weights would need " + gb(static_cast<double>(n_visible) * static_cast<double>(n_hidden)) +
                          " for W alone; the limit is " + gb(static_cast<double>(kMaxWeights)) + " (" +
                          std::to_string(kMaxWeights) + " weights)");
  }
}

Model make_model(std::size_t n_visible, std::size_t n_hidden, float init_std, std::uint64_t seed,
                 bool visible_bias) {
  check_model_size(n_visible, n_hidden);
  if (!(init_std >= 0.0f) || !std::isfinite(init_std))
    throw InvalidArgument("init-std must be finite and >= 0 (got " + std::to_string(init_std) + ")");
  Model m;
  m.W.resize(static_cast<Eigen::Index>(n_visible), static_cast<Eigen::Index>(n_hidden));
  RandomStream rng(seed, stream_id(Purpose::Init, 0));
  for (Eigen::Index i = 0; i < m.W.size(); ++i)
    m.W.data()[i] = static_cast<float>(init_std * rng.normal());
  m.a = Vector::Zero(static_cast<Eigen::Index>(n_visible));
  m.b = Vector::Zero(static_cast<Eigen::Index>(n_hidden));
  m.visible_bias = visible_bias;
  return m;
}

void check_data_width(const Model& m, const Matrix& X) {
  if (X.cols() != m.W.rows())
    throw DataError("data has " + std::to_string(X.cols()) + " columns but the model has " + std::to_string(m.W.rows()) +
                    " visible units");
}

Matrix hidden_input(const Model& m, const Matrix& X) {
  Matrix S = X * m.W;
  S.rowwise() += m.b.transpose();
  return S;
}

Matrix visible_input(const Model& m, const Matrix& Hs) {
  Matrix S = Hs * m.W.transpose();
  S.rowwise() += m.a.transpose();
  return S;
}

}  // namespace rbmkit
