#include "tmorder/io/model_file.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <type_traits>

#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"
#include "tmorder/util/clock.hpp"
#include "tmorder/version.hpp"

namespace tmorder::io {

using nlohmann::json;

namespace {


json site_json(const lattice::LatticeSite& s) { return json::array({s.basis, s.cell[0], s.cell[1], s.cell[2]}); }

[[noreturn]] void fail_key(const std::string& source, const std::string& key, const std::string& what) {
  throw InputError(keyed(source, key, what));
}

// True if every number in `v` (recursively through arrays) is an integer: nlohmann would
// otherwise truncate 1.5 to 1 when reading an int.
bool integers_only(const json& v) {
  if (v.is_array()) return std::all_of(v.begin(), v.end(), integers_only);
  return !v.is_number() || v.is_number_integer();
}

template <class T>
struct holds_integers : std::bool_constant<std::is_integral_v<T> && !std::is_same_v<T, bool>> {};
template <class T>
struct holds_integers<std::vector<T>> : holds_integers<T> {};

// The member `key` of object `j`, or an InputError naming the file and the key path.
const json& member(const json& j, const std::string& key, const std::string& where, const std::string& source) {
  if (!j.is_object()) fail_key(source, where.empty() ? key : where.substr(0, where.size() - 1), "expected a JSON object");
  const auto it = j.find(key);
  if (it == j.end()) fail_key(source, where + key, "missing");
  return *it;
}

const json& object_at(const json& j, const std::string& key, const std::string& where, const std::string& source) {
  const json& v = member(j, key, where, source);
  if (!v.is_object()) fail_key(source, where + key, "expected a JSON object");
  return v;
}

const json& array_at(const json& j, const std::string& key, const std::string& where, const std::string& source) {
  const json& v = member(j, key, where, source);
  if (!v.is_array()) fail_key(source, where + key, "expected a JSON array");
  return v;
}

// Reads "key" of a JSON object with a message naming the file and the key path.
template <class T>
T get(const json& j, const std::string& key, const std::string& where, const std::string& source) {
  const json& v = member(j, key, where, source);
  if constexpr (holds_integers<T>::value)
    if (!integers_only(v)) fail_key(source, where + key, "has the wrong type: expected integers");
  try {
    return v.get<T>();
  } catch (const json::exception& e) {
    throw InputError(keyed(source, where + key, std::string("has the wrong type: ") + e.what()));
  }
}

// The "electrostatics" object of a model file, or null when the model has none.
json electrostatics_json(const std::optional<ElectrostaticsSpec>& es) {
  if (!es) return nullptr;
  json charges = json::object();
  for (const auto& [species, q] : es->charges) charges[species] = q;
  return {{"charges", charges}, {"charge_units", "e"}, {"coefficient", es->coefficient}};
}

// Reads "electrostatics" (optional: absent or null means no electrostatic term, as in files
// written before the key existed). Every species that can occur on a site of `parent`
// needs a finite charge, and no other species may be listed.
std::optional<ElectrostaticsSpec> electrostatics_from_json(const json& j, const lattice::ParentLattice& parent,
                                                           const std::string& source) {
  const auto it = j.find("electrostatics");
  if (it == j.end() || it->is_null()) return std::nullopt;
  const json& e = *it;
  if (!e.is_object()) fail_key(source, "electrostatics", "expected a JSON object {charges, charge_units, coefficient} or null");
  std::set<std::string> species;
  for (std::size_t i = 0; i < parent.n_sites(); ++i)
    for (auto& sp : parent.allowed_species(static_cast<int>(i))) species.insert(std::move(sp));
  const auto quoted = [](const std::set<std::string>& names) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "'" : ", '") + n + "'";
    return list;
  };

