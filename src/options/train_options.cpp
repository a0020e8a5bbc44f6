#include "rbmkit/options/train_options.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

[[noreturn]] void bad(const std::string& name, const std::string& value, const std::string& expected) {
  throw InvalidArgument("--" + name + ": invalid value '" + value + "' (expected " + expected + ")");
}

std::uint64_t parse_uint(const std::string& name, const std::string& v, std::uint64_t min,
                         std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) {
  std::uint64_t x = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  const std::string range = "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || x < min || x > max) bad(name, v, range);
  return x;
}

double parse_double(const std::string& name, const std::string& v, double min, bool min_open,
                    double max = std::numeric_limits<double>::infinity(), bool max_open = true) {
  double x = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  const bool ok = !v.empty() && ec == std::errc() && end == v.data() + v.size() && std::isfinite(x) &&
                  (min_open ? x > min : x >= min) && (max_open ? x < max : x <= max);
  if (!ok) {
    std::string range = std::string(min_open ? "(" : "[") + std::to_string(min) + ", " +
                        (std::isinf(max) ? std::string("inf") : std::to_string(max)) + (max_open ? ")" : "]");
    bad(name, v, "a number in " + range);
  }
  return x;
}

bool parse_on_off(const std::string& name, const std::string& v) {
  if (v == "on" || v == "true" || v == "1") return true;
  if (v == "off" || v == "false" || v == "0") return false;
  bad(name, v, "on or off");
}

// A layer's unit type: "bernoulli" or `other` (the layer's second supported type).
UnitType parse_layer_units(const std::string& name, const std::string& v, UnitType other) {
  if (v == "bernoulli") return UnitType::Bernoulli;
  if (v == to_string(other)) return other;
  const std::string expected = "bernoulli or " + to_string(other);
  if (v == "ternary" || v == "gaussian")
    throw InvalidArgument("--" + name + ": " + v + " units are not supported on the " +
                          name.substr(0, name.find('-')) + " layer (expected " + expected + ")");
  bad(name, v, expected);
}

std::string nonempty(const std::string& name, const std::string& v) {
  if (v.empty()) bad(name, v, "a non-empty value");
  return v;
}

// A float as the shortest decimal that reads back as the same float ("0.1", not
// 0.10000000149011612), stored as a JSON number.
nlohmann::json float_json(float x) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  double d = 0;
  std::from_chars(buf, end, d);
  return d;
}

