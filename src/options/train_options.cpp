#include "rbmkit/options/train_options.hpp"

#include <cmath>
#include <cstdio>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

using K = OptionKind;
using R = OptionRole;
using J = nlohmann::json;

constexpr double kInf = HUGE_VAL;

NumberRange at_least(double min) { return {min, kInf, false, false}; }
NumberRange above(double min) { return {min, kInf, true, false}; }
NumberRange closed(double min, double max) { return {min, max, false, false}; }
NumberRange half_open(double min, double max) { return {min, max, false, true}; }

OptionTable<SgdConfig> make_sgd_options() {
  using S = SgdConfig;
  return {
      field<S>({"lr", "learning rate", K::Real, "learning rate", R::Model, above(0), {}, {}, "learning_rate"},
               &S::learning_rate),
      field<S>({"lr-schedule", "learning-rate schedule", K::Choice,
                "learning-rate schedule over the run: constant, linear decay to zero, or exponential decay to --lr-final",
                R::Model, {}, {}, {}, "lr_schedule"},
               &S::schedule),
      field<S>({"lr-final", "final learning rate", K::Real,
                "the learning rate at the last update of the exponential schedule", R::Model, above(0), {}, {},
                "lr_final"},
               &S::final_learning_rate),
      field<S>({"momentum", "momentum", K::Real, "momentum of the SGD velocity, in [0, 1)", R::Model, half_open(0, 1)},
               &S::momentum),
      field<S>({"weight-decay", "weight decay", K::Real, "L2 weight decay coefficient on W", R::Model, at_least(0)},
               &S::weight_decay),
      field<S>({"l1", "L1 decay", K::Real, "L1 weight decay coefficient on W", R::Model, at_least(0)}, &S::l1),
      field<S>({"centring", "centring", K::Switch,
                "centre visible and hidden units (Melchior, Fischer and Wiskott 2016)", R::Model},
               &S::centring),
      field<S>({"sparsity-target", "sparsity target", K::Real,
                "target mean activation of the hidden units, in [0, 1); 0 turns it off", R::Model, half_open(0, 1)},
               &S::sparsity_target),
      field<S>({"sparsity-cost", "sparsity cost", K::Real, "weight of the sparsity penalty", R::Model, at_least(0)},
               &S::sparsity_cost),
  };
}

// updates and epochs replace each other: the one not in use is null.
Option<TrainConfig> updates_option() {
  Option<TrainConfig> o{{"updates", "number of updates", K::Integer, "number of parameter updates (replaces --epochs)",
                         R::Run, at_least(1), {}, {}, "n_updates"},
                        {},
                        {}};
  o.nullable = true;
  o.get = [](const TrainConfig& c) { return c.updates ? J(c.updates) : J(nullptr); };
  o.put = [](TrainConfig& c, const J& v) {
    if (v.is_null()) return;
    c.updates = v.get<std::uint64_t>();
    c.epochs = 0;
  };
  return o;
}

Option<TrainConfig> epochs_option() {
  Option<TrainConfig> o{{"epochs", "number of epochs", K::Real, "passes over the data (replaces --updates)", R::Run,
                         above(0), {}, {}, "n_iter"},
                        {},
                        {}};
  o.nullable = true;
  o.get = [](const TrainConfig& c) { return c.updates ? J(nullptr) : J(c.epochs); };
  o.put = [](TrainConfig& c, const J& v) {
    if (v.is_null()) return;
    c.epochs = v.get<double>();
    c.updates = 0;
  };
  return o;
}

