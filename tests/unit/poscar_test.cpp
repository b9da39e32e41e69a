// Tests for the VASP 5 POSCAR reader and writer.
#include "tmorder/lattice/poscar.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "tmorder/util/error.hpp"

namespace {

using tmorder::test_support::error_of;

using tmorder::InputError;
using tmorder::Mat3;
using tmorder::Vec3;
using tmorder::lattice::format_poscar;
using tmorder::lattice::parse_poscar;
using tmorder::lattice::poscar_site_order;
using tmorder::lattice::read_poscar;
using tmorder::lattice::Structure;

const std::string kDataDir = std::string(TMORDER_TEST_DATA_DIR) + "/structures";

// A small valid POSCAR (tetragonal NaO2-like cell); error tests corrupt one line of it.
std::vector<std::string> base_lines() {
  return {"test cell", "1.0", "4.0 0.0 0.0", "0.0 4.0 0.0", "0.0 0.0 5.0", "Na O", "1 2",
          "Direct",    "0.0 0.0 0.0", "0.5 0.5 0.25", "0.5 0.5 0.75"};
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// The base POSCAR with 1-based line `number` replaced by `replacement`.
std::string with_line(int number, const std::string& replacement) {
  auto lines = base_lines();
  lines.at(static_cast<std::size_t>(number - 1)) = replacement;
  return join_lines(lines);
}

// The base POSCAR cut to its first `count` lines.
std::string first_lines(int count) {
  auto lines = base_lines();
  lines.resize(static_cast<std::size_t>(count));
  return join_lines(lines);
}


// Asserts that parsing `text` throws an InputError whose message contains every part.
void expect_error(const std::string& text, std::initializer_list<std::string> parts) {
  const std::string message = error_of([&] { parse_poscar(text, "POSCAR"); });
  for (const auto& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos)
        << "message: " << message << "\nmissing: " << part;
  }
}

void expect_same_cartesian(const Structure& a, const Structure& b, double tol) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_TRUE(a.cell.isApprox(b.cell, tol)) << a.cell << "\nvs\n" << b.cell;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.species[i], b.species[i]) << "site " << i;
    EXPECT_LT((a.cartesian_of(i) - b.cartesian_of(i)).norm(), tol) << "site " << i;
  }
}

Structure small_structure() {
  Structure s;
  s.cell << 4.1, 0.0, 0.0, -2.05, 3.5507041555, 0.0, 0.3, 0.2, 17.3;
  s.species = {"Ni", "Na", "O", "Ni", "Va", "O"};
  s.frac = {Vec3(0.1, 0.2, 0.3),     Vec3(1.0 / 3, 2.0 / 3, 0.5), Vec3(-0.25, 1.5, 0.26),
            Vec3(0.7, 0.123456789, 0), Vec3(0.5, 0.5, 0.5),       Vec3(2.0 / 3, 1.0 / 3, 0.74)};
  return s;
}

TEST(PoscarTest, ReadsO3NaNiO2File) {
  const Structure s = read_poscar(kDataDir + "/NaNiO2_O3.vasp");
  ASSERT_EQ(s.size(), 12u);
  const std::vector<std::string> expected = {"Na", "Na", "Na", "Ni", "Ni", "Ni",
                                             "O",  "O",  "O",  "O",  "O",  "O"};
  EXPECT_EQ(s.species, expected);
  EXPECT_DOUBLE_EQ(s.cell(0, 0), 3.0);
  EXPECT_DOUBLE_EQ(s.cell(1, 0), -1.5);
  EXPECT_DOUBLE_EQ(s.cell(2, 2), 16.0);
  EXPECT_NEAR(s.volume(), 3.0 * 3.0 * std::sqrt(3.0) / 2.0 * 16.0, 1e-9);
  EXPECT_TRUE(s.frac[0].isApprox(Vec3(0, 0, 0.5)));
  EXPECT_NEAR(s.frac[6].z(), 0.26, 1e-15);
  // Cartesian of an R-centred Ni: (2/3,1/3,1/3) -> (1.5, 0.866..., 5.333...).
  EXPECT_LT((s.cartesian_of(4) - Vec3(1.5, std::sqrt(3.0) / 2.0, 16.0 / 3.0)).norm(), 1e-12);
}

TEST(PoscarTest, CartesianModeIsScaledByScaleFactor) {
  auto lines = base_lines();
  lines[1] = "2.0";
  lines[2] = "2.0 0.0 0.0";
  lines[3] = "0.0 2.0 0.0";
  lines[4] = "0.0 0.0 2.5";
  lines[7] = "cartesian";
  lines[8] = "0.0 0.0 0.0";
  lines[9] = "1.0 1.0 0.625";
  lines[10] = "1.0 1.0 1.875";
  const Structure s = parse_poscar(join_lines(lines), "POSCAR");
  EXPECT_TRUE(s.cell.isApprox(Mat3(Vec3(4, 4, 5).asDiagonal())));
  EXPECT_TRUE(s.frac[1].isApprox(Vec3(0.5, 0.5, 0.25)));
  EXPECT_TRUE(s.frac[2].isApprox(Vec3(0.5, 0.5, 0.75)));
}

