#include "tmorder/util/error.hpp"

namespace tmorder {

std::string located(const std::string& file, long line, const std::string& message) {
  if (line > 0) return file + ":" + std::to_string(line) + ": " + message;
  return file + ": " + message;
}

std::string keyed(const std::string& file, const std::string& key, const std::string& message) {
  return file + ": key '" + key + "': " + message;
}

}  // namespace tmorder
