#include "rbmkit/workflows/reproduce_run.hpp"

#include <chrono>
#include <utility>

#include "rbmkit/error.hpp"

namespace rbmkit {
namespace {

using nlohmann::json;

// The standard protocol: each pixel drawn once as Bernoulli(intensity / 255), training and test
// images with seeds of their own.
const char* kTrainBinarize = "stochastic:1";
const char* kTestBinarize = "stochastic:2";

OptionValues mnist(OptionValues model, const char* binarize = kTrainBinarize) {
  OptionValues v = {{"data", "mnist:train"}, {"binarize", binarize}, {"batch", 100}, {"seed", 0}};
  for (auto& o : model) v.push_back(std::move(o));
  return v;
}

// Large models: AIS and RAISE with the full schedule; --quick: one 29 times shorter.
const OptionValues kAnnealed = {{"method", "both"}};
const OptionValues kQuickAnnealed = {{"method", "both"}, {"betas", 500}};
// Small models: enumeration (auto is exact up to 2^25 terms).
const OptionValues kExact = {{"method", "auto"}};

std::vector<Recipe> make_recipes() {
  const OptionValues quick500 = {{"updates", 100}};
  const OptionValues quick_small = {{"updates", 600}};
  return {
      {"mnist-h500-cd25",
       "500 hidden units, CD-25, batch 100, lr 0.05 decaying linearly, momentum 0.9, weight decay 0.0002, 100 epochs: "
       "the 2008 protocol",
       mnist({{"hidden", 500}, {"method", "cd"}, {"cd", 25}, {"lr", 0.05}, {"lr-schedule", "linear"}, {"momentum", 0.9},
              {"weight-decay", 0.0002}, {"epochs", 100}}),
       quick500, kAnnealed, kQuickAnnealed, "mnist:test", kTestBinarize, -86.34,
       "CD-25, AIS (Salakhutdinov and Murray 2008; -86.35 AIS, -86.39 RAISE in Burda, Grosse and Salakhutdinov 2015)"},
      {"mnist-h500",
       "500 hidden units, rbmkit's recipe: CD-25 with k raised from 1 over the first 30% of the updates, lr 0.05 "
       "decaying linearly, momentum 0.9, weight decay 0.0002, 300 epochs",
       mnist({{"hidden", 500}, {"method", "cd"}, {"cd", 25}, {"cd-ramp", 0.3}, {"lr", 0.05}, {"lr-schedule", "linear"},
              {"momentum", 0.9}, {"weight-decay", 0.0002}, {"epochs", 300}}),
       quick500, kAnnealed, kQuickAnnealed, "mnist:test", kTestBinarize, -85.65,
       "PCD-25 with stochastic spectral descent and weight decay, AIS (Carlson, Cevher and Carin 2015)"},
      {"mnist-h25",
       "25 hidden units, centred PCD-1 with 100 chains, lr 0.05 decaying linearly, momentum 0.5, 200 epochs, the "
       "model the mean of the last half's iterates",
       mnist({{"hidden", 25}, {"method", "pcd"}, {"chains", 100}, {"centring", "on"}, {"lr", 0.05},
              {"lr-schedule", "linear"}, {"momentum", 0.5}, {"epochs", 200}, {"average", 0.5}}),
       quick_small, kExact, kExact, "mnist:test", kTestBinarize, -129.76,
       "AIS only (Carlson, Cevher and Carin 2015); never checked exactly"},
      {"mnist-h20", "20 hidden units, PCD-1 with 100 chains, lr 0.05 decaying linearly, momentum 0.5, 100 epochs",
       mnist({{"hidden", 20}, {"method", "pcd"}, {"chains", 100}, {"lr", 0.05}, {"lr-schedule", "linear"},
              {"momentum", 0.5}, {"epochs", 100}}),
       quick_small, kExact, kExact, "mnist:test", kTestBinarize, -150.11,
       "PCD, exact (Burda, Grosse and Salakhutdinov 2015)"},
      {"mnist-threshold-h16",
       "16 hidden units on thresholded MNIST (pixel > 127.5), centred PCD-1 with 100 chains, lr 0.05 decaying "
       "linearly, momentum 0.5, 100 epochs",
       mnist({{"hidden", 16}, {"method", "pcd"}, {"chains", 100}, {"centring", "on"}, {"lr", 0.05},
              {"lr-schedule", "linear"}, {"momentum", 0.5}, {"epochs", 100}},
             "threshold:127.5"),
       quick_small, kExact, kExact, "mnist:test", "threshold:127.5", -142.56,
       "centred PCD-1, exact (Melchior, Fischer and Wiskott; PyDeep's documentation)"},
      {"mnist-h500-pcd", "500 hidden units, PCD-1 with 100 chains, lr 0.01, 50 epochs: the 2015 PCD baseline",
       mnist({{"hidden", 500}, {"method", "pcd"}, {"chains", 100}, {"lr", 0.01}, {"epochs", 50}}), quick500, kAnnealed,
       kQuickAnnealed, "mnist:test", kTestBinarize, -101.28,
       "PCD, AIS (-101.26 RAISE; Burda, Grosse and Salakhutdinov 2015)"},
      {"mnist-h500-cd1", "500 hidden units, CD-1, lr 0.05, 50 epochs: the 2015 CD-1 baseline",
       mnist({{"hidden", 500}, {"method", "cd"}, {"cd", 1}, {"lr", 0.05}, {"epochs", 50}}), quick500, kAnnealed,
       kQuickAnnealed, "mnist:test", kTestBinarize, -124.09,
       "CD-1, AIS (-124.77 RAISE; Burda, Grosse and Salakhutdinov 2015)"},
      {"exercise-digit3",
       "the exercise's algorithm: 100 hidden units, CD-3, one example per update, lr 0.01, no visible bias, "
       "100,000 updates on the 6,131 training 3s (pixel > 127.5), scored on the 1,010 test 3s",
       {{"data", "mnist:train:3"}, {"binarize", "threshold:127.5"}, {"hidden", 100}, {"cd", 3}, {"batch", 1},
        {"lr", 0.01}, {"visible-bias", "off"}, {"init-std", 0.1}, {"updates", 100000}, {"seed", 0}},
       {{"updates", 5000}}, kAnnealed, kQuickAnnealed, "mnist:test:3", "threshold:127.5", std::nullopt,
       "none (the exercise)"},
      {"exercise-digit3-best",
       "the exercise's data with rbmkit's recipe: 100 hidden units, PCD-1 with 100 chains, visible bias, batch 20, "
       "lr 0.05 decaying linearly, momentum 0.5, 200 epochs of the 6,131 training 3s, scored on the 1,010 test 3s",
       {{"data", "mnist:train:3"}, {"binarize", "threshold:127.5"}, {"hidden", 100}, {"method", "pcd"},
        {"chains", 100}, {"batch", 20}, {"lr", 0.05}, {"lr-schedule", "linear"}, {"momentum", 0.5},
        {"epochs", 200}, {"seed", 0}},
       {{"updates", 600}}, kAnnealed, kQuickAnnealed, "mnist:test:3", "threshold:127.5", std::nullopt,
       "none (the exercise)"},
  };
}

// `base` with each of `changes` replacing the value of the same name (updates replaces epochs).
OptionValues with(OptionValues base, const OptionValues& changes) {
  for (const auto& [name, value] : changes) {
    std::erase_if(base, [&](const auto& o) { return o.first == name || (name == "updates" && o.first == "epochs"); });
    base.emplace_back(name, value);
  }
  return base;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

const std::vector<Recipe>& recipes() {
  static const std::vector<Recipe> all = make_recipes();
  return all;
}

const Recipe& find_recipe(const std::string& name) {
  std::string names;
  for (const Recipe& r : recipes()) {
    if (r.name == name) return r;
    names += (names.empty() ? "" : ", ") + r.name;
  }
  throw ParameterError("NAME", "no recipe named '" + name + "'; the recipes are " + names);
}

ReproduceRun run_reproduce(const ReproduceSettings& s, const TrainRunCallbacks& callbacks,
                           const ProgressSink& eval_progress) {
  if (s.name.empty()) throw ParameterError("NAME", "name a recipe (rbmkit reproduce --list shows them)");
  ReproduceRun run;
  run.recipe = find_recipe(s.name);
  run.quick = s.quick;
  run.resumed = s.resume;
  const std::string out = s.out.empty() ? "out/reproduce/" + s.name + (s.quick ? "-quick" : "") : s.out;
  OptionValues train = s.quick ? with(run.recipe.train, run.recipe.quick) : run.recipe.train;
  train.emplace_back("out", out);
  if (s.resume) train.emplace_back("resume", out);
  auto t0 = std::chrono::steady_clock::now();
  run.train = run_training(train, callbacks);
  run.train_seconds = seconds_since(t0);
  if (run.train.stopped) return run;

  EvalSettings e;
  e.model = out + "/model.npz";
  e.data = run.recipe.eval_data;
  e.binarize = run.recipe.eval_binarize;
  const OptionValues eval = s.quick ? run.recipe.quick_eval : run.recipe.eval;
  apply_options(e, eval_command_options(), eval);
  for (const auto& [name, value] : eval) e.eval.given.insert(name);
  t0 = std::chrono::steady_clock::now();
  run.eval = run_evaluation(e, callbacks.messages, eval_progress);
  run.eval_seconds = seconds_since(t0);
  return run;
}

json to_json(const ReproduceRun& run, const OptionSpelling& spell) {
  json j;
  j["recipe"] = run.recipe.name;
  j["summary"] = run.recipe.summary;
  j["quick"] = run.quick;
  j["resumed"] = run.resumed;
  j["train"] = to_json(run.train, spell);
  j["train_seconds"] = run.train_seconds;
  if (!run.train.stopped) {
    j["eval"] = to_json(run.eval, spell);
    j["eval_seconds"] = run.eval_seconds;
    j["log_likelihood"] = run.eval.report.log_likelihood;
    j["log_likelihood_upper_bound"] = run.eval.report.log_likelihood_upper;
  }
  j["published"] = run.recipe.published ? json(*run.recipe.published) : json(nullptr);
  j["source"] = run.recipe.source;
  return j;
}

}  // namespace rbmkit
