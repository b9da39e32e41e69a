#include "tmorder/io/run_input.hpp"

#include <toml++/toml.h>

#include "tmorder/io/toml_document.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <system_error>

#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"

namespace tmorder::io {

namespace {

namespace fs = std::filesystem;

constexpr double kFractionSumTolerance = 1e-9;     // per-sublattice sum of composition fractions
constexpr std::int64_t kMaxMatrixEntry = 1'000'000;  // |P_ij|: keeps det(P) exact in 64 bits
constexpr std::int64_t kMaxCells = 2'000'000'000;    // |det P|: the supercell indexes sites with int
constexpr std::int64_t kMaxTemperatures = 100'000;   // a ladder this long is a typo, not a run
constexpr int kDefaultAdaptiveInterval = 100;

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "the string \"" + n.as_string()->get() + "\"";
    case toml::node_type::integer: return "the integer " + std::to_string(n.as_integer()->get());
    case toml::node_type::floating_point: {
      const double x = n.as_floating_point()->get();
      std::ostringstream s;
      s.precision(12);
      s << x;
      std::string text = s.str();
      if (text.find_first_of(".einf") == std::string::npos) text += ".0";  // 42.0, not 42
      return "the float " + text;
    }
    case toml::node_type::boolean: return n.as_boolean()->get() ? "the boolean true" : "the boolean false";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date/time";
    default: return "nothing";
  }
}

std::string show(double x) {
  std::ostringstream s;
  s.precision(12);
  s << x;
  return s.str();
}

std::string join(const std::vector<std::string>& names, const std::string& quote = "") {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + quote + n + quote;
  return out;
}

// Error helper: every message carries the file, the line of the offending node and the key
// path (e.g. 'temperatures.count'), and says what was expected.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  /// The document root: its "line" is meaningless, so messages about it carry none.
  void set_root(const toml::table* root) { root_ = root; }
  const toml::table& root() const { return *root_; }

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& what) const {
    const long line = node && node != root_ ? static_cast<long>(node->source().begin.line) : 0;
    throw InputError(located(file_, line, "key '" + key + "': " + what));
  }

  /// The table `name` of `parent` (key path `key`); nullptr if absent and not required.
  const toml::table* table(const toml::table& parent, const std::string& name, const std::string& key, bool required) const {
    const toml::node* n = parent.get(name);
    if (!n) {
      if (required) fail(&parent, key, "missing; expected a table [" + key + "]");
      return nullptr;
    }
    if (!n->is_table()) fail(n, key, "expected a table [" + key + "], got " + type_name(*n));
    return n->as_table();
  }

  /// The node `name` of `t`; missing: an error saying what was expected.
  const toml::node* required(const toml::table& t, const std::string& name, const std::string& key,
                             const std::string& expected) const {
    const toml::node* n = t.get(name);
    if (!n) fail(&t, key, "missing; expected " + expected);
    return n;
  }

  std::string string(const toml::node* n, const std::string& key) const {
    if (!n->is_string() || n->as_string()->get().empty()) fail(n, key, "expected a non-empty string, got " + type_name(*n));
    return n->as_string()->get();
  }

  bool boolean(const toml::node* n, const std::string& key) const {
    if (!n->is_boolean()) fail(n, key, "expected true or false, got " + type_name(*n));
    return n->as_boolean()->get();
  }

  /// A finite number (integer or float); `expected` describes the value for messages.
  double number(const toml::node* n, const std::string& key, const std::string& expected) const {
    double x = 0.0;
    if (n->is_floating_point()) {
      x = n->as_floating_point()->get();
    } else if (n->is_integer()) {
      x = static_cast<double>(n->as_integer()->get());
    } else {
      fail(n, key, "expected " + expected + ", got " + type_name(*n));
    }
    if (!std::isfinite(x)) fail(n, key, "expected " + expected + " (a finite number), got " + show(x));
    return x;
  }

  /// An integer in [lo, hi]; a float such as 1000.0 is refused (integers carry no decimal point).
  std::int64_t integer(const toml::node* n, const std::string& key, std::int64_t lo, std::int64_t hi,
                       const std::string& expected) const {
    if (n->is_floating_point())
      fail(n, key, "expected " + expected + ", got " + type_name(*n) + " (write integers without a decimal point or exponent)");
    if (!n->is_integer()) fail(n, key, "expected " + expected + ", got " + type_name(*n));
    const std::int64_t v = n->as_integer()->get();
    if (v < lo || v > hi) fail(n, key, "expected " + expected + ", got " + std::to_string(v));
    return v;
  }

  // Rejects keys outside `allowed`: a misspelt optional key (e.g. `equilibraton_sweeps`)
  // would otherwise be silently ignored and change the run.
  void known_keys(const toml::table& t, const std::string& prefix, const std::vector<std::string>& allowed) const {
    for (const auto& [k, v] : t) {
      const std::string name(k.str());
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
      fail(&v, prefix + name, "unknown key; expected one of: " + join(allowed));
    }
  }

 private:
  std::string file_;
  const toml::table* root_ = nullptr;
};

