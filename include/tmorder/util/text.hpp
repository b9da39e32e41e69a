#pragma once
// Text helpers shared by the structure readers (POSCAR, extended XYZ): line splitting,
// whitespace tokenising and number parsing with the rules those formats need.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tmorder::text {

/// True for ' ', '\t', '\v', '\f' and '\r' (not '\n': lines are split first).
[[nodiscard]] bool is_space(char c) noexcept;

/// True if the line holds only whitespace (or nothing).
[[nodiscard]] bool is_blank(std::string_view line) noexcept;

/// Splits on '\n' and drops a trailing '\r' from each line, so files written on Windows
/// read the same. A final '\n' does not add an empty line. The views point into `text`.
[[nodiscard]] std::vector<std::string_view> split_lines(std::string_view text);

/// Whitespace-separated tokens of one line; the views point into `line`.
[[nodiscard]] std::vector<std::string_view> split_ws(std::string_view line);

/// Parses a whole token as a double. Accepts a leading '+' and Fortran's 'D'/'d' exponent
/// (which std::from_chars rejects). Returns nullopt if the token is not a number; an
/// overflow comes back as +infinity (HUGE_VAL), so callers report it as not finite.
[[nodiscard]] std::optional<double> to_double(std::string_view token);

/// Parses a whole token as a (signed, decimal) long; nullopt if it is not one.
[[nodiscard]] std::optional<long> to_long(std::string_view token);

/// True if to_double accepts the token.
[[nodiscard]] bool looks_numeric(std::string_view token);

/// The items (anything convertible to std::string_view) joined by `separator`.
template <class Range>
[[nodiscard]] std::string join(const Range& items, std::string_view separator = " ") {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += separator;
    out += std::string_view(item);
    first = false;
  }
  return out;
}

/// ASCII lower case.
[[nodiscard]] std::string lower(std::string_view s);

/// The text without leading and trailing whitespace (is_space).
[[nodiscard]] std::string trim(std::string_view s);

/// The whole file as bytes. Throws tmorder::InputError naming the path if it is a directory
/// ("is a directory, expected <expected>"), cannot be opened, or cannot be read.
[[nodiscard]] std::string read_file(const std::filesystem::path& path, std::string_view expected);

}  // namespace tmorder::text
