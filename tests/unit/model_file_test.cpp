// Tests for the JSON model file: a written model reads back to the same cluster space (same
// orbits, same correlations on a skewed supercell), load_model handles both file kinds, and
// every tampered or malformed file is refused with a message naming the file and the key.
#include "tmorder/io/model_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "tmorder/clusters/correlations.hpp"
#include "tmorder/io/model_definition.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "test_support.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"
#include "tmorder/version.hpp"

namespace {

namespace fs = std::filesystem;
using tmorder::test_support::error_of;
using tmorder::test_support::TempDir;
using nlohmann::json;
using tmorder::IMat3;
using tmorder::InputError;
using tmorder::clusters::ClusterSpace;
using tmorder::io::Model;
using tmorder::io::ModelDefinition;
using tmorder::lattice::Supercell;

const fs::path kSourceDir = TMORDER_SOURCE_DIR;

fs::path shipped_path(const std::string& name) { return kSourceDir / "clusters" / name / "model.toml"; }

// A definition, its freshly enumerated model and that model's JSON; enumeration is done
// once per definition for the whole test program.
struct Built {
  ModelDefinition def;
  Model model;
  json j;
};

const Built& built(const std::string& name) {
  static std::map<std::string, Built> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    ModelDefinition def = tmorder::io::read_model_definition(shipped_path(name));
    Model model = tmorder::io::build_model(def);
    json j = tmorder::io::model_to_json(model.space, def);
    it = cache.emplace(name, Built{std::move(def), std::move(model), std::move(j)}).first;
  }
  return it->second;
}



// The O3 model JSON changed by `tamper`, read back as "tampered.json": the error message.
std::string tampered_error(const std::function<void(json&)>& tamper, const std::string& model = "o3-nanisbcu") {
  json j = built(model).j;
  tamper(j);
  return error_of([&] { (void)tmorder::io::model_from_json(j, "tampered.json"); });
}

void expect_message(const std::string& message, const std::string& key, const std::string& expected) {
  EXPECT_NE(message.find("tampered.json"), std::string::npos) << message;
  EXPECT_NE(message.find(key), std::string::npos) << "key '" << key << "' not in: " << message;
  EXPECT_NE(message.find(expected), std::string::npos) << "'" << expected << "' not in: " << message;
}

// First orbit whose representative sits on parent basis site `basis`, of order `order`.
std::size_t orbit_on(const json& j, int basis, int order) {
  const auto& orbits = j.at("orbits");
  for (std::size_t k = 0; k < orbits.size(); ++k)
    if (orbits[k].at("order") == order && orbits[k].at("clusters")[0][0][0] == basis) return k;
  ADD_FAILURE() << "no orbit of order " << order << " on basis site " << basis;
  return 0;
}

void expect_same_space(const ClusterSpace& a, const ClusterSpace& b) {
  EXPECT_EQ(a.space_group().number, b.space_group().number);
  EXPECT_EQ(a.space_group().operations.size(), b.space_group().operations.size());
  EXPECT_EQ(a.cutoffs(), b.cutoffs());
  EXPECT_EQ(a.symprec(), b.symprec());
  EXPECT_EQ(a.parent().site_sublattice, b.parent().site_sublattice);
  EXPECT_EQ(a.parent().structure.species, b.parent().structure.species);
  EXPECT_TRUE(a.parent().structure.cell == b.parent().structure.cell);
  ASSERT_EQ(a.parent().sublattices.size(), b.parent().sublattices.size());
  for (std::size_t k = 0; k < a.parent().sublattices.size(); ++k) {
    EXPECT_EQ(a.parent().sublattices[k].name, b.parent().sublattices[k].name);
    EXPECT_EQ(a.parent().sublattices[k].species, b.parent().sublattices[k].species);
  }
  EXPECT_EQ(a.n_functions(), b.n_functions());
  ASSERT_EQ(a.orbits().size(), b.orbits().size());
  for (std::size_t k = 0; k < a.orbits().size(); ++k) {
    SCOPED_TRACE("orbit " + std::to_string(k));
    const auto& oa = a.orbits()[k];
    const auto& ob = b.orbits()[k];
    EXPECT_EQ(oa.order, ob.order);
    EXPECT_EQ(oa.multiplicity(), ob.multiplicity());
    EXPECT_EQ(oa.sublattices, ob.sublattices);
    EXPECT_EQ(oa.functions, ob.functions);
    EXPECT_EQ(oa.clusters, ob.clusters);
    EXPECT_DOUBLE_EQ(oa.max_distance, ob.max_distance);
    EXPECT_DOUBLE_EQ(oa.radius, ob.radius);
    EXPECT_EQ(a.function_offset(k), b.function_offset(k));
  }
}

