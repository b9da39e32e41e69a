// Tests for the TOML model-definition reader: the shipped definitions, inline and file
// structures, provenance, and one test per kind of bad input (the message must name the
// file, the line where the node has one, the key, and what was expected).
#include "tmorder/io/model_definition.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "tmorder/clusters/cluster_space.hpp"
#include "test_support.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"

namespace {

namespace fs = std::filesystem;
using tmorder::test_support::error_of;
using tmorder::test_support::TempDir;
using tmorder::InputError;
using tmorder::Mat3;
using tmorder::Vec3;
using tmorder::io::ModelDefinition;
using tmorder::io::parse_model_definition;
using tmorder::io::read_model_definition;

const fs::path kSourceDir = TMORDER_SOURCE_DIR;
const fs::path kModelData = fs::path(TMORDER_TEST_DATA_DIR) / "models";

// A valid two-site definition; error tests replace or blank one of its numbered lines, so
// the expected line numbers below can be read off this list.
std::vector<std::string> base_lines() {
  return {
      "[model]",                                                               // 1
      "name = \"test\"",                                                       // 2
      "description = \"two-site test lattice\"",                               // 3
      "",                                                                      // 4
      "[structure]",                                                           // 5
      "cell = [[3.0, 0.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 6.0]]",            // 6
      "positions = [[0.0, 0.0, 0.0], [0.5, 0.5, 0.5]]",                        // 7
      "species = [\"Ni\", \"O\"]",                                             // 8
      "",                                                                      // 9
      "[[sublattices]]",                                                       // 10
      "name = \"M\"",                                                          // 11
      "sites = \"Ni\"",                                                        // 12
      "species = [\"Ni\", \"Sb\"]",                                            // 13
      "",                                                                      // 14
      "[clusters]",                                                            // 15
      "cutoffs = [5.0, 4.0]",                                                  // 16
      "symprec = 1e-3",                                                        // 17
  };
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// The base definition with 1-based lines replaced ("" blanks a line, keeping the numbering).
std::string with_lines(const std::vector<std::pair<int, std::string>>& replacements) {
  auto lines = base_lines();
  for (const auto& [number, text] : replacements) lines.at(static_cast<std::size_t>(number - 1)) = text;
  return join_lines(lines);
}

std::string with_line(int number, const std::string& replacement) { return with_lines({{number, replacement}}); }


std::string parse_error(const std::string& text) {
  return error_of([&] { (void)parse_model_definition(text, "bad.toml"); });
}

// Asserts the message names bad.toml, the key and the expectation; the file is followed by
// ":line:" when line > 0, by no line when line == 0 (a missing section), unchecked if < 0.
void expect_message(const std::string& message, int line, const std::string& key, const std::string& expected) {
  EXPECT_NE(message.find("bad.toml"), std::string::npos) << message;
  if (line > 0) {
    EXPECT_NE(message.find("bad.toml:" + std::to_string(line) + ":"), std::string::npos) << message;
  } else if (line == 0) {
    EXPECT_EQ(message.rfind("bad.toml: ", 0), 0U) << message;
  }
  EXPECT_NE(message.find(key), std::string::npos) << "key '" << key << "' not in: " << message;
  EXPECT_NE(message.find(expected), std::string::npos) << "'" << expected << "' not in: " << message;
}


ModelDefinition shipped(const std::string& name) {
  return read_model_definition(kSourceDir / "clusters" / name / "model.toml");
}

// ---------------------------------------------------------------------------------------
// Valid definitions

TEST(ModelDefinitionTest, BaseDefinitionParses) {
  const ModelDefinition def = parse_model_definition(join_lines(base_lines()), "base.toml");
  EXPECT_EQ(def.name, "test");
  EXPECT_EQ(def.description, "two-site test lattice");
  ASSERT_EQ(def.parent.n_sites(), 2U);
  EXPECT_EQ(def.parent.structure.species, (std::vector<std::string>{"Ni", "O"}));
  EXPECT_TRUE(def.parent.structure.frac[1].isApprox(Vec3(0.5, 0.5, 0.5)));
  EXPECT_DOUBLE_EQ(def.parent.structure.cell(2, 2), 6.0);
  ASSERT_EQ(def.parent.sublattices.size(), 1U);
  EXPECT_EQ(def.parent.sublattices[0].name, "M");
  EXPECT_EQ(def.parent.sublattices[0].species, (std::vector<std::string>{"Ni", "Sb"}));
  EXPECT_EQ(def.parent.site_sublattice, (std::vector<int>{0, -1}));
  EXPECT_EQ(def.cutoffs, (std::vector<double>{5.0, 4.0}));
  EXPECT_DOUBLE_EQ(def.symprec, 1e-3);
  EXPECT_EQ(def.source_path, "base.toml");
  EXPECT_NO_THROW(def.parent.validate());
}

TEST(ModelDefinitionTest, OptionalKeysTakeDefaults) {
  // No description, no symprec, integer cutoffs.
  const ModelDefinition def =
      parse_model_definition(with_lines({{3, ""}, {16, "cutoffs = [5, 4]"}, {17, ""}}), "base.toml");
  EXPECT_EQ(def.description, "");
  EXPECT_DOUBLE_EQ(def.symprec, 1e-3);
  EXPECT_EQ(def.cutoffs, (std::vector<double>{5.0, 4.0}));
}

TEST(ModelDefinitionTest, SitesByIndexEqualSitesByLabel) {
  const ModelDefinition by_label = parse_model_definition(join_lines(base_lines()), "a.toml");
  const ModelDefinition by_index = parse_model_definition(with_line(12, "sites = [0]"), "b.toml");
  EXPECT_EQ(by_index.parent.site_sublattice, by_label.parent.site_sublattice);
  // Selecting the O site instead makes site 1 active and site 0 fixed.
  const ModelDefinition other = parse_model_definition(with_line(12, "sites = [1]"), "c.toml");
  EXPECT_EQ(other.parent.site_sublattice, (std::vector<int>{-1, 0}));
}

TEST(ModelDefinitionTest, TwoSublattices) {
  auto lines = base_lines();
  const std::vector<std::string> extra{"[[sublattices]]", "name = \"X\"", "sites = \"O\"", "species = [\"O\", \"Va\"]", ""};
  lines.insert(lines.begin() + 14, extra.begin(), extra.end());
  const ModelDefinition def = parse_model_definition(join_lines(lines), "two.toml");
  ASSERT_EQ(def.parent.sublattices.size(), 2U);
  EXPECT_EQ(def.parent.sublattices[1].name, "X");
  EXPECT_EQ(def.parent.sublattices[1].species, (std::vector<std::string>{"O", "Va"}));
  EXPECT_EQ(def.parent.site_sublattice, (std::vector<int>{0, 1}));
}

TEST(ModelDefinitionTest, EveryShippedDefinitionParses) {
  std::set<std::string> found;
  for (const auto& entry : fs::directory_iterator(kSourceDir / "clusters")) {
    const fs::path toml = entry.path() / "model.toml";
    if (!entry.is_directory() || !fs::exists(toml)) continue;
    SCOPED_TRACE(toml.string());
    ModelDefinition def;
    ASSERT_NO_THROW(def = read_model_definition(toml));
    found.insert(entry.path().filename().string());
    EXPECT_FALSE(def.name.empty());
    EXPECT_FALSE(def.parent.sublattices.empty());
    EXPECT_FALSE(def.cutoffs.empty());
    EXPECT_NO_THROW(def.parent.validate());
    EXPECT_EQ(def.source_path, toml.string());
    EXPECT_EQ(def.source_sha256, tmorder::sha256_file_hex(toml));
  }
  for (const char* name : {"fcc", "o3-nanisbcu", "square", "triangular"}) EXPECT_TRUE(found.count(name)) << name;
}

TEST(ModelDefinitionTest, ShippedFcc) {
  const ModelDefinition def = shipped("fcc");
  EXPECT_EQ(def.name, "fcc-ternary");
  ASSERT_EQ(def.parent.n_sites(), 1U);
  ASSERT_EQ(def.parent.sublattices.size(), 1U);
  EXPECT_EQ(def.parent.sublattices[0].name, "M");
  EXPECT_EQ(def.parent.sublattices[0].species, (std::vector<std::string>{"Cu", "Au", "Va"}));
  EXPECT_EQ(def.parent.site_sublattice, (std::vector<int>{0}));
  EXPECT_EQ(def.cutoffs, (std::vector<double>{6.0, 4.5, 3.0}));
  EXPECT_DOUBLE_EQ(def.symprec, 1e-3);
  EXPECT_NEAR(def.parent.structure.volume(), 16.0, 1e-12);  // a^3 / 4 with a = 4
}

TEST(ModelDefinitionTest, ShippedSquare) {
  const ModelDefinition def = shipped("square");
  EXPECT_EQ(def.name, "square-ising");
  ASSERT_EQ(def.parent.sublattices.size(), 1U);
  EXPECT_EQ(def.parent.sublattices[0].species, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(def.parent.site_sublattice, (std::vector<int>{0}));
  EXPECT_EQ(def.cutoffs, (std::vector<double>{3.5}));
}

TEST(ModelDefinitionTest, ShippedTriangular) {
  const ModelDefinition def = shipped("triangular");
  EXPECT_EQ(def.name, "triangular-NiSb");
  ASSERT_EQ(def.parent.sublattices.size(), 1U);
  EXPECT_EQ(def.parent.sublattices[0].name, "TM");
  EXPECT_EQ(def.parent.sublattices[0].species, (std::vector<std::string>{"Ni", "Sb"}));
  EXPECT_EQ(def.parent.site_sublattice, (std::vector<int>{0}));
  EXPECT_EQ(def.cutoffs, (std::vector<double>{6.5, 4.0}));
  EXPECT_DOUBLE_EQ(def.symprec, 1e-3);
}

TEST(ModelDefinitionTest, ShippedO3FromPoscar) {
  const ModelDefinition def = shipped("o3-nanisbcu");
  EXPECT_EQ(def.name, "O3-NaNiSbCu");
  ASSERT_EQ(def.parent.n_sites(), 4U);
  EXPECT_EQ(def.parent.structure.species, (std::vector<std::string>{"Ni", "Na", "O", "O"}));
  EXPECT_EQ(def.parent.site_sublattice, (std::vector<int>{0, 1, -1, -1}));
  ASSERT_EQ(def.parent.sublattices.size(), 2U);
  EXPECT_EQ(def.parent.sublattices[0].name, "TM");
  EXPECT_EQ(def.parent.sublattices[0].species, (std::vector<std::string>{"Ni", "Sb", "Cu"}));
  EXPECT_EQ(def.parent.sublattices[1].name, "Na");
  EXPECT_EQ(def.parent.sublattices[1].species, (std::vector<std::string>{"Na", "Va", "Cu"}));
  EXPECT_EQ(def.cutoffs, (std::vector<double>{8.0, 6.0, 4.5}));
  EXPECT_DOUBLE_EQ(def.symprec, 1e-3);
  // The POSCAR next to the TOML: rhombohedral cell, c/3 = 5.28 A along z.
  EXPECT_NEAR(def.parent.structure.cell(0, 0), 1.5315, 1e-12);
  EXPECT_NEAR(def.parent.structure.cell(2, 1), -1.7684238745, 1e-12);
  EXPECT_NEAR(def.parent.structure.cell(1, 2), 5.28, 1e-12);
  EXPECT_TRUE(def.parent.structure.frac[1].isApprox(Vec3::Constant(0.5)));
  EXPECT_TRUE(def.parent.structure.frac[3].isApprox(Vec3::Constant(-0.265)));
}

TEST(ModelDefinitionTest, ShippedO3HasSpaceGroupRm3m) {
  const ModelDefinition def = shipped("o3-nanisbcu");
  const tmorder::clusters::ClusterSpace space(def.parent, def.cutoffs, def.symprec);
  EXPECT_EQ(space.space_group().number, 166);
  EXPECT_EQ(space.space_group().international, "R-3m");
  EXPECT_EQ(space.space_group().operations.size(), 12U);  // primitive cell: point group -3m
  EXPECT_FALSE(space.orbits().empty());
}

TEST(ModelDefinitionTest, ExtxyzStructureFile) {
  const fs::path toml = kModelData / "rocksalt-extxyz" / "model.toml";
  const ModelDefinition def = read_model_definition(toml);
  EXPECT_EQ(def.name, "rocksalt-NaVa");
  ASSERT_EQ(def.parent.n_sites(), 2U);
  EXPECT_EQ(def.parent.structure.species, (std::vector<std::string>{"Na", "O"}));
  EXPECT_TRUE(def.parent.structure.frac[1].isApprox(Vec3::Constant(0.5)));
  EXPECT_EQ(def.parent.site_sublattice, (std::vector<int>{0, -1}));
  const tmorder::clusters::ClusterSpace space(def.parent, def.cutoffs, def.symprec);
  EXPECT_EQ(space.space_group().number, 225);  // Fm-3m
}

TEST(ModelDefinitionTest, CartesianCoordinatesEqualFractional) {
  // A triclinic cell, so that fractional and Cartesian differ in every component.
  Mat3 cell;
  cell << 3.1, 0.2, 0.1, -0.9, 2.8, 0.3, 0.4, -0.5, 6.2;
  const std::vector<Vec3> frac{Vec3(0.0, 0.0, 0.0), Vec3(0.5, 0.25, 0.4), Vec3(0.9, 0.1, 0.7)};
  auto fmt = [](const Vec3& v) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "[%.17g, %.17g, %.17g]", v[0], v[1], v[2]);
    return std::string(buf);
  };
  std::string cell_line = "cell = [", frac_line = "positions = [", cart_line = "positions = [";
  for (int i = 0; i < 3; ++i) {
    const Vec3 row = cell.row(i).transpose();
    cell_line += (i ? ", " : "") + fmt(row);
    frac_line += (i ? ", " : "") + fmt(frac[static_cast<std::size_t>(i)]);
    cart_line += (i ? ", " : "") + fmt(cell.transpose() * frac[static_cast<std::size_t>(i)]);
  }
  cell_line += "]";
  frac_line += "]";
  cart_line += "]";
  const std::string species = "species = [\"Ni\", \"O\", \"O\"]";
  const ModelDefinition fractional =
      parse_model_definition(with_lines({{6, cell_line}, {7, frac_line}, {8, species}, {9, "coordinates = \"fractional\""}}), "f.toml");
  const ModelDefinition implicit = parse_model_definition(with_lines({{6, cell_line}, {7, frac_line}, {8, species}}), "i.toml");
  const ModelDefinition cartesian =
      parse_model_definition(with_lines({{6, cell_line}, {7, cart_line}, {8, species}, {9, "coordinates = \"cartesian\""}}), "c.toml");
  ASSERT_EQ(cartesian.parent.n_sites(), 3U);
  ASSERT_EQ(fractional.parent.n_sites(), 3U);
  EXPECT_TRUE(cartesian.parent.structure.cell.isApprox(cell));
  for (std::size_t i = 0; i < 3; ++i) {
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(fractional.parent.structure.frac[i][k], frac[i][k], 1e-15);
      EXPECT_NEAR(implicit.parent.structure.frac[i][k], frac[i][k], 1e-15);
      EXPECT_NEAR(cartesian.parent.structure.frac[i][k], frac[i][k], 1e-12) << "site " << i << " component " << k;
    }
  }
}

