#include "tmorder/lattice/extxyz.hpp"

#include <fmt/format.h>

#include <Eigen/LU>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "tmorder/util/error.hpp"
#include "tmorder/util/text.hpp"

namespace tmorder::lattice {
namespace {

constexpr double kSingularDet = 1e-8;  // A^3; below this the cell cannot be inverted safely

using text::is_blank;
using text::is_space;
using text::lower;
using text::split_lines;
using text::split_ws;
using text::to_double;
using text::to_long;
using text::trim;

/// Where an error is reported: the source name and a 1-based line number.
struct Where {
  const std::string& source;
  long line;
  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(located(source, line, message));
  }
  double real(std::string_view token, std::string_view what) const {
    const auto value = to_double(token);
    if (!value || !std::isfinite(*value)) {
      fail(fmt::format("{} is '{}', expected a finite real number", what, token));
    }
    return *value;
  }
};

// ---- comment line: key=value pairs as ASE's key_val_str_to_dict reads them ----

/// Splits the comment line into (key, value) pairs. ASE allows whitespace around '=',
/// double-quoted values with backslash escapes, and bracketed array values.
class CommentScanner {
 public:
  CommentScanner(std::string_view text, Where where) : text_(text), where_(where) {}

  std::vector<std::pair<std::string, std::string>> pairs() {
    std::vector<std::pair<std::string, std::string>> result;
    for (skip_ws(); i_ < text_.size(); skip_ws()) {
      std::string key = read_key();
      skip_ws();
      if (i_ < text_.size() && text_[i_] == '=') {
        ++i_;
        skip_ws();
        std::string value = read_value(key);  // before the move: argument order is unspecified
        result.emplace_back(std::move(key), std::move(value));
      } else {
        result.emplace_back(std::move(key), "T");  // ASE reads a bare key as True
      }
    }
    return result;
  }

 private:
  void skip_ws() {
    while (i_ < text_.size() && is_space(text_[i_])) ++i_;
  }

  std::string read_key() {
    if (text_[i_] == '"') return read_quoted("a key");
    if (text_[i_] == '=') where_.fail("comment line has '=' without a key, expected key=value");
    const std::size_t start = i_;
    while (i_ < text_.size() && !is_space(text_[i_]) && text_[i_] != '=') ++i_;
    return std::string(text_.substr(start, i_ - start));
  }

  std::string read_value(const std::string& key) {
    if (i_ >= text_.size()) return {};
    const char c = text_[i_];
    if (c == '"') return read_quoted(fmt::format("the value of key '{}'", key));
    if (c == '{' || c == '[') return read_bracketed(key);
    const std::size_t start = i_;
    while (i_ < text_.size() && !is_space(text_[i_])) ++i_;
    return std::string(text_.substr(start, i_ - start));
  }

  // \" and \\ are escapes; any other backslash is kept, so Windows paths survive.
  std::string read_quoted(const std::string& what) {
    std::string out;
    for (++i_; i_ < text_.size(); ++i_) {
      const char c = text_[i_];
      if (c == '"') {
        ++i_;
        return out;
      }
      if (c == '\\' && i_ + 1 < text_.size() && (text_[i_ + 1] == '"' || text_[i_ + 1] == '\\')) {
        ++i_;
      }
      out += text_[i_];
    }
    where_.fail(fmt::format("unterminated double quote in {}, expected a closing '\"'", what));
  }

  std::string read_bracketed(const std::string& key) {
    const std::size_t start = i_;
    int depth = 0;
    for (; i_ < text_.size(); ++i_) {
      if (text_[i_] == '{' || text_[i_] == '[') ++depth;
      if (text_[i_] == '}' || text_[i_] == ']') --depth;
      if (depth == 0) return std::string(text_.substr(start, ++i_ - start));
    }
    where_.fail(fmt::format("unclosed bracket in the value of key '{}'", key));
  }