  ElectrostaticsSpec spec;
  const json& charges = object_at(e, "charges", "electrostatics.", source);
  for (const auto& [name, q] : charges.items()) {
    const std::string key = "electrostatics.charges." + name;
    if (!species.count(name))
      fail_key(source, key, "species '" + name + "' does not occur in the model; expected charges for the species " + quoted(species));
    if (!q.is_number() || !std::isfinite(q.get<double>())) fail_key(source, key, "expected a formal charge in e (a finite number)");
    spec.charges[name] = q.get<double>();
  }
  std::set<std::string> missing;
  for (const auto& sp : species)
    if (!spec.charges.count(sp)) missing.insert(sp);
  if (!missing.empty())
    fail_key(source, "electrostatics.charges",
             "no charge for species " + quoted(missing) + "; expected a formal charge in e for every species that can occur on a site");
  if (e.contains("charge_units") && get<std::string>(e, "charge_units", "electrostatics.", source) != "e")
    fail_key(source, "electrostatics.charge_units", "expected \"e\" (formal charges in units of the elementary charge)");
  const json& c = member(e, "coefficient", "electrostatics.", source);
  if (!c.is_number() || !std::isfinite(c.get<double>()) || !(c.get<double>() > 0.0))
    fail_key(source, "electrostatics.coefficient", "expected a finite number > 0 (dimensionless scale of the Ewald energy)");
  spec.coefficient = c.get<double>();
  return spec;
}

}  // namespace

json model_to_json(const clusters::ClusterSpace& space, const ModelDefinition& def) {
  const auto& parent = space.parent();
  const auto& st = parent.structure;
  json j;
  j["schema"] = kModelSchema;
  j["schema_version"] = kModelSchemaVersion;
  j["name"] = def.name;
  j["description"] = def.description;
  json cell = json::array(), positions = json::array();
  for (int i = 0; i < 3; ++i) cell.push_back({st.cell(i, 0), st.cell(i, 1), st.cell(i, 2)});
  for (const auto& f : st.frac) positions.push_back({f[0], f[1], f[2]});
  j["structure"] = {{"cell", cell}, {"cell_units", "angstrom"}, {"positions", positions},
                    {"coordinates", "fractional"}, {"species", st.species}};
  json subs = json::array();
  for (std::size_t k = 0; k < parent.sublattices.size(); ++k) {
    std::vector<int> sites;
    for (std::size_t i = 0; i < parent.n_sites(); ++i)
      if (parent.site_sublattice[i] == static_cast<int>(k)) sites.push_back(static_cast<int>(i));
    subs.push_back({{"name", parent.sublattices[k].name}, {"species", parent.sublattices[k].species}, {"sites", sites}});
  }
  j["sublattices"] = subs;
  j["cutoffs"] = space.cutoffs();
  j["cutoff_units"] = "angstrom";
  j["symprec"] = space.symprec();
  const auto& g = space.space_group();
  json ops = json::array();
  for (const auto& op : g.operations) {
    json rot = json::array();
    for (int i = 0; i < 3; ++i) rot.push_back({op.rotation(i, 0), op.rotation(i, 1), op.rotation(i, 2)});
    ops.push_back({{"rotation", rot}, {"translation", {op.translation[0], op.translation[1], op.translation[2]}}});
  }
  j["space_group"] = {{"number", g.number}, {"international", g.international}, {"hall", g.hall},
                      {"point_group", g.point_group}, {"operations", ops}};
  json basis = json::array();
  for (std::size_t k = 0; k < parent.sublattices.size(); ++k) {
    const auto& phi = space.basis(static_cast<int>(k));
    json table = json::array();
    for (int t = 0; t < phi.n_species(); ++t) {
      json row = json::array();
      for (int s = 0; s < phi.n_species(); ++s) row.push_back(phi(t, s));
      table.push_back(row);
    }
    basis.push_back({{"sublattice", parent.sublattices[k].name}, {"point_functions", table}});
  }
  j["basis"] = {{"type", "trigonometric-orthonormal"},
                {"convention", "phi[t][sigma]; sigma indexes the sublattice species list; uniform-measure orthonormal"},
                {"sublattices", basis}};
  json orbits = json::array();
  for (const auto& o : space.orbits()) {
    json clusters = json::array();
    for (const auto& c : o.clusters) {
      json sites = json::array();
      for (const auto& s : c) sites.push_back(site_json(s));
      clusters.push_back(sites);
    }
    orbits.push_back({{"order", o.order}, {"max_distance", o.max_distance}, {"radius", o.radius},
                      {"multiplicity", o.multiplicity()}, {"sublattices", o.sublattices},
                      {"clusters", clusters}, {"functions", o.functions}});
  }
  j["orbits"] = orbits;
  j["n_functions"] = space.n_functions();
  j["ecis"] = nullptr;
  j["electrostatics"] = electrostatics_json(def.electrostatics);
  j["provenance"] = {{"tmorder_version", version_string}, {"git_commit", git_commit}, {"created", utc_timestamp()},
                     {"definition_file", def.source_path}, {"definition_sha256", def.source_sha256},
                     {"definition_text", def.source_text}};
  return j;
}

