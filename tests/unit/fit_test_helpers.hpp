#pragma once
// Helpers shared by the fit tests that write synthetic training frames.
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>

namespace tmorder::test_fit {

// Full-precision decimal text of a double.
inline std::string fmt_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Deterministic noise in [-amplitude, amplitude].
inline double noise(std::size_t i, double amplitude) {
  const double u = std::fmod(std::sin(12.9898 * static_cast<double>(i + 1)) * 43758.5453, 1.0);
  return amplitude * u;
}

}  // namespace tmorder::test_fit
