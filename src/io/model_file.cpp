#include "tmorder/io/model_file.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"
#include "tmorder/version.hpp"

namespace tmorder::io {

using nlohmann::json;

namespace {

std::string utc_now() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json site_json(const lattice::LatticeSite& s) { return json::array({s.basis, s.cell[0], s.cell[1], s.cell[2]}); }

// Reads "key" of a JSON object with a message naming the file and the key path.
template <class T>
T get(const json& j, const std::string& key, const std::string& where, const std::string& source) {
  if (!j.is_object() || !j.contains(key)) throw InputError(keyed(source, where + key, "missing"));
  try {
    return j.at(key).get<T>();
  } catch (const json::exception& e) {
    throw InputError(keyed(source, where + key, std::string("has the wrong type: ") + e.what()));
  }
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
  j["provenance"] = {{"tmorder_version", version_string}, {"git_commit", git_commit}, {"created", utc_now()},
                     {"definition_file", def.source_path}, {"definition_sha256", def.source_sha256},
                     {"definition_text", def.source_text}};
  return j;
}

Model model_from_json(const json& j, const std::string& source) {
  if (get<std::string>(j, "schema", "", source) != kModelSchema)
    throw InputError(keyed(source, "schema", std::string("expected \"") + kModelSchema + "\""));
  const int version = get<int>(j, "schema_version", "", source);
  if (version != kModelSchemaVersion)
    throw InputError(keyed(source, "schema_version", "is " + std::to_string(version) + "; this tmorder reads version " +
                                                         std::to_string(kModelSchemaVersion)));
  lattice::ParentLattice parent;
  const json& st = j.at("structure");
  const auto cell = get<std::vector<std::vector<double>>>(st, "cell", "structure.", source);
  if (cell.size() != 3) throw InputError(keyed(source, "structure.cell", "expected 3 rows"));
  for (int i = 0; i < 3; ++i) {
    if (cell[static_cast<std::size_t>(i)].size() != 3) throw InputError(keyed(source, "structure.cell", "expected 3x3"));
    for (int k = 0; k < 3; ++k) parent.structure.cell(i, k) = cell[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)];
  }
  parent.structure.species = get<std::vector<std::string>>(st, "species", "structure.", source);
  for (const auto& p : get<std::vector<std::vector<double>>>(st, "positions", "structure.", source)) {
    if (p.size() != 3) throw InputError(keyed(source, "structure.positions", "expected [x, y, z] entries"));
    parent.structure.frac.emplace_back(p[0], p[1], p[2]);
  }
  if (parent.structure.species.size() != parent.structure.frac.size())
    throw InputError(keyed(source, "structure.species", "one species per position expected"));
  parent.site_sublattice.assign(parent.structure.size(), -1);
  const json& subs = j.at("sublattices");
  for (std::size_t k = 0; k < subs.size(); ++k) {
    const std::string where = "sublattices[" + std::to_string(k) + "].";
    parent.sublattices.push_back({get<std::string>(subs[k], "name", where, source),
                                  get<std::vector<std::string>>(subs[k], "species", where, source)});
    for (int site : get<std::vector<int>>(subs[k], "sites", where, source)) {
      if (site < 0 || site >= static_cast<int>(parent.n_sites())) throw InputError(keyed(source, where + "sites", "index out of range"));
      parent.site_sublattice[static_cast<std::size_t>(site)] = static_cast<int>(k);
    }
  }
  try {
    parent.validate();
  } catch (const std::invalid_argument& e) {
    throw InputError(source + ": " + e.what());
  }
  const auto cutoffs = get<std::vector<double>>(j, "cutoffs", "", source);
  const double symprec = get<double>(j, "symprec", "", source);