// ---- [model] ----------------------------------------------------------------------------

fs::path read_model(const Reader& r, const toml::table& t, const fs::path& input_path) {
  r.known_keys(t, "model.", {"file"});
  const toml::node* n = r.required(t, "file", "model.file",
                                   "the model file (.json) or model definition (.toml), relative to this input's folder");
  const fs::path given(r.string(n, "model.file"));
  const fs::path p = (given.is_relative() ? input_path.parent_path() / given : given).lexically_normal();
  std::error_code ec;
  const auto status = fs::status(p, ec);
  if (!fs::exists(status))
    r.fail(n, "model.file", "model file '" + p.string() +
                                "' does not exist; expected an existing model file (relative paths start at the input file's folder)");
  if (fs::is_directory(status)) r.fail(n, "model.file", "'" + p.string() + "' is a directory; expected a model file");
  return p;
}

// ---- [supercell] ------------------------------------------------------------------------

std::int64_t determinant(const std::array<std::array<std::int64_t, 3>, 3>& m) {
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
         m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

IMat3 read_supercell(const Reader& r, const toml::table& t) {
  r.known_keys(t, "supercell.", {"repetitions", "matrix"});
  const toml::node* reps = t.get("repetitions");
  const toml::node* mat = t.get("matrix");
  if (reps && mat) r.fail(mat, "supercell.matrix", "expected either 'repetitions' or 'matrix', not both");
  if (!reps && !mat)
    r.fail(&t, "supercell", "missing the supercell; expected repetitions = [a, b, c] or matrix = [[..], [..], [..]] (integers)");
  std::array<std::array<std::int64_t, 3>, 3> m{};
  IMat3 P = IMat3::Zero();
  if (reps) {
    const toml::array* a = reps->as_array();
    if (!a || a->size() != 3) r.fail(reps, "supercell.repetitions", "expected an array of 3 positive integers [a, b, c]");
    for (std::size_t k = 0; k < 3; ++k)
      m[k][k] = r.integer(a->get(k), "supercell.repetitions[" + std::to_string(k) + "]", 1, kMaxMatrixEntry,
                          "a positive integer (at most " + std::to_string(kMaxMatrixEntry) + ")");
  } else {
    const toml::array* rows = mat->as_array();
    if (!rows || rows->size() != 3) r.fail(mat, "supercell.matrix", "expected 3 rows of 3 integers [[..], [..], [..]]");
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string row_key = "supercell.matrix[" + std::to_string(i) + "]";
      const toml::array* row = rows->get(i)->as_array();
      if (!row || row->size() != 3) r.fail(rows->get(i), row_key, "expected a row of 3 integers");
      for (std::size_t j = 0; j < 3; ++j)
        m[i][j] = r.integer(row->get(j), row_key + "[" + std::to_string(j) + "]", -kMaxMatrixEntry, kMaxMatrixEntry,
                            "an integer with absolute value at most " + std::to_string(kMaxMatrixEntry));
    }
  }
  const std::int64_t det = determinant(m);
  const toml::node* n = reps ? reps : mat;
  const std::string key = reps ? "supercell.repetitions" : "supercell.matrix";
  if (det == 0) r.fail(n, key, "the matrix is singular (determinant 0); expected linearly independent supercell vectors");
  if (std::abs(det) > kMaxCells)
    r.fail(n, key, "the supercell has " + std::to_string(std::abs(det)) + " parent cells; expected at most " + std::to_string(kMaxCells));
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) P(i, j) = static_cast<int>(m[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]);
  return P;
}

// ---- [ensemble] -------------------------------------------------------------------------

