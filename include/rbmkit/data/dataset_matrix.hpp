// Dense float copies of a Dataset's rows, for the matrix code.
#pragma once

#include <cstddef>
#include <vector>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/kernels/matrix.hpp"

namespace rbmkit {

// X (rows.size(), d) with X.row(r) = example rows[r]; rows must be < data.rows().
Matrix to_matrix(const Dataset& data, const std::vector<std::size_t>& rows);
// Every example: X (n, d).
Matrix to_matrix(const Dataset& data);

}  // namespace rbmkit
