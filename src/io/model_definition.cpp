#include "tmorder/io/model_definition.hpp"

#include <toml++/toml.h>

#include "tmorder/io/toml_document.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "tmorder/lattice/extxyz.hpp"
#include "tmorder/lattice/poscar.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"

namespace tmorder::io {

namespace {

// Error helper: every message carries the file, the line of the offending node and the key.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  /// The document root: its "line" is meaningless, so messages about it carry none.
  void set_root(const toml::table* root) { root_ = root; }

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& what) const {
    const long line = node && node != root_ ? static_cast<long>(node->source().begin.line) : 0;
    throw InputError(located(file_, line, "key '" + key + "': " + what));
  }

  const toml::table& table(const toml::table& parent, const std::string& name, const std::string& key) const {
    const toml::node* n = parent.get(name);
    if (!n) fail(&parent, key, "missing; expected a table [" + key + "]");
    if (!n->is_table()) fail(n, key, "expected a table");
    return *n->as_table();
  }

  std::string string(const toml::table& t, const std::string& name, const std::string& key, bool required) const {
    const toml::node* n = t.get(name);
    if (!n) {
      if (required) fail(&t, key, "missing; expected a string");
      return {};
    }
    if (!n->is_string()) fail(n, key, "expected a string");
    return n->as_string()->get();
  }

  double number(const toml::node* n, const std::string& key) const {
    if (n->is_floating_point()) return n->as_floating_point()->get();
    if (n->is_integer()) return static_cast<double>(n->as_integer()->get());
    fail(n, key, "expected a number");
  }

  Vec3 vec3(const toml::node* n, const std::string& key) const {
    const toml::array* a = n->as_array();
    if (!a || a->size() != 3) fail(n, key, "expected an array of 3 numbers");
    Vec3 v;
    for (std::size_t k = 0; k < 3; ++k) {
      v[static_cast<Eigen::Index>(k)] = number(a->get(k), key + "[" + std::to_string(k) + "]");
      if (!std::isfinite(v[static_cast<Eigen::Index>(k)])) fail(a->get(k), key, "expected a finite number");
    }
    return v;
  }

  std::vector<std::string> strings(const toml::node* n, const std::string& key) const {
    const toml::array* a = n ? n->as_array() : nullptr;
    if (!a) fail(n, key, "expected an array of strings");
    std::vector<std::string> out;
    for (std::size_t k = 0; k < a->size(); ++k) {
      const toml::node* e = a->get(k);
      if (!e->is_string() || e->as_string()->get().empty())
        fail(e, key + "[" + std::to_string(k) + "]", "expected a non-empty string");
      out.push_back(e->as_string()->get());
    }
    return out;
  }

