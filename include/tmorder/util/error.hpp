#pragma once
// Errors that reach the user. Every bad-input error names the file, the line or key, and
// what was expected, so a batch-job log alone is enough to fix the input.
#include <stdexcept>
#include <string>

namespace tmorder {

/// Bad user input: a malformed file, an impossible value, an unknown species.
/// what() reads "FILE:LINE: message" or "FILE: key 'K': message".
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Build "file:line: message" (line <= 0 omits the line).
std::string located(const std::string& file, long line, const std::string& message);

/// Build "file: key 'key': message".
std::string keyed(const std::string& file, const std::string& key, const std::string& message);

}  // namespace tmorder
