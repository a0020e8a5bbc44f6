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

JsonLinesLog::JsonLinesLog(const std::string& path) : path_(path) {}

void JsonLinesLog::on_begin(const TrainConfig&, std::size_t, std::uint64_t) {
  out_.open(path_, std::ios::trunc);
  if (!out_) throw IoError("cannot write " + path_);
}

void JsonLinesLog::on_report(const TrainReport& r) {
  out_ << to_json(r).dump() << '\n';
  out_.flush();
  if (!out_) throw IoError("cannot write " + path_);
}

}  // namespace rbmkit
