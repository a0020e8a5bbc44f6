#include "rbmkit/io/train_log.hpp"

#include "rbmkit/error.hpp"
#include "rbmkit/formats/json_number.hpp"

namespace rbmkit {

nlohmann::json to_json(const TrainReport& r) {
  nlohmann::json j = {{"update", r.update},
                      {"total_updates", r.total_updates},
                      {"examples_seen", r.examples_seen},
                      {"seconds", r.seconds},
                      {"reconstruction_error", r.reconstruction_error},
                      {"free_energy_train", r.free_energy_train}};
  if (r.free_energy_heldout) j["free_energy_heldout"] = *r.free_energy_heldout;
  if (r.estimator.is_object()) j.update(r.estimator);
  return j;
}

nlohmann::json to_json(const EvalPoint& p) {
  nlohmann::json j = {{"event", "eval"},
                      {"update", p.update},
                      {"seconds", p.seconds},
                      {"log_likelihood", p.log_likelihood},
                      {"log_likelihood_lower", p.lower},
                      {"log_likelihood_upper", p.upper},
                      {"method", p.method},
                      {"log_likelihood_bound", json_number(p.bound)},
                      {"eval_seconds", p.eval_seconds}};
  if (p.detail.is_object()) j.update(p.detail);
  return j;
}

std::vector<EvalPoint> read_eval_points(const std::string& path) {
  std::vector<EvalPoint> points;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || j.value("event", "") != "eval") continue;
    EvalPoint p;
    p.update = j.value("update", std::uint64_t{0});
    p.seconds = j.value("seconds", 0.0);
    p.log_likelihood = j.value("log_likelihood", 0.0);
    // An infinite band edge is written as null by nlohmann::json.
    const auto number_or = [&](const char* key, double fallback) {
      const auto it = j.find(key);
      return it != j.end() && it->is_number() ? it->get<double>() : fallback;
    };
    p.lower = number_or("log_likelihood_lower", -HUGE_VAL);
    p.bound = number_or("log_likelihood_bound", HUGE_VAL);
    p.upper = number_or("log_likelihood_upper", HUGE_VAL);
    p.method = j.value("method", "");
    for (const char* key : {"betas", "chains"})
      if (j.contains(key)) p.detail[key] = j[key];
    p.eval_seconds = j.value("eval_seconds", 0.0);
    points.push_back(p);
  }
  return points;
}

JsonLinesLog::JsonLinesLog(const std::string& path, std::optional<std::uint64_t> resume_after)
    : path_(path), resume_after_(resume_after) {}

void JsonLinesLog::on_begin(const TrainConfig&, std::size_t, std::uint64_t) {
  std::string kept;
  if (resume_after_) {
    std::ifstream in(path_);
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.value("update", std::uint64_t{0}) <= *resume_after_) kept += line + "\n";
    }
  }
  out_.open(path_, std::ios::trunc);
  if (!out_) throw IoError("cannot write " + path_);
  out_ << kept;
  out_.flush();
}

void JsonLinesLog::on_evaluation(const EvalPoint& p) {
  out_ << to_json(p).dump() << '\n';
  out_.flush();
  if (!out_) throw IoError("cannot write " + path_);
}

void JsonLinesLog::on_report(const TrainReport& r) {
  out_ << to_json(r).dump() << '\n';
  out_.flush();
  if (!out_) throw IoError("cannot write " + path_);
}

}  // namespace rbmkit
