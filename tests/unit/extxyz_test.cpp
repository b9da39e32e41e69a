// Tests for the ASE extended-XYZ reader and writer.
#include "tmorder/lattice/extxyz.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

#include <functional>
#include <initializer_list>
#include <string>

#include "tmorder/util/error.hpp"

namespace {

using tmorder::test_support::error_of;

using tmorder::InputError;
using tmorder::Mat3;
using tmorder::Vec3;
using tmorder::lattice::ExtxyzFrame;
using tmorder::lattice::format_extxyz;
using tmorder::lattice::parse_extxyz;
using tmorder::lattice::read_extxyz;
using tmorder::lattice::Structure;

const std::string kDataDir = std::string(TMORDER_TEST_DATA_DIR) + "/structures";
const std::string kCubic = R"(Lattice="3.0 0.0 0.0 0.0 3.0 0.0 0.0 0.0 3.0")";

// One frame: a cubic cell, the given Properties/extra keys, and the given atom lines.
std::string frame(const std::string& keys, const std::string& atoms, int count = 2) {
  return std::to_string(count) + "\n" + kCubic + " " + keys + "\n" + atoms;
}

const std::string kTwoAtoms = "Na 0 0 0\nO 1.5 1.5 1.5\n";

ExtxyzFrame parse_one(const std::string& text) {
  const auto frames = parse_extxyz(text, "test.xyz");
  EXPECT_EQ(frames.size(), 1u);
  return frames.at(0);
}


void expect_error(const std::string& text, std::initializer_list<std::string> parts) {
  const std::string message = error_of([&] { parse_extxyz(text, "test.xyz"); });
  for (const auto& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos)
        << "message: " << message << "\nmissing: " << part;
  }
}

TEST(ExtxyzTest, ReadsTwoFramesAsAseWritesThem) {
  const auto frames = read_extxyz(kDataDir + "/two_frames.extxyz");
  ASSERT_EQ(frames.size(), 2u);
  const ExtxyzFrame& a = frames[0];
  EXPECT_EQ(a.first_line, 1);
  EXPECT_EQ(a.structure.species, (std::vector<std::string>{"Na", "O"}));
  EXPECT_TRUE(a.structure.cell.isApprox(Mat3(Vec3::Constant(3.0).asDiagonal())));
  EXPECT_TRUE(a.structure.frac[1].isApprox(Vec3(0.5, 0.5, 0.5)));
  ASSERT_TRUE(a.energy.has_value());
  EXPECT_DOUBLE_EQ(*a.energy, -12.5);
  ASSERT_TRUE(a.forces.has_value());
  EXPECT_TRUE(a.forces->at(0).isApprox(Vec3(0.01, -0.02, 0.03)));
  EXPECT_EQ(a.info.at("pbc"), "T T T");
  EXPECT_EQ(a.info.at("energy"), "-12.5");
  EXPECT_EQ(a.info.count("Lattice"), 0u);
  EXPECT_EQ(a.info.count("Properties"), 0u);

  const ExtxyzFrame& b = frames[1];
  EXPECT_EQ(b.first_line, 5);
  EXPECT_EQ(b.structure.size(), 3u);
  EXPECT_DOUBLE_EQ(*b.energy, -20.25);
  EXPECT_EQ(b.info.at("config_type"), "bulk NaO2");
  EXPECT_TRUE(b.structure.frac[1].isApprox(Vec3(0.5, 0.5, 0.25)));
  EXPECT_TRUE(b.forces->at(2).isApprox(Vec3(-0.1, -0.2, -0.3)));
}

TEST(ExtxyzTest, ColumnsInAnyOrderAndUnknownColumnsSkipped) {
  const auto f = parse_one(frame("Properties=Z:I:1:pos:R:3:magmoms:R:3:species:S:1:fixed:L:1",
                                 "11 0 0 0 0.1 0.2 0.3 Na T\n8 1.5 0 3 0 0 0 O F\n"));
  EXPECT_EQ(f.structure.species, (std::vector<std::string>{"Na", "O"}));
  EXPECT_EQ(f.structure.frac[1], Vec3(0.5, 0.0, 1.0));  // not wrapped
  EXPECT_FALSE(f.forces.has_value());
  EXPECT_FALSE(f.energy.has_value());
}