// Writes, dumps, parses and reads back `name`; checks orbits and correlations.
void check_round_trip(const std::string& name) {
  const Built& b = built(name);
  const std::string text = b.j.dump(1);
  const json parsed = json::parse(text);
  const Model back = tmorder::io::model_from_json(parsed, name + ".json");
  EXPECT_EQ(back.name, b.def.name);
  EXPECT_EQ(back.description, b.def.description);
  EXPECT_FALSE(back.ecis.has_value());
  EXPECT_EQ(back.source_path, name + ".json");
  ASSERT_FALSE(back.space.orbits().empty());
  expect_same_space(b.model.space, back.space);

  // Correlations on a skewed supercell with a random occupation.
  IMat3 P;
  P << 2, 1, 0, -1, 2, 1, 1, 0, 2;
  const Supercell sc(P, static_cast<int>(b.model.space.parent().n_sites()));
  ASSERT_EQ(sc.n_cells(), 11);
  std::mt19937 rng(12345);
  for (int trial = 0; trial < 3; ++trial) {
    std::vector<int> occ(static_cast<std::size_t>(sc.n_sites()));
    for (int i = 0; i < sc.n_sites(); ++i) {
      std::uniform_int_distribution<int> d(0, b.model.space.parent().n_species(i / sc.n_cells()) - 1);
      occ[static_cast<std::size_t>(i)] = d(rng);
    }
    const Eigen::VectorXd fresh = tmorder::clusters::correlations(b.model.space, sc, occ);
    const Eigen::VectorXd read = tmorder::clusters::correlations(back.space, sc, occ);
    ASSERT_EQ(fresh.size(), static_cast<Eigen::Index>(b.model.space.n_functions()));
    ASSERT_EQ(read.size(), fresh.size());
    EXPECT_DOUBLE_EQ(fresh[0], 1.0);
    // A random occupation has non-trivial correlations: the comparison is not of zeros.
    EXPECT_GT((fresh.tail(fresh.size() - 1)).cwiseAbs().maxCoeff(), 1e-3);
    for (Eigen::Index k = 0; k < fresh.size(); ++k) EXPECT_NEAR(read[k], fresh[k], 1e-12) << "correlation " << k;
  }
}

// ---------------------------------------------------------------------------------------
// Round trips and loading

TEST(ModelFileTest, RoundTripO3) { check_round_trip("o3-nanisbcu"); }

TEST(ModelFileTest, RoundTripFccTernary) { check_round_trip("fcc"); }

TEST(ModelFileTest, O3ModelContents) {
  const Built& b = built("o3-nanisbcu");
  const json& j = b.j;
  EXPECT_EQ(j.at("schema"), "tmorder-model");
  EXPECT_EQ(j.at("schema_version"), 1);
  EXPECT_EQ(j.at("name"), "O3-NaNiSbCu");
  EXPECT_EQ(j.at("space_group").at("number"), 166);
  EXPECT_EQ(j.at("space_group").at("international"), "R-3m");
  EXPECT_EQ(j.at("n_functions"), b.model.space.n_functions());
  EXPECT_EQ(j.at("orbits").size(), b.model.space.orbits().size());
  EXPECT_EQ(j.at("cutoffs"), json::array({8.0, 6.0, 4.5}));
  ASSERT_EQ(j.at("sublattices").size(), 2U);
  EXPECT_EQ(j.at("sublattices")[0].at("sites"), json::array({0}));
  EXPECT_EQ(j.at("sublattices")[1].at("sites"), json::array({1}));
  EXPECT_EQ(j.at("sublattices")[1].at("species"), json::array({"Na", "Va", "Cu"}));
  EXPECT_EQ(j.at("basis").at("sublattices").size(), 2U);
  // No orbit touches a fixed O site.
  for (const auto& o : j.at("orbits"))
    for (const auto& c : o.at("clusters"))
      for (const auto& s : c) EXPECT_LT(s[0].get<int>(), 2);
}

