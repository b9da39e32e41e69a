// Tests for the optional electrostatic term of a model: the [electrostatics] table of a
// model definition (formal charges for every species, the Ewald coefficient), its refusals
// (each message names the file, the line, the key and what was expected), and the
// "electrostatics" key of the JSON model file (round trip, files without the key, refusals).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/io/model_definition.hpp"
#include "tmorder/io/model_file.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/util/error.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using tmorder::IMat3;
using tmorder::io::ElectrostaticsSpec;
using tmorder::io::Model;
using tmorder::io::ModelDefinition;
using tmorder::io::parse_model_definition;
using tmorder::test_support::error_of;
using tmorder::test_support::TempDir;

const fs::path kSourceDir = TMORDER_SOURCE_DIR;

// A two-site definition: M = {Ni, Sb, Va} on the Ni site, O fixed. The species of the model
// are therefore Ni, O, Sb and Va. kBaseLines lines; an appended section starts on the next.
const std::string kBase =
    "[model]\n"                                                           // 1
    "name = \"es\"\n"                                                     // 2
    "[structure]\n"                                                       // 3
    "cell = [[3.0, 0.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 6.0]]\n"        // 4
    "positions = [[0.0, 0.0, 0.0], [0.5, 0.5, 0.5]]\n"                    // 5
    "species = [\"Ni\", \"O\"]\n"                                         // 6
    "[[sublattices]]\n"                                                   // 7
    "name = \"M\"\n"                                                      // 8
    "sites = \"Ni\"\n"                                                    // 9
    "species = [\"Ni\", \"Sb\", \"Va\"]\n"                                // 10
    "[clusters]\n"                                                        // 11
    "cutoffs = [4.0]\n";                                                  // 12
constexpr int kBaseLines = 12;
constexpr int kSectionLine = kBaseLines + 1;  // "[electrostatics]"
constexpr int kChargesLine = kBaseLines + 2;  // "charges = ..."
constexpr int kCoefficientLine = kBaseLines + 3;

const std::string kGoodCharges = "charges = { Ni = 2, Sb = 5, Va = 0, O = -2 }";

// The base definition with an [electrostatics] section made of `lines` (one per line).
std::string with_section(const std::vector<std::string>& lines) {
  std::string text = kBase + "[electrostatics]\n";
  for (const auto& l : lines) text += l + "\n";
  return text;
}

std::string parse_error(const std::string& text) {
  return error_of([&] { (void)parse_model_definition(text, "bad.toml"); });
}

// The message names bad.toml and the line (when line > 0), the key and what was expected.
void expect_message(const std::string& message, int line, const std::string& key, const std::string& expected) {
  EXPECT_NE(message.find("bad.toml"), std::string::npos) << message;
  if (line > 0) {
    EXPECT_NE(message.find("bad.toml:" + std::to_string(line) + ":"), std::string::npos) << message;
  }
  EXPECT_NE(message.find("key '" + key + "'"), std::string::npos) << "key '" << key << "' not in: " << message;
  EXPECT_NE(message.find(expected), std::string::npos) << "'" << expected << "' not in: " << message;
}

// The model file of `text`, enumerated and serialised.
json model_json(const std::string& text, const std::string& path = "es.toml") {
  const ModelDefinition def = parse_model_definition(text, path);
  return tmorder::io::model_to_json(tmorder::io::build_model(def).space, def);
}

// The JSON of the base model with good charges (coefficient 0.5), enumerated once.
const json& good_json() {
  static const json good = model_json(with_section({kGoodCharges, "coefficient = 0.5"}));
  return good;
}

// good_json() changed by `tamper`, read back as "tampered.json": the error message.
std::string tampered_error(const std::function<void(json&)>& tamper) {
  json j = good_json();
  tamper(j);
  return error_of([&] { (void)tmorder::io::model_from_json(j, "tampered.json"); });
}

void expect_json_message(const std::string& message, const std::string& key, const std::string& expected) {
  EXPECT_NE(message.find("tampered.json"), std::string::npos) << message;
  EXPECT_NE(message.find("key '" + key + "'"), std::string::npos) << "key '" << key << "' not in: " << message;
  EXPECT_NE(message.find(expected), std::string::npos) << "'" << expected << "' not in: " << message;
}

const std::map<std::string, double> kBaseCharges{{"Ni", 2}, {"Sb", 5}, {"Va", 0}, {"O", -2}};

}  // namespace

// ---------------------------------------------------------------------------------------
// The [electrostatics] table of a definition

TEST(ModelElectrostaticsTest, ParsesChargesAndCoefficient) {
  const ModelDefinition def = parse_model_definition(with_section({kGoodCharges, "coefficient = 0.1"}), "es.toml");
  ASSERT_TRUE(def.electrostatics.has_value());
  EXPECT_EQ(def.electrostatics->charges, kBaseCharges);
  EXPECT_EQ(def.electrostatics->coefficient, 0.1);
}

