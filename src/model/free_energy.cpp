#include "rbmkit/model/free_energy.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "rbmkit/asserts.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/model/units.hpp"

namespace rbmkit {

Vector free_energy(const Model& m, const Matrix& X) { return free_energy(m, X, hidden_input(m, X)); }

Vector free_energy(const Model& m, const Matrix& X, const Matrix& S) {
  if (m.visible_units != UnitType::Bernoulli || m.hidden_units != UnitType::Bernoulli)
    return free_energies(m, X, S, 1.0f).cast<float>();
  Matrix T(S.rows(), S.cols());
  softplus(S.data(), T.data(), static_cast<std::size_t>(S.size()));
  Vector f = -(X * m.a) - T.rowwise().sum();
  return f;
}

Eigen::VectorXd free_energies(const Model& m, const Matrix& X, float beta) {
  return free_energies(m, X, hidden_input(m, X), beta);
}

Eigen::VectorXd free_energies(const Model& m, const Matrix& X, const Matrix& S, float beta) {
  RBMKIT_ASSERT(X.cols() == m.W.rows() && S.rows() == X.rows() && S.cols() == m.W.cols(),
                "free_energies: X (n, d) and S (n, H) for W (d, H)");
  const Matrix scaled = beta != 1.0f ? Matrix(beta * S) : Matrix();
  const Matrix& T = beta != 1.0f ? scaled : S;
  // The hidden log-partitions of every row at once, vectorised in double:
  // softplus(s) = max(s, 0) + log(1 + e) and log(1 + 2 cosh s) = |s| + log(1 + e + e^2),
  // e = exp(-|s|) <= 1 (log(1 + y) for y in [0, 2] loses nothing in absolute terms).
  const Eigen::ArrayXXd t = T.cast<double>().array();
  const Eigen::ArrayXXd e = (-t.abs()).exp();
  Eigen::VectorXd hidden;
  switch (m.hidden_units) {
    case UnitType::Bernoulli: hidden = (t.max(0.0) + (1.0 + e).log()).rowwise().sum(); break;
    case UnitType::Ternary: hidden = (t.abs() + (1.0 + e + e.square()).log()).rowwise().sum(); break;
    case UnitType::Gaussian:
      throw InvalidArgument("hidden units of type " + to_string(m.hidden_units) + " are not supported");
  }
  Eigen::VectorXd f(X.rows());
  for (Eigen::Index r = 0; r < X.rows(); ++r) f[r] = beta * visible_energy(m, X.row(r).data()) - hidden[r];
  return f;
}

double free_energy_exact(const Model& m, const float* x) {
  const Eigen::Index d = m.W.rows(), H = m.W.cols();
  double f = 0.0;
  if (m.visible_units == UnitType::Gaussian) {
    for (Eigen::Index i = 0; i < d; ++i) {
      const double r = static_cast<double>(x[i]) - m.a[i];
      f += 0.5 * r * r;
    }
  } else {
    for (Eigen::Index i = 0; i < d; ++i) f -= static_cast<double>(m.a[i]) * x[i];
  }
  Eigen::VectorXd s = m.b.cast<double>();
  for (Eigen::Index i = 0; i < d; ++i)
    if (x[i] != 0.0f) s += static_cast<double>(x[i]) * m.W.row(i).transpose().cast<double>();
  for (Eigen::Index j = 0; j < H; ++j) f -= hidden_log_partition(m.hidden_units, s[j]);
  return f;
}

double free_energy_exact(const Model& m, const Eigen::VectorXd& v) {
  if (static_cast<std::size_t>(v.size()) != m.n_visible())
    throw InvalidArgument("v has " + std::to_string(v.size()) + " entries but the model has " + std::to_string(m.n_visible()) +
                          " visible units");
  const Eigen::VectorXd s = m.W.cast<double>().transpose() * v + m.b.cast<double>();
  const Eigen::VectorXd a = m.a.size() ? Eigen::VectorXd(m.a.cast<double>()) : Eigen::VectorXd::Zero(v.size());
  double f = m.visible_units == UnitType::Gaussian ? 0.5 * (v - a).squaredNorm() : -a.dot(v);
  for (Eigen::Index j = 0; j < s.size(); ++j) f -= hidden_log_partition(m.hidden_units, s[j]);
  return f;
}

double mean_free_energy(const Model& m, const Matrix& X) {
  check_data_width(m, X);
  if (X.rows() == 0) throw DataError("no examples to evaluate");
  if (m.visible_units != UnitType::Bernoulli && m.visible_units != UnitType::Gaussian)
    throw InvalidArgument("the free energy supports Bernoulli and Gaussian visible units, not " + to_string(m.visible_units));
  constexpr Eigen::Index kRows = 256;
  const Eigen::MatrixXd W = m.W.cast<double>();
  const Eigen::VectorXd a = m.a.cast<double>(), b = m.b.cast<double>();
  double sum = 0.0;
  for (Eigen::Index first = 0; first < X.rows(); first += kRows) {
    const Eigen::Index rows = std::min(kRows, X.rows() - first);
    const Eigen::MatrixXd Xd = X.middleRows(first, rows).cast<double>();
    Eigen::MatrixXd input = Xd * W;
    input.rowwise() += b.transpose();
    if (m.visible_units == UnitType::Gaussian)
      sum += 0.5 * (Xd.rowwise() - a.transpose()).squaredNorm();
    else
      sum -= (Xd * a).sum();
    for (Eigen::Index k = 0; k < input.size(); ++k) sum -= hidden_log_partition(m.hidden_units, input.data()[k]);
  }
  return sum / static_cast<double>(X.rows());
}

}  // namespace rbmkit