TEST(PoscarTest, KIsAlsoCartesian) {
  const Structure s = parse_poscar(with_line(8, "K"), "POSCAR");
  EXPECT_TRUE(s.frac[1].isApprox(Vec3(0.125, 0.125, 0.05)));
}

TEST(PoscarTest, NegativeScaleIsTargetVolume) {
  auto lines = base_lines();
  lines[1] = "-640.0";  // 8x the unscaled 80 A^3: every length doubles
  lines[7] = "Cartesian";
  lines[9] = "1.0 1.0 1.25";
  const Structure s = parse_poscar(join_lines(lines), "POSCAR");
  EXPECT_NEAR(s.volume(), 640.0, 1e-9);
  EXPECT_NEAR(s.cell(0, 0), 8.0, 1e-12);
  EXPECT_TRUE(s.frac[1].isApprox(Vec3(0.25, 0.25, 0.25)));
  EXPECT_TRUE(s.frac[2].isApprox(Vec3(0.125, 0.125, 0.15)));
}

TEST(PoscarTest, ThreeScaleFactorsScaleCartesianComponents) {
  const Structure s = parse_poscar(with_line(2, "1.0 2.0 0.5"), "POSCAR");
  EXPECT_TRUE(s.cell.isApprox(Mat3(Vec3(4, 8, 2.5).asDiagonal())));
}

TEST(PoscarTest, SelectiveDynamicsFlagsAreSkipped) {
  auto lines = base_lines();
  lines[7] = "Selective dynamics";
  lines.insert(lines.begin() + 8, "Direct");
  lines[8 + 1] = "0.0 0.0 0.0 F F F";
  lines[8 + 2] = "0.5 0.5 0.25 T T F ! comment";
  const Structure s = parse_poscar(join_lines(lines), "POSCAR");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_TRUE(s.frac[1].isApprox(Vec3(0.5, 0.5, 0.25)));
}

TEST(PoscarTest, KeepsFractionalCoordinatesUnwrapped) {
  const Structure s = parse_poscar(with_line(10, "1.25 -0.5 2.0"), "POSCAR");
  EXPECT_EQ(s.frac[1], Vec3(1.25, -0.5, 2.0));
}

TEST(PoscarTest, StripsPotcarSuffixFromNames) {
  const Structure s = parse_poscar(with_line(6, "Na_pv O/5a2b9c"), "POSCAR");
  EXPECT_EQ(s.species[0], "Na");
  EXPECT_EQ(s.species[2], "O");
}

TEST(PoscarTest, AcceptsLeftHandedCellAndCrlf) {
  auto lines = base_lines();
  lines[4] = "0.0 0.0 -5.0";
  std::string text;
  for (const auto& line : lines) text += line + "\r\n";
  const Structure s = parse_poscar(text, "POSCAR");
  EXPECT_LT(s.cell.determinant(), 0.0);
  EXPECT_NEAR(s.volume(), 80.0, 1e-12);
}

TEST(PoscarTest, IgnoresTrailingVelocityBlock) {
  const Structure s = parse_poscar(join_lines(base_lines()) + "\n0 0 0\n0 0 0\n0 0 0\n", "P");
  EXPECT_EQ(s.size(), 3u);
}

TEST(PoscarTest, ErrorVasp4WithoutSpeciesNames) {
  auto lines = base_lines();
  lines.erase(lines.begin() + 5);
  expect_error(join_lines(lines), {"POSCAR:6:", "species names line is required", "VASP 4"});
}

TEST(PoscarTest, ErrorLatticeVectorTokenCount) {
  expect_error(with_line(4, "0.0 4.0"), {"POSCAR:4:", "lattice vector a2 has 2 numbers, expected 3"});
}

TEST(PoscarTest, ErrorNonNumericLattice) {
  expect_error(with_line(5, "0.0 x 5.0"), {"POSCAR:5:", "'x'", "real number"});
}

TEST(PoscarTest, ErrorFileTooShort) {
  expect_error(first_lines(4), {"POSCAR:5:", "file ends", "a3"});
  expect_error(first_lines(7), {"POSCAR:8:", "file ends", "coordinate-mode"});
  expect_error(first_lines(9), {"POSCAR:10:", "file ends after 1 of 3 positions"});
  expect_error("", {"POSCAR:1:", "file ends", "comment"});
}