TEST(ModelDefinitionTest, SourceTextAndSha256) {
  const std::string text = join_lines(base_lines());
  const ModelDefinition def = parse_model_definition(text, "some/dir/model.toml");
  EXPECT_EQ(def.source_text, text);
  EXPECT_EQ(def.source_path, "some/dir/model.toml");
  EXPECT_EQ(def.source_sha256, tmorder::sha256_hex(text));
  EXPECT_EQ(def.source_sha256.size(), 64U);
  // A comment changes the bytes and so the hash, not the model.
  const ModelDefinition commented = parse_model_definition("# comment\n" + text, "some/dir/model.toml");
  EXPECT_NE(commented.source_sha256, def.source_sha256);
  EXPECT_EQ(commented.source_sha256, tmorder::sha256_hex("# comment\n" + text));

  const fs::path o3 = kSourceDir / "clusters" / "o3-nanisbcu" / "model.toml";
  const ModelDefinition read = read_model_definition(o3);
  EXPECT_EQ(read.source_sha256, tmorder::sha256_hex(read.source_text));
  EXPECT_EQ(read.source_sha256, tmorder::sha256_file_hex(o3));
}

// ---------------------------------------------------------------------------------------
// Bad input: syntax and sections

TEST(ModelDefinitionTest, SyntaxErrorUnterminatedString) {
  expect_message(parse_error(with_line(2, "name = \"test")), 2, "TOML syntax error", "string");
}