// An exact ratio "p/q" (blanks around p and q allowed); empty string on success, else why not.
std::string parse_ratio(const std::string& s, double& value) {
  const auto slash = s.find('/');
  if (slash == std::string::npos || s.find('/', slash + 1) != std::string::npos) return "not of the form \"p/q\"";
  auto digits = [](std::string part, std::uint64_t& out) {
    const auto b = part.find_first_not_of(" \t");
    const auto e = part.find_last_not_of(" \t");
    if (b == std::string::npos) return false;
    part = part.substr(b, e - b + 1);
    if (part.find_first_not_of("0123456789") != std::string::npos) return false;
    const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && ptr == part.data() + part.size();
  };
  std::uint64_t p = 0;
  std::uint64_t q = 0;
  if (!digits(s.substr(0, slash), p) || !digits(s.substr(slash + 1), q))
    return "p and q must be non-negative integers";
  if (q == 0) return "the denominator q must be > 0";
  if (p > q) return "the fraction exceeds 1 (p > q)";
  value = static_cast<double>(p) / static_cast<double>(q);
  return {};
}

double read_fraction(const Reader& r, const toml::node* n, const std::string& key) {
  const std::string expected = "a fraction in [0, 1]: a number or an exact ratio \"p/q\" (integers 0 <= p <= q, q > 0)";
  if (n->is_string()) {
    double f = 0.0;
    const std::string why = parse_ratio(n->as_string()->get(), f);
    if (!why.empty()) r.fail(n, key, "expected " + expected + ", got \"" + n->as_string()->get() + "\": " + why);
    return f;
  }
  const double f = r.number(n, key, expected);
  if (f < 0.0 || f > 1.0) r.fail(n, key, "expected " + expected + ", got " + show(f));
  return f;
}

// [prefix.<SUBLATTICE>] tables of <Species> = value; `value` reads one entry.
template <class ReadValue>
std::map<std::string, std::map<std::string, double>> per_sublattice(const Reader& r, const toml::node* node,
                                                                    const std::string& prefix, const std::string& what,
                                                                    ReadValue read_value) {
  if (!node->is_table())
    r.fail(node, prefix, "expected tables [" + prefix + ".<SUBLATTICE>] of <Species> = " + what + ", got " + type_name(*node));
  const toml::table& t = *node->as_table();
  if (t.empty()) r.fail(node, prefix, "expected at least one table [" + prefix + ".<SUBLATTICE>] of <Species> = " + what);
  std::map<std::string, std::map<std::string, double>> out;
  for (const auto& [sk, sv] : t) {
    const std::string sub(sk.str());
    const std::string key = prefix + "." + sub;
    if (sub.empty()) r.fail(&sv, key, "expected a non-empty sublattice name");
    if (!sv.is_table()) r.fail(&sv, key, "expected a table [" + key + "] of <Species> = " + what + ", got " + type_name(sv));
    const toml::table& species = *sv.as_table();
    if (species.empty()) r.fail(&sv, key, "expected at least one <Species> = " + what);
    for (const auto& [k, v] : species) {
      const std::string name(k.str());
      if (name.empty()) r.fail(&v, key + ".\"\"", "expected a non-empty species name");
      out[sub][name] = read_value(&v, key + "." + name);
    }
  }
  return out;
}

mc::Composition read_composition(const Reader& r, const toml::node* node) {
  const std::string prefix = "ensemble.composition";
  mc::Composition c = per_sublattice(r, node, prefix, "fraction",
                                     [&](const toml::node* n, const std::string& key) { return read_fraction(r, n, key); });
  for (const auto& [sub, fractions] : c) {
    double sum = 0.0;
    for (const auto& [species, f] : fractions) sum += f;
    if (std::abs(sum - 1.0) > kFractionSumTolerance)
      r.fail(node->as_table()->get(sub), prefix + "." + sub,
             "the fractions sum to " + show(sum) + "; expected 1 (within 1e-9; write thirds exactly, e.g. \"1/3\")");
  }
  return c;
}

std::map<std::string, std::map<std::string, double>> read_chemical_potentials(const Reader& r, const toml::node* node) {
  return per_sublattice(r, node, "ensemble.chemical_potentials", "chemical potential (eV)",
                        [&](const toml::node* n, const std::string& key) {
                          return r.number(n, key, "a chemical potential in eV");
                        });
}