  // Symmetry is recomputed, not trusted: the site images must come from this build's spglib.
  symmetry::SpaceGroup g = symmetry::find_space_group(parent.structure, parent.colours(), symprec);
  const json& sg = j.at("space_group");
  if (get<int>(sg, "number", "space_group.", source) != g.number ||
      sg.at("operations").size() != g.operations.size())
    throw InputError(keyed(source, "space_group", "does not match the symmetry of the stored structure (" +
                                                      g.international + ", " + std::to_string(g.operations.size()) + " operations)"));

  std::vector<clusters::Orbit> orbits;
  const json& jo = j.at("orbits");
  for (std::size_t k = 0; k < jo.size(); ++k) {
    const std::string where = "orbits[" + std::to_string(k) + "].";
    clusters::Orbit o;
    o.order = get<int>(jo[k], "order", where, source);
    o.max_distance = get<double>(jo[k], "max_distance", where, source);
    o.radius = get<double>(jo[k], "radius", where, source);
    o.sublattices = get<std::vector<int>>(jo[k], "sublattices", where, source);
    for (const auto& c : get<std::vector<std::vector<std::vector<int>>>>(jo[k], "clusters", where, source)) {
      std::vector<lattice::LatticeSite> sites;
      for (const auto& s : c) {
        if (s.size() != 4 || s[0] < 0 || s[0] >= static_cast<int>(parent.n_sites()) || !parent.is_active(s[0]))
          throw InputError(keyed(source, where + "clusters", "expected [basis, n1, n2, n3] with an active basis site"));
        sites.push_back({s[0], IVec3(s[1], s[2], s[3])});
      }
      if (static_cast<int>(sites.size()) != o.order) throw InputError(keyed(source, where + "clusters", "cluster size differs from order"));
      o.clusters.push_back(std::move(sites));
    }
    o.functions = get<std::vector<clusters::ClusterFunction>>(jo[k], "functions", where, source);
    if (o.clusters.empty() || o.functions.empty() || static_cast<int>(o.sublattices.size()) != o.order)
      throw InputError(keyed(source, where, "incomplete orbit"));
    for (const auto& f : o.functions)
      for (const auto& d : f) {
        if (static_cast<int>(d.size()) != o.order) throw InputError(keyed(source, where + "functions", "decoration size differs from order"));
        for (std::size_t i = 0; i < d.size(); ++i) {
          const int sl = o.sublattices[i];
          if (sl < 0 || sl >= static_cast<int>(parent.sublattices.size()) || d[i] < 1 ||
              d[i] >= static_cast<int>(parent.sublattices[static_cast<std::size_t>(sl)].species.size()))
            throw InputError(keyed(source, where + "functions", "point-function index out of range"));
        }
      }
    orbits.push_back(std::move(o));
  }
  Model m{get<std::string>(j, "name", "", source),
          j.value("description", std::string{}),
          clusters::ClusterSpace(std::move(parent), cutoffs, symprec, std::move(g), std::move(orbits)),
          std::nullopt,
          j.value("provenance", json::object()),
          source,
          ""};
  if (get<std::size_t>(j, "n_functions", "", source) != m.space.n_functions())
    throw InputError(keyed(source, "n_functions", "does not match the stored orbits"));
  if (j.contains("ecis") && !j.at("ecis").is_null()) {
    m.ecis = get<std::vector<double>>(j, "ecis", "", source);
    if (m.ecis->size() != m.space.n_functions())
      throw InputError(keyed(source, "ecis", "expected " + std::to_string(m.space.n_functions()) + " values, one per correlation"));
  }
  return m;
}

Model build_model(const ModelDefinition& def) {
  try {
    clusters::ClusterSpace space(def.parent, def.cutoffs, def.symprec);
    return Model{def.name, def.description, std::move(space), std::nullopt,
                 json{{"definition_file", def.source_path}, {"definition_sha256", def.source_sha256}},
                 def.source_path, def.source_sha256};
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
    // nlohmann reports a byte offset; turn it into a line number for the message.
    const auto upto = text.substr(0, std::min<std::size_t>(e.byte, text.size()));
    const long line = 1 + static_cast<long>(std::count(upto.begin(), upto.end(), '\n'));
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