OptionTable<TrainConfig> make_train_config_options() {
  using S = TrainConfig;
  OptionTable<S> t = {
      // At most 2^24 here; the model's memory check (check_model_size) refuses what does not
      // fit, with the gigabytes it would need, once the data's width is known.
      field<S>({"hidden", "number of hidden units", K::Integer, "number of hidden units H", R::Model,
                closed(1, 1u << 24), {}, {}, "n_components"},
               &S::hidden),
      field<S>({"hidden-units", "hidden unit type", K::Choice,
                "hidden unit type: bernoulli (h in {0,1}) or ternary (h in {-1,0,1})", R::Model, {},
                {"bernoulli", "ternary"}},
               &S::hidden_units),
      field<S>({"visible-units", "visible unit type", K::Choice,
                "visible unit type: bernoulli (binary data) or gaussian (real data, unit variance; see --standardize)",
                R::Model, {}, {"bernoulli", "gaussian"}},
               &S::visible_units),
      field<S>({"method", "gradient estimator", K::Choice,
                "gradient estimator: CD-k, persistent CD-k (Tieleman 2008) or parallel tempering (Desjardins et al. 2010)",
                R::Model},
               &S::method),
      field<S>({"chains", "number of persistent chains", K::Integer,
                "pcd and pt: persistent fantasy particles, independent of the batch size", R::Model,
                closed(1, 1u << 20), {}, {}, "n_chains"},
               &S::chains),
      field<S>({"temperatures", "number of temperatures", K::Integer,
                "pt: chains per particle, inverse temperatures evenly spaced in [beta-min, 1]", R::Model,
                closed(2, 1000), {}, {}, "n_temperatures"},
               &S::temperatures),
      field<S>({"beta-min", "lowest inverse temperature", K::Real, "pt: the lowest inverse temperature, in [0, 1)",
                R::Model, half_open(0, 1)},
               &S::beta_min),
      field<S>({"cd", "number of Gibbs steps", K::Integer, "Gibbs steps k per update (CD-k, PCD-k, PT sweeps)", R::Model,
                closed(1, 100000), {}, {}, "k"},
               &S::cd_k),
      field<S>({"cd-ramp", "ramped fraction", K::Real,
                "k rises linearly from 1 to --cd over this fraction of the updates, in [0, 1] (raising k as "
                "the chains mix more slowly; Hinton 2010, a practical guide to training RBMs); 0: k from the start",
                R::Model, closed(0, 1), {}, {}, "k_ramp"},
               &S::cd_ramp),
  };
  t = concat(std::move(t), lift(sgd_options(), &S::sgd));
  return concat(std::move(t), {
      field<S>({"batch", "batch size", K::Integer,
                "examples per update: 1 draws one at random with replacement; B > 1 uses shuffled minibatches",
                R::Model, closed(1, 1u << 24), {}, {}, "batch_size"},
               &S::batch),
      updates_option(),
      epochs_option(),
      field<S>({"average", "averaged fraction", K::Real,
                "Polyak-Ruppert averaging: the model written is the mean of the parameters over the last fraction "
                "of the updates, in [0, 1) (Polyak and Juditsky 1992); 0 turns it off",
                R::Model, half_open(0, 1)},
               &S::average),
      field<S>({"visible-bias", "visible bias", K::Switch,
                "learn a visible bias, initialised to the logit of the pixel means", R::Model},
               &S::visible_bias),
      field<S>({"init-std", "initial weight standard deviation", K::Real,
                "standard deviation of the initial weights, W ~ N(0, std^2)", R::Model, at_least(0)},
               &S::init_std),
      field<S>({"seed", "random seed", K::Integer, "random seed (same seed and thread count: bit-identical model)",
                R::Run, at_least(0), {}, {}, "random_state"},
               &S::seed),
      field<S>({"precision", "precision of the products", K::Choice,
                "operands of the matrix products: fp32, bf16 (fp32 accumulation and parameters; AMX or "
                "AVX512_BF16, emulated and slower on other CPUs), or auto (bf16 where the CPU runs it in "
                "hardware, else fp32)",
                R::Model},
               &S::precision),
      field<S>({"threads", "number of threads", K::Integer,
                "worker threads; 0 uses every core (a run whose products are too small to split uses one)", R::Run,
                closed(0, 1024), {}, {}, "n_threads"},
               &S::threads),
      field<S>({"checkpoint-every", "checkpoint interval", K::Integer,
                "updates between checkpoints (DIR/checkpoint.npz); 0: none", R::Run, at_least(0)},
               &S::checkpoint_every),
      field<S>({"checkpoint-seconds", "checkpoint interval in seconds", K::Real,
                "seconds of training between checkpoints; 0: none", R::Run, at_least(0)},
               &S::checkpoint_seconds),
      field<S>({"eval-every", "evaluation interval", K::Integer,
                "updates between held-out log-likelihood estimates (train.jsonl, curve.png); 0: none", R::Run,
                at_least(0)},
               &S::eval_every),
      field<S>({"report-every", "report interval", K::Integer,
                "updates between reports in train.jsonl; 0: up to 100, spaced to cost at most 1% of the training time",
                R::Run, at_least(0)},
               &S::report_every),
  });
}