TEST(PoscarTest, ErrorBadCounts) {
  expect_error(with_line(7, "1 0"), {"POSCAR:7:", "count of O is '0'", "positive integer"});
  expect_error(with_line(7, "-1 2"), {"POSCAR:7:", "count of Na", "positive integer"});
  expect_error(with_line(7, "1 2.5"), {"POSCAR:7:", "'2.5'", "positive integer"});
  expect_error(with_line(7, "3"), {"POSCAR:7:", "has 1 numbers, expected 2"});
}

TEST(PoscarTest, ErrorBadScale) {
  expect_error(with_line(2, "0.0"), {"POSCAR:2:", "scale factor"});
  expect_error(with_line(2, "1.0 2.0"), {"POSCAR:2:", "expected 1 or 3"});
  expect_error(with_line(2, "1.0 -2.0 1.0"), {"POSCAR:2:", "positive"});
  expect_error(with_line(2, "inf"), {"POSCAR:2:", "finite"});
}

TEST(PoscarTest, ErrorSingularCell) {
  expect_error(with_line(5, "4.0 4.0 0.0"), {"POSCAR:3:", "non-singular"});
  EXPECT_NO_THROW(parse_poscar(with_line(2, "-100"), "POSCAR"));  // a good cell is fine
  auto lines = base_lines();
  lines[1] = "-100";
  lines[4] = "0 0 0";
  expect_error(join_lines(lines), {"POSCAR:3:", "non-singular"});
}

TEST(PoscarTest, ErrorNonFinitePosition) {
  expect_error(with_line(9, "0.0 nan 0.0"), {"POSCAR:9:", "'nan'", "finite"});
  expect_error(with_line(11, "0.5 0.5 1e999"), {"POSCAR:11:", "finite"});
}

TEST(PoscarTest, ErrorBadPositionLine) {
  expect_error(with_line(10, "0.5 0.5"), {"POSCAR:10:", "2 numbers, expected 3"});
  expect_error(with_line(10, "0.5 0.5 abc"), {"POSCAR:10:", "'abc'"});
}

TEST(PoscarTest, ErrorBadCoordinateMode) {
  expect_error(with_line(8, "Fractional"), {"POSCAR:8:", "'Fractional'", "Direct or Cartesian"});
  expect_error(with_line(8, ""), {"POSCAR:8:", "empty"});
}

TEST(PoscarTest, ErrorBadSpeciesName) {
  expect_error(with_line(6, "Na 3x"), {"POSCAR:6:", "'3x'"});
}

TEST(PoscarTest, ReadErrorNamesThePath) {
  const std::string path = kDataDir + "/does_not_exist.vasp";
  const std::string message = error_of([&] { read_poscar(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("cannot open"), std::string::npos) << message;
}

TEST(PoscarTest, FileErrorsAreLabelledWithThePath) {
  const auto path = std::filesystem::temp_directory_path() / "tmorder_poscar_test_bad.vasp";
  std::ofstream(path) << with_line(4, "0.0 4.0");
  const std::string message = error_of([&] { read_poscar(path); });
  std::filesystem::remove(path);
  EXPECT_NE(message.find(path.string() + ":4:"), std::string::npos) << message;
}

TEST(PoscarTest, RoundTripsNaNiO2) {
  const Structure s = read_poscar(kDataDir + "/NaNiO2_O3.vasp");
  const Structure back = parse_poscar(format_poscar(s, "round trip"), "roundtrip");
  expect_same_cartesian(s, back, 1e-10);
}

TEST(PoscarTest, RoundTripGroupsSpeciesInOrderOfFirstAppearance) {
  const Structure s = small_structure();
  const std::string text = format_poscar(s, "two\nlines");
  EXPECT_EQ(text.substr(0, 10), "two lines\n");
  EXPECT_NE(text.find("Ni   Na    O   Va\n"), std::string::npos) << text;
  EXPECT_NE(text.find("2    1    2    1\nDirect\n"), std::string::npos) << text;

  const auto order = poscar_site_order(s);
  const std::vector<std::size_t> expected_order = {0, 3, 1, 2, 5, 4};
  EXPECT_EQ(order, expected_order);
  Structure reordered;
  reordered.cell = s.cell;
  for (std::size_t i : order) {
    reordered.species.push_back(s.species[i]);
    reordered.frac.push_back(s.frac[i]);
  }
  const Structure back = parse_poscar(text, "roundtrip");
  expect_same_cartesian(reordered, back, 1e-10);
  EXPECT_EQ(back.frac[3], Vec3(-0.25, 1.5, 0.26));  // written and read back unwrapped
}

TEST(PoscarTest, FormatRejectsUnwritableStructures) {
  Structure empty;
  EXPECT_THROW(format_poscar(empty, "x"), std::invalid_argument);
  Structure s = small_structure();
  s.species[1] = "N a";
  EXPECT_THROW(format_poscar(s, "x"), std::invalid_argument);
  s.species.pop_back();
  EXPECT_THROW(format_poscar(s, "x"), std::invalid_argument);
}

}  // namespace
