#include "rbmkit/training/trainer.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>

#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/kernels/math.hpp"
#include "rbmkit/kernels/random.hpp"
#include "rbmkit/kernels/streams.hpp"
#include "rbmkit/kernels/threads.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/model/units.hpp"
#include "rbmkit/training/contrastive_divergence.hpp"
#include "rbmkit/training/gradient.hpp"
#include "rbmkit/training/optimizer.hpp"
#include "rbmkit/training/parallel_tempering.hpp"
#include "rbmkit/training/iterate_average.hpp"
#include "rbmkit/training/per_example.hpp"
#include "rbmkit/training/persistent_cd.hpp"

namespace rbmkit {

constexpr double kReportCostShare = 0.01;  // default reports: measurements' share of training time

namespace {

std::vector<std::size_t> all_rows(std::size_t n) {
  std::vector<std::size_t> rows(n);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return rows;
}

// Fisher-Yates shuffle of 0..n-1 from `rng`.
std::vector<std::size_t> permutation(std::size_t n, RandomStream& rng) {
  std::vector<std::size_t> p = all_rows(n);
  for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[rng.below(i)]);
  return p;
}

// Picks the examples of each update: one at random with replacement (batch 1), or consecutive
// slices of a per-epoch permutation (batch B > 1; the last batch of an epoch may be smaller).
class ExamplePicker {
 public:
  ExamplePicker(std::size_t n, std::size_t batch, std::uint64_t seed)
      : n_(n), batch_(batch), seed_(seed), per_epoch_((n + batch - 1) / batch) {}

  // The example of update `update` when the batch is 1.
  std::size_t single(std::uint64_t update) const {
    return static_cast<std::size_t>(RandomStream(seed_, stream_id(Purpose::Pick, update)).below(n_));
  }

  void pick(std::uint64_t update, std::vector<std::size_t>& rows) {
    rows.clear();
    if (batch_ == 1) {
      rows.push_back(single(update));
      return;
    }
    const std::uint64_t epoch = update / per_epoch_;
    if (epoch != epoch_ || order_.empty()) {
      RandomStream rng(seed_, stream_id(Purpose::Pick, epoch));
      order_ = permutation(n_, rng);
      epoch_ = epoch;
    }
    const std::size_t begin = static_cast<std::size_t>(update % per_epoch_) * batch_;
    const std::size_t end = std::min(begin + batch_, n_);
    rows.assign(order_.begin() + static_cast<std::ptrdiff_t>(begin),
                order_.begin() + static_cast<std::ptrdiff_t>(end));
  }

 private:
  std::size_t n_, batch_;
  std::uint64_t seed_, per_epoch_;
  std::uint64_t epoch_ = 0;
  std::vector<std::size_t> order_;
};

// The fixed monitoring subset: the first k entries of a seeded permutation, in row order.
std::vector<std::size_t> monitor_rows(std::size_t n, std::size_t k, std::uint64_t seed) {
  RandomStream rng(seed, stream_id(Purpose::Monitor, 0));
  std::vector<std::size_t> p = permutation(n, rng);
  p.resize(std::min(k, n));
  std::sort(p.begin(), p.end());
  return p;
}

// total: the run's updates, over whose first cd_ramp fraction k rises from 1.
std::unique_ptr<GradientEstimator> make_estimator(const TrainConfig& c, std::uint64_t total) {
  const GibbsSteps k(c.cd_k, static_cast<std::uint64_t>(std::llround(static_cast<double>(c.cd_ramp) * total)));
  switch (c.method) {
    case Method::CD: return std::make_unique<ContrastiveDivergence>(k, c.seed);
    case Method::PCD: return std::make_unique<PersistentContrastiveDivergence>(k, c.chains, c.seed);
    case Method::PT:
      return std::make_unique<ParallelTempering>(k, c.chains, linear_betas(c.temperatures, c.beta_min), c.seed);
  }
  throw InvalidArgument("unknown method");
}

// The visible units' domain: [0, 1] for Bernoulli units (check_unit_interval), finite reals for
// Gaussian ones and, with any_finite, for Bernoulli ones too.
void check_visible_domain(const Dataset& data, UnitType visible, bool any_finite, const std::string& what) {
  if (visible == UnitType::Bernoulli && !any_finite) return check_unit_interval(data, what);
  std::vector<float> row(data.cols());
  for (std::size_t r = 0; r < data.rows(); ++r) {
    data.copy_row(r, row.data());
    for (std::size_t j = 0; j < row.size(); ++j)
      if (!std::isfinite(row[j]))
        throw DataError(what + " has a non-finite value at row " + std::to_string(r) + ", column " + std::to_string(j));
  }
}

// The largest magnitude among the parameters, or infinity when one is not finite.
double largest_parameter(const Model& m) {
  if (!m.W.allFinite() || !m.a.allFinite() || !m.b.allFinite()) return HUGE_VAL;
  return std::max({static_cast<double>(m.W.cwiseAbs().maxCoeff()), m.a.size() ? m.a.cwiseAbs().maxCoeff() : 0.0,
                   static_cast<double>(m.b.cwiseAbs().maxCoeff())});
}

}  // namespace