TEST(ModelFileTest, ProvenanceAndNullEcis) {
  const Built& b = built("o3-nanisbcu");
  const json& j = b.j;
  ASSERT_TRUE(j.contains("ecis"));
  EXPECT_TRUE(j.at("ecis").is_null());
  const json& p = j.at("provenance");
  EXPECT_EQ(p.at("definition_sha256"), b.def.source_sha256);
  EXPECT_EQ(p.at("definition_sha256"), tmorder::sha256_file_hex(shipped_path("o3-nanisbcu")));
  EXPECT_EQ(p.at("tmorder_version"), tmorder::version_string);
  EXPECT_EQ(p.at("git_commit"), tmorder::git_commit);
  EXPECT_EQ(p.at("definition_file"), shipped_path("o3-nanisbcu").string());
  EXPECT_EQ(p.at("definition_text"), b.def.source_text);
  EXPECT_EQ(p.at("created").get<std::string>().size(), 20U);  // 2024-01-02T03:04:05Z
  // build_model records the definition's hash as the model's.
  EXPECT_EQ(b.model.source_sha256, b.def.source_sha256);
  EXPECT_EQ(b.model.provenance.at("definition_sha256"), b.def.source_sha256);
}

TEST(ModelFileTest, FittedEcisAreRead) {
  json j = built("fcc").j;
  const std::size_t n = j.at("n_functions").get<std::size_t>();
  std::vector<double> ecis(n);
  for (std::size_t k = 0; k < n; ++k) ecis[k] = 0.01 * static_cast<double>(k) - 0.5;
  j["ecis"] = ecis;
  const Model m = tmorder::io::model_from_json(j, "fitted.json");
  ASSERT_TRUE(m.ecis.has_value());
  EXPECT_EQ(*m.ecis, ecis);
}

TEST(ModelFileTest, LoadModelFromJsonFile) {
  const TempDir dir("modelfile_load");
  const std::string text = built("o3-nanisbcu").j.dump(1) + "\n";
  const fs::path file = dir.write("o3.model.json", text);
  const Model m = tmorder::io::load_model(file);
  EXPECT_EQ(m.name, "O3-NaNiSbCu");
  EXPECT_EQ(m.source_path, file.string());
  EXPECT_EQ(m.source_sha256, tmorder::sha256_hex(text));
  EXPECT_EQ(m.source_sha256, tmorder::sha256_file_hex(file));
  EXPECT_EQ(m.provenance.at("definition_sha256"), built("o3-nanisbcu").def.source_sha256);
  expect_same_space(built("o3-nanisbcu").model.space, m.space);
}

TEST(ModelFileTest, LoadModelFromTomlEnumerates) {
  const fs::path toml = shipped_path("fcc");
  const Model m = tmorder::io::load_model(toml);
  EXPECT_EQ(m.name, "fcc-ternary");
  EXPECT_EQ(m.source_path, toml.string());
  EXPECT_EQ(m.source_sha256, tmorder::sha256_file_hex(toml));
  EXPECT_FALSE(m.ecis.has_value());
  EXPECT_EQ(m.space.space_group().number, 225);
  expect_same_space(built("fcc").model.space, m.space);
}

TEST(ModelFileTest, LoadModelNonexistentFile) {
  const fs::path missing = fs::temp_directory_path() / "tmorder_no_such_dir_y" / "model.json";
  const std::string message = error_of([&] { (void)tmorder::io::load_model(missing); });
  EXPECT_NE(message.find(missing.string()), std::string::npos) << message;
  EXPECT_NE(message.find("cannot read"), std::string::npos) << message;
  const fs::path missing_toml = missing.parent_path() / "model.toml";
  const std::string toml_message = error_of([&] { (void)tmorder::io::load_model(missing_toml); });
  EXPECT_NE(toml_message.find(missing_toml.string()), std::string::npos) << toml_message;
}

// ---------------------------------------------------------------------------------------
// JSON syntax errors carry the line

TEST(ModelFileTest, JsonSyntaxErrorHasLine) {
  const TempDir dir("modelfile_syntax");
  const fs::path file = dir.write("bad.json", "{\n  \"schema\": \"tmorder-model\",\n  \"schema_version\": 1 \"x\"\n}\n");
  const std::string message = error_of([&] { (void)tmorder::io::load_model(file); });
  EXPECT_NE(message.find(file.string() + ":3:"), std::string::npos) << message;
  EXPECT_NE(message.find("JSON syntax error"), std::string::npos) << message;
}

TEST(ModelFileTest, JsonSyntaxErrorAtNewlineStaysOnItsLine) {
  // The string on line 2 runs into the newline: the offending byte is that newline.
  const TempDir dir("modelfile_newline");
  const fs::path file = dir.write("bad.json", "{\n  \"schema\": \"tmorder-model\n}\n");
  const std::string message = error_of([&] { (void)tmorder::io::load_model(file); });
  EXPECT_NE(message.find(file.string() + ":2:"), std::string::npos) << message;
}

