#include "tmorder/mc/random.hpp"

#include <cctype>
#include <charconv>
#include <cstddef>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace tmorder::mc {

namespace {

// splitmix64 (Vigna, https://prng.di.unimi.it/splitmix64.c): advances x, returns one output.
std::uint64_t splitmix64(std::uint64_t& x) noexcept {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool all_zero(const Rng::State& s) noexcept { return (s[0] | s[1] | s[2] | s[3]) == 0; }

bool is_ws(char c) noexcept { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

Rng::Rng(std::uint64_t seed) {
  std::uint64_t x = seed;
  for (auto& word : s_) word = splitmix64(x);
}

Rng::Rng(std::uint64_t seed, std::uint64_t stream) : Rng(seed) {
  if (stream > kMaxStream) {
    throw std::invalid_argument("Rng: stream " + std::to_string(stream) + " exceeds the maximum " +
                                std::to_string(kMaxStream));
  }
  for (std::uint64_t i = 0; i < stream; ++i) jump();
}

void Rng::jump() noexcept {
  static constexpr State kJump = {0x180ec6d33cfd0abaULL, 0xd5a61266f0c9392cULL,
                                  0xa9582618e03fc9aaULL, 0x39abdc4529b1661cULL};
  State acc{};
  for (const std::uint64_t word : kJump) {
    for (int b = 0; b < 64; ++b) {
      if (word & (std::uint64_t{1} << b)) {
        for (std::size_t i = 0; i < 4; ++i) acc[i] ^= s_[i];
      }
      next();
    }
  }
  s_ = acc;
}

void Rng::set_state(const State& state) {
  if (all_zero(state)) throw std::invalid_argument("Rng: the all-zero state is invalid for xoshiro256**");
  s_ = state;
}

std::string Rng::serialize() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(4 * 17 - 1);
  for (std::size_t i = 0; i < 4; ++i) {
    if (i > 0) out.push_back(' ');
    for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(s_[i] >> shift) & 0xf]);
  }
  return out;
}

Rng Rng::deserialize(const std::string& text) {
  const auto fail = [&text](const std::string& why) {
    return std::invalid_argument("Rng::deserialize: " + why + " in \"" + text + "\"");
  };
  State state{};
  std::string_view rest(text);
  for (std::size_t i = 0; i < 4; ++i) {
    std::size_t start = 0;
    while (start < rest.size() && is_ws(rest[start])) ++start;
    if (i > 0 && start == 0) throw fail("words must be separated by whitespace");
    rest.remove_prefix(start);
    std::size_t len = 0;
    while (len < rest.size() && !is_ws(rest[len])) ++len;
    const std::string_view word = rest.substr(0, len);
    if (word.empty()) throw fail("expected 4 hex words, found " + std::to_string(i));
    if (word.size() > 16) throw fail("word " + std::to_string(i + 1) + " has more than 16 hex digits");
    for (const char c : word) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) {
        throw fail("word " + std::to_string(i + 1) + " is not hexadecimal");
      }
    }
    const auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), state[i], 16);
    if (ec != std::errc{} || ptr != word.data() + word.size()) {
      throw fail("word " + std::to_string(i + 1) + " is not a 64-bit hex number");
    }
    rest.remove_prefix(len);
  }
  for (const char c : rest) {
    if (!is_ws(c)) throw fail("trailing text after 4 hex words");
  }
  if (all_zero(state)) throw fail("the all-zero state is invalid");
  Rng rng;
  rng.s_ = state;
  return rng;
}

}  // namespace tmorder::mc
