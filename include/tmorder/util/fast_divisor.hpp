#pragma once
// Division by a run-time constant with one 64x64->128-bit multiply instead of a hardware
// divide (Lemire, Kaser & Kurz, "Faster remainder by direct computation", 2019). The Monte
// Carlo hot loop turns site indices into (basis, cell, Smith coordinates) several times per
// trial; hardware divides there cost more than the energy look-ups themselves.
#include <cstdint>
#include <stdexcept>

namespace tmorder {

class FastDivisor {
 public:
  FastDivisor() = default;
  explicit FastDivisor(std::uint32_t d) : d_(d), m_(d > 1 ? UINT64_C(0xFFFFFFFFFFFFFFFF) / d + 1 : 0) {
    if (d == 0) throw std::invalid_argument("FastDivisor: division by zero");
  }
  /// a / d for any 32-bit a.
  [[nodiscard]] std::uint32_t divide(std::uint32_t a) const noexcept {
    if (m_ == 0) return a;  // d == 1
    __extension__ using u128 = unsigned __int128;
    return static_cast<std::uint32_t>((static_cast<u128>(m_) * a) >> 64);
  }
  /// a % d.
  [[nodiscard]] std::uint32_t remainder(std::uint32_t a) const noexcept { return a - divide(a) * d_; }
  [[nodiscard]] std::uint32_t divisor() const noexcept { return d_; }

 private:
  std::uint32_t d_ = 1;
  std::uint64_t m_ = 0;
};

}  // namespace tmorder
