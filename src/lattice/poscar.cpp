#include "tmorder/lattice/poscar.hpp"

#include <fmt/format.h>

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

#include "tmorder/util/error.hpp"
#include "tmorder/util/text.hpp"

namespace tmorder::lattice {
namespace {

constexpr double kSingularDet = 1e-8;  // A^3; below this the cell cannot be inverted safely
constexpr long kMaxCount = 1'000'000'000;  // keeps the sum of counts far from overflow

using text::is_space;
using text::join;
using text::looks_numeric;
using text::split_lines;
using text::split_ws;
using text::to_double;
using text::to_long;

// "Na_pv" -> "Na", "Ni/3a4b..." -> "Ni": VASP 6 writes POTCAR labels into CONTCAR.
std::string strip_potcar_suffix(std::string_view name) {
  return std::string(name.substr(0, name.find_first_of("_/")));
}

/// Scale-factor line: either per-axis Cartesian factors or a target volume.
struct Scale {
  Vec3 factors = Vec3::Ones();
  std::optional<double> volume;
};

/// Line-by-line reader; each read_* method consumes the lines of one POSCAR section.
class PoscarParser {
 public:
  PoscarParser(std::string_view text, const std::string& source)
      : lines_(split_lines(text)), source_(source) {}

  Structure parse() {
    Structure s;
    require_line(1, "the comment line");
    const Scale scale = read_scale();
    const Mat3 raw = read_lattice();
    const Vec3 factors = effective_factors(scale, raw);
    s.cell = raw * factors.asDiagonal();  // factor k scales the k-th Cartesian component
    check_cell(s.cell);
    const auto names = read_names();
    const auto counts = read_counts(names);
    const bool cartesian = read_mode();
    read_positions(s, names, counts);
    if (cartesian) to_fractional(s, factors);
    return s;
  }

 private:
  [[noreturn]] void fail(long line, const std::string& message) const {
    throw InputError(located(source_, line, message));
  }

  std::string_view require_line(long line, std::string_view what) const {
    if (line > static_cast<long>(lines_.size())) {
      fail(line, fmt::format("file ends after {} lines, expected {}", lines_.size(), what));
    }
    return lines_[static_cast<std::size_t>(line - 1)];
  }

  double real(long line, std::string_view token, std::string_view what) const {
    const auto value = to_double(token);
    if (!value) fail(line, fmt::format("{} is '{}', expected a real number", what, token));
    if (!std::isfinite(*value)) {
      fail(line, fmt::format("{} is '{}', expected a finite real number", what, token));
    }
    return *value;
  }

  Scale read_scale() const {
    const auto tokens = split_ws(require_line(2, "the scale-factor line"));
    if (tokens.size() != 1 && tokens.size() != 3) {
      fail(2, fmt::format("scale-factor line has {} numbers, expected 1 or 3", tokens.size()));
    }
    Scale scale;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      const double v = real(2, tokens[k], "scale factor");
      if (v == 0.0 || (tokens.size() == 3 && v < 0.0)) {
        fail(2, fmt::format("scale factor is {}, expected {}", tokens[k],
                            tokens.size() == 3 ? "three positive numbers"
                                               : "a positive scale or a negative volume"));
      }
      scale.factors[static_cast<Eigen::Index>(k)] = v;
    }
    if (tokens.size() == 1) {
      if (scale.factors[0] < 0.0) scale.volume = -scale.factors[0];
      scale.factors = Vec3::Constant(std::abs(scale.factors[0]));
    }
    return scale;
  }

  Mat3 read_lattice() const {
    Mat3 cell;
    for (int row = 0; row < 3; ++row) {
      const long line = 3 + row;
      const std::string name = fmt::format("lattice vector a{}", row + 1);
      const auto tokens = split_ws(require_line(line, name));
      if (tokens.size() != 3) {
        fail(line, fmt::format("{} has {} numbers, expected 3", name, tokens.size()));
      }
      for (int k = 0; k < 3; ++k) {
        cell(row, k) = real(line, tokens[static_cast<std::size_t>(k)], name + " component");
      }
    }
    return cell;
  }

  // A negative scale asks for a volume: the factor is fixed by the unscaled cell.
  Vec3 effective_factors(const Scale& scale, const Mat3& raw) const {
    if (!scale.volume) return scale.factors;
    const double det = std::abs(raw.determinant());
    if (det < kSingularDet) check_cell(raw);
    return Vec3::Constant(std::cbrt(*scale.volume / det));
  }

  void check_cell(const Mat3& cell) const {
    const double det = cell.determinant();
    if (!(std::abs(det) >= kSingularDet)) {
      fail(3, fmt::format("lattice vectors (lines 3-5) span a volume of {:g} A^3, expected a "
                          "non-singular cell (|det| >= {:g})",
                          det, kSingularDet));
    }
  }

  std::vector<std::string> read_names() const {
    const auto tokens = split_ws(require_line(6, "the species-names line"));
    if (tokens.empty()) fail(6, "species-names line is empty, expected names such as 'Na Ni O'");
    if (looks_numeric(tokens.front())) {
      fail(6, fmt::format("found '{}' where the VASP 5 species names line is required "
                          "(VASP 4 format without names is not supported): add a line "
                          "such as 'Na Ni O' above the counts",
                          join(tokens)));
    }
    std::vector<std::string> names;
    for (const auto& t : tokens) {
      const std::string name = strip_potcar_suffix(t);
      if (name.empty() || looks_numeric(t) || (name.front() >= '0' && name.front() <= '9')) {
        fail(6, fmt::format("species name '{}' is not a label, expected e.g. 'Na'", t));
      }
      names.push_back(name);
    }
    return names;
  }