TEST(ModelFileTest, JsonTruncatedReportsLastLine) {
  const TempDir dir("modelfile_truncated");
  const fs::path file = dir.write("bad.json", "{\n  \"schema\": \"tmorder-model\",\n");
  const std::string message = error_of([&] { (void)tmorder::io::load_model(file); });
  EXPECT_NE(message.find(file.string() + ":2:"), std::string::npos) << message;
}

TEST(ModelFileTest, JsonNotAnObject) {
  const std::string message = error_of([&] { (void)tmorder::io::model_from_json(json::array({1, 2}), "tampered.json"); });
  EXPECT_NE(message.find("tampered.json"), std::string::npos) << message;
  EXPECT_NE(message.find("JSON object"), std::string::npos) << message;
}

// ---------------------------------------------------------------------------------------
// Tampered files

TEST(ModelFileTest, UntouchedJsonLoads) {
  // The baseline of the tamper tests: without a change the model reads.
  EXPECT_NO_THROW((void)tmorder::io::model_from_json(built("o3-nanisbcu").j, "tampered.json"));
}

TEST(ModelFileTest, WrongSchemaName) {
  expect_message(tampered_error([](json& j) { j["schema"] = "icet-model"; }), "'schema'", "\"tmorder-model\"");
  expect_message(tampered_error([](json& j) { j.erase("schema"); }), "'schema'", "missing");
}

TEST(ModelFileTest, SchemaVersion2) {
  expect_message(tampered_error([](json& j) { j["schema_version"] = 2; }), "'schema_version'", "reads version 1");
  expect_message(tampered_error([](json& j) { j["schema_version"] = 1.5; }), "'schema_version'", "integers");
  expect_message(tampered_error([](json& j) { j["schema_version"] = "1"; }), "'schema_version'", "wrong type");
}

TEST(ModelFileTest, MissingOrbits) {
  expect_message(tampered_error([](json& j) { j.erase("orbits"); }), "'orbits'", "missing");
  expect_message(tampered_error([](json& j) { j["orbits"] = json::object(); }), "'orbits'", "array");
}

TEST(ModelFileTest, MissingStructureOrSpaceGroup) {
  expect_message(tampered_error([](json& j) { j.erase("structure"); }), "'structure'", "missing");
  expect_message(tampered_error([](json& j) { j["structure"].erase("cell"); }), "'structure.cell'", "missing");
  expect_message(tampered_error([](json& j) { j.erase("space_group"); }), "'space_group'", "missing");
  expect_message(tampered_error([](json& j) { j["space_group"].erase("operations"); }), "'space_group.operations'",
                 "missing");
  expect_message(tampered_error([](json& j) { j.erase("sublattices"); }), "'sublattices'", "missing");
}

TEST(ModelFileTest, OrbitSiteIndexOutOfRange) {
  expect_message(tampered_error([](json& j) { j["orbits"][orbit_on(j, 0, 2)]["clusters"][0][1][0] = 7; }),
                 "orbits[" + std::to_string(orbit_on(built("o3-nanisbcu").j, 0, 2)) + "].clusters", "active basis site");
  expect_message(tampered_error([](json& j) { j["orbits"][0]["clusters"][0][0][0] = -1; }), "'orbits[0].clusters'",
                 "active basis site");
}

TEST(ModelFileTest, OrbitOnInactiveOxygenSite) {
  // Site 2 is a fixed O: no cluster may include it.
  expect_message(tampered_error([](json& j) { j["orbits"][0]["clusters"][0][0][0] = 2; }), "'orbits[0].clusters'",
                 "active basis site");
}

TEST(ModelFileTest, OrbitSiteOnTheWrongSublattice) {
  // Both sublattices have 3 species, so only the site-sublattice check can see this: the
  // TM point orbit relabelled as a Na-sublattice orbit.
  const std::size_t k = orbit_on(built("o3-nanisbcu").j, 0, 1);
  expect_message(tampered_error([k](json& j) { j["orbits"][k]["sublattices"] = json::array({1}); }),
                 "orbits[" + std::to_string(k) + "].clusters", "sublattice");
}

TEST(ModelFileTest, OrbitClusterSizeDiffersFromOrder) {
  const std::size_t k = orbit_on(built("o3-nanisbcu").j, 0, 2);
  expect_message(tampered_error([k](json& j) { j["orbits"][k]["clusters"][0].erase(1); }),
                 "orbits[" + std::to_string(k) + "].clusters", "differs from order");
  expect_message(tampered_error([k](json& j) { j["orbits"][k]["order"] = 0; }), "orbits[" + std::to_string(k) + "]",
                 "order");
}