TEST(ModelDefinitionTest, SyntaxErrorUnterminatedArray) {
  // The last line of the file: the array never closes.
  auto lines = base_lines();
  lines.back() = "cutoffs = [8.0,";
  lines[15] = "";
  const std::string message = parse_error(join_lines(lines));
  expect_message(message, -1, "TOML syntax error", "array");
  EXPECT_TRUE(message.find("bad.toml:17:") != std::string::npos || message.find("bad.toml:18:") != std::string::npos)
      << message;
}

TEST(ModelDefinitionTest, SyntaxErrorDuplicateKey) {
  expect_message(parse_error(with_line(4, "name = \"again\"")), 4, "TOML syntax error", "name");
}

TEST(ModelDefinitionTest, UnknownTopLevelSection) {
  const std::string text = join_lines(base_lines()) + "\n[montecarlo]\nsteps = 3\n";
  expect_message(parse_error(text), 19, "montecarlo", "unknown section");
}

TEST(ModelDefinitionTest, UnknownKeyInsideASection) {
  // A misspelt optional key must not be ignored: `coordinate` would silently mean fractional.
  expect_message(parse_error(with_line(9, "coordinate = \"cartesian\"")), 9, "structure.coordinate", "unknown key");
  expect_message(parse_error(with_line(17, "symprc = 1e-2")), 17, "clusters.symprc", "unknown key");
  expect_message(parse_error(with_line(4, "titel = \"x\"")), 4, "model.titel", "unknown key");
  expect_message(parse_error(with_line(14, "sitess = [0]")), 14, "sublattices[0].sitess", "unknown key");
}

