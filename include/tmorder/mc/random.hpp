#pragma once
// The Monte Carlo random-number generator: xoshiro256** 1.0 (D. Blackman and S. Vigna,
// "Scrambled linear pseudorandom number generators", ACM TOMS 47 (2021); reference code at
// https://prng.di.unimi.it/xoshiro256starstar.c). 256 bits of state, period 2^256 - 1.
//
// Seeding: the four state words are four consecutive outputs of splitmix64 started at the
// 64-bit seed, the seeding Vigna recommends (splitmix64 never yields four zero words in a
// row, so every seed gives a valid state).
//
// Streams: Rng(seed, stream) is Rng(seed) advanced by `stream` calls of jump(); each jump()
// is equivalent to 2^128 calls of next(), so streams 0, 1, 2, ... of one seed are
// non-overlapping consecutive blocks of 2^128 draws of the same sequence (guaranteed
// independence for any realistic run length, unlike hashing seed and stream together).
// Rng(seed, 0) == Rng(seed). One jump() costs 256 next() calls (~0.3 us), so constructing
// stream s costs O(s); streams are limited to s <= kMaxStream (about 0.3 s of jumping at
// most) so a stray huge stream number fails loudly instead of hanging.
//
// next(), uniform() and below() are inline and allocation-free for the Monte Carlo hot loop.
// The class also meets std::uniform_random_bit_generator, so it can drive <random>
// distributions.
#include <array>
#include <cstdint>
#include <limits>
#include <string>

namespace tmorder::mc {

class Rng {
 public:
  using result_type = std::uint64_t;
  using State = std::array<std::uint64_t, 4>;

  /// Largest stream index accepted by Rng(seed, stream): 2^20 - 1.
  static constexpr std::uint64_t kMaxStream = (std::uint64_t{1} << 20) - 1;

  /// State from four splitmix64 outputs seeded with `seed`.
  explicit Rng(std::uint64_t seed);
  /// Rng(seed) advanced by `stream` jumps (stream * 2^128 draws): independent,
  /// non-overlapping streams for replicas / MPI ranks. Throws std::invalid_argument when
  /// stream > kMaxStream.
  Rng(std::uint64_t seed, std::uint64_t stream);

  /// The next 64-bit output of xoshiro256**.
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform double in [0, 1): the top 53 bits of next() times 2^-53 (every value is a
  /// multiple of 2^-53; 1.0 is never returned).
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, n), unbiased, by Lemire's multiply-and-reject method
  /// ("Fast random integer generation in an interval", ACM TOMACS 29 (2019)) on the top 32
  /// bits of next(). Precondition n >= 1 (below(0) returns 0). Usually one draw; a second is
  /// needed with probability < n / 2^32.
  std::uint32_t below(std::uint32_t n) noexcept {
    std::uint64_t m = (next() >> 32) * std::uint64_t{n};
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;  // 2^32 mod n
      while (low < threshold) {
        m = (next() >> 32) * std::uint64_t{n};
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

  /// Advance the state by 2^128 draws (the reference jump polynomial).
  void jump() noexcept;

  /// std::uniform_random_bit_generator interface.
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }
  result_type operator()() noexcept { return next(); }

  /// The raw state, for checkpoints.
  [[nodiscard]] State state() const noexcept { return s_; }
  /// Restore a state saved by state(). Throws std::invalid_argument for the all-zero state
  /// (a fixed point of the generator).
  void set_state(const State& state);

  /// The state as four 16-digit lower-case hex words separated by single spaces,
  /// s[0] first, e.g. "0000000000000001 0000000000000002 0000000000000003 0000000000000004".
  [[nodiscard]] std::string serialize() const;
  /// Inverse of serialize(). Accepts four whitespace-separated words of 1 to 16 hex digits
  /// (either case, no "0x" prefix, no sign) with optional surrounding whitespace; throws
  /// std::invalid_argument for anything else or for the all-zero state.
  static Rng deserialize(const std::string& text);

  friend bool operator==(const Rng&, const Rng&) = default;

 private:
  Rng() = default;
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }

  State s_{};
};

}  // namespace tmorder::mc