TEST(ModelElectrostaticsTest, CoefficientDefaultsToOne) {
  const ModelDefinition def = parse_model_definition(with_section({kGoodCharges}), "es.toml");
  ASSERT_TRUE(def.electrostatics.has_value());
  EXPECT_EQ(def.electrostatics->coefficient, 1.0);
  EXPECT_EQ(def.electrostatics->charges, kBaseCharges);
}

TEST(ModelElectrostaticsTest, NoSectionMeansNoElectrostatics) {
  EXPECT_FALSE(parse_model_definition(kBase, "es.toml").electrostatics.has_value());
}

TEST(ModelElectrostaticsTest, ChargesAsSubtableAndFractionalValues) {
  // [electrostatics.charges] is the same TOML table as an inline one; charges need not be integers.
  const std::string text = kBase + "[electrostatics]\ncoefficient = 2\n[electrostatics.charges]\nNi = 2.5\nSb = 4.5\n\"Va\" = 0\nO = -2\n";
  const ModelDefinition def = parse_model_definition(text, "es.toml");
  ASSERT_TRUE(def.electrostatics.has_value());
  EXPECT_EQ(def.electrostatics->charges, (std::map<std::string, double>{{"Ni", 2.5}, {"Sb", 4.5}, {"Va", 0}, {"O", -2}}));
  EXPECT_EQ(def.electrostatics->coefficient, 2.0);
}

TEST(ModelElectrostaticsTest, ShippedO3WithChargesFeedsTheEwaldTerm) {
  // The O3 definition (Ni/Sb/Cu on TM, Na/Va/Cu in the Na layer, O fixed) with charges:
  // the parsed map is complete for the consumer, ce::Electrostatics.
  const std::string text = "[model]\nname = \"o3-es\"\n[structure]\nfile = \"" +
                           (kSourceDir / "clusters" / "o3-nanisbcu" / "POSCAR").string() +
                           "\"\n[[sublattices]]\nname = \"TM\"\nsites = \"Ni\"\nspecies = [\"Ni\", \"Sb\", \"Cu\"]\n"
                           "[[sublattices]]\nname = \"Na\"\nsites = \"Na\"\nspecies = [\"Na\", \"Va\", \"Cu\"]\n"
                           "[clusters]\ncutoffs = [4.0]\n"
                           "[electrostatics]\ncharges = { Ni = 2, Sb = 5, Cu = 2, Na = 1, Va = 0, O = -2 }\ncoefficient = 0.1\n";
  const ModelDefinition def = parse_model_definition(text, "o3.toml");
  ASSERT_TRUE(def.electrostatics.has_value());
  EXPECT_EQ(def.electrostatics->charges.size(), 6U);
  IMat3 P;
  P << 2, 1, 0, -1, 2, 0, 0, 0, 2;
  const tmorder::lattice::Supercell sc(P, static_cast<int>(def.parent.n_sites()));
  const tmorder::ce::Electrostatics es(def.parent, sc, def.electrostatics->charges, def.electrostatics->coefficient);
  EXPECT_EQ(es.coefficient(), 0.1);
  for (std::size_t b = 0; b < def.parent.n_sites(); ++b) {
    const auto allowed = def.parent.allowed_species(static_cast<int>(b));
    for (std::size_t s = 0; s < allowed.size(); ++s)
      EXPECT_EQ(es.charge(static_cast<int>(b), static_cast<int>(s)), def.electrostatics->charges.at(allowed[s]));
  }
}

TEST(ModelElectrostaticsTest, TopLevelListsElectrostatics) {
  const std::string message = parse_error(kBase + "[electrostatic]\ncharges = {}\n");
  expect_message(message, kSectionLine, "electrostatic", "unknown section");
  EXPECT_NE(message.find("[electrostatics]"), std::string::npos) << message;
}

TEST(ModelElectrostaticsTest, SectionNotATable) {
  expect_message(parse_error("electrostatics = 1\n" + kBase), 1, "electrostatics", "expected a table [electrostatics]");
}

TEST(ModelElectrostaticsTest, UnknownKey) {
  const std::string message = parse_error(with_section({kGoodCharges, "coeficient = 0.1"}));
  expect_message(message, kCoefficientLine, "electrostatics.coeficient", "unknown key");
  EXPECT_NE(message.find("charges, coefficient"), std::string::npos) << message;
}

TEST(ModelElectrostaticsTest, ChargesMissing) {
  expect_message(parse_error(with_section({"coefficient = 0.1"})), kSectionLine, "electrostatics.charges",
                 "missing; expected a table of formal charges");
}

