#include "rbmkit/training/optimizer.hpp"

#include <cmath>

#include "rbmkit/asserts.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/kernels/bf16_products.hpp"
#include "rbmkit/kernels/sparse_product.hpp"
#include "rbmkit/model/products.hpp"

namespace rbmkit {
namespace {

// W += step * V^T Hs, skipping zero entries of V.
void add_outer_sparse(Matrix& W, const Matrix& V, const Matrix& Hs, float step) {
  for (Eigen::Index r = 0; r < V.rows(); ++r) {
    const float* v = V.row(r).data();
    for (Eigen::Index i = 0; i < V.cols(); ++i)
      if (v[i] != 0.0f) W.row(i).noalias() += (step * v[i]) * Hs.row(r);
  }
}

void add_outer(Matrix& W, const Matrix& V, const Matrix& Hs, float step) {
  if (V.rows() <= kSparseBatchMax) add_outer_sparse(W, V, Hs, step);
  else add_sparse_outer(W, V, Hs, step);
}

// Converts W again for products of batches of B rows: on two threads only when their products
// run on two (model/products.hpp).
void refresh(Products& products, Eigen::Index B) {
  const auto serial = serial_if_small(products.precision(),
                                      2.0 * static_cast<double>(B) * static_cast<double>(products.model().W.size()));
  products.refresh();
}

void check(bool ok, const std::string& what, float value) {
  if (!ok) throw InvalidArgument(what + " (got " + std::to_string(value) + ")");
}

}  // namespace

Sgd::Sgd(const SgdConfig& c, std::uint64_t total_updates, Precision precision)
    : config_(c), total_updates_(total_updates), precision_(resolve_precision(precision)) {
  check_options(c, sgd_options());
  check(c.centring_rate > 0.0f && c.centring_rate <= 1.0f, "centring rate must be in (0, 1]", c.centring_rate);
  check(c.sparsity_decay >= 0.0f && c.sparsity_decay < 1.0f, "sparsity decay must be in [0, 1)", c.sparsity_decay);
}

bool Sgd::plain() const {
  return config_.momentum == 0.0f && config_.weight_decay == 0.0f && config_.l1 == 0.0f &&
         config_.schedule == Schedule::Constant && !config_.centring && config_.sparsity_target == 0.0f;
}

float Sgd::learning_rate_at(std::uint64_t update) const {
  const double t = static_cast<double>(update) / static_cast<double>(std::max<std::uint64_t>(total_updates_, 1));
  switch (config_.schedule) {
    case Schedule::Constant: return config_.learning_rate;
    case Schedule::Linear: return static_cast<float>(config_.learning_rate * std::max(0.0, 1.0 - t));
    case Schedule::Exponential:
      return static_cast<float>(config_.learning_rate *
                                std::pow(config_.final_learning_rate / config_.learning_rate, t));
  }
  return config_.learning_rate;
}

void Sgd::apply_factored(Model& m, const Gradient& g, float lr, Products* products) const {
  const float pos = lr / static_cast<float>(g.v_pos.rows()), neg = -lr / static_cast<float>(g.v_neg.rows());
  const auto serial =  // small updates on the calling thread
      serial_if_small(precision_, 2.0 * static_cast<double>(g.v_pos.rows() + g.v_neg.rows()) * static_cast<double>(m.W.size()));
  if (precision_ == Precision::Bf16)
    return bf16_add_outer(m.W, {{&g.v_pos, &g.h_pos, pos}, {&g.v_neg, &g.h_neg, neg}},
                          products ? products->bf16_weights() : std::vector<Bf16Weights*>{});
  add_outer(m.W, g.v_pos, g.h_pos, pos);
  add_outer(m.W, g.v_neg, g.h_neg, neg);
  if (products) refresh(*products, g.v_pos.rows());
}

void Sgd::apply(Model& m, const Gradient& g, std::uint64_t update, Products* products) {
  RBMKIT_ASSERT(!products || &products->model() == &m, "Sgd::apply: products of another model");
  const float lr = learning_rate_at(update);
  if (plain()) {
    apply_factored(m, g, lr, products);
    m.b += lr * g.hidden_bias();
    if (m.visible_bias) m.a += lr * g.visible_bias();
    return;
  }
  Matrix dW = g.weights(precision_);
  Vector da = g.visible_bias(), db = g.hidden_bias();
  if (config_.centring) {
    if (mu_.size() != m.a.size()) mu_ = g.v_pos.colwise().mean().transpose();
    // lambda starts at the hidden means at zero input: 1/2 for Bernoulli units, 0 for ternary ones.
    if (lambda_.size() != m.b.size())
      lambda_ = Vector::Constant(m.b.size(), m.hidden_units == UnitType::Ternary ? 0.0f : 0.5f);
    dW.noalias() -= mu_ * db.transpose();
    dW.noalias() -= da * lambda_.transpose();
    da -= dW * lambda_;
    db -= dW.transpose() * mu_;
    lambda_ = (1.0f - config_.centring_rate) * lambda_ + config_.centring_rate * g.h_pos.colwise().mean().transpose();
  }
  if (config_.sparsity_target > 0.0f) {
    const Vector data_means = g.h_pos.colwise().mean().transpose();
    if (q_.size() != m.b.size()) q_ = data_means;
    q_ = config_.sparsity_decay * q_ + (1.0f - config_.sparsity_decay) * data_means;
    const Vector push = config_.sparsity_cost * (Vector::Constant(q_.size(), config_.sparsity_target) - q_);
    db += push;
    dW.noalias() += g.v_pos.colwise().mean().transpose() * push.transpose();
  }
  if (config_.weight_decay > 0.0f) dW -= config_.weight_decay * m.W;
  if (config_.l1 > 0.0f) dW -= config_.l1 * m.W.cwiseSign();
  if (velocity_W_.size() == 0) {
    velocity_W_ = Matrix::Zero(m.W.rows(), m.W.cols());
    velocity_a_ = Vector::Zero(m.a.size());
    velocity_b_ = Vector::Zero(m.b.size());
  }
  velocity_W_ = config_.momentum * velocity_W_ + lr * dW;
  m.W += velocity_W_;
  velocity_b_ = config_.momentum * velocity_b_ + lr * db;
  m.b += velocity_b_;
  if (m.visible_bias) {
    velocity_a_ = config_.momentum * velocity_a_ + lr * da;
    m.a += velocity_a_;
  }
  if (products) refresh(*products, g.v_pos.rows());
}

}  // namespace rbmkit

