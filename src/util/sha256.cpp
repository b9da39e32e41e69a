#include "tmorder/util/sha256.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <fstream>
#include <system_error>
#include <vector>

#include "tmorder/util/error.hpp"

namespace tmorder {
namespace {

// FIPS 180-4 section 4.2.2: first 32 bits of the fractional parts of the cube roots of the
// first 64 primes.
constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// FIPS 180-4 section 5.3.3: initial hash value.
constexpr std::array<std::uint32_t, 8> kInitial = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

constexpr std::size_t kBlockBytes = 64;

/// Incremental hasher: feed bytes with update(), then call finish() once. Streaming lets the
/// file digest run in constant memory.
class Sha256 {
 public:
  void update(std::string_view data) {
    for (const char c : data) {
      block_[fill_++] = static_cast<std::uint8_t>(c);
      if (fill_ == kBlockBytes) compress_block();
    }
    bit_length_ += static_cast<std::uint64_t>(data.size()) * 8U;
  }

  std::string finish() {
    pad();
    return to_hex();
  }

 private:
  static std::uint32_t big_endian_word(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
  }

  // Message schedule W_0..W_63 (FIPS 180-4 section 6.2.2 step 1).
  std::array<std::uint32_t, 64> schedule() const {
    std::array<std::uint32_t, 64> w{};
    for (std::size_t t = 0; t < 16; ++t) w[t] = big_endian_word(&block_[4 * t]);
    for (std::size_t t = 16; t < 64; ++t) {
      const std::uint32_t s0 = std::rotr(w[t - 15], 7) ^ std::rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const std::uint32_t s1 = std::rotr(w[t - 2], 17) ^ std::rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    return w;
  }

  // One application of the compression function to the full 64-byte block (steps 2-4).
  void compress_block() {
    const auto w = schedule();
    auto [a, b, c, d, e, f, g, h] = state_;
    for (std::size_t t = 0; t < 64; ++t) {
      const std::uint32_t big_s1 = std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25);
      const std::uint32_t ch = (e & f) ^ (~e & g);
      const std::uint32_t t1 = h + big_s1 + ch + kRound[t] + w[t];
      const std::uint32_t big_s0 = std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22);
      const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      const std::uint32_t t2 = big_s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    const std::array<std::uint32_t, 8> add = {a, b, c, d, e, f, g, h};
    for (std::size_t i = 0; i < 8; ++i) state_[i] += add[i];
    fill_ = 0;
  }

  // Section 5.1.1: a single 1 bit, zeros up to 56 mod 64 bytes, then the 64-bit big-endian
  // message length in bits. The length is captured first because padding is not message.
  void pad() {
    const std::uint64_t length = bit_length_;
    block_[fill_++] = 0x80;
    if (fill_ > kBlockBytes - 8) {
      while (fill_ < kBlockBytes) block_[fill_++] = 0;
      compress_block();
    }
    while (fill_ < kBlockBytes - 8) block_[fill_++] = 0;
    for (int shift = 56; shift >= 0; shift -= 8) {
      block_[fill_++] = static_cast<std::uint8_t>(length >> shift);
    }
    compress_block();
  }

  std::string to_hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (const std::uint32_t word : state_) {
      for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kDigits[(word >> shift) & 0xFU]);
    }
    return out;
  }

  std::array<std::uint32_t, 8> state_ = kInitial;
  std::array<std::uint8_t, kBlockBytes> block_{};
  std::size_t fill_ = 0;
  std::uint64_t bit_length_ = 0;
};

}  // namespace

std::string sha256_hex(std::string_view data) {
  Sha256 hasher;
  hasher.update(data);
  return hasher.finish();
}

std::string sha256_file_hex(const std::filesystem::path& path) {
  // A directory opens "successfully" on Linux and then reads as empty, which would silently
  // produce the digest of "" - reject it explicitly.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(located(path.string(), 0, "is a directory, not a file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(located(path.string(), 0, "cannot open file for reading"));
  Sha256 hasher;
  std::vector<char> buffer(1U << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hasher.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  // eof ends the loop normally; badbit means an I/O error mid-file, which must not yield a
  // digest of a truncated prefix.
  if (in.bad()) throw InputError(located(path.string(), 0, "read error while hashing"));
  return hasher.finish();
}

}  // namespace tmorder