  std::string_view text_;
  Where where_;
  std::size_t i_ = 0;
};

// ---- Properties= column layout ----

/// Column offsets of the per-atom fields tmorder uses, and the total token count per line.
struct Layout {
  std::size_t total = 0;
  std::optional<std::size_t> species, pos, forces;
};

void place_column(Layout& layout, const std::string& name, char type, long ncols, Where where) {
  const auto expect = [&](std::optional<std::size_t>& slot, char t, long n) {
    if (slot) where.fail(fmt::format("Properties lists '{}' twice, expected it once", name));
    if (type != t || ncols != n) {
      where.fail(fmt::format("Properties column '{}' is {}:{}, expected {}:{}", name, type,
                             ncols, t, n));
    }
    slot = layout.total;
  };
  if (name == "species") expect(layout.species, 'S', 1);
  if (name == "pos") expect(layout.pos, 'R', 3);
  if (name == "forces") expect(layout.forces, 'R', 3);
}

Layout parse_properties(const std::string& value, Where where) {
  std::vector<std::string> fields;
  std::stringstream stream(value);
  for (std::string field; std::getline(stream, field, ':');) fields.push_back(field);
  if (fields.empty() || fields.size() % 3 != 0) {
    where.fail(fmt::format("Properties='{}' has {} fields, expected name:type:ncols triples",
                           value, fields.size()));
  }
  Layout layout;
  for (std::size_t k = 0; k < fields.size(); k += 3) {
    const std::string type = lower(fields[k + 1]);
    const auto ncols = to_long(fields[k + 2]);
    if (fields[k].empty() || type.size() != 1 || std::string("sril").find(type) == std::string::npos) {
      where.fail(fmt::format("Properties column '{}' has type '{}', expected S, R, I or L",
                             fields[k], fields[k + 1]));
    }
    if (!ncols || *ncols <= 0 || *ncols > 1000) {
      where.fail(fmt::format("Properties column '{}' has '{}' columns, expected a positive "
                             "integer", fields[k], fields[k + 2]));
    }
    place_column(layout, fields[k], static_cast<char>(std::toupper(type[0])), *ncols, where);
    layout.total += static_cast<std::size_t>(*ncols);
  }
  if (!layout.species || !layout.pos) {
    where.fail(fmt::format("Properties='{}' lacks {}, expected species:S:1 and pos:R:3", value,
                           layout.species ? "pos:R:3" : "species:S:1"));
  }
  return layout;
}

// ---- frames ----

/// What the comment line of one frame declares.
struct Header {
  std::map<std::string, std::string> info;
  Mat3 cell;
  Layout layout;
};

Mat3 parse_lattice(const std::string& value, Where where) {
  const auto tokens = split_ws(value);
  if (tokens.size() != 9) {
    where.fail(fmt::format("Lattice has {} numbers, expected 9 (ax ay az bx by bz cx cy cz)",
                           tokens.size()));
  }
  Mat3 cell;
  for (int k = 0; k < 9; ++k) cell(k / 3, k % 3) = where.real(tokens[static_cast<std::size_t>(k)], "Lattice entry");
  if (!(std::abs(cell.determinant()) >= kSingularDet)) {
    where.fail(fmt::format("Lattice spans a volume of {:g} A^3, expected a non-singular cell",
                           cell.determinant()));
  }
  return cell;
}

Header parse_header(std::string_view line, Where where) {
  Header header;
  std::optional<std::string> lattice, properties;
  for (auto& [key, value] : CommentScanner(line, where).pairs()) {
    const std::string canonical = lower(key);
    const bool special = canonical == "lattice" || canonical == "properties";
    std::optional<std::string>& slot = canonical == "lattice" ? lattice : properties;
    const bool duplicate = special ? slot.has_value() : header.info.count(key) > 0;
    if (duplicate) where.fail(fmt::format("key '{}' appears twice, expected it once", key));
    if (special) {
      slot = std::move(value);
    } else {
      header.info.emplace(key, std::move(value));
    }
  }
  if (!lattice) {
    where.fail("comment line has no Lattice=\"ax ay az bx by bz cx cy cz\"; non-periodic xyz "
               "is not supported, a cluster expansion needs a cell");
  }
  header.cell = parse_lattice(*lattice, where);
  // ASE's default when Properties is absent.
  header.layout = parse_properties(properties.value_or("species:S:1:pos:R:3"), where);
  return header;
}

std::optional<double> parse_energy(const std::map<std::string, std::string>& info, Where where) {
  for (const char* key : {"energy", "Energy", "free_energy"}) {
    const auto it = info.find(key);
    if (it == info.end()) continue;
    const auto value = to_double(trim(it->second));
    if (!value || !std::isfinite(*value)) {
      where.fail(fmt::format("key '{}' has value '{}', expected a finite number", key, it->second));
    }
    return value;
  }
  return std::nullopt;
}

class ExtxyzParser {
 public:
  ExtxyzParser(std::string_view text, const std::string& source)
      : lines_(split_lines(text)), source_(source) {}

  std::vector<ExtxyzFrame> parse() {
    std::vector<ExtxyzFrame> frames;
    while (true) {
      while (next_ < lines_.size() && is_blank(lines_[next_])) ++next_;
      if (next_ == lines_.size()) break;
      frames.push_back(parse_frame());
    }
    return frames;
  }

 private:
  Where at(std::size_t index) const { return Where{source_, static_cast<long>(index) + 1}; }

  ExtxyzFrame parse_frame() {
    ExtxyzFrame frame;
    frame.first_line = static_cast<long>(next_) + 1;
    const std::size_t count = read_count();
    if (next_ >= lines_.size()) {
      at(next_).fail("file ends after the atom count, expected the comment line");
    }
    const Header header = parse_header(lines_[next_], at(next_));
    frame.energy = parse_energy(header.info, at(next_));
    ++next_;
    frame.structure.cell = header.cell;
    frame.info = header.info;
    read_atoms(frame, header.layout, count);
    return frame;
  }