  // Rejects keys outside `allowed`: a misspelt optional key (e.g. `coordinate`) would
  // otherwise be silently ignored and change the model.
  void known_keys(const toml::table& t, const std::string& prefix, const std::set<std::string>& allowed) const {
    for (const auto& [k, v] : t) {
      const std::string name(k.str());
      if (allowed.count(name)) continue;
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(&v, prefix + name, "unknown key; expected one of: " + list);
    }
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  const toml::table* root_ = nullptr;
};

lattice::Structure inline_structure(const Reader& r, const toml::table& st) {
  lattice::Structure s;
  const toml::node* cell = st.get("cell");
  const toml::array* rows = cell ? cell->as_array() : nullptr;
  if (!rows || rows->size() != 3) r.fail(cell ? cell : &st, "structure.cell", "expected 3 lattice vectors [[ax,ay,az],[bx,by,bz],[cx,cy,cz]] in Angstrom");
  for (std::size_t i = 0; i < 3; ++i)
    s.cell.row(static_cast<Eigen::Index>(i)) = r.vec3(rows->get(i), "structure.cell[" + std::to_string(i) + "]").transpose();
  if (std::abs(s.cell.determinant()) < 1e-8) r.fail(cell, "structure.cell", "the lattice vectors are linearly dependent (zero volume)");

  const std::string mode = st.get("coordinates") ? r.string(st, "coordinates", "structure.coordinates", true) : "fractional";
  if (mode != "fractional" && mode != "cartesian")
    r.fail(st.get("coordinates"), "structure.coordinates", "expected \"fractional\" or \"cartesian\", got \"" + mode + "\"");
  const toml::node* pos = st.get("positions");
  const toml::array* plist = pos ? pos->as_array() : nullptr;
  if (!plist || plist->empty()) r.fail(pos ? pos : &st, "structure.positions", "expected a non-empty array of [x, y, z]");
  if (!st.get("species")) r.fail(&st, "structure.species", "missing; expected an array of species labels, one per position");
  s.species = r.strings(st.get("species"), "structure.species");
  if (s.species.size() != plist->size())
    r.fail(st.get("species"), "structure.species", "has " + std::to_string(s.species.size()) + " entries, expected one per position (" +
                                                     std::to_string(plist->size()) + ")");
  for (std::size_t i = 0; i < plist->size(); ++i) {
    const Vec3 p = r.vec3(plist->get(i), "structure.positions[" + std::to_string(i) + "]");
    s.frac.push_back(mode == "fractional" ? p : s.fractional(p));
  }
  return s;
}

lattice::Structure file_structure(const Reader& r, const toml::table& st, const std::filesystem::path& def_path) {
  const std::string file = r.string(st, "file", "structure.file", true);
  std::filesystem::path p(file);
  if (p.is_relative()) p = def_path.parent_path() / p;
  std::string format = st.get("format") ? r.string(st, "format", "structure.format", true) : "";
  if (format.empty()) {
    const std::string ext = p.extension().string();
    format = (ext == ".xyz" || ext == ".extxyz") ? "extxyz" : "poscar";
  }
  if (!std::filesystem::exists(p)) r.fail(st.get("file"), "structure.file", "file '" + p.string() + "' does not exist");
  if (format == "poscar") return lattice::read_poscar(p);
  if (format == "extxyz") {
    auto frames = lattice::read_extxyz(p);
    if (frames.size() != 1)
      r.fail(st.get("file"), "structure.file", "'" + p.string() + "' holds " + std::to_string(frames.size()) +
                                                  " frames; a parent structure needs exactly one");
    return frames.front().structure;
  }
  r.fail(st.get("format"), "structure.format", "expected \"poscar\" or \"extxyz\", got \"" + format + "\"");
}

// `sites` selects parent sites by reference species label or by 0-based indices.
std::vector<int> select_sites(const Reader& r, const toml::node* n, const std::string& key, const lattice::Structure& s) {
  std::vector<int> out;
  if (!n) r.fail(n, key, "missing; expected a species label of the structure or an array of site indices");
  if (n->is_string()) {
    const std::string label = n->as_string()->get();
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.species[i] == label) out.push_back(static_cast<int>(i));
    if (out.empty()) r.fail(n, key, "no site of the structure is labelled \"" + label + "\"");
    return out;
  }
  const toml::array* a = n->as_array();
  if (!a || a->empty()) r.fail(n, key, "expected a species label or a non-empty array of site indices");
  for (std::size_t k = 0; k < a->size(); ++k) {
    const toml::node* e = a->get(k);
    if (!e->is_integer()) r.fail(e, key, "expected integer site indices");
    const auto i = e->as_integer()->get();
    if (i < 0 || i >= static_cast<long long>(s.size()))
      r.fail(e, key, "site index " + std::to_string(i) + " out of range 0.." + std::to_string(s.size() - 1));
    out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<double> read_cutoffs(const Reader& r, const toml::table& clusters) {
  const toml::node* n = clusters.get("cutoffs");
  const toml::array* a = n ? n->as_array() : nullptr;
  if (!a || a->empty())
    r.fail(n ? n : &clusters, "clusters.cutoffs", "expected an array of cutoffs in Angstrom: [pairs, triplets, quadruplets, ...]");
  std::vector<double> out;
  for (std::size_t k = 0; k < a->size(); ++k) {
    const std::string key = "clusters.cutoffs[" + std::to_string(k) + "] (order " + std::to_string(k + 2) + ")";
    const double c = r.number(a->get(k), key);
    if (!std::isfinite(c) || c <= 0.0 || c > kMaxCutoff)
      r.fail(a->get(k), key, "expected a cutoff in Angstrom with 0 < cutoff <= " + std::to_string(static_cast<int>(kMaxCutoff)) +
                                  ", got " + std::to_string(c));
    out.push_back(c);
  }
  return out;
}

// Every species that can occur on some site: the species of each sublattice and the
// reference species of each fixed site (e.g. O). The Ewald term needs a charge for each.
std::set<std::string> model_species(const lattice::ParentLattice& parent) {
  std::set<std::string> out;
  for (std::size_t i = 0; i < parent.n_sites(); ++i)
    for (auto& sp : parent.allowed_species(static_cast<int>(i))) out.insert(std::move(sp));
  return out;
}

// A number as printed in the message: "%g", so 1e-9 does not read as 0.000000.
std::string shortest(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::string quoted_list(const std::set<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "'" : ", '") + n + "'";
  return list;
}

// [electrostatics]: formal charges (e) for every species of the model and the coefficient
// of the Ewald energy. Absent: the model has no electrostatic term.
std::optional<ElectrostaticsSpec> read_electrostatics(const Reader& r, const toml::table& root, const lattice::ParentLattice& parent) {
  const toml::node* node = root.get("electrostatics");
  if (!node) return std::nullopt;
  if (!node->is_table()) r.fail(node, "electrostatics", "expected a table [electrostatics] with 'charges' and optional 'coefficient'");
  const toml::table& t = *node->as_table();
  r.known_keys(t, "electrostatics.", {"charges", "coefficient"});
  const std::set<std::string> species = model_species(parent);
  const std::string example = "a table of formal charges in e, one per species of the model, e.g. { Ni = 2, O = -2, Va = 0 }";

  ElectrostaticsSpec spec;
  const toml::node* cn = t.get("charges");
  if (!cn) r.fail(&t, "electrostatics.charges", "missing; expected " + example);
  if (!cn->is_table()) r.fail(cn, "electrostatics.charges", "expected " + example);
  for (const auto& [k, v] : *cn->as_table()) {
    const std::string name(k.str());
    const std::string key = "electrostatics.charges." + name;
    if (!species.count(name))
      r.fail(&v, key, "species '" + name + "' does not occur in the model; expected charges for the species " + quoted_list(species));
    if (!v.is_integer() && !v.is_floating_point()) r.fail(&v, key, "expected a formal charge in e (a finite number)");
    const double q = r.number(&v, key);
    if (!std::isfinite(q)) r.fail(&v, key, "expected a formal charge in e (a finite number)");
    spec.charges[name] = q;
  }
  std::set<std::string> missing;
  for (const auto& sp : species)
    if (!spec.charges.count(sp)) missing.insert(sp);
  if (!missing.empty())
    r.fail(cn, "electrostatics.charges",
           "no charge for species " + quoted_list(missing) +
               "; expected a formal charge in e for every species that can occur on a site (fixed ones such as O and the vacancy 'Va' included, e.g. Va = 0)");

  if (const toml::node* c = t.get("coefficient")) {
    const std::string what = "expected a finite number > 0 (dimensionless scale of the Ewald energy, e.g. 1/eps_r)";
    if (!c->is_integer() && !c->is_floating_point()) r.fail(c, "electrostatics.coefficient", what);
    spec.coefficient = r.number(c, "electrostatics.coefficient");
    if (!(std::isfinite(spec.coefficient) && spec.coefficient > 0.0))
      r.fail(c, "electrostatics.coefficient", what + ", got " + shortest(spec.coefficient));
  }
  return spec;
}

}  // namespace

ModelDefinition parse_model_definition(const std::string& text, const std::filesystem::path& path) {
  Reader r(path.string());
  const toml::table root = parse_toml_document(text, path);
  r.set_root(&root);
  static const std::set<std::string> known{"model", "structure", "sublattices", "clusters", "electrostatics"};
  for (const auto& [k, v] : root)
    if (!known.count(std::string(k.str())))
      r.fail(&v, std::string(k.str()),
             "unknown section; expected one of [model], [structure], [[sublattices]], [clusters], [electrostatics]");

  ModelDefinition def;
  def.source_path = path.string();
  def.source_text = text;
  def.source_sha256 = sha256_hex(text);
  const toml::table& model = r.table(root, "model", "model");
  r.known_keys(model, "model.", {"name", "description"});
  def.name = r.string(model, "name", "model.name", true);
  if (def.name.empty()) r.fail(model.get("name"), "model.name", "expected a non-empty string");
  def.description = r.string(model, "description", "model.description", false);

  const toml::table& st = r.table(root, "structure", "structure");
  r.known_keys(st, "structure.", {"file", "format", "cell", "coordinates", "positions", "species"});
  if (st.get("file")) {
    for (const char* k : {"cell", "coordinates", "positions", "species"})
      if (st.get(k))
        r.fail(st.get("file"), "structure.file",
               std::string("expected either 'file' or an inline cell/positions/species, not both (found '") + k + "' too)");
  } else if (st.get("format")) {
    r.fail(st.get("format"), "structure.format", "only meaningful with 'file'; expected 'file' or an inline cell/positions/species");
  }
  def.parent.structure = st.get("file") ? file_structure(r, st, path) : inline_structure(r, st);
  const auto& s = def.parent.structure;

  const toml::node* subs = root.get("sublattices");
  const toml::array* sub_arr = subs ? subs->as_array() : nullptr;
  if (!sub_arr || sub_arr->empty()) r.fail(subs ? subs : &root, "sublattices", "expected at least one [[sublattices]] table");
  def.parent.site_sublattice.assign(s.size(), -1);
  for (std::size_t k = 0; k < sub_arr->size(); ++k) {
    const std::string key = "sublattices[" + std::to_string(k) + "]";
    const toml::node* node = sub_arr->get(k);
    if (!node->is_table()) r.fail(node, key, "expected a table");
    const toml::table& t = *node->as_table();
    r.known_keys(t, key + ".", {"name", "sites", "species"});
    lattice::Sublattice sub;
    sub.name = r.string(t, "name", key + ".name", true);
    if (sub.name.empty()) r.fail(t.get("name"), key + ".name", "expected a non-empty string");
    for (const auto& other : def.parent.sublattices)
      if (other.name == sub.name) r.fail(t.get("name"), key + ".name", "sublattice name '" + sub.name + "' is used twice; expected unique names");
    if (!t.get("species")) r.fail(&t, key + ".species", "missing; expected an array of at least 2 species");
    sub.species = r.strings(t.get("species"), key + ".species");
    if (sub.species.size() < 2) r.fail(t.get("species"), key + ".species", "expected at least 2 species (a site with one species is fixed: leave it out)");
    if (std::set<std::string>(sub.species.begin(), sub.species.end()).size() != sub.species.size())
      r.fail(t.get("species"), key + ".species", "lists a species twice");
    if (!t.get("sites")) r.fail(&t, key + ".sites", "missing; expected a species label of the structure or an array of site indices");
    for (int site : select_sites(r, t.get("sites"), key + ".sites", s)) {
      auto& slot = def.parent.site_sublattice[static_cast<std::size_t>(site)];
      // (slot == k: listed twice here; sublattice k is not in def.parent.sublattices yet)
      if (slot == static_cast<int>(k)) r.fail(t.get("sites"), key + ".sites", "lists site " + std::to_string(site) + " twice");
      if (slot >= 0) r.fail(t.get("sites"), key + ".sites", "site " + std::to_string(site) + " already belongs to sublattice '" +
                                                                 def.parent.sublattices[static_cast<std::size_t>(slot)].name + "'");
      slot = static_cast<int>(k);
    }
    def.parent.sublattices.push_back(std::move(sub));
  }

  const toml::table& clusters = r.table(root, "clusters", "clusters");
  r.known_keys(clusters, "clusters.", {"cutoffs", "symprec"});
  def.cutoffs = read_cutoffs(r, clusters);
  if (const toml::node* sp = clusters.get("symprec")) {
    def.symprec = r.number(sp, "clusters.symprec");
    if (!(def.symprec > 0.0 && def.symprec < 0.5)) r.fail(sp, "clusters.symprec", "expected a tolerance in Angstrom, 0 < symprec < 0.5");
  }
  def.electrostatics = read_electrostatics(r, root, def.parent);
  return def;
}

ModelDefinition read_model_definition(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) throw InputError(path.string() + ": cannot read the model definition file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_model_definition(ss.str(), path);
}

}  // namespace tmorder::io