void validate(const TrainConfig& c) {
  check_unit_types(c.visible_units, c.hidden_units);
  check_options(c, train_config_options());
  if (c.method == Method::PT && c.visible_units == UnitType::Gaussian && !(c.beta_min > 0.0f))
    throw ParameterError("beta-min", "the lowest inverse temperature must be > 0 with Gaussian visible units (their "
                                     "variance at inverse temperature beta is 1 / beta; got " +
                                         std::to_string(c.beta_min) + ")");
}

int thread_count(const TrainConfig& c, std::size_t n_visible) {
  const int most = c.threads > 0 ? c.threads : omp_get_num_procs();
  if (c.batch == 1 && c.method == Method::CD) return most;  // the per-example path, or its fallback
  const double rows = static_cast<double>(std::max(c.batch, c.method == Method::CD ? std::size_t{0} : c.chains));
  const double flops = 2.0 * rows * static_cast<double>(n_visible) * static_cast<double>(c.hidden);
  return flops < parallel_product_flops(resolve_precision(c.precision)) ? 1 : most;
}

std::uint64_t total_updates(const TrainConfig& c, std::size_t n_examples) {
  if (c.updates > 0) return c.updates;
  const double per_epoch = std::ceil(static_cast<double>(n_examples) / static_cast<double>(c.batch));
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(c.epochs * per_epoch)));
}

namespace {

// sum over the first `rows` rows of |x - x_hat|^2, from S = X W + 1 b^T (turned into E[h | x]).
double reconstruction_sum(const Products& p, const Matrix& X, Matrix& S, Eigen::Index rows) {
  Matrix P_v;
  hidden_means(p.model().hidden_units, S);
  visible_probs(p, S, P_v);
  return static_cast<double>((X - P_v).topRows(rows).squaredNorm());
}

}  // namespace

double reconstruction_error(const Model& m, const Matrix& X) {
  if (X.rows() == 0) return 0.0;
  const Products p(m, Precision::Fp32);
  Matrix S;
  p.up(X, S);
  return reconstruction_sum(p, X, S, X.rows()) / static_cast<double>(X.rows());
}

MonitorMeasures monitor_measures(const Products& p, const Matrix& X, Eigen::Index chunk) {
  const Eigen::Index n = X.rows();
  if (n == 0) return {};
  if (chunk <= 0 || chunk > n) chunk = n;
  const Model& m = p.model();
  Matrix C(chunk, X.cols()), S;
  double free_energy_sum = 0.0, error_sum = 0.0;
  for (Eigen::Index first = 0; first < n; first += chunk) {
    const Eigen::Index rows = std::min(chunk, n - first);
    C.topRows(rows) = X.middleRows(first, rows);
    C.bottomRows(chunk - rows).setZero();
    p.up(C, S);
    free_energy_sum += static_cast<double>(free_energy(m, C, S).head(rows).sum());
    error_sum += reconstruction_sum(p, C, S, rows);
  }
  return {error_sum / static_cast<double>(n), free_energy_sum / static_cast<double>(n)};
}

