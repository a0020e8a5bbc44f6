#include "rbmkit/train_log.hpp"

#include "rbmkit/error.hpp"

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

void JsonLinesLog::on_report(const TrainReport& r) {
  out_ << to_json(r).dump() << '\n';
  out_.flush();
  if (!out_) throw IoError("cannot write " + path_);
}

}  // namespace rbmkit