TEST(ModelDefinitionTest, MissingModelSection) {
  expect_message(parse_error(with_lines({{1, ""}, {2, ""}, {3, ""}})), 0, "'model'", "missing");
}

TEST(ModelDefinitionTest, MissingModelName) {
  expect_message(parse_error(with_line(2, "")), 1, "model.name", "missing");
}

TEST(ModelDefinitionTest, ModelNameNotAString) {
  expect_message(parse_error(with_line(2, "name = 3")), 2, "model.name", "expected a string");
  expect_message(parse_error(with_line(2, "name = \"\"")), 2, "model.name", "non-empty");
}

TEST(ModelDefinitionTest, ModelIsNotATable) {
  expect_message(parse_error("model = 3\n" + with_lines({{1, ""}, {2, ""}, {3, ""}})), 1, "'model'", "expected a table");
}

TEST(ModelDefinitionTest, MissingStructureSection) {
  expect_message(parse_error(with_lines({{5, ""}, {6, ""}, {7, ""}, {8, ""}})), 0, "'structure'", "missing");
}

// ---------------------------------------------------------------------------------------
// Bad input: [structure]

TEST(ModelDefinitionTest, FileAndInlineStructureTogether) {
  const std::string message = parse_error(with_line(9, "file = \"POSCAR\""));
  expect_message(message, 9, "structure.file", "either 'file' or an inline");
  // Only a cell next to the file is rejected too (it would be silently ignored).
  expect_message(parse_error(with_lines({{7, ""}, {8, ""}, {9, "file = \"POSCAR\""}})), 9, "structure.file", "'cell'");
}

