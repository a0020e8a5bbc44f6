#include "rbmkit/data/dataset_matrix.hpp"

namespace rbmkit {

Matrix to_matrix(const Dataset& data, const std::vector<std::size_t>& rows) {
  Matrix X(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(data.cols()));
  for (std::size_t r = 0; r < rows.size(); ++r) data.copy_row(rows[r], X.row(static_cast<Eigen::Index>(r)).data());
  return X;
}

Matrix to_matrix(const Dataset& data) {
  Matrix X(static_cast<Eigen::Index>(data.rows()), static_cast<Eigen::Index>(data.cols()));
  for (std::size_t r = 0; r < data.rows(); ++r) data.copy_row(r, X.row(static_cast<Eigen::Index>(r)).data());
  return X;
}

}  // namespace rbmkit