Model model_from_json(const json& j, const std::string& source) {
  if (!j.is_object()) throw InputError(source + ": expected a JSON object (a \"" + kModelSchema + "\" model file)");
  const std::string schema = get<std::string>(j, "schema", "", source);
  if (schema != kModelSchema)
    fail_key(source, "schema", "is \"" + schema + "\", expected \"" + kModelSchema + "\"");
  const int version = get<int>(j, "schema_version", "", source);
  if (version != kModelSchemaVersion)
    fail_key(source, "schema_version", "is " + std::to_string(version) + "; this tmorder reads version " +
                                           std::to_string(kModelSchemaVersion));

  lattice::ParentLattice parent;
  const json& st = object_at(j, "structure", "", source);
  const auto cell = get<std::vector<std::vector<double>>>(st, "cell", "structure.", source);
  if (cell.size() != 3) fail_key(source, "structure.cell", "expected 3 rows");
  for (int i = 0; i < 3; ++i) {
    if (cell[static_cast<std::size_t>(i)].size() != 3) fail_key(source, "structure.cell", "expected 3x3");
    for (int k = 0; k < 3; ++k) parent.structure.cell(i, k) = cell[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)];
  }
  if (!parent.structure.cell.allFinite() || std::abs(parent.structure.cell.determinant()) < 1e-8)
    fail_key(source, "structure.cell", "expected finite, linearly independent lattice vectors");
  parent.structure.species = get<std::vector<std::string>>(st, "species", "structure.", source);
  for (const auto& p : get<std::vector<std::vector<double>>>(st, "positions", "structure.", source)) {
    if (p.size() != 3) fail_key(source, "structure.positions", "expected [x, y, z] entries");
    parent.structure.frac.emplace_back(p[0], p[1], p[2]);
    if (!parent.structure.frac.back().allFinite()) fail_key(source, "structure.positions", "expected finite coordinates");
  }
  if (parent.structure.frac.empty()) fail_key(source, "structure.positions", "expected at least one site");
  if (parent.structure.species.size() != parent.structure.frac.size())
    fail_key(source, "structure.species", "one species per position expected");

  parent.site_sublattice.assign(parent.structure.size(), -1);
  const json& subs = array_at(j, "sublattices", "", source);
  if (subs.empty()) fail_key(source, "sublattices", "expected at least one sublattice");
  for (std::size_t k = 0; k < subs.size(); ++k) {
    const std::string where = "sublattices[" + std::to_string(k) + "].";
    parent.sublattices.push_back({get<std::string>(subs[k], "name", where, source),
                                  get<std::vector<std::string>>(subs[k], "species", where, source)});
    for (int site : get<std::vector<int>>(subs[k], "sites", where, source)) {
      if (site < 0 || site >= static_cast<int>(parent.n_sites()))
        fail_key(source, where + "sites", "site index " + std::to_string(site) + " out of range 0.." +
                                              std::to_string(parent.n_sites() - 1));
      auto& slot = parent.site_sublattice[static_cast<std::size_t>(site)];
      if (slot >= 0) fail_key(source, where + "sites", "site " + std::to_string(site) + " is listed twice; expected each site in at most one sublattice");
      slot = static_cast<int>(k);
    }
  }
  try {
    parent.validate();
  } catch (const std::invalid_argument& e) {
    fail_key(source, "sublattices", e.what());
  }
  const int n_sub = static_cast<int>(parent.sublattices.size());
  std::optional<ElectrostaticsSpec> electrostatics = electrostatics_from_json(j, parent, source);

  const auto cutoffs = get<std::vector<double>>(j, "cutoffs", "", source);
  for (std::size_t k = 0; k < cutoffs.size(); ++k)
    if (!(std::isfinite(cutoffs[k]) && cutoffs[k] > 0.0 && cutoffs[k] <= kMaxCutoff))
      fail_key(source, "cutoffs[" + std::to_string(k) + "]",
               "expected a cutoff in Angstrom with 0 < cutoff <= " + std::to_string(static_cast<int>(kMaxCutoff)));
  const double symprec = get<double>(j, "symprec", "", source);
  if (!(symprec > 0.0 && symprec < 0.5)) fail_key(source, "symprec", "expected a tolerance in Angstrom, 0 < symprec < 0.5");

  // Symmetry is recomputed, not trusted: the site images must come from this build's spglib.
  symmetry::SpaceGroup g;
  try {
    g = symmetry::find_space_group(parent.structure, parent.colours(), symprec);
  } catch (const std::runtime_error& e) {
    fail_key(source, "structure", std::string("symmetry analysis failed: ") + e.what());
  }
  const json& sg = object_at(j, "space_group", "", source);
  if (get<int>(sg, "number", "space_group.", source) != g.number ||
      array_at(sg, "operations", "space_group.", source).size() != g.operations.size())
    fail_key(source, "space_group", "does not match the symmetry of the stored structure (expected " + g.international +
                                        " (" + std::to_string(g.number) + "), " + std::to_string(g.operations.size()) +
                                        " operations)");

  // The basis is recomputed too; a stored table that differs means the correlations (and
  // any fitted ECIs) were defined with other point functions.
  const json& jb = array_at(object_at(j, "basis", "", source), "sublattices", "basis.", source);
  if (jb.size() != parent.sublattices.size())
    fail_key(source, "basis.sublattices", "expected one entry per sublattice (" + std::to_string(n_sub) + ")");
  for (std::size_t k = 0; k < jb.size(); ++k) {
    const std::string where = "basis.sublattices[" + std::to_string(k) + "].";
    const auto table = get<std::vector<std::vector<double>>>(jb[k], "point_functions", where, source);
    const clusters::PointFunctions phi(static_cast<int>(parent.sublattices[k].species.size()));
    bool same = table.size() == static_cast<std::size_t>(phi.n_species());
    for (std::size_t t = 0; same && t < table.size(); ++t) {
      same = table[t].size() == static_cast<std::size_t>(phi.n_species());
      for (std::size_t sg_ = 0; same && sg_ < table[t].size(); ++sg_)
        same = std::abs(table[t][sg_] - phi(static_cast<int>(t), static_cast<int>(sg_))) <= 1e-9;
    }
    if (!same)
      fail_key(source, where + "point_functions", "does not match this build's trigonometric-orthonormal basis for " +
                                                      std::to_string(phi.n_species()) + " species");
  }

  std::vector<clusters::Orbit> orbits;
  const json& jo = array_at(j, "orbits", "", source);
  for (std::size_t k = 0; k < jo.size(); ++k) {
    const std::string where = "orbits[" + std::to_string(k) + "].";
    clusters::Orbit o;
    o.order = get<int>(jo[k], "order", where, source);
    if (o.order < 1) fail_key(source, where + "order", "expected a cluster order >= 1");
    o.max_distance = get<double>(jo[k], "max_distance", where, source);
    o.radius = get<double>(jo[k], "radius", where, source);
    o.sublattices = get<std::vector<int>>(jo[k], "sublattices", where, source);
    if (static_cast<int>(o.sublattices.size()) != o.order)
      fail_key(source, where + "sublattices", "expected one sublattice per site (" + std::to_string(o.order) + ")");
    for (int sl : o.sublattices)
      if (sl < 0 || sl >= n_sub) fail_key(source, where + "sublattices", "sublattice index " + std::to_string(sl) + " out of range");
    for (const auto& c : get<std::vector<std::vector<std::vector<int>>>>(jo[k], "clusters", where, source)) {
      if (static_cast<int>(c.size()) != o.order) fail_key(source, where + "clusters", "cluster size differs from order");
      std::vector<lattice::LatticeSite> sites;
      for (std::size_t i = 0; i < c.size(); ++i) {
        const auto& s = c[i];
        if (s.size() != 4 || s[0] < 0 || s[0] >= static_cast<int>(parent.n_sites()) || !parent.is_active(s[0]))
          fail_key(source, where + "clusters", "expected [basis, n1, n2, n3] with an active basis site");
        if (parent.site_sublattice[static_cast<std::size_t>(s[0])] != o.sublattices[i])
          fail_key(source, where + "clusters", "site " + std::to_string(s[0]) + " is on sublattice " +
                                                   std::to_string(parent.site_sublattice[static_cast<std::size_t>(s[0])]) +
                                                   ", expected sublattice " + std::to_string(o.sublattices[i]) +
                                                   " as the orbit's sublattices say");
        sites.push_back({s[0], IVec3(s[1], s[2], s[3])});
      }
      o.clusters.push_back(std::move(sites));
    }
    if (o.clusters.empty()) fail_key(source, where + "clusters", "incomplete orbit: expected at least one cluster");
    o.functions = get<std::vector<clusters::ClusterFunction>>(jo[k], "functions", where, source);
    if (o.functions.empty()) fail_key(source, where + "functions", "incomplete orbit: expected at least one cluster function");
    for (const auto& f : o.functions) {
      if (f.empty()) fail_key(source, where + "functions", "expected at least one decoration per function");
      for (const auto& d : f) {
        if (static_cast<int>(d.size()) != o.order) fail_key(source, where + "functions", "decoration size differs from order");
        for (std::size_t i = 0; i < d.size(); ++i) {
          const auto m = static_cast<int>(parent.sublattices[static_cast<std::size_t>(o.sublattices[i])].species.size());
          if (d[i] < 1 || d[i] >= m)
            fail_key(source, where + "functions", "point-function index " + std::to_string(d[i]) + " out of range 1.." +
                                                      std::to_string(m - 1));
        }
      }
    }
    orbits.push_back(std::move(o));
  }
  std::string description;
  if (j.contains("description") && !j.at("description").is_null()) description = get<std::string>(j, "description", "", source);
  const std::string name = get<std::string>(j, "name", "", source);
  Model m = [&] {
    try {
      return Model{.name = name,
                   .description = description,
                   .space = clusters::ClusterSpace(std::move(parent), cutoffs, symprec, std::move(g), std::move(orbits)),
                   .ecis = std::nullopt,
                   .electrostatics = std::move(electrostatics),
                   .provenance = j.value("provenance", json::object()),
                   .source_path = source,
                   .source_sha256 = ""};
    } catch (const std::invalid_argument& e) {
      throw InputError(source + ": " + e.what());
    }
  }();
  if (get<std::size_t>(j, "n_functions", "", source) != m.space.n_functions())
    fail_key(source, "n_functions", "does not match the stored orbits (expected " + std::to_string(m.space.n_functions()) + ")");
  if (j.contains("ecis") && !j.at("ecis").is_null()) {
    m.ecis = get<std::vector<double>>(j, "ecis", "", source);
    if (m.ecis->size() != m.space.n_functions())
      fail_key(source, "ecis", "expected " + std::to_string(m.space.n_functions()) + " values, one per correlation, got " +
                                   std::to_string(m.ecis->size()));
  }
  return m;
}