void read_ensemble(const Reader& r, const toml::table* t, RunInput& in) {
  const toml::table& anchor = t ? *t : r.root();
  if (t) {
    r.known_keys(*t, "ensemble.", {"type", "composition", "chemical_potentials"});
    if (const toml::node* n = t->get("type")) {
      in.ensemble = r.string(n, "ensemble.type");
      if (in.ensemble != "canonical" && in.ensemble != "semi-grand")
        r.fail(n, "ensemble.type", "expected \"canonical\" or \"semi-grand\", got \"" + in.ensemble + "\"");
    }
  }
  const toml::node* comp = t ? t->get("composition") : nullptr;
  const toml::node* mu = t ? t->get("chemical_potentials") : nullptr;
  if (in.ensemble == "canonical") {
    if (!comp)
      r.fail(&anchor, "ensemble.composition",
             "missing; a canonical run needs its composition: tables [ensemble.composition.<SUBLATTICE>] of <Species> = fraction");
    if (mu)
      r.fail(mu, "ensemble.chemical_potentials",
             "only allowed with ensemble.type = \"semi-grand\"; a canonical run keeps its composition fixed");
  } else if (!mu) {
    r.fail(&anchor, "ensemble.chemical_potentials",
           "missing; a semi-grand run needs tables [ensemble.chemical_potentials.<SUBLATTICE>] of <Species> = mu (eV)");
  }
  if (comp) in.composition = read_composition(r, comp);
  if (mu) in.chemical_potentials = read_chemical_potentials(r, mu);
}

// ---- [moves] ----------------------------------------------------------------------------

mc::MoveSet read_moves(const Reader& r, const toml::table* t, const std::string& ensemble) {
  const bool canonical = ensemble == "canonical";
  mc::MoveSet m;
  m.swap = canonical ? 1.0 : 0.0;
  m.exchange = 0.0;
  m.flip = canonical ? 0.0 : 1.0;
  if (!t) return m;
  r.known_keys(*t, "moves.", {"swap", "exchange", "flip"});
  const std::pair<const char*, double*> weights[] = {{"swap", &m.swap}, {"exchange", &m.exchange}, {"flip", &m.flip}};
  for (const auto& [name, value] : weights) {
    const toml::node* n = t->get(name);
    if (!n) continue;
    const std::string key = std::string("moves.") + name;
    *value = r.number(n, key, "a non-negative weight");
    if (*value < 0.0) r.fail(n, key, "expected a non-negative weight, got " + show(*value));
  }
  if (canonical && m.flip > 0.0)
    r.fail(t->get("flip"), "moves.flip",
           "flips change the composition; expected flip = 0 in a canonical run (or ensemble.type = \"semi-grand\")");
  if (!canonical && m.flip <= 0.0)
    r.fail(t->get("flip"), "moves.flip", "a semi-grand run samples the composition by flips; expected flip > 0");
  if (m.swap + m.exchange + m.flip <= 0.0)
    r.fail(t, "moves", "the weights swap, exchange and flip sum to 0; expected a positive sum");
  return m;
}

// ---- [temperatures] ---------------------------------------------------------------------

