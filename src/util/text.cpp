#include "tmorder/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <system_error>

#include "tmorder/util/error.hpp"

namespace tmorder::text {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

bool is_blank(std::string_view line) noexcept {
  return std::all_of(line.begin(), line.end(), is_space);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<std::string_view> split_ws(std::string_view line) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) tokens.push_back(line.substr(start, i - start));
  }
  return tokens;
}

std::optional<double> to_double(std::string_view token) {
  std::string buffer(token);
  if (!buffer.empty() && buffer.front() == '+') buffer.erase(0, 1);
  if (buffer.empty() || buffer.front() == '+' || buffer.front() == '-') {
    if (buffer.size() < 2 || buffer[1] == '+' || buffer[1] == '-') return std::nullopt;
  }
  std::replace_if(buffer.begin(), buffer.end(), [](char c) { return c == 'd' || c == 'D'; }, 'e');
  double value = 0.0;
  const char* end = buffer.data() + buffer.size();
  const auto [ptr, ec] = std::from_chars(buffer.data(), end, value);
  if (ec == std::errc::result_out_of_range) return HUGE_VAL;  // reported as not finite
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<long> to_long(std::string_view token) {
  long value = 0;
  const char* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

bool looks_numeric(std::string_view token) { return to_double(token).has_value(); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  const auto tokens = split_ws(s);
  if (tokens.empty()) return {};
  return std::string(tokens.front().data(),
                     static_cast<std::size_t>(tokens.back().data() + tokens.back().size() -
                                              tokens.front().data()));
}

std::string read_file(const std::filesystem::path& path, std::string_view expected) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(located(path.string(), 0, fmt::format("is a directory, expected {}", expected)));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(located(path.string(), 0, "cannot open file for reading"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(located(path.string(), 0, "read error"));
  return buffer.str();
}

}  // namespace tmorder::text