OptionTable<TrainSettings> make_train_options() {
  using S = TrainSettings;
  OptionTable<S> t = lift(train_config_options(), &S::config);
  return concat(std::move(t), {
      field<S>({"standardize", "standardisation", K::Switch,
                "gaussian visible units: shift and scale each column to zero mean and unit variance on the training "
                "data (stored in model.npz and undone in pictures)",
                R::Model},
               &S::standardize),
      // Null for data that came from memory (the Python module's arrays).
      optional_text<S>({"data", "training data", K::Text,
                        "training data: mnist:SPLIT[:DIGITS] or a .npy, .csv or IDX file", R::Model, {}, {}, {}, "",
                        "SPEC"},
                       &S::data),
      field<S>({"binarize", "binarisation", K::Text,
                "threshold[:T] | stochastic[:SEED] | none | auto (threshold:127.5 for MNIST, none for files)", R::Model,
                {}, {}, {}, "", "RULE"},
               &S::binarize),
      optional_text<S>({"heldout", "held-out data", K::Text,
                        "held-out data whose mean free energy is logged at each report", R::Run, {}, {}, {}, "", "SPEC"},
                       &S::heldout),
      optional_text<S>({"eval-data", "evaluation data", K::Text, "data for --eval-every", R::Run, {}, {}, {}, "",
                        "SPEC", "--heldout"},
                       &S::eval_data),
      field<S>({"eval-betas", "AIS inverse temperatures of the evaluations", K::Integer,
                "AIS inverse temperatures of each --eval-every estimate (models too large to enumerate)", R::Run,
                closed(3, 1u << 24)},
               &S::eval_betas),
      field<S>({"eval-chains", "AIS chains of the evaluations", K::Integer, "AIS chains of each --eval-every estimate",
                R::Run, closed(2, 1u << 20)},
               &S::eval_chains),
      optional_text<S>({"init", "initial model", K::Text,
                        "begin from this model.npz instead of random weights (its shape and unit types are the run's)",
                        R::Model, {}, {}, {}, "", "MODEL"},
                       &S::init),
      field<S>({"preset", "preset", K::Text, "settings preset", R::Output, {}, {}, {}, "", "NAME",
                "seed when no model setting is given, else none"},
               &S::preset),
      optional_text<S>({"out", "output directory", K::Text, "output directory", R::Output, {}, {}, {}, "", "DIR",
                        "out/<preset>, or out/run without one"},
                       &S::out),
      optional_text<S>({"tile", "tile shape", K::Text, "tile shape WxH of the pictures", R::Output, {}, {}, {}, "",
                        "WxH", "the data's image shape, else square"},
                       &S::tile),
      field<S>({"sample-steps", "Gibbs steps of samples.png", K::Integer, "Gibbs steps for samples.png", R::Output,
                closed(1, 1000000)},
               &S::sample_steps),
      optional_text<S>({"resume", "run to resume", K::Text,
                        "continue the run whose checkpoint.npz is in DIR, with its stored settings (flags given again "
                        "must agree) and in DIR; the final model equals an uninterrupted run's. SIGINT/SIGTERM end a "
                        "run after the current update with a checkpoint and exit status 3",
                        R::Output, {}, {}, {}, "", "DIR"},
                       &S::resume),
  });
}

}  // namespace

const OptionTable<SgdConfig>& sgd_options() {
  static const OptionTable<SgdConfig> table = make_sgd_options();
  return table;
}

const OptionTable<TrainConfig>& train_config_options() {
  static const OptionTable<TrainConfig> table = make_train_config_options();
  return table;
}

const OptionTable<TrainSettings>& train_options() {
  static const OptionTable<TrainSettings> table = make_train_options();
  return table;
}

const Option<TrainSettings>& train_option(const std::string& name) {
  return find_option(train_options(), name, "training");
}

Binarization data_binarization(const std::string& rule, UnitType visible_units) {
  Binarization b;
  try {
    b = parse_binarization(rule);
  } catch (const InvalidArgument& e) {
    throw ParameterError("binarize", e.what());
  }
  if (visible_units != UnitType::Gaussian) return b;
  if (b.kind == Binarization::Kind::Auto) b.kind = Binarization::Kind::None;
  if (b.kind != Binarization::Kind::None)
    throw ParameterError("binarize", "binarisation " + rule +
                                         " conflicts with Gaussian visible units: they model real values; use none or auto");
  return b;
}

void check_settings(const TrainSettings& s) {
  if (s.standardize && s.config.visible_units != UnitType::Gaussian)
    throw ParameterError("standardize", "standardisation needs Gaussian visible units (binary data is not standardised)");
  data_binarization(s.binarize, s.config.visible_units);
}

const std::vector<Preset>& presets() {
  static const std::vector<Preset> list = {
      {"seed", "the exercise: binary RBM on the MNIST 3s, CD-3, one example per update",
       {{"hidden", "100"}, {"method", "cd"}, {"cd", "3"}, {"lr", "0.01"}, {"momentum", "0"}, {"weight-decay", "0"},
        {"batch", "1"}, {"updates", "100000"}, {"visible-bias", "off"}, {"init-std", "0.1"},
        {"seed", "0"}, {"data", "mnist:all:3"}, {"binarize", "threshold:127.5"}}},
  };
  return list;
}