TEST(ExtxyzTest, SpecialKeysMatchCaseInsensitively) {
  const std::string text =
      "1\nlattice=\"2 0 0 0 2 0 0 0 2\" PROPERTIES=species:S:1:pos:R:3 PBC=\"T T T\"\nNa 1 1 1\n";
  const auto f = parse_one(text);
  EXPECT_TRUE(f.structure.frac[0].isApprox(Vec3(0.5, 0.5, 0.5)));
  EXPECT_EQ(f.info.at("PBC"), "T T T");
  EXPECT_EQ(f.info.size(), 1u);
}

TEST(ExtxyzTest, CommentLineGrammar) {
  const auto f = parse_one(frame(
      R"(Properties=species:S:1:pos:R:3 relaxed note="say \"hi\" \\ c:\dir" a = 1 )"
      R"(stress=[[1, 2], [3, 4]] empty="" Energy=-3.5)",
      kTwoAtoms));
  EXPECT_EQ(f.info.at("relaxed"), "T");
  EXPECT_EQ(f.info.at("note"), R"(say "hi" \ c:\dir)");
  EXPECT_EQ(f.info.at("a"), "1");
  EXPECT_EQ(f.info.at("stress"), "[[1, 2], [3, 4]]");
  EXPECT_EQ(f.info.at("empty"), "");
  EXPECT_DOUBLE_EQ(f.energy.value(), -3.5);
}

TEST(ExtxyzTest, EnergyKeyPrecedence) {
  EXPECT_DOUBLE_EQ(*parse_one(frame("free_energy=-2 energy=-1", kTwoAtoms)).energy, -1.0);
  EXPECT_DOUBLE_EQ(*parse_one(frame("free_energy=-2", kTwoAtoms)).energy, -2.0);
  EXPECT_DOUBLE_EQ(*parse_one(frame("energy=\"-4.25\"", kTwoAtoms)).energy, -4.25);
}

TEST(ExtxyzTest, MissingPropertiesDefaultsToSpeciesAndPos) {
  const auto f = parse_one(frame("", kTwoAtoms));
  EXPECT_EQ(f.structure.size(), 2u);
}

TEST(ExtxyzTest, ToleratesBlankLinesAndCrlf) {
  std::string text = "\n" + frame("", kTwoAtoms) + "\n\n" + frame("", kTwoAtoms) + "\n\n";
  std::string crlf;
  for (char c : text) crlf += (c == '\n') ? std::string("\r\n") : std::string(1, c);
  const auto frames = parse_extxyz(crlf, "test.xyz");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].first_line, 2);
  EXPECT_EQ(frames[1].first_line, 8);
  EXPECT_TRUE(parse_extxyz("", "empty.xyz").empty());
}

TEST(ExtxyzTest, ErrorCountLineNotInteger) {
  expect_error("two\n" + kCubic + "\n" + kTwoAtoms, {"test.xyz:1:", "atom count is 'two'"});
  expect_error(frame("", kTwoAtoms) + "2.5\n", {"test.xyz:5:", "'2.5'", "integer"});
}

TEST(ExtxyzTest, ErrorFewerAtomLinesThanCount) {
  expect_error(frame("", kTwoAtoms, 3), {"test.xyz:1:", "declares 3 atoms", "only 2 atom lines"});
  expect_error(frame("", kTwoAtoms, 3) + frame("", kTwoAtoms),
               {"test.xyz:1:", "only 2 atom lines", "next frame"});
  expect_error("4\n", {"test.xyz:2:", "comment line"});
}

TEST(ExtxyzTest, ErrorWrongColumnCount) {
  expect_error(frame("", "Na 0 0 0\nO 1.5 1.5\n"), {"test.xyz:4:", "3 columns, expected 4"});
  expect_error(frame("Properties=species:S:1:pos:R:3:forces:R:3", kTwoAtoms),
               {"test.xyz:3:", "4 columns, expected 7"});
}

TEST(ExtxyzTest, ErrorNonNumericPosition) {
  expect_error(frame("", "Na 0 0 0\nO 1.5 x 1.5\n"), {"test.xyz:4:", "'x'", "position"});
  expect_error(frame("", "Na 0 inf 0\nO 1.5 1 1.5\n"), {"test.xyz:3:", "finite"});
}

TEST(ExtxyzTest, ErrorEnergyNotFinite) {
  expect_error(frame("energy=abc", kTwoAtoms), {"test.xyz:2:", "'energy'", "'abc'", "finite"});
  expect_error(frame("free_energy=nan", kTwoAtoms), {"test.xyz:2:", "'free_energy'", "finite"});
  expect_error(frame("", kTwoAtoms) + frame("Energy=1e999", kTwoAtoms),
               {"test.xyz:6:", "'Energy'"});
}

