// Typed exceptions thrown by rbmkit's public entry points.
//
// Every message is concrete: which file, offset, row, column, flag or value, and what was
// expected. Front ends map them to a one-line message and a non-zero exit code (CLI) or to
// ValueError / OSError (Python).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace rbmkit {

// Base of every rbmkit exception.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A parameter, option or argument value that is out of range or inconsistent.
struct InvalidArgument : Error {
  using Error::Error;
};

// A setting out of range or of the wrong form. `parameter` is the option's name in its table
// (options/option.hpp), e.g. "lr", so that each front end can name it in its own spelling (the
// CLI's --lr, Python's learning_rate); the message names it in words: "learning rate must be > 0
// (got -1)".
struct ParameterError : InvalidArgument {
  ParameterError(std::string name, const std::string& message) : InvalidArgument(message), parameter(std::move(name)) {}
  std::string parameter;
};

// The file system refused: a file cannot be opened, read, written or renamed.
struct IoError : Error {
  using Error::Error;
};

// A file's content is malformed: wrong magic, truncated, sizes that do not add up.
struct FormatError : Error {
  using Error::Error;
};

// Data values that the model cannot use: NaN, Inf, values outside a unit type's range,
// dimension mismatches between model and data, empty data.
struct DataError : Error {
  using Error::Error;
};

}  // namespace rbmkit