TEST(ModelElectrostaticsTest, ChargesNotATable) {
  expect_message(parse_error(with_section({"charges = [2, 5, 0, -2]"})), kChargesLine, "electrostatics.charges",
                 "expected a table of formal charges in e");
  expect_message(parse_error(with_section({"charges = 2"})), kChargesLine, "electrostatics.charges",
                 "expected a table of formal charges in e");
}

TEST(ModelElectrostaticsTest, ChargeNotAFiniteNumber) {
  for (const std::string bad : {"\"two\"", "true", "nan", "inf", "-inf", "[2]", "{ q = 2 }"}) {
    SCOPED_TRACE(bad);
    expect_message(parse_error(with_section({"charges = { Ni = " + bad + ", Sb = 5, Va = 0, O = -2 }"})), kChargesLine,
                   "electrostatics.charges.Ni", "expected a formal charge in e (a finite number)");
  }
}

TEST(ModelElectrostaticsTest, ChargeOfASpeciesTheModelDoesNotKnow) {
  // Cu is on no sublattice and no fixed site; "ni" is a misspelt Ni.
  const std::string message = parse_error(with_section({"charges = { Ni = 2, Sb = 5, Va = 0, O = -2, Cu = 2 }"}));
  expect_message(message, kChargesLine, "electrostatics.charges.Cu", "species 'Cu' does not occur in the model");
  EXPECT_NE(message.find("'Ni', 'O', 'Sb', 'Va'"), std::string::npos) << message;
  expect_message(parse_error(with_section({"charges = { ni = 2, Sb = 5, Va = 0, O = -2 }"})), kChargesLine,
                 "electrostatics.charges.ni", "does not occur in the model");
}

TEST(ModelElectrostaticsTest, SpeciesWithoutACharge) {
  // The fixed O and the vacancy need charges too.
  expect_message(parse_error(with_section({"charges = { Ni = 2, Sb = 5, Va = 0 }"})), kChargesLine, "electrostatics.charges",
                 "no charge for species 'O'");
  expect_message(parse_error(with_section({"charges = { Ni = 2, Sb = 5, O = -2 }"})), kChargesLine, "electrostatics.charges",
                 "no charge for species 'Va'");
  const std::string message = parse_error(with_section({"charges = { Ni = 2, Sb = 5 }"}));
  expect_message(message, kChargesLine, "electrostatics.charges", "no charge for species 'O', 'Va'");
  EXPECT_NE(message.find("for every species"), std::string::npos) << message;
  expect_message(parse_error(with_section({"charges = {}"})), kChargesLine, "electrostatics.charges",
                 "no charge for species 'Ni', 'O', 'Sb', 'Va'");
}

TEST(ModelElectrostaticsTest, CoefficientNotAFinitePositiveNumber) {
  for (const std::string bad : {"0", "0.0", "-0.1", "-1", "nan", "inf", "\"0.1\"", "true"}) {
    SCOPED_TRACE(bad);
    expect_message(parse_error(with_section({kGoodCharges, "coefficient = " + bad})), kCoefficientLine,
                   "electrostatics.coefficient", "expected a finite number > 0");
  }
  expect_message(parse_error(with_section({kGoodCharges, "coefficient = -1e-9"})), kCoefficientLine,
                 "electrostatics.coefficient", "got -1e-09");
}

// ---------------------------------------------------------------------------------------
// The "electrostatics" key of a model file

TEST(ModelElectrostaticsTest, JsonHoldsChargesUnitsAndCoefficient) {
  const json j = model_json(with_section({kGoodCharges, "coefficient = 0.1"}));
  ASSERT_TRUE(j.contains("electrostatics"));
  const json& e = j.at("electrostatics");
  EXPECT_EQ(e.at("charge_units"), "e");
  EXPECT_EQ(e.at("coefficient").get<double>(), 0.1);
  const auto charges = e.at("charges").get<std::map<std::string, double>>();
  EXPECT_EQ(charges, kBaseCharges);
}

TEST(ModelElectrostaticsTest, JsonIsNullWithoutElectrostatics) {
  const json j = model_json(kBase);
  ASSERT_TRUE(j.contains("electrostatics"));
  EXPECT_TRUE(j.at("electrostatics").is_null());
  EXPECT_FALSE(tmorder::io::model_from_json(j, "plain.json").electrostatics.has_value());
}

