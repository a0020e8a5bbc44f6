#include "rbmkit/training/iterate_average.hpp"

#include <string>

#include "rbmkit/error.hpp"

namespace rbmkit {

void IterateAverage::add(const Model& m) {
  if (n_ == 0) {
    W_ = m.W;
    a_ = m.a;
    b_ = m.b;
    n_ = 1;
    return;
  }
  ++n_;
  const float step = 1.0f / static_cast<float>(n_);
  W_ += step * (m.W - W_);
  a_ += step * (m.a - a_);
  b_ += step * (m.b - b_);
}

Model IterateAverage::mean_of(const Model& m) const {
  Model out = m;
  if (n_ == 0) return out;
  out.W = W_;
  out.a = a_;
  out.b = b_;
  return out;
}

// The count as two exact floats: n / 2^24 and n mod 2^24.
void IterateAverage::save(StateArrays& arrays) const {
  if (n_ == 0) return;
  arrays["average_W"] = W_;
  arrays["average_a"] = Matrix(a_.transpose());
  arrays["average_b"] = Matrix(b_.transpose());
  Matrix count(1, 2);
  count << static_cast<float>(n_ >> 24), static_cast<float>(n_ & 0xffffffu);
  arrays["average_count"] = count;
}

void IterateAverage::load(const StateArrays& arrays, Eigen::Index d, Eigen::Index H) {
  const auto count = arrays.find("average_count");
  if (count == arrays.end()) {
    n_ = 0;
    return;
  }
  const auto W = arrays.find("average_W"), a = arrays.find("average_a"), b = arrays.find("average_b");
  const auto whole = [](float x) { return x >= 0 && x < float(1 << 24) && x == static_cast<float>(static_cast<std::uint32_t>(x)); };
  if (W == arrays.end() || a == arrays.end() || b == arrays.end() || count->second.size() != 2 ||
      W->second.rows() != d || W->second.cols() != H || a->second.rows() != 1 || a->second.cols() != d ||
      b->second.rows() != 1 || b->second.cols() != H || !whole(count->second(0, 0)) || !whole(count->second(0, 1)) ||
      (count->second(0, 0) == 0 && count->second(0, 1) == 0))
    throw FormatError("the checkpoint's iterate average (average_W, average_a, average_b, average_count) is incomplete "
                      "or not of the model's shape " + std::to_string(d) + " x " + std::to_string(H));
  W_ = W->second;
  a_ = a->second.row(0).transpose();
  b_ = b->second.row(0).transpose();
  n_ = (static_cast<std::uint64_t>(count->second(0, 0)) << 24) + static_cast<std::uint64_t>(count->second(0, 1));
}

}  // namespace rbmkit