TEST(ModelFileTest, DecorationIndexOutOfRange) {
  // Three species: point-function indices 1 and 2 only.
  expect_message(tampered_error([](json& j) { j["orbits"][0]["functions"][0][0][0] = 3; }), "'orbits[0].functions'",
                 "out of range");
  expect_message(tampered_error([](json& j) { j["orbits"][0]["functions"][0][0][0] = 0; }), "'orbits[0].functions'",
                 "out of range");
  // fcc ternary, the same.
  expect_message(tampered_error([](json& j) { j["orbits"][0]["functions"][0][0][0] = 3; }, "fcc"),
                 "'orbits[0].functions'", "out of range");
}

TEST(ModelFileTest, NFunctionsMismatch) {
  expect_message(tampered_error([](json& j) { j["n_functions"] = j["n_functions"].get<int>() + 1; }), "'n_functions'",
                 "does not match");
  // Dropping one function from an orbit changes the count the stored n_functions promises.
  expect_message(tampered_error([](json& j) {
                   const std::size_t k = orbit_on(j, 0, 1);
                   j["orbits"][k]["functions"].erase(1);
                 }),
                 "'n_functions'", "does not match");
}

TEST(ModelFileTest, EcisOfWrongLength) {
  expect_message(tampered_error([](json& j) { j["ecis"] = std::vector<double>(j["n_functions"].get<std::size_t>() - 1, 0.1); }),
                 "'ecis'", "one per correlation");
  expect_message(tampered_error([](json& j) { j["ecis"] = "none"; }), "'ecis'", "wrong type");
}

TEST(ModelFileTest, SpaceGroupTampered) {
  const std::string message = tampered_error([](json& j) { j["space_group"]["number"] = 1; });
  expect_message(message, "'space_group'", "does not match");
  EXPECT_NE(message.find("R-3m"), std::string::npos) << message;
  expect_message(tampered_error([](json& j) { j["space_group"]["operations"].erase(0); }), "'space_group'",
                 "does not match");
}

TEST(ModelFileTest, StructureTamperedChangesTheSymmetry) {
  // Moving one O off the 3-fold axis lowers the symmetry below R-3m.
  expect_message(tampered_error([](json& j) { j["structure"]["positions"][2] = json::array({0.3, 0.25, 0.26}); }),
                 "'space_group'", "does not match");
}

TEST(ModelFileTest, BasisTampered) {
  expect_message(tampered_error([](json& j) {
                   auto& v = j["basis"]["sublattices"][1]["point_functions"][1][2];
                   v = v.get<double>() + 0.1;
                 }),
                 "basis.sublattices[1].point_functions", "does not match");
  expect_message(tampered_error([](json& j) { j["basis"]["sublattices"].erase(1); }), "'basis.sublattices'",
                 "one entry per sublattice");
}

TEST(ModelFileTest, SublatticesTampered) {
  expect_message(tampered_error([](json& j) { j["sublattices"][0]["sites"] = json::array({9}); }),
                 "'sublattices[0].sites'", "out of range");
  expect_message(tampered_error([](json& j) { j["sublattices"][1]["sites"] = json::array({0}); }),
                 "'sublattices[1].sites'", "listed twice");
  expect_message(tampered_error([](json& j) { j["sublattices"][0]["species"] = json::array({"Ni", "Ni", "Cu"}); }),
                 "'sublattices'", "twice");
}

TEST(ModelFileTest, CutoffsAndSymprecTampered) {
  expect_message(tampered_error([](json& j) { j["cutoffs"][1] = -6.0; }), "'cutoffs[1]'", "0 < cutoff");
  expect_message(tampered_error([](json& j) { j["symprec"] = 0.0; }), "'symprec'", "0 < symprec");
  expect_message(tampered_error([](json& j) { j["symprec"] = "tight"; }), "'symprec'", "wrong type");
}

TEST(ModelFileTest, SingularCellTampered) {
  expect_message(tampered_error([](json& j) { j["structure"]["cell"][1] = j["structure"]["cell"][0]; }),
                 "'structure.cell'", "linearly independent");
}

TEST(ModelFileTest, ErrorsThroughLoadModelNameTheFile) {
  const TempDir dir("modelfile_tampered");
  json j = built("o3-nanisbcu").j;
  j["schema_version"] = 2;
  const fs::path file = dir.write("old.json", j.dump(1));
  const std::string message = error_of([&] { (void)tmorder::io::load_model(file); });
  EXPECT_NE(message.find(file.string() + ": key 'schema_version'"), std::string::npos) << message;
}

}  // namespace