TEST(ModelElectrostaticsTest, RoundTripPreservesChargesAndCoefficientExactly) {
  // Values without a short decimal form: the text must carry every bit.
  const std::string text = with_section({"charges = { Ni = 2.3333333333333335, Sb = 4.9999999999999991, Va = 1e-300, O = -2 }",
                                         "coefficient = 0.07142857142857142"});
  const ModelDefinition def = parse_model_definition(text, "es.toml");
  ASSERT_TRUE(def.electrostatics.has_value());
  const Model built = tmorder::io::build_model(def);
  ASSERT_TRUE(built.electrostatics.has_value());
  EXPECT_EQ(built.electrostatics->charges, def.electrostatics->charges);
  EXPECT_EQ(built.electrostatics->coefficient, def.electrostatics->coefficient);

  const json j = tmorder::io::model_to_json(built.space, def);
  const Model back = tmorder::io::model_from_json(json::parse(j.dump(1)), "es.json");
  ASSERT_TRUE(back.electrostatics.has_value());
  EXPECT_EQ(back.electrostatics->charges, def.electrostatics->charges);
  EXPECT_EQ(back.electrostatics->coefficient, def.electrostatics->coefficient);
  EXPECT_EQ(back.electrostatics->charges.at("Ni"), 2.3333333333333335);
  EXPECT_EQ(back.electrostatics->coefficient, 0.07142857142857142);

  // Through files: load_model of the definition and of the written model file.
  const TempDir dir("model_es");
  const fs::path toml = dir.write("es.toml", text);
  const fs::path model = dir.write("es.json", j.dump(1) + "\n");
  for (const fs::path& p : {toml, model}) {
    SCOPED_TRACE(p.string());
    const Model loaded = tmorder::io::load_model(p);
    ASSERT_TRUE(loaded.electrostatics.has_value());
    EXPECT_EQ(loaded.electrostatics->charges, def.electrostatics->charges);
    EXPECT_EQ(loaded.electrostatics->coefficient, def.electrostatics->coefficient);
  }
}

TEST(ModelElectrostaticsTest, JsonWithoutTheKeyLoads) {
  // Model files written before the electrostatic term existed have no such key.
  json j = model_json(with_section({kGoodCharges}));
  j.erase("electrostatics");
  const Model m = tmorder::io::model_from_json(j, "old.json");
  EXPECT_FALSE(m.electrostatics.has_value());
  const TempDir dir("model_es_old");
  EXPECT_FALSE(tmorder::io::load_model(dir.write("old.json", j.dump())).electrostatics.has_value());
}

TEST(ModelElectrostaticsTest, JsonUntouchedLoads) {
  // The baseline of the tamper tests below.
  const Model m = tmorder::io::model_from_json(good_json(), "tampered.json");
  ASSERT_TRUE(m.electrostatics.has_value());
  EXPECT_EQ(m.electrostatics->charges, kBaseCharges);
  EXPECT_EQ(m.electrostatics->coefficient, 0.5);
}

TEST(ModelElectrostaticsTest, JsonBadCharge) {
  for (const json& bad : {json("two"), json(nullptr), json(true), json::array({2}), json::object()}) {
    SCOPED_TRACE(bad.dump());
    expect_json_message(tampered_error([&](json& j) { j["electrostatics"]["charges"]["Sb"] = bad; }), "electrostatics.charges.Sb",
                        "expected a formal charge in e (a finite number)");
  }
}

TEST(ModelElectrostaticsTest, JsonUnknownOrMissingSpecies) {
  expect_json_message(tampered_error([](json& j) { j["electrostatics"]["charges"]["Cu"] = 2; }), "electrostatics.charges.Cu",
                      "species 'Cu' does not occur in the model");
  expect_json_message(tampered_error([](json& j) { j["electrostatics"]["charges"].erase("Va"); }), "electrostatics.charges",
                      "no charge for species 'Va'");
}

TEST(ModelElectrostaticsTest, JsonBadStructure) {
  expect_json_message(tampered_error([](json& j) { j["electrostatics"] = 3; }), "electrostatics", "expected a JSON object");
  expect_json_message(tampered_error([](json& j) { j["electrostatics"]["charges"] = json::array({2, 5}); }),
                      "electrostatics.charges", "expected a JSON object");
  expect_json_message(tampered_error([](json& j) { j["electrostatics"].erase("charges"); }), "electrostatics.charges", "missing");
  expect_json_message(tampered_error([](json& j) { j["electrostatics"]["charge_units"] = "C"; }), "electrostatics.charge_units",
                      "expected \"e\"");
}

TEST(ModelElectrostaticsTest, JsonBadCoefficient) {
  for (const json& bad : {json(0), json(-0.5), json("0.5"), json(nullptr), json(false)}) {
    SCOPED_TRACE(bad.dump());
    expect_json_message(tampered_error([&](json& j) { j["electrostatics"]["coefficient"] = bad; }), "electrostatics.coefficient",
                        "expected a finite number > 0");
  }
  expect_json_message(tampered_error([](json& j) { j["electrostatics"].erase("coefficient"); }), "electrostatics.coefficient",
                      "missing");
}