LadderSpec read_ladder(const Reader& r, const toml::table& t) {
  r.known_keys(t, "temperatures.", {"min", "max", "count", "list", "adaptive", "adaptive_target", "adaptive_interval"});
  LadderSpec L;
  const toml::node* list = t.get("list");
  const char* geometric_key = t.get("min") ? "min" : t.get("max") ? "max" : t.get("count") ? "count" : nullptr;
  if (list && geometric_key)
    r.fail(list, "temperatures.list",
           std::string("expected either 'list' or 'min', 'max' and 'count' (a geometric ladder), not both (found '") +
               geometric_key + "' too)");
  if (list) {
    const toml::array* a = list->as_array();
    if (!a || a->empty())
      r.fail(list, "temperatures.list", "expected a non-empty array of strictly increasing temperatures in K (> 0)");
    L.kind = LadderSpec::Kind::list;
    for (std::size_t k = 0; k < a->size(); ++k) {
      const std::string key = "temperatures.list[" + std::to_string(k) + "]";
      const double T = r.number(a->get(k), key, "a temperature in K (> 0)");
      if (T <= 0.0) r.fail(a->get(k), key, "expected a temperature in K (> 0), got " + show(T));
      if (!L.temperatures.empty() && T <= L.temperatures.back())
        r.fail(a->get(k), key, "expected strictly increasing temperatures, got " + show(T) + " after " + show(L.temperatures.back()));
      L.temperatures.push_back(T);
    }
    L.n = static_cast<int>(L.temperatures.size());
    L.t_min = L.temperatures.front();
    L.t_max = L.temperatures.back();
  } else {
    if (!geometric_key)
      r.fail(&t, "temperatures",
             "missing the ladder; expected min, max and count (a geometric ladder, K) or list = [T1, T2, ...] (K)");
    L.kind = LadderSpec::Kind::geometric;
    const toml::node* nmin = r.required(t, "min", "temperatures.min", "the lowest temperature in K (> 0)");
    const toml::node* nmax = r.required(t, "max", "temperatures.max", "the highest temperature in K (> min)");
    const toml::node* ncount = r.required(t, "count", "temperatures.count", "the number of temperatures (an integer >= 2)");
    L.t_min = r.number(nmin, "temperatures.min", "a temperature in K (> 0)");
    if (L.t_min <= 0.0) r.fail(nmin, "temperatures.min", "expected a temperature in K (> 0), got " + show(L.t_min));
    L.t_max = r.number(nmax, "temperatures.max", "a temperature in K (> min)");
    if (L.t_max <= L.t_min)
      r.fail(nmax, "temperatures.max", "expected a temperature in K greater than min = " + show(L.t_min) + ", got " + show(L.t_max));
    L.n = static_cast<int>(r.integer(ncount, "temperatures.count", 2, kMaxTemperatures,
                                     "an integer >= 2 (and at most " + std::to_string(kMaxTemperatures) + ")"));
    // t_k = t_min (t_max / t_min)^(k / (n - 1)), the ends exact (as mc::geometric_ladder).
    L.temperatures.resize(static_cast<std::size_t>(L.n));
    for (int k = 0; k < L.n; ++k)
      L.temperatures[static_cast<std::size_t>(k)] =
          L.t_min * std::pow(L.t_max / L.t_min, static_cast<double>(k) / static_cast<double>(L.n - 1));
    L.temperatures.front() = L.t_min;
    L.temperatures.back() = L.t_max;
    for (std::size_t k = 1; k < L.temperatures.size(); ++k)
      if (!(L.temperatures[k] > L.temperatures[k - 1]))
        r.fail(ncount, "temperatures.count", "min and max are too close for " + std::to_string(L.n) +
                                                 " distinct temperatures; expected fewer temperatures or a wider range");
  }

  if (const toml::node* n = t.get("adaptive")) L.adaptive = r.boolean(n, "temperatures.adaptive");
  if (const toml::node* n = t.get("adaptive_target")) {
    L.adaptive_target = r.string(n, "temperatures.adaptive_target");
    if (L.adaptive_target != "acceptance" && L.adaptive_target != "round-trip")
      r.fail(n, "temperatures.adaptive_target", "expected \"acceptance\" or \"round-trip\", got \"" + L.adaptive_target + "\"");
  }
  L.adaptive_interval = kDefaultAdaptiveInterval;
  if (const toml::node* n = t.get("adaptive_interval"))
    L.adaptive_interval = static_cast<int>(r.integer(n, "temperatures.adaptive_interval", 1, std::numeric_limits<int>::max(),
                                                     "a positive integer (exchange rounds between ladder updates)"));
  if (L.adaptive && L.temperatures.size() < 3)
    r.fail(t.get("adaptive"), "temperatures.adaptive",
           "an adaptive ladder moves the inner temperatures, so it needs at least 3; got " + std::to_string(L.temperatures.size()));
  return L;
}

// ---- [sampling] and [observables] -------------------------------------------------------