TrainSettings settings_for_preset(const std::string& name) {
  TrainSettings s;
  s.preset = name;
  if (name == "none") return s;
  for (const auto& p : presets())
    if (p.name == name) {
      for (const auto& [option, value] : p.values) set_option(s, train_option(option), value);
      return s;
    }
  std::vector<std::string> names = {"none"};
  for (const auto& p : presets()) names.push_back(p.name);
  throw ParameterError("preset", "unknown preset '" + name + "' (known: " + choice_list(names) + ")");
}

TrainSettings resolve_train_settings(const OptionValues& given) {
  std::string preset;
  bool any_model_option = false, updates = false, epochs = false;
  for (const auto& [name, value] : given) {
    const Option<TrainSettings>& o = train_option(name);
    o.check(value);
    if (o.name == "preset") preset = value.get<std::string>();
    any_model_option |= o.role == OptionRole::Model;
    updates |= o.name == "updates";
    epochs |= o.name == "epochs";
  }
  if (updates && epochs)
    throw ParameterError("epochs", "the number of epochs replaces the number of updates: give one of them, not both");
  if (preset.empty()) preset = any_model_option ? "none" : "seed";
  TrainSettings s = settings_for_preset(preset);
  for (const auto& [name, value] : given)
    if (train_option(name).name != "preset") set_option_json(s, train_option(name), value);
  return s;
}

TrainSettings resume_train_settings(const nlohmann::json& stored, const OptionValues& given, const std::string& where,
                                    const std::function<void(TrainSettings&)>& normalize) {
  if (!stored.is_object()) throw FormatError(where + ": the checkpoint records no training settings");
  TrainSettings s;
  s.preset = stored.value("preset", std::string("none"));
  for (const auto& o : train_options()) {
    if (o.role == OptionRole::Output || !stored.contains(o.name)) continue;
    const nlohmann::json& v = stored[o.name];
    if (v.is_null() && !o.nullable) continue;
    try {
      set_option_json(s, o, v);
    } catch (const ParameterError& e) {
      throw FormatError(where + ": stored setting " + o.name + " is invalid: " + e.what());
    }
  }
  const auto normalized = [&](TrainSettings t) {
    if (normalize) normalize(t);
    return t;
  };
  for (const auto& [name, value] : given) {
    const Option<TrainSettings>& o = train_option(name);
    TrainSettings changed = s;
    set_option_json(changed, o, value);
    if ((o.role == OptionRole::Model || o.name == "seed") && o.get(normalized(changed)) != o.get(normalized(s)))
      throw ParameterError(o.name, o.label + " " + o.shown_default(value) + " disagrees with the checkpoint's " +
                                       o.shown_default(o.get(s)) + " (" + where +
                                       "); drop it to resume with the stored settings");
    s = changed;
  }
  return s;
}

std::vector<Warning> ignored_train_options(const TrainSettings& s, const std::set<std::string>& given) {
  const TrainConfig& c = s.config;
  std::vector<Warning> out;
  const auto note = [&](const char* name, bool ignored, const std::string& why) {
    if (given.count(name) && ignored) out.push_back({name, "is ignored " + why});
  };
  note("cd-ramp", c.cd_k == 1, "with --cd 1 (k rises from 1 to --cd)");
  note("chains", c.method == Method::CD, "with the cd method (persistent chains belong to pcd and pt)");
  note("temperatures", c.method != Method::PT, "unless the method is pt");
  note("beta-min", c.method != Method::PT, "unless the method is pt");
  note("sparsity-target", c.sgd.sparsity_cost == 0.0f, "while the sparsity cost is 0");
  note("sparsity-cost", c.sgd.sparsity_target == 0.0f, "while the sparsity target is 0");
  note("lr-final", c.sgd.schedule != Schedule::Exponential, "unless the learning-rate schedule is exp");
  for (const char* name : {"eval-data", "eval-betas", "eval-chains"})
    note(name, c.eval_every == 0, "without held-out evaluations (eval-every)");
  return out;
}

std::string describe_estimator(const TrainConfig& c) {
  const std::string k = c.cd_ramp > 0 ? "(1 to " + std::to_string(c.cd_k) + ")" : std::to_string(c.cd_k);
  switch (c.method) {
    case Method::CD: return "CD-" + k;
    case Method::PCD: return "PCD-" + k + " with " + std::to_string(c.chains) + " persistent chains";
    case Method::PT: {
      char range[64];
      std::snprintf(range, sizeof range, "[%g, 1]", static_cast<double>(c.beta_min));
      return "PT-" + k + " with " + std::to_string(c.temperatures) + " temperatures in " + range + ", " +
             std::to_string(c.chains) + " chains each";
    }
  }
  return "";
}

nlohmann::json to_json(const TrainSettings& s) {
  nlohmann::json j = options_json(s, train_options(), {OptionRole::Model, OptionRole::Run});
  j["preset"] = s.preset;
  return j;
}

}  // namespace rbmkit
