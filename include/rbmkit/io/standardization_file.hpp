// The standardisation statistics of Gaussian visible units (data/standardize.hpp) in a model.npz:
// float32 (d,) members "standardize_mean" and "standardize_std".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rbmkit/data/standardize.hpp"
#include "rbmkit/formats/npz.hpp"

namespace rbmkit {

// The two model.npz members that hold `s`.
std::vector<NpzMember> standardization_members(const Standardization& s);

// The standardisation stored in a model.npz's members, if it has one. Throws FormatError naming
// `where` when only one of the two members is present, either is not a float vector of length
// d, or a std entry is not finite and > 0.
std::optional<Standardization> read_standardization(const std::map<std::string, NpyArray>& members, std::size_t d,
                                                    const std::string& where);

}  // namespace rbmkit