Model build_model(const ModelDefinition& def) {
  try {
    clusters::ClusterSpace space(def.parent, def.cutoffs, def.symprec);
    return Model{.name = def.name,
                 .description = def.description,
                 .space = std::move(space),
                 .ecis = std::nullopt,
                 .electrostatics = def.electrostatics,
                 .provenance = json{{"definition_file", def.source_path}, {"definition_sha256", def.source_sha256}},
                 .source_path = def.source_path,
                 .source_sha256 = def.source_sha256};
  } catch (const InputError&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw InputError(def.source_path + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw InputError(def.source_path + ": symmetry analysis failed: " + e.what());
  }
}

Model load_model(const std::filesystem::path& path) {
  if (path.extension() == ".toml") return build_model(read_model_definition(path));
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) throw InputError(path.string() + ": cannot read the model file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann reports the 1-based index of the offending byte (size + 1 at the end of the
    // input); count the newlines before it, so an error at a newline (an unterminated
    // string) or at the end stays on the line it belongs to.
    const std::size_t before = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.empty() ? 0 : text.size() - 1);
    const long line = 1 + static_cast<long>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(before), '\n'));
    throw InputError(located(path.string(), line, std::string("JSON syntax error: ") + e.what()));
  }
  Model m = [&] {
    try {
      return model_from_json(j, path.string());
    } catch (const json::exception& e) {
      throw InputError(path.string() + ": malformed model file: " + e.what());
    }
  }();
  m.source_sha256 = sha256_hex(text);
  return m;
}

}  // namespace tmorder::io