std::vector<OptionSpec> make_table() {
  using J = nlohmann::json;
  return {
      {"hidden", "INT", "number of hidden units H", true,
       // No upper bound here: the model's memory check (check_model_size) refuses what does not
       // fit, with the gigabytes it would need, once the data's width is known.
       [](TrainSettings& s, const std::string& v) { s.config.hidden = parse_uint("hidden", v, 1); },
       [](const TrainSettings& s) { return J(s.config.hidden); }},
      {"hidden-units", "bernoulli|ternary", "hidden unit type: bernoulli (h in {0,1}) or ternary (h in {-1,0,1})", true,
       [](TrainSettings& s, const std::string& v) { s.config.hidden_units = parse_layer_units("hidden-units", v, UnitType::Ternary); },
       [](const TrainSettings& s) { return J(to_string(s.config.hidden_units)); }},
      {"visible-units", "bernoulli|gaussian", "visible unit type: bernoulli (binary data) or gaussian (real data, unit variance; see --standardize)", true,
       [](TrainSettings& s, const std::string& v) { s.config.visible_units = parse_layer_units("visible-units", v, UnitType::Gaussian); },
       [](const TrainSettings& s) { return J(to_string(s.config.visible_units)); }},
      {"standardize", "on|off", "gaussian visible units: shift and scale each column to zero mean and unit variance on the training data (stored in model.npz and undone in pictures)", true,
       [](TrainSettings& s, const std::string& v) { s.standardize = parse_on_off("standardize", v); },
       [](const TrainSettings& s) { return J(s.standardize ? "on" : "off"); }},
      {"method", "cd|pcd|pt", "gradient estimator: CD-k, persistent CD-k (Tieleman 2008) or parallel tempering (Desjardins et al. 2010)", true,
       [](TrainSettings& s, const std::string& v) { s.config.method = parse_method(v); },
       [](const TrainSettings& s) { return J(to_string(s.config.method)); }},
      {"chains", "INT", "pcd and pt: persistent fantasy particles, independent of the batch size", true,
       [](TrainSettings& s, const std::string& v) { s.config.chains = parse_uint("chains", v, 1, 1u << 20); },
       [](const TrainSettings& s) { return J(s.config.chains); }},
      {"temperatures", "INT", "pt: chains per particle, inverse temperatures evenly spaced in [beta-min, 1]", true,
       [](TrainSettings& s, const std::string& v) { s.config.temperatures = parse_uint("temperatures", v, 2, 1000); },
       [](const TrainSettings& s) { return J(s.config.temperatures); }},
      {"beta-min", "FLOAT", "pt: the lowest inverse temperature, in [0, 1)", true,
       [](TrainSettings& s, const std::string& v) { s.config.beta_min = static_cast<float>(parse_double("beta-min", v, 0, false, 1, true)); },
       [](const TrainSettings& s) { return float_json(s.config.beta_min); }},
      {"cd", "INT", "Gibbs steps k per update (CD-k, PCD-k, PT sweeps)", true,
       [](TrainSettings& s, const std::string& v) { s.config.cd_k = static_cast<int>(parse_uint("cd", v, 1, 100000)); },
       [](const TrainSettings& s) { return J(s.config.cd_k); }},
      {"lr", "FLOAT", "learning rate", true,
       [](TrainSettings& s, const std::string& v) { s.config.learning_rate = static_cast<float>(parse_double("lr", v, 0, true)); },
       [](const TrainSettings& s) { return float_json(s.config.learning_rate); }},
      {"lr-schedule", "constant|linear|exp", "learning-rate schedule over the run: constant, linear decay to zero, or exponential decay to --lr-final", true,
       [](TrainSettings& s, const std::string& v) { s.config.schedule = parse_schedule(v); },
       [](const TrainSettings& s) { return J(to_string(s.config.schedule)); }},
      {"lr-final", "FLOAT", "the learning rate at the last update of the exponential schedule", true,
       [](TrainSettings& s, const std::string& v) { s.config.final_learning_rate = static_cast<float>(parse_double("lr-final", v, 0, true)); },
       [](const TrainSettings& s) { return float_json(s.config.final_learning_rate); }},
      {"momentum", "FLOAT", "momentum of the SGD velocity, in [0, 1)", true,
       [](TrainSettings& s, const std::string& v) { s.config.momentum = static_cast<float>(parse_double("momentum", v, 0, false, 1, true)); },
       [](const TrainSettings& s) { return float_json(s.config.momentum); }},
      {"weight-decay", "FLOAT", "L2 weight decay coefficient on W", true,
       [](TrainSettings& s, const std::string& v) { s.config.weight_decay = static_cast<float>(parse_double("weight-decay", v, 0, false)); },
       [](const TrainSettings& s) { return float_json(s.config.weight_decay); }},
      {"l1", "FLOAT", "L1 weight decay coefficient on W", true,
       [](TrainSettings& s, const std::string& v) { s.config.l1 = static_cast<float>(parse_double("l1", v, 0, false)); },
       [](const TrainSettings& s) { return float_json(s.config.l1); }},
      {"centring", "on|off", "centre visible and hidden units (Melchior, Fischer and Wiskott 2016)", true,
       [](TrainSettings& s, const std::string& v) { s.config.centring = parse_on_off("centring", v); },
       [](const TrainSettings& s) { return J(s.config.centring ? "on" : "off"); }},
      {"sparsity-target", "FLOAT", "target mean activation of the hidden units, in [0, 1); 0 turns it off", true,
       [](TrainSettings& s, const std::string& v) { s.config.sparsity_target = static_cast<float>(parse_double("sparsity-target", v, 0, false, 1, true)); },
       [](const TrainSettings& s) { return float_json(s.config.sparsity_target); }},
      {"sparsity-cost", "FLOAT", "weight of the sparsity penalty", true,
       [](TrainSettings& s, const std::string& v) { s.config.sparsity_cost = static_cast<float>(parse_double("sparsity-cost", v, 0, false)); },
       [](const TrainSettings& s) { return float_json(s.config.sparsity_cost); }},
      {"batch", "INT", "examples per update: 1 draws one at random with replacement; B > 1 uses shuffled minibatches", true,
       [](TrainSettings& s, const std::string& v) { s.config.batch = parse_uint("batch", v, 1, 1u << 24); },
       [](const TrainSettings& s) { return J(s.config.batch); }},
      {"updates", "INT", "number of parameter updates (replaces --epochs)", true,
       [](TrainSettings& s, const std::string& v) { s.config.updates = parse_uint("updates", v, 1); s.config.epochs = 0; },
       [](const TrainSettings& s) { return s.config.updates ? J(s.config.updates) : J(nullptr); }},
      {"epochs", "FLOAT", "passes over the data (replaces --updates)", true,
       [](TrainSettings& s, const std::string& v) { s.config.epochs = parse_double("epochs", v, 0, true); s.config.updates = 0; },
       [](const TrainSettings& s) { return s.config.updates ? J(nullptr) : J(s.config.epochs); }},
      {"visible-bias", "on|off", "learn a visible bias, initialised to the logit of the pixel means", true,
       [](TrainSettings& s, const std::string& v) { s.config.visible_bias = parse_on_off("visible-bias", v); },
       [](const TrainSettings& s) { return J(s.config.visible_bias ? "on" : "off"); }},
      {"init-std", "FLOAT", "standard deviation of the initial weights, W ~ N(0, std^2)", true,
       [](TrainSettings& s, const std::string& v) { s.config.init_std = static_cast<float>(parse_double("init-std", v, 0, false)); },
       [](const TrainSettings& s) { return float_json(s.config.init_std); }},
      {"seed", "INT", "random seed (same seed and thread count: bit-identical model)", true,
       [](TrainSettings& s, const std::string& v) { s.config.seed = parse_uint("seed", v, 0); },
       [](const TrainSettings& s) { return J(s.config.seed); }},
      {"data", "SPEC", "training data: mnist:SPLIT[:DIGITS] or a .npy, .csv or IDX file", true,
       [](TrainSettings& s, const std::string& v) { s.data = nonempty("data", v); },
       [](const TrainSettings& s) { return J(s.data); }},
      {"binarize", "RULE", "threshold[:T] | stochastic[:SEED] | none | auto (threshold:127.5 for MNIST, none for files)", true,
       [](TrainSettings& s, const std::string& v) { s.binarize = nonempty("binarize", v); },
       [](const TrainSettings& s) { return J(s.binarize); }},
      {"heldout", "SPEC", "held-out data whose mean free energy is logged at each report", false,
       [](TrainSettings& s, const std::string& v) { s.heldout = nonempty("heldout", v); },
       [](const TrainSettings& s) { return s.heldout.empty() ? J(nullptr) : J(s.heldout); }},
      {"threads", "INT", "worker threads; 0 uses every core", false,
       [](TrainSettings& s, const std::string& v) { s.config.threads = static_cast<int>(parse_uint("threads", v, 0, 1024)); },
       [](const TrainSettings& s) { return J(s.config.threads); }},
      {"checkpoint-every", "INT", "updates between checkpoints (DIR/checkpoint.npz); 0: none", false,
       [](TrainSettings& s, const std::string& v) { s.config.checkpoint_every = parse_uint("checkpoint-every", v, 0); },
       [](const TrainSettings& s) { return J(s.config.checkpoint_every); }},
      {"checkpoint-seconds", "FLOAT", "seconds of training between checkpoints; 0: none", false,
       [](TrainSettings& s, const std::string& v) { s.config.checkpoint_seconds = parse_double("checkpoint-seconds", v, 0, false); },
       [](const TrainSettings& s) { return J(s.config.checkpoint_seconds); }},
      {"eval-every", "INT", "updates between held-out log-likelihood estimates (train.jsonl, curve.png); 0: none", false,
       [](TrainSettings& s, const std::string& v) { s.config.eval_every = parse_uint("eval-every", v, 0); },
       [](const TrainSettings& s) { return J(s.config.eval_every); }},
      {"eval-data", "SPEC", "data for --eval-every [default: --heldout]", false,
       [](TrainSettings& s, const std::string& v) { s.eval_data = nonempty("eval-data", v); },
       [](const TrainSettings& s) { return s.eval_data.empty() ? J(nullptr) : J(s.eval_data); }},
      {"eval-betas", "INT", "AIS inverse temperatures of each --eval-every estimate (models too large to enumerate)", false,
       [](TrainSettings& s, const std::string& v) { s.eval_betas = parse_uint("eval-betas", v, 3, 1u << 24); },
       [](const TrainSettings& s) { return J(s.eval_betas); }},
      {"eval-chains", "INT", "AIS chains of each --eval-every estimate", false,
       [](TrainSettings& s, const std::string& v) { s.eval_chains = parse_uint("eval-chains", v, 2, 1u << 20); },
       [](const TrainSettings& s) { return J(s.eval_chains); }},
      {"report-every", "INT", "updates between reports in train.jsonl; 0 gives 100 reports", false,
       [](TrainSettings& s, const std::string& v) { s.config.report_every = parse_uint("report-every", v, 0); },
       [](const TrainSettings& s) { return J(s.config.report_every); }},
  };
}

}  // namespace