TEST(ModelDefinitionTest, CellWithTwoRows) {
  expect_message(parse_error(with_line(6, "cell = [[3.0, 0.0, 0.0], [0.0, 3.0, 0.0]]")), 6, "structure.cell",
                 "3 lattice vectors");
}

TEST(ModelDefinitionTest, CellRowWithTwoEntries) {
  expect_message(parse_error(with_line(6, "cell = [[3.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 6.0]]")), 6,
                 "structure.cell[0]", "array of 3 numbers");
}

TEST(ModelDefinitionTest, CellNonNumericEntry) {
  expect_message(parse_error(with_line(6, "cell = [[3.0, \"x\", 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 6.0]]")), 6,
                 "structure.cell[0][1]", "expected a number");
}

TEST(ModelDefinitionTest, CellNotFinite) {
  expect_message(parse_error(with_line(6, "cell = [[3.0, 0.0, 0.0], [0.0, inf, 0.0], [0.0, 0.0, 6.0]]")), 6,
                 "structure.cell[1]", "finite");
}

TEST(ModelDefinitionTest, SingularCell) {
  expect_message(parse_error(with_line(6, "cell = [[3.0, 0.0, 0.0], [6.0, 0.0, 0.0], [0.0, 0.0, 6.0]]")), 6,
                 "structure.cell", "linearly dependent");
}