  std::size_t read_count() {
    const Where where = at(next_);
    const std::string text = trim(lines_[next_++]);
    const auto count = to_long(text);
    if (!count || *count < 0) {
      where.fail(fmt::format("atom count is '{}', expected a non-negative integer", text));
    }
    return static_cast<std::size_t>(*count);
  }

  void read_atoms(ExtxyzFrame& frame, const Layout& layout, std::size_t count) {
    Structure& s = frame.structure;
    if (layout.forces) frame.forces.emplace();
    const Mat3 to_frac = s.cell.transpose().inverse();
    for (std::size_t n = 0; n < count; ++n, ++next_) {
      if (next_ >= lines_.size() || is_blank(lines_[next_])) too_few_atoms(frame, count, n, "");
      const Where where = at(next_);
      const auto tokens = split_ws(lines_[next_]);
      if (tokens.size() == 1 && layout.total != 1 && to_long(tokens[0])) {
        too_few_atoms(frame, count, n,
                      fmt::format(" (line {} looks like the next frame's atom count)", where.line));
      }
      if (tokens.size() != layout.total) {
        where.fail(fmt::format("atom line has {} columns, expected {} (from Properties)",
                               tokens.size(), layout.total));
      }
      s.species.emplace_back(tokens[*layout.species]);
      s.frac.push_back(to_frac * vec_at(tokens, *layout.pos, "position", where));
      if (layout.forces) frame.forces->push_back(vec_at(tokens, *layout.forces, "force", where));
    }
  }

  [[noreturn]] void too_few_atoms(const ExtxyzFrame& frame, std::size_t count, std::size_t found,
                                  const std::string& hint) const {
    Where{source_, frame.first_line}.fail(fmt::format(
        "frame declares {} atoms but only {} atom lines follow{}", count, found, hint));
  }

  static Vec3 vec_at(const std::vector<std::string_view>& tokens, std::size_t offset,
                     std::string_view what, Where where) {
    Vec3 v;
    for (int k = 0; k < 3; ++k) {
      v[k] = where.real(tokens[offset + static_cast<std::size_t>(k)],
                        fmt::format("{} component {}", what, k + 1));
    }
    return v;
  }

  std::vector<std::string_view> lines_;
  const std::string& source_;
  std::size_t next_ = 0;
};

// ---- writing ----

// Shortest text that reads back to the same double, with a ".0" kept on integral values
// so the Lattice reads like ASE's ("3.0 0.0 ...") and stays exact.
std::string exact_real(double x) {
  std::string text = fmt::format("{}", x);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

bool has_newline(const std::string& s) { return s.find_first_of("\n\r") != std::string::npos; }

std::string quoted_if_needed(const std::string& value) {
  const bool plain = !value.empty() && value.front() != '{' && value.front() != '[' &&
                     std::none_of(value.begin(), value.end(), [](char c) {
                       return is_space(c) || c == '"' || c == '=' || c == '\\';
                     });
  if (plain) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

void check_writable(const Structure& s, const std::map<std::string, std::string>& info) {
  if (s.species.size() != s.frac.size()) {
    throw std::invalid_argument(fmt::format("format_extxyz: {} species for {} positions",
                                            s.species.size(), s.frac.size()));
  }
  for (const auto& name : s.species) {
    if (name.empty() || std::any_of(name.begin(), name.end(), is_space) || has_newline(name)) {
      throw std::invalid_argument(fmt::format("format_extxyz: bad species label '{}'", name));
    }
  }
  for (const auto& [key, value] : info) {
    const bool bad = key.empty() || has_newline(key) || has_newline(value) ||
                     key.find_first_of(" \t\"=") != std::string::npos;
    if (bad) throw std::invalid_argument(fmt::format("format_extxyz: bad info key '{}'", key));
  }
}

}  // namespace

std::vector<ExtxyzFrame> parse_extxyz(std::string_view text, const std::string& source_name) {
  return ExtxyzParser(text, source_name).parse();
}

std::vector<ExtxyzFrame> read_extxyz(const std::filesystem::path& path) {
  return parse_extxyz(text::read_file(path, "an extxyz file"), path.string());
}

std::string format_extxyz(const Structure& s, const std::map<std::string, std::string>& info) {
  check_writable(s, info);
  std::string out = fmt::format("{}\nLattice=\"", s.size());
  for (int k = 0; k < 9; ++k) out += (k ? " " : "") + exact_real(s.cell(k / 3, k % 3));
  out += "\" Properties=species:S:1:pos:R:3";
  for (const auto& [key, value] : info) {
    const std::string canonical = lower(key);
    if (canonical == "lattice" || canonical == "properties" || canonical == "pbc") continue;
    out += fmt::format(" {}={}", key, quoted_if_needed(value));
  }
  out += " pbc=\"T T T\"\n";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Vec3 r = s.cartesian_of(i);
    out += fmt::format("{:<4} {:22.16f} {:22.16f} {:22.16f}\n", s.species[i], r[0], r[1], r[2]);
  }
  return out;
}

}  // namespace tmorder::lattice