const std::vector<OptionSpec>& train_options() {
  static const std::vector<OptionSpec> table = make_table();
  return table;
}

Binarization data_binarization(const std::string& rule, UnitType visible_units) {
  Binarization b = parse_binarization(rule);
  if (visible_units != UnitType::Gaussian) return b;
  if (b.kind == Binarization::Kind::Auto) b.kind = Binarization::Kind::None;
  if (b.kind != Binarization::Kind::None)
    throw InvalidArgument("--binarize " + rule + " conflicts with Gaussian visible units (--visible-units gaussian): "
                          "they model real values; use --binarize none or auto");
  return b;
}

void check_settings(const TrainSettings& s) {
  if (s.standardize && s.config.visible_units != UnitType::Gaussian)
    throw InvalidArgument("--standardize on needs --visible-units gaussian (binary data is not standardised)");
  data_binarization(s.binarize, s.config.visible_units);
}

const OptionSpec& train_option(const std::string& name) {
  for (const auto& o : train_options())
    if (o.name == name) return o;
  throw InvalidArgument("unknown training option '" + name + "'");
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
  // General defaults: minibatch CD-1 in the style of Hinton's practical guide (2010).
  TrainSettings s;
  s.config.hidden = 100;
  s.config.cd_k = 1;
  s.config.learning_rate = 0.1f;
  s.config.batch = 100;
  s.config.updates = 0;
  s.config.epochs = 10;
  s.config.visible_bias = true;
  s.config.init_std = 0.01f;
  s.config.threads = 0;
  s.preset = name;
  if (name == "none") return s;
  for (const auto& p : presets())
    if (p.name == name) {
      for (const auto& [option, value] : p.values) train_option(option).set(s, value);
      return s;
    }
  std::string names;
  for (const auto& p : presets()) names += (names.empty() ? "" : ", ") + p.name;
  throw InvalidArgument("--preset: unknown preset '" + name + "' (known: none, " + names + ")");
}

nlohmann::json to_json(const TrainSettings& s) {
  nlohmann::json j = nlohmann::json::object();
  j["preset"] = s.preset;
  for (const auto& o : train_options()) j[o.name] = o.get(s);
  return j;
}

}  // namespace rbmkit