TEST(ModelDefinitionTest, MissingCell) {
  expect_message(parse_error(with_line(6, "")), 5, "structure.cell", "3 lattice vectors");
}

TEST(ModelDefinitionTest, SpeciesCountDiffersFromPositions) {
  expect_message(parse_error(with_line(8, "species = [\"Ni\"]")), 8, "structure.species", "one per position (2)");
}

TEST(ModelDefinitionTest, MissingSpecies) {
  expect_message(parse_error(with_line(8, "")), 5, "structure.species", "missing");
}

TEST(ModelDefinitionTest, EmptySpeciesLabel) {
  expect_message(parse_error(with_line(8, "species = [\"Ni\", \"\"]")), 8, "structure.species[1]", "non-empty string");
}

TEST(ModelDefinitionTest, MissingOrEmptyPositions) {
  expect_message(parse_error(with_line(7, "")), 5, "structure.positions", "non-empty array");
  expect_message(parse_error(with_line(7, "positions = []")), 7, "structure.positions", "non-empty array");
  expect_message(parse_error(with_line(7, "positions = [[0.0, 0.0], [0.5, 0.5, 0.5]]")), 7, "structure.positions[0]",
                 "array of 3 numbers");
}

TEST(ModelDefinitionTest, UnknownCoordinateMode) {
  expect_message(parse_error(with_line(9, "coordinates = \"polar\"")), 9, "structure.coordinates", "\"cartesian\"");
  expect_message(parse_error(with_line(9, "coordinates = 1")), 9, "structure.coordinates", "expected a string");
}

TEST(ModelDefinitionTest, StructureFileDoesNotExist) {
  const std::string message =
      parse_error(with_lines({{6, "file = \"no_such_dir/POSCAR_missing\""}, {7, ""}, {8, ""}}));
  expect_message(message, 6, "structure.file", "does not exist");
  EXPECT_NE(message.find("no_such_dir/POSCAR_missing"), std::string::npos) << message;
}

TEST(ModelDefinitionTest, StructureFileRelativeToDefinition) {
  // The same relative name resolves next to the TOML, not in the working directory.
  const std::string message = error_of([&] {
    (void)parse_model_definition(with_lines({{6, "file = \"POSCAR\""}, {7, ""}, {8, ""}}), "no_such_dir/sub/bad.toml");
  });
  EXPECT_NE(message.find((fs::path("no_such_dir/sub") / "POSCAR").string()), std::string::npos) << message;
  // And the shipped relative reference works when the definition is read from elsewhere.
  const fs::path o3 = kSourceDir / "clusters" / "o3-nanisbcu" / "model.toml";
  std::ifstream in(o3);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(parse_model_definition(text, o3).parent.n_sites(), 4U);
}

TEST(ModelDefinitionTest, UnknownStructureFormat) {
  const TempDir dir("moddef_format");
  dir.write("structure.cif", "data_x\n");
  const std::string message = error_of([&] {
    (void)parse_model_definition(with_lines({{6, "file = \"structure.cif\""}, {7, "format = \"cif\""}, {8, ""}}),
                                 dir.path() / "bad.toml");
  });
  expect_message(message, 7, "structure.format", "\"poscar\" or \"extxyz\"");
}

TEST(ModelDefinitionTest, FormatWithoutFile) {
  expect_message(parse_error(with_line(9, "format = \"poscar\"")), 9, "structure.format", "only meaningful with 'file'");
}

TEST(ModelDefinitionTest, MalformedPoscarIsReportedWithItsOwnFile) {
  const TempDir dir("moddef_poscar");
  // Line 3 (the first lattice vector) has two numbers.
  const fs::path poscar = dir.write("POSCAR", "bad\n1.0\n3.0 0.0\n0.0 3.0 0.0\n0.0 0.0 3.0\nNi\n1\nDirect\n0 0 0\n");
  const std::string message = error_of([&] {
    (void)parse_model_definition(with_lines({{6, "file = \"POSCAR\""}, {7, ""}, {8, ""}}), dir.path() / "bad.toml");
  });
  EXPECT_NE(message.find(poscar.string() + ":3:"), std::string::npos) << message;
}