  std::vector<long> read_counts(const std::vector<std::string>& names) const {
    const auto tokens = split_ws(require_line(7, "the species-counts line"));
    if (tokens.size() != names.size()) {
      fail(7, fmt::format("species-counts line has {} numbers, expected {} (one per name in "
                          "line 6)",
                          tokens.size(), names.size()));
    }
    std::vector<long> counts;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      const auto n = to_long(tokens[k]);
      if (!n || *n <= 0 || *n > kMaxCount) {
        fail(7, fmt::format("count of {} is '{}', expected a positive integer (at most {})",
                            names[k], tokens[k], kMaxCount));
      }
      counts.push_back(*n);
    }
    return counts;
  }

  // Line 8 is either "Selective dynamics" or the mode line; only the first letter counts.
  bool read_mode() {
    first_position_line_ = 9;
    std::string_view mode = first_word(8, "the coordinate-mode line");
    if (mode.front() == 'S' || mode.front() == 's') {
      mode = first_word(9, "the coordinate-mode line after 'Selective dynamics'");
      first_position_line_ = 10;
    }
    const char c = mode.front();
    if (c == 'D' || c == 'd') return false;
    if (c == 'C' || c == 'c' || c == 'K' || c == 'k') return true;
    fail(first_position_line_ - 1,
         fmt::format("coordinate mode is '{}', expected Direct or Cartesian", mode));
  }

  std::string_view first_word(long line, std::string_view what) const {
    const auto tokens = split_ws(require_line(line, what));
    if (tokens.empty()) fail(line, fmt::format("line is empty, expected {}", what));
    return tokens.front();
  }

  void read_positions(Structure& s, const std::vector<std::string>& names,
                      const std::vector<long>& counts) const {
    long total = 0;
    for (long n : counts) total += n;
    // Check the length before allocating, so a corrupt count cannot exhaust memory.
    const long available = static_cast<long>(lines_.size()) - (first_position_line_ - 1);
    if (available < total) {
      fail(static_cast<long>(lines_.size()) + 1,
           fmt::format("file ends after {} of {} positions", std::max(available, 0L), total));
    }
    s.frac.reserve(static_cast<std::size_t>(total));
    s.species.reserve(static_cast<std::size_t>(total));
    long line = first_position_line_;
    for (std::size_t k = 0; k < names.size(); ++k) {
      for (long i = 0; i < counts[k]; ++i, ++line) {
        s.frac.push_back(read_position(line));
        s.species.push_back(names[k]);
      }
    }
  }

  Vec3 read_position(long line) const {
    const auto tokens = split_ws(lines_[static_cast<std::size_t>(line - 1)]);
    if (tokens.size() < 3) {
      fail(line, fmt::format("position has {} numbers, expected 3", tokens.size()));
    }
    Vec3 p;
    for (int k = 0; k < 3; ++k) p[k] = real(line, tokens[static_cast<std::size_t>(k)], "coordinate");
    return p;
  }

  static void to_fractional(Structure& s, const Vec3& factors) {
    const Mat3 inverse = s.cell.transpose().inverse();
    for (Vec3& p : s.frac) p = inverse * p.cwiseProduct(factors);
  }

  std::vector<std::string_view> lines_;
  const std::string& source_;
  long first_position_line_ = 9;
};

void check_writable(const Structure& s) {
  if (s.species.size() != s.frac.size()) {
    throw std::invalid_argument(fmt::format("format_poscar: {} species for {} positions",
                                            s.species.size(), s.frac.size()));
  }
  if (s.frac.empty()) throw std::invalid_argument("format_poscar: structure has no sites");
  for (const auto& name : s.species) {
    if (name.empty() || std::any_of(name.begin(), name.end(), is_space)) {
      throw std::invalid_argument(fmt::format("format_poscar: bad species label '{}'", name));
    }
  }
}

std::vector<std::string> species_in_order(const std::vector<std::string>& species) {
  std::vector<std::string> order;
  for (const auto& name : species) {
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  }
  return order;
}

std::string single_line(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return text;
}

}  // namespace

Structure parse_poscar(std::string_view text, const std::string& source_name) {
  return PoscarParser(text, source_name).parse();
}

Structure read_poscar(const std::filesystem::path& path) {
  return parse_poscar(text::read_file(path, "a POSCAR file"), path.string());
}

std::vector<std::size_t> poscar_site_order(const Structure& s) {
  std::vector<std::size_t> order;
  order.reserve(s.species.size());
  for (const auto& name : species_in_order(s.species)) {
    for (std::size_t i = 0; i < s.species.size(); ++i) {
      if (s.species[i] == name) order.push_back(i);
    }
  }
  return order;
}

std::string format_poscar(const Structure& s, const std::string& comment) {
  check_writable(s);
  std::string out = single_line(comment) + "\n1.0\n";
  for (int row = 0; row < 3; ++row) {
    out += fmt::format("  {:23.16f} {:23.16f} {:23.16f}\n", s.cell(row, 0), s.cell(row, 1),
                       s.cell(row, 2));
  }
  const auto names = species_in_order(s.species);
  std::string counts;
  for (const auto& name : names) {
    out += fmt::format("{:>5}", name);
    counts += fmt::format("{:>5}",
                          std::count(s.species.begin(), s.species.end(), name));
  }
  out += "\n" + counts + "\nDirect\n";
  for (std::size_t i : poscar_site_order(s)) {
    const Vec3& f = s.frac[i];
    out += fmt::format("  {:20.16f} {:20.16f} {:20.16f} {}\n", f[0], f[1], f[2], s.species[i]);
  }
  return out;
}

}  // namespace tmorder::lattice
