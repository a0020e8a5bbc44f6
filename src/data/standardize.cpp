#include "rbmkit/data/standardize.hpp"

#include <cmath>

#include "rbmkit/error.hpp"

namespace rbmkit {

Standardization fit_standardization(const Dataset& data) {
  const std::size_t n = data.rows(), d = data.cols();
  if (n == 0) throw DataError("cannot standardise data with no examples");
  std::vector<double> sum(d, 0.0), lo(d, INFINITY), hi(d, -INFINITY);
  std::vector<float> row(d);
  for (std::size_t r = 0; r < n; ++r) {
    data.copy_row(r, row.data());
    for (std::size_t j = 0; j < d; ++j) {
      if (!std::isfinite(row[j]))
        throw DataError("cannot standardise: the value at row " + std::to_string(r) + ", column " + std::to_string(j) +
                        " is not finite");
      sum[j] += row[j];
      lo[j] = std::min(lo[j], static_cast<double>(row[j]));
      hi[j] = std::max(hi[j], static_cast<double>(row[j]));
    }
  }
  std::vector<double> mean(d), sq(d, 0.0);
  for (std::size_t j = 0; j < d; ++j) mean[j] = sum[j] / static_cast<double>(n);
  for (std::size_t r = 0; r < n; ++r) {
    data.copy_row(r, row.data());
    for (std::size_t j = 0; j < d; ++j) sq[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
  }
  Standardization s{Vector(static_cast<Eigen::Index>(d)), Vector(static_cast<Eigen::Index>(d))};
  for (std::size_t j = 0; j < d; ++j) {
    const auto k = static_cast<Eigen::Index>(j);
    const bool constant = lo[j] == hi[j];
    s.mean[k] = constant ? static_cast<float>(lo[j]) : static_cast<float>(mean[j]);
    const float sd = static_cast<float>(std::sqrt(sq[j] / static_cast<double>(n)));
    s.std[k] = constant || !(sd > 0.0f) ? 1.0f : sd;
  }
  return s;
}

Dataset standardize(const Dataset& data, const Standardization& s) {
  const std::size_t n = data.rows(), d = data.cols();
  if (static_cast<std::size_t>(s.mean.size()) != d || static_cast<std::size_t>(s.std.size()) != d)
    throw DataError("the data has " + std::to_string(d) + " columns but the standardisation has " +
                    std::to_string(s.mean.size()));
  std::vector<float> values(n * d);
  for (std::size_t r = 0; r < n; ++r) {
    float* out = values.data() + r * d;
    data.copy_row(r, out);
    for (std::size_t j = 0; j < d; ++j) {
      const auto k = static_cast<Eigen::Index>(j);
      out[j] = (out[j] - s.mean[k]) / s.std[k];
    }
  }
  Dataset z = Dataset::from_floats(n, d, std::move(values));
  z.image_width = data.image_width;
  z.image_height = data.image_height;
  return z;
}

void unstandardize(Matrix& X, const Standardization& s) {
  X.array().rowwise() *= s.std.transpose().array();
  X.rowwise() += s.mean.transpose();
}

}  // namespace rbmkit