Vector column_means(const Dataset& data) {
  std::vector<double> sum(data.cols(), 0.0);
  std::vector<float> row(data.cols());
  for (std::size_t r = 0; r < data.rows(); ++r) {
    data.copy_row(r, row.data());
    for (std::size_t j = 0; j < data.cols(); ++j) sum[j] += row[j];
  }
  Vector means(static_cast<Eigen::Index>(data.cols()));
  for (std::size_t j = 0; j < data.cols(); ++j)
    means[static_cast<Eigen::Index>(j)] = static_cast<float>(sum[j] / static_cast<double>(std::max<std::size_t>(data.rows(), 1)));
  return means;
}

Vector logit_means(const Dataset& data) {
  constexpr float eps = 1e-3f;
  const Vector p = column_means(data).cwiseMax(eps).cwiseMin(1.0f - eps);
  return (p.array() / (1.0f - p.array())).log().matrix();
}

Model initial_model(const TrainConfig& config, const Dataset& data) {
  Model model = make_model(data.cols(), config.hidden, config.init_std, config.seed, config.visible_bias);
  model.visible_units = config.visible_units;
  model.hidden_units = config.hidden_units;
  if (config.visible_bias) model.a = config.visible_units == UnitType::Gaussian ? column_means(data) : logit_means(data);
  return model;
}