TEST(ExtxyzTest, ErrorMissingLattice) {
  expect_error("1\nProperties=species:S:1:pos:R:3\nNa 0 0 0\n",
               {"test.xyz:2:", "no Lattice", "needs a cell"});
  expect_error("1\nLattice=\"1 0 0 0 1 0 0 0\"\nNa 0 0 0\n", {"test.xyz:2:", "8 numbers"});
  expect_error("1\nLattice=\"1 0 0 1 0 0 0 0 1\"\nNa 0 0 0\n", {"test.xyz:2:", "non-singular"});
}

TEST(ExtxyzTest, ErrorPropertiesLackSpeciesOrPos) {
  expect_error(frame("Properties=pos:R:3", kTwoAtoms), {"test.xyz:2:", "lacks species:S:1"});
  expect_error(frame("Properties=species:S:1:positions:R:3", kTwoAtoms),
               {"test.xyz:2:", "lacks pos:R:3"});
  expect_error(frame("Properties=species:S:1:pos:R:2", kTwoAtoms), {"test.xyz:2:", "R:2"});
  expect_error(frame("Properties=species:S:1:pos:X:3", kTwoAtoms), {"test.xyz:2:", "type 'X'"});
  expect_error(frame("Properties=species:S:1:pos:R", kTwoAtoms), {"test.xyz:2:", "triples"});
}

TEST(ExtxyzTest, ErrorMalformedCommentLine) {
  expect_error(frame("note=\"unterminated", kTwoAtoms), {"test.xyz:2:", "unterminated"});
  expect_error(frame("a=1 a=2", kTwoAtoms), {"test.xyz:2:", "'a' appears twice"});
}

TEST(ExtxyzTest, ReadErrorNamesThePath) {
  const std::string path = kDataDir + "/does_not_exist.extxyz";
  const std::string message = error_of([&] { read_extxyz(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
}

Structure triclinic() {
  Structure s;
  s.cell << 5.1, 0.0, 0.0, -2.55, 4.4167, 0.0, 0.31, -0.2, 17.7;
  s.species = {"Na", "Ni", "O", "Va"};
  s.frac = {Vec3(0, 0, 0.5), Vec3(2.0 / 3, 1.0 / 3, 1.0 / 3), Vec3(-0.1, 1.2, 0.26),
            Vec3(0.123456789012345, 0.9, 0.999999999999)};
  return s;
}

TEST(ExtxyzTest, FormatLooksLikeAse) {
  const std::string text = format_extxyz(triclinic(), {{"energy", "-1.5"}, {"pbc", "F F F"}});
  const std::size_t eol = text.find('\n', 2);
  const std::string comment = text.substr(2, eol - 2);
  EXPECT_EQ(text.substr(0, 2), "4\n");
  EXPECT_EQ(comment.rfind("Lattice=\"5.1 0.0 0.0 -2.55 4.4167 0.0 0.31 -0.2 17.7\" ", 0), 0u)
      << comment;
  EXPECT_NE(comment.find(" Properties=species:S:1:pos:R:3 energy=-1.5 pbc=\"T T T\""),
            std::string::npos)
      << comment;
}

TEST(ExtxyzTest, RoundTripsStructureAndInfo) {
  const Structure s = triclinic();
  const std::map<std::string, std::string> info = {
      {"energy", "-42.125"}, {"config_type", "O3 \"ordered\" \\ x"}, {"step", "7"}, {"empty", ""}};
  const std::string one = format_extxyz(s, info);
  const auto frames = parse_extxyz(one + one, "roundtrip.xyz");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1].first_line, 7);
  const ExtxyzFrame& f = frames[0];
  EXPECT_TRUE(f.structure.cell.isApprox(s.cell, 1e-14));
  EXPECT_EQ(f.structure.species, s.species);
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_LT((f.structure.cartesian_of(i) - s.cartesian_of(i)).norm(), 1e-10) << i;
  }
  auto expected = info;
  expected["pbc"] = "T T T";
  EXPECT_EQ(f.info, expected);
  EXPECT_DOUBLE_EQ(f.energy.value(), -42.125);
}

TEST(ExtxyzTest, FormatRejectsUnwritableInput) {
  Structure s = triclinic();
  EXPECT_THROW(format_extxyz(s, {{"bad key", "1"}}), std::invalid_argument);
  EXPECT_THROW(format_extxyz(s, {{"k", "line\nbreak"}}), std::invalid_argument);
  s.species[0] = "";
  EXPECT_THROW(format_extxyz(s, {}), std::invalid_argument);
}

}  // namespace