namespace rbmkit {
namespace {

void put(StateArrays& out, const std::string& name, const Matrix& m) {
  if (m.size() > 0) out["sgd." + name] = m;
}

void put(StateArrays& out, const std::string& name, const Vector& v) {
  if (v.size() > 0) out["sgd." + name] = Matrix(v.transpose());
}

void get(const StateArrays& in, const std::string& name, Matrix& m) {
  const auto it = in.find("sgd." + name);
  if (it != in.end()) m = it->second;
}

void get(const StateArrays& in, const std::string& name, Vector& v) {
  const auto it = in.find("sgd." + name);
  if (it != in.end()) v = it->second.row(0).transpose();
}

}  // namespace

void Sgd::save_state(StateArrays& out) const {
  put(out, "velocity_W", velocity_W_);
  put(out, "velocity_a", velocity_a_);
  put(out, "velocity_b", velocity_b_);
  put(out, "mu", mu_);
  put(out, "lambda", lambda_);
  put(out, "q", q_);
}

void Sgd::load_state(const StateArrays& in) {
  get(in, "velocity_W", velocity_W_);
  get(in, "velocity_a", velocity_a_);
  get(in, "velocity_b", velocity_b_);
  get(in, "mu", mu_);
  get(in, "lambda", lambda_);
  get(in, "q", q_);
}

}  // namespace rbmkit
