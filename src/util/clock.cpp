#include "tmorder/util/clock.hpp"

#include <chrono>
#include <ctime>

namespace tmorder {

std::string utc_timestamp() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);  // thread-safe, unlike gmtime
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace tmorder