TEST(ModelDefinitionTest, ExtxyzWithTwoFrames) {
  const fs::path toml = kModelData / "two-frames.toml";
  const std::string message = error_of([&] { (void)read_model_definition(toml); });
  EXPECT_NE(message.find(toml.string() + ":7:"), std::string::npos) << message;
  EXPECT_NE(message.find("structure.file"), std::string::npos) << message;
  EXPECT_NE(message.find("2 frames"), std::string::npos) << message;
  EXPECT_NE(message.find("two_frames.extxyz"), std::string::npos) << message;
}

// ---------------------------------------------------------------------------------------
// Bad input: [[sublattices]]

TEST(ModelDefinitionTest, SublatticesMissing) {
  expect_message(parse_error(with_lines({{10, ""}, {11, ""}, {12, ""}, {13, ""}})), 0, "'sublattices'",
                 "at least one [[sublattices]]");
}

TEST(ModelDefinitionTest, SublatticeWithOneSpecies) {
  expect_message(parse_error(with_line(13, "species = [\"Ni\"]")), 13, "sublattices[0].species", "at least 2 species");
}

TEST(ModelDefinitionTest, SublatticeSpeciesMissing) {
  expect_message(parse_error(with_line(13, "")), 10, "sublattices[0].species", "missing");
}

TEST(ModelDefinitionTest, SublatticeDuplicateSpecies) {
  expect_message(parse_error(with_line(13, "species = [\"Ni\", \"Sb\", \"Ni\"]")), 13, "sublattices[0].species", "twice");
}

TEST(ModelDefinitionTest, SublatticeNameMissing) {
  expect_message(parse_error(with_line(11, "")), 10, "sublattices[0].name", "missing");
}

TEST(ModelDefinitionTest, SublatticeSitesMissing) {
  expect_message(parse_error(with_line(12, "")), 10, "sublattices[0].sites", "missing");
}

TEST(ModelDefinitionTest, SublatticeLabelNotInStructure) {
  const std::string message = parse_error(with_line(12, "sites = \"Cu\""));
  expect_message(message, 12, "sublattices[0].sites", "labelled \"Cu\"");
}

TEST(ModelDefinitionTest, SublatticeSiteIndexOutOfRange) {
  expect_message(parse_error(with_line(12, "sites = [0, 2]")), 12, "sublattices[0].sites", "out of range 0..1");
  expect_message(parse_error(with_line(12, "sites = [-1]")), 12, "sublattices[0].sites", "out of range");
}

TEST(ModelDefinitionTest, SublatticeSitesWrongType) {
  expect_message(parse_error(with_line(12, "sites = []")), 12, "sublattices[0].sites", "non-empty array");
  expect_message(parse_error(with_line(12, "sites = [0.5]")), 12, "sublattices[0].sites", "integer site indices");
  expect_message(parse_error(with_line(12, "sites = 0")), 12, "sublattices[0].sites", "species label");
}

TEST(ModelDefinitionTest, SiteListedTwiceInOneSublattice) {
  // Used to index the not-yet-stored sublattice for its name (out of bounds).
  expect_message(parse_error(with_line(12, "sites = [0, 0]")), 12, "sublattices[0].sites", "twice");
}

TEST(ModelDefinitionTest, SiteInTwoSublattices) {
  auto lines = base_lines();
  const std::vector<std::string> extra{"[[sublattices]]", "name = \"X\"", "sites = [0]", "species = [\"Ni\", \"Cu\"]", ""};
  lines.insert(lines.begin() + 14, extra.begin(), extra.end());  // lines 15..19
  const std::string message = parse_error(join_lines(lines));
  expect_message(message, 17, "sublattices[1].sites", "already belongs to sublattice 'M'");
}

TEST(ModelDefinitionTest, DuplicateSublatticeName) {
  auto lines = base_lines();
  const std::vector<std::string> extra{"[[sublattices]]", "name = \"M\"", "sites = [1]", "species = [\"O\", \"Va\"]", ""};
  lines.insert(lines.begin() + 14, extra.begin(), extra.end());
  expect_message(parse_error(join_lines(lines)), 16, "sublattices[1].name", "unique");
}