Model train(const TrainConfig& config, const Dataset& data, const Dataset* heldout,
            const std::vector<TrainObserver*>& observers, const TrainControl& control) {
  validate(config);
  if (data.empty()) throw DataError("the training data has no examples");
  check_visible_domain(data, config.visible_units, control.any_finite_values, "training data");
  if (heldout) {
    if (heldout->cols() != data.cols())
      throw DataError("held-out data has " + std::to_string(heldout->cols()) +
                      " columns but the training data has " + std::to_string(data.cols()));
    check_visible_domain(*heldout, config.visible_units, control.any_finite_values, "held-out data");
  }
  const ScopedThreads run_threads(thread_count(config, data.cols()));

  const TrainState* resume = control.resume;
  if (resume && (resume->model.n_visible() != data.cols() || resume->model.n_hidden() != config.hidden))
    throw DataError("the checkpoint's model is " + std::to_string(resume->model.n_visible()) + " x " +
                    std::to_string(resume->model.n_hidden()) + " but the data and settings ask for " +
                    std::to_string(data.cols()) + " x " + std::to_string(config.hidden));
  if (resume && (resume->model.visible_units != config.visible_units || resume->model.hidden_units != config.hidden_units))
    throw InvalidArgument("the checkpoint's model has " + to_string(resume->model.visible_units) + " visible and " +
                          to_string(resume->model.hidden_units) + " hidden units but the settings ask for " +
                          to_string(config.visible_units) + " and " + to_string(config.hidden_units));
  Model model;
  if (resume) {
    model = resume->model;
  } else if (control.init) {
    const Model& init = *control.init;
    if (init.n_visible() != data.cols() || init.n_hidden() != config.hidden || init.visible_units != config.visible_units ||
        init.hidden_units != config.hidden_units || init.visible_bias != config.visible_bias)
      throw InvalidArgument("the initial model is " + std::to_string(init.n_visible()) + " x " +
                            std::to_string(init.n_hidden()) + " (" + to_string(init.visible_units) + " visible, " +
                            to_string(init.hidden_units) + " hidden, visible bias " + (init.visible_bias ? "on" : "off") +
                            ") but the data and settings ask for " + std::to_string(data.cols()) + " x " +
                            std::to_string(config.hidden) + " (" + to_string(config.visible_units) + ", " +
                            to_string(config.hidden_units) + ", " + (config.visible_bias ? "on" : "off") + ")");
    model = init;
  } else {
    model = initial_model(config, data);
  }

  const std::uint64_t total = total_updates(config, data.rows());
  const std::uint64_t report_every =
      config.report_every > 0 ? config.report_every : std::max<std::uint64_t>(1, total / 100);
  const Matrix monitor = to_matrix(data, monitor_rows(data.rows(), config.monitor_examples, config.seed));
  const Matrix held = heldout ? to_matrix(*heldout) : Matrix();

  const std::unique_ptr<GradientEstimator> estimator = make_estimator(config, total);
  Sgd sgd(config.sgd, total, config.precision);
  if (config.sgd.centring) sgd.set_visible_offset(column_means(data));
  // Iterates after update average_start go into the average (config.average of the run).
  const std::uint64_t average_start =
      config.average > 0 ? total - static_cast<std::uint64_t>(std::ceil(config.average * static_cast<double>(total)))
                         : total;
  IterateAverage average;
  if (resume) {
    sgd.load_state(resume->arrays);
    estimator->load_state(resume->arrays);
    average.load(resume->arrays, model.W.rows(), model.W.cols());
  }
  ExamplePicker picker(data.rows(), config.batch, config.seed);

  const double seconds_before = resume ? resume->seconds : 0.0;
  const auto start = std::chrono::steady_clock::now();
  double paused = 0.0;  // seconds spent in held-out evaluations, not counted as training time
  const auto elapsed = [&] {
    return seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() -
           paused;
  };
  const std::uint64_t eval_every = control.evaluate ? config.eval_every : 0;
  const auto evaluate = [&](std::uint64_t done) {
    const double t0 = elapsed();
    EvalPoint point = control.evaluate(model);
    point.update = done;
    point.seconds = t0;
    paused += elapsed() - t0;
    for (auto* o : observers) o->on_evaluation(point);
  };
  TrainReport report;
  report.total_updates = total;
  if (resume) report.examples_seen = resume->examples_seen;
  // Throws when the parameters are no longer finite or have grown absurdly large.
  const auto check_growth = [&](std::uint64_t done) {
    const double largest = largest_parameter(model);
    if (largest <= kDivergedParameter) return;
    char what[96];
    if (std::isinf(largest))
      std::snprintf(what, sizeof what, "the parameters are no longer finite");
    else
      std::snprintf(what, sizeof what, "a parameter reached %.3g (more than %g)", largest, kDivergedParameter);
    char lr[32];
    std::snprintf(lr, sizeof lr, "%g", static_cast<double>(config.sgd.learning_rate));
    throw DataError("training diverged at update " + std::to_string(done) + ": " + what +
                    "; lower the learning rate (now " + lr + ")");
  };
  double last_checkpoint = elapsed();
  const auto state_at = [&](std::uint64_t done) {
    TrainState state;
    state.total_updates = total;
    state.model = model;
    state.update = done;
    state.examples_seen = report.examples_seen;
    state.seconds = elapsed();
    sgd.save_state(state.arrays);
    estimator->save_state(state.arrays);
    average.save(state.arrays);
    return state;
  };
  const auto checkpoint = [&](std::uint64_t done) {
    check_growth(done);
    const TrainState state = state_at(done);
    for (auto* o : observers) o->on_checkpoint(state);
    last_checkpoint = state.seconds;
  };
  // The run ends at `last` updates: the total, or control.until when it pauses earlier.
  const std::uint64_t last = control.until > 0 ? std::min(total, control.until) : total;
  // A finished run returns the iterate average when there is one; a paused or stopped run its
  // current iterate (the average goes on in its state).
  const auto finish = [&](std::uint64_t done) {
    if (control.final_state) *control.final_state = state_at(done);
    return done == total ? average.mean_of(model) : model;
  };
  // Updates run in segments between progress calls; the per-example fast path runs a whole
  // segment at once.
  // The fused per-example path is written for Bernoulli units on both layers and a constant k.
  const bool per_example = config.batch == 1 && config.method == Method::CD && config.cd_ramp == 0 && sgd.plain() &&
                           model.visible_units == UnitType::Bernoulli && model.hidden_units == UnitType::Bernoulli;
  const std::uint64_t segment = per_example ? std::min<std::uint64_t>(report_every, 1024) : 1;
  const PerExampleConfig fast{config.cd_k, config.sgd.learning_rate, config.seed, omp_get_max_threads(),
                              resolve_precision(config.precision)};
  PerExampleSchedule schedule(row_blocks(fast, data.cols()));
  // The minibatch path's products (bf16: W converted once per update); the per-example path
  // reads W itself.
  Products products(model, per_example ? Precision::Fp32 : config.precision);
  const auto measure = [&](std::uint64_t done) {
    report.update = done;
    report.seconds = elapsed();
    {
      // 500 examples are small work, done on one thread: it does not stall when other processes
      // hold the cores.
      const ScopedThreads one(1);
      const MonitorMeasures measures = monitor_measures(
          products, monitor, products.precision() == Precision::Bf16 ? static_cast<Eigen::Index>(config.batch) : 0);
      report.reconstruction_error = measures.reconstruction_error;
      report.free_energy_train = measures.free_energy;
    }
    if (heldout) report.free_energy_heldout = static_cast<double>(free_energy(model, held).mean());
    report.estimator = estimator->take_stats();
    check_growth(done);
  };

  // Reports: every report_every updates when it is set; by default on a grid of 100 per run,
  // skipping grid points until the training time since the last report is at least
  // kReportCostShare^-1 times what the last report's measurements took (at most ~1% overhead).
  double measure_seconds = 0.0, last_report = elapsed();
  std::uint64_t reports = 0;
  const auto report_due = [&](std::uint64_t u) {
    if (u == total) return true;
    if (u % report_every != 0) return false;
    return config.report_every > 0 || elapsed() - last_report >= measure_seconds / kReportCostShare;
  };

  for (auto* o : observers) o->on_begin(config, data.rows(), total);
  if (eval_every > 0 && !resume) evaluate(0);
  std::vector<std::size_t> rows;
  Matrix X;
  Gradient g;
  const std::uint64_t checkpoint_every = config.checkpoint_every > 0 ? config.checkpoint_every : total;
  const std::uint64_t eval_period = eval_every > 0 ? eval_every : total;
  const std::uint64_t first = resume ? resume->update : 0;
  if (first > last)
    throw InvalidArgument("the run is at update " + std::to_string(first) + ", past the " + std::to_string(last) +
                          " updates it is to end at");
  for (std::uint64_t u = first; u < last;) {
    const std::uint64_t end = std::min({last, u + segment, (u / report_every + 1) * report_every,
                                        (u / checkpoint_every + 1) * checkpoint_every,
                                        (u / eval_period + 1) * eval_period});
    if (per_example) {
      const int threads = schedule.threads();
      const auto t0 = std::chrono::steady_clock::now();
      train_per_example(model, data, fast, u, end, [&](std::uint64_t update) { return picker.single(update); }, threads);
      schedule.record(threads, end - u, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      report.examples_seen += end - u;
    } else {
      picker.pick(u, rows);
      X.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(data.cols()));
      const auto n_rows = static_cast<std::ptrdiff_t>(rows.size());
#pragma omp parallel for schedule(static) if (X.size() >= 65536)
      for (std::ptrdiff_t r = 0; r < n_rows; ++r)
        data.copy_row(rows[static_cast<std::size_t>(r)], X.row(static_cast<Eigen::Index>(r)).data());
      estimator->estimate(products, X, u, g);
      sgd.apply(model, g, u, &products);
      report.examples_seen += rows.size();
    }
    u = end;
    if (u > average_start) average.add(model);
    if (eval_every > 0 && (u % eval_every == 0 || u == total)) {
      check_growth(u);
      evaluate(u);
    }
    if (report_due(u)) {
      const double t0 = elapsed();
      measure(u);
      // The first measurement also builds the products' kernels for the monitor's shape: its
      // time says little about the next ones.
      measure_seconds = reports++ == 0 ? 0.0 : elapsed() - t0;
      last_report = elapsed();
      for (auto* o : observers) o->on_report(report);
    } else {
      const double s = elapsed();
      for (auto* o : observers) o->on_progress(u, total, s);
    }
    const bool stop = control.stop && control.stop->load();
    const bool due = (config.checkpoint_every > 0 && u % config.checkpoint_every == 0) ||
                     (config.checkpoint_seconds > 0 && elapsed() - last_checkpoint >= config.checkpoint_seconds);
    if ((due && u < total) || (stop && u < total)) checkpoint(u);
    if (stop && u < total) {
      if (control.stopped) *control.stopped = true;
      return finish(u);
    }
  }
  if (last < total) {
    check_growth(last);
    return finish(last);
  }
  if (config.checkpoint_every > 0 || config.checkpoint_seconds > 0) checkpoint(total);
  for (auto* o : observers) o->on_end(report);
  return finish(total);
}

}  // namespace rbmkit