void read_sampling(const Reader& r, const toml::table& t, RunInput& in) {
  r.known_keys(t, "sampling.",
               {"equilibration_sweeps", "production_sweeps", "sample_interval", "exchange_interval", "snapshot_interval",
                "observables"});
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::pair<const char*, std::int64_t*> optional_counts[] = {{"equilibration_sweeps", &in.equilibration_sweeps},
                                                                   {"sample_interval", &in.sample_interval},
                                                                   {"exchange_interval", &in.exchange_interval},
                                                                   {"snapshot_interval", &in.snapshot_interval}};
  for (const auto& [name, value] : optional_counts) {
    const toml::node* n = t.get(name);
    if (!n) continue;
    const std::string key = std::string("sampling.") + name;
    const bool zero_ok = std::string(name) == "equilibration_sweeps" || std::string(name) == "snapshot_interval";
    *value = r.integer(n, key, zero_ok ? 0 : 1, kMax, zero_ok ? "an integer >= 0 (sweeps)" : "an integer > 0 (sweeps)");
  }
  in.production_sweeps = r.integer(r.required(t, "production_sweeps", "sampling.production_sweeps", "an integer > 0 (sweeps)"),
                                   "sampling.production_sweeps", 1, kMax, "an integer > 0 (sweeps)");

  in.observables.clear();
  if (const toml::node* n = t.get("observables")) {
    const toml::array* a = n->as_array();
    if (!a) r.fail(n, "sampling.observables", "expected an array of strings from: " + join(kKnownObservables, "\""));
    for (std::size_t k = 0; k < a->size(); ++k) {
      const toml::node* e = a->get(k);
      const std::string key = "sampling.observables[" + std::to_string(k) + "]";
      if (!e->is_string()) r.fail(e, key, "expected one of " + join(kKnownObservables, "\"") + ", got " + type_name(*e));
      const std::string name = e->as_string()->get();
      if (std::find(kKnownObservables.begin(), kKnownObservables.end(), name) == kKnownObservables.end())
        r.fail(e, key, "unknown observable \"" + name + "\"; expected one of " + join(kKnownObservables, "\""));
      if (std::find(in.observables.begin(), in.observables.end(), name) != in.observables.end())
        r.fail(e, key, "\"" + name + "\" is listed twice; expected each observable at most once");
      in.observables.push_back(name);
    }
  }
  if (std::find(in.observables.begin(), in.observables.end(), "energy") == in.observables.end())
    in.observables.insert(in.observables.begin(), "energy");
}

// The entry of sampling.observables that names `name` (for the line of an error), or the table.
const toml::node* observable_node(const toml::table& sampling, const std::string& name) {
  if (const toml::array* a = sampling.get("observables") ? sampling.get("observables")->as_array() : nullptr)
    for (const auto& e : *a)
      if (e.is_string() && e.as_string()->get() == name) return &e;
  return &sampling;
}

// [observables.<name>]: required iff `name` is observed; `fields` are its string keys.
const toml::table* observable_table(const Reader& r, const toml::table* obs, const toml::table& sampling, const RunInput& in,
                                    const std::string& name, const std::string& example) {
  const std::string key = "observables." + name;
  const bool observed = std::find(in.observables.begin(), in.observables.end(), name) != in.observables.end();
  const toml::table* t = obs ? r.table(*obs, name, key, false) : nullptr;
  if (observed && !t)
    r.fail(observable_node(sampling, name), key,
           "missing; \"" + name + "\" is in sampling.observables, so it needs a table [" + key + "] with " + example);
  if (!observed && t)
    r.fail(t, key, "given, but \"" + name + "\" is not in sampling.observables; expected it listed there or this table removed");
  return t;
}

void read_observables(const Reader& r, const toml::table* obs, const toml::table& sampling, RunInput& in) {
  if (obs) r.known_keys(*obs, "observables.", {"honeycomb", "exchange_probe"});
  if (const toml::table* hc = observable_table(r, obs, sampling, in, "honeycomb", "sublattice = \"TM\", species = \"Sb\"")) {
    r.known_keys(*hc, "observables.honeycomb.", {"sublattice", "species"});
    in.honeycomb_sublattice = r.string(r.required(*hc, "sublattice", "observables.honeycomb.sublattice", "a sublattice name (e.g. \"TM\")"),
                                       "observables.honeycomb.sublattice");
    in.honeycomb_species = r.string(r.required(*hc, "species", "observables.honeycomb.species", "a species name (e.g. \"Sb\")"),
                                    "observables.honeycomb.species");
  }
  if (const toml::table* ep =
          observable_table(r, obs, sampling, in, "exchange_probe", "species = \"Cu\", from = \"TM\", to = \"Na\"")) {
    r.known_keys(*ep, "observables.exchange_probe.", {"species", "from", "to"});
    in.probe_species = r.string(r.required(*ep, "species", "observables.exchange_probe.species", "the species that moves (e.g. \"Cu\")"),
                                "observables.exchange_probe.species");
    in.probe_from = r.string(r.required(*ep, "from", "observables.exchange_probe.from", "the sublattice it leaves (e.g. \"TM\")"),
                             "observables.exchange_probe.from");
    in.probe_to = r.string(r.required(*ep, "to", "observables.exchange_probe.to", "the sublattice it enters (e.g. \"Na\")"),
                           "observables.exchange_probe.to");
    if (in.probe_from == in.probe_to)
      r.fail(ep->get("to"), "observables.exchange_probe.to", "expected a sublattice other than from = \"" + in.probe_from + "\"");
  }
}