// ---------------------------------------------------------------------------------------
// Bad input: [clusters]

TEST(ModelDefinitionTest, ClustersSectionMissing) {
  expect_message(parse_error(with_lines({{15, ""}, {16, ""}, {17, ""}})), 0, "'clusters'", "missing");
}

TEST(ModelDefinitionTest, CutoffsMissing) {
  expect_message(parse_error(with_line(16, "")), 15, "clusters.cutoffs", "array of cutoffs");
}

TEST(ModelDefinitionTest, CutoffsEmpty) {
  expect_message(parse_error(with_line(16, "cutoffs = []")), 16, "clusters.cutoffs", "array of cutoffs");
}

TEST(ModelDefinitionTest, CutoffsNotAnArray) {
  expect_message(parse_error(with_line(16, "cutoffs = 5.0")), 16, "clusters.cutoffs", "array of cutoffs");
}

TEST(ModelDefinitionTest, CutoffNegative) {
  expect_message(parse_error(with_line(16, "cutoffs = [5.0, -1.0]")), 16, "clusters.cutoffs[1] (order 3)", "0 < cutoff");
}

TEST(ModelDefinitionTest, CutoffZero) {
  expect_message(parse_error(with_line(16, "cutoffs = [0.0]")), 16, "clusters.cutoffs[0] (order 2)", "0 < cutoff");
}

TEST(ModelDefinitionTest, CutoffAbsurd) {
  expect_message(parse_error(with_line(16, "cutoffs = [31.0]")), 16, "clusters.cutoffs[0]", "<= 30");
  // 30 itself is the largest accepted value.
  EXPECT_EQ(parse_model_definition(with_line(16, "cutoffs = [30.0]"), "ok.toml").cutoffs, (std::vector<double>{30.0}));
}

TEST(ModelDefinitionTest, CutoffNotFinite) {
  expect_message(parse_error(with_line(16, "cutoffs = [nan]")), 16, "clusters.cutoffs[0]", "0 < cutoff");
  expect_message(parse_error(with_line(16, "cutoffs = [inf]")), 16, "clusters.cutoffs[0]", "0 < cutoff");
}

TEST(ModelDefinitionTest, CutoffString) {
  expect_message(parse_error(with_line(16, "cutoffs = [5.0, \"4.0\"]")), 16, "clusters.cutoffs[1]", "expected a number");
}

TEST(ModelDefinitionTest, SymprecNotPositive) {
  expect_message(parse_error(with_line(17, "symprec = 0.0")), 17, "clusters.symprec", "0 < symprec");
  expect_message(parse_error(with_line(17, "symprec = -1e-3")), 17, "clusters.symprec", "0 < symprec");
  expect_message(parse_error(with_line(17, "symprec = 0.7")), 17, "clusters.symprec", "0 < symprec < 0.5");
  expect_message(parse_error(with_line(17, "symprec = \"tight\"")), 17, "clusters.symprec", "expected a number");
}

// ---------------------------------------------------------------------------------------
// Reading files

TEST(ModelDefinitionTest, ReadNonexistentFile) {
  const fs::path missing = fs::temp_directory_path() / "tmorder_no_such_dir_x" / "model.toml";
  const std::string message = error_of([&] { (void)read_model_definition(missing); });
  EXPECT_NE(message.find(missing.string()), std::string::npos) << message;
  EXPECT_NE(message.find("cannot read"), std::string::npos) << message;
}

TEST(ModelDefinitionTest, ReadDirectoryIsAnError) {
  const TempDir dir("moddef_dir");
  const std::string message = error_of([&] { (void)read_model_definition(dir.path()); });
  EXPECT_NE(message.find(dir.path().string()), std::string::npos) << message;
}

TEST(ModelDefinitionTest, ReadFileErrorsNameThePath) {
  const TempDir dir("moddef_read");
  const fs::path toml = dir.write("model.toml", with_line(16, "cutoffs = [-2.0]"));
  const std::string message = error_of([&] { (void)read_model_definition(toml); });
  EXPECT_NE(message.find(toml.string() + ":16:"), std::string::npos) << message;
  EXPECT_NE(message.find("clusters.cutoffs[0]"), std::string::npos) << message;
}

}  // namespace