// ---- [run] and [checkpoint] -------------------------------------------------------------

void read_run(const Reader& r, const toml::table& t, RunInput& in) {
  r.known_keys(t, "run.", {"seed", "output", "progress_interval"});
  in.seed = static_cast<std::uint64_t>(r.integer(r.required(t, "seed", "run.seed", "a non-negative integer"), "run.seed", 0,
                                                 std::numeric_limits<std::int64_t>::max(), "a non-negative integer"));
  const toml::node* out = r.required(t, "output", "run.output", "the HDF5 results file (a path ending in .h5)");
  in.output = r.string(out, "run.output");
  if (in.output.extension() != ".h5")
    r.fail(out, "run.output", "expected an HDF5 file name ending in .h5, got \"" + in.output.string() + "\"");
  if (const toml::node* n = t.get("progress_interval")) {
    in.progress_interval = r.number(n, "run.progress_interval", "seconds (> 0)");
    if (in.progress_interval <= 0.0) r.fail(n, "run.progress_interval", "expected seconds (> 0), got " + show(in.progress_interval));
  }
}

void read_checkpoint(const Reader& r, const toml::table* t, RunInput& in) {
  in.checkpoint_interval = 0;
  in.checkpoint = fs::path(in.output.string() + ".chk");
  if (!t) return;
  r.known_keys(*t, "checkpoint.", {"interval", "file"});
  if (const toml::node* n = t->get("interval"))
    in.checkpoint_interval = r.integer(n, "checkpoint.interval", 0, std::numeric_limits<std::int64_t>::max(),
                                       "an integer >= 0 (sweeps; 0 = only at the end and on signals)");
  if (const toml::node* n = t->get("file")) {
    in.checkpoint = r.string(n, "checkpoint.file");
    if (in.checkpoint.lexically_normal() == in.output.lexically_normal())
      r.fail(n, "checkpoint.file", "is the results file run.output; expected a different path");
  }
}

}  // namespace

RunInput parse_run_input(const std::string& text, const std::filesystem::path& path) {
  Reader r(path.string());
  const toml::table root = parse_toml_document(text, path);
  r.set_root(&root);
  static const std::vector<std::string> sections{"model",    "supercell", "ensemble",   "moves", "temperatures",
                                                 "sampling", "observables", "checkpoint", "run"};
  std::string section_list;
  for (const auto& s : sections) section_list += (section_list.empty() ? "[" : ", [") + s + "]";
  for (const auto& [k, v] : root)
    if (std::find(sections.begin(), sections.end(), std::string(k.str())) == sections.end())
      r.fail(&v, std::string(k.str()), "unknown section; expected one of the tables " + section_list);

  RunInput in;
  in.source_path = path.string();
  in.source_text = text;
  in.source_sha256 = sha256_hex(text);

  in.model = read_model(r, *r.table(root, "model", "model", true), path);
  in.supercell = read_supercell(r, *r.table(root, "supercell", "supercell", true));
  read_ensemble(r, r.table(root, "ensemble", "ensemble", false), in);
  in.moves = read_moves(r, r.table(root, "moves", "moves", false), in.ensemble);
  in.ladder = read_ladder(r, *r.table(root, "temperatures", "temperatures", true));
  const toml::table& sampling = *r.table(root, "sampling", "sampling", true);
  read_sampling(r, sampling, in);
  read_observables(r, r.table(root, "observables", "observables", false), sampling, in);
  read_run(r, *r.table(root, "run", "run", true), in);
  read_checkpoint(r, r.table(root, "checkpoint", "checkpoint", false), in);
  return in;
}

RunInput read_run_input(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(path.string() + ": cannot read the run input file: it does not exist");
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path.string() + ": cannot read the run input file: it is a directory");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  if (!in || in.bad()) throw InputError(path.string() + ": cannot read the run input file (permission denied or I/O error)");
  return parse_run_input(ss.str(), path);
}

}  // namespace tmorder::io
