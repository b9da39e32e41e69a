#include "tmorder/io/hdf5_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "tmorder/util/error.hpp"

namespace {

namespace fs = std::filesystem;
using tmorder::io::Hdf5Writer;

/// Each test gets a fresh private directory, so tests can assert on the directory's exact
/// contents (no stray temporary files) and run concurrently with other test processes.
class Hdf5WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("tmorder_hdf5_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  [[nodiscard]] std::vector<fs::path> entries() const {
    return {fs::directory_iterator(dir_), fs::directory_iterator()};
  }

  fs::path dir_;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <typename F>
std::string error_message(F&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no exception>";
}

TEST_F(Hdf5WriterTest, RoundTripsDoublesAndInt64s) {
  const auto file = dir_ / "out.h5";
  const std::vector<double> energies = {-1.5, 0.0, 2.25, 1e-300};
  const std::vector<std::int64_t> counts = {0, -7, 42, INT64_MAX, INT64_MIN};
  {
    Hdf5Writer w(file, false);
    w.write("/mc/energy", energies, "eV");
    w.write("mc/counts", counts, "1");
    w.commit();
  }
  EXPECT_EQ(tmorder::io::read_doubles(file, "/mc/energy"), energies);
  EXPECT_EQ(tmorder::io::read_int64s(file, "/mc/counts"), counts);
  EXPECT_EQ(tmorder::io::read_string_attribute(file, "/mc/energy", "units"), "eV");
  EXPECT_EQ(tmorder::io::read_string_attribute(file, "/mc/counts", "units"), "1");
}

TEST_F(Hdf5WriterTest, RoundTripsMatrixRowMajor) {
  const auto file = dir_ / "m.h5";
  const std::vector<double> m = {1, 2, 3, 4, 5, 6};  // 2 x 3
  {
    Hdf5Writer w(file, false);
    w.write_matrix("/cell", m, 2, 3, "angstrom");
    w.commit();
  }
  EXPECT_EQ(tmorder::io::read_doubles(file, "/cell"), m);
  EXPECT_EQ(tmorder::io::read_string_attribute(file, "/cell", "units"), "angstrom");
}

TEST_F(Hdf5WriterTest, RoundTripsArraysOfAnyRank) {
  const auto file = dir_ / "a.h5";
  std::vector<std::int64_t> species(2 * 3 * 4);
  for (std::size_t k = 0; k < species.size(); ++k) species[k] = static_cast<std::int64_t>(k * k) - 5;
  const std::vector<double> series = {0.5, -1.0, 2.0, 4.0, 8.0, 16.0};
  {
    Hdf5Writer w(file, false);
    w.write_array("/snapshots/species", species, {2, 3, 4}, "1");
    w.write_array("/timeseries/energy", series, {3, 2}, "eV/site");
    EXPECT_THROW(w.write_array("/bad", series, {4, 2}, "1"), std::invalid_argument);
    EXPECT_THROW(w.write_array("/bad", series, {}, "1"), std::invalid_argument);
    w.commit();
  }
  EXPECT_EQ(tmorder::io::read_int64s(file, "/snapshots/species"), species);
  EXPECT_EQ(tmorder::io::read_shape(file, "/snapshots/species"), (std::vector<std::size_t>{2, 3, 4}));
  EXPECT_EQ(tmorder::io::read_doubles(file, "/timeseries/energy"), series);
  EXPECT_EQ(tmorder::io::read_shape(file, "/timeseries/energy"), (std::vector<std::size_t>{3, 2}));
  EXPECT_EQ(tmorder::io::read_string_attribute(file, "/timeseries/energy", "units"), "eV/site");
}

TEST_F(Hdf5WriterTest, MatrixSizeMismatchIsRejected) {
  Hdf5Writer w(dir_ / "bad.h5", false);
  const std::vector<double> m = {1, 2, 3};
  EXPECT_THROW(w.write_matrix("/m", m, 2, 2, "1"), std::invalid_argument);
}

TEST_F(Hdf5WriterTest, RoundTripsUtf8Strings) {
  const auto file = dir_ / "s.h5";
  const std::vector<std::string> species = {"Na", "Va", "", "Mn\u2074\u207a", "\u00c5ngstr\u00f6m"};
  {
    Hdf5Writer w(file, false);
    w.write_strings("/structure/species", species);
    w.commit();
  }
  EXPECT_EQ(tmorder::io::read_strings(file, "/structure/species"), species);
}

TEST_F(Hdf5WriterTest, EmptyDatasetsRoundTrip) {
  const auto file = dir_ / "empty.h5";
  {
    Hdf5Writer w(file, false);
    w.write("/d", std::vector<double>{}, "1");
    w.write("/i", std::vector<std::int64_t>{}, "1");
    w.write_strings("/s", {});
    w.commit();
  }
  EXPECT_TRUE(tmorder::io::read_doubles(file, "/d").empty());
  EXPECT_TRUE(tmorder::io::read_int64s(file, "/i").empty());
  EXPECT_TRUE(tmorder::io::read_strings(file, "/s").empty());
}

TEST_F(Hdf5WriterTest, AttributesOnRootGroupAndDataset) {
  const auto file = dir_ / "a.h5";
  {
    Hdf5Writer w(file, false);
    w.create_group("/run/params");
    w.create_group("/run/params");  // existing group: not an error
    w.write("/run/params/t", std::vector<double>{300.0}, "K");
    w.set_attribute("/", "program", std::string("tmorder"));
    w.set_attribute("/run/params", "temperature", 300.5);
    w.set_attribute("/run/params/t", "seed", std::int64_t{-12345});
    w.set_attribute("/", "program", std::string("tmorder 0.1"));  // replaces
    w.set_attribute("/run", "mixed", std::int64_t{1});
    w.set_attribute("/run", "mixed", std::string("now a string"));  // replaces across types
    w.commit();
  }
  EXPECT_EQ(tmorder::io::read_string_attribute(file, "/", "program"), "tmorder 0.1");
  EXPECT_DOUBLE_EQ(tmorder::io::read_double_attribute(file, "/run/params", "temperature"), 300.5);
  EXPECT_EQ(tmorder::io::read_int64_attribute(file, "/run/params/t", "seed"), -12345);
  EXPECT_EQ(tmorder::io::read_string_attribute(file, "/run", "mixed"), "now a string");
  EXPECT_EQ(tmorder::io::read_string_attribute(file, "/run/params/t", "units"), "K");
}

TEST_F(Hdf5WriterTest, AttributeOnMissingObjectNamesIt) {
  Hdf5Writer w(dir_ / "x.h5", false);
  const auto msg = error_message([&] { w.set_attribute("/nope", "a", 1.0); });
  EXPECT_NE(msg.find("/nope"), std::string::npos) << msg;
}

TEST_F(Hdf5WriterTest, DuplicateDatasetIsAnErrorNamingIt) {
  Hdf5Writer w(dir_ / "dup.h5", false);
  w.write("/g/x", std::vector<double>{1.0}, "1");
  const auto msg = error_message([&] { w.write("/g/x", std::vector<double>{2.0}, "1"); });
  EXPECT_NE(msg.find("/g/x"), std::string::npos) << msg;
}

TEST_F(Hdf5WriterTest, DatasetUnderADatasetFailsWithPath) {
  Hdf5Writer w(dir_ / "nest.h5", false);
  w.write("/x", std::vector<double>{1.0}, "1");
  EXPECT_THROW(w.write("/x/y", std::vector<double>{1.0}, "1"), std::runtime_error);
}

TEST_F(Hdf5WriterTest, FinalFileAppearsOnlyAtCommit) {
  const auto file = dir_ / "late.h5";
  Hdf5Writer w(file, false);
  EXPECT_EQ(w.temporary_path(), fs::path(file.string() + ".tmp-" + std::to_string(::getpid())));
  w.write("/x", std::vector<double>{1.0}, "1");
  EXPECT_TRUE(fs::exists(w.temporary_path()));
  EXPECT_FALSE(fs::exists(file));
  w.commit();
  EXPECT_TRUE(fs::exists(file));
  EXPECT_FALSE(fs::exists(w.temporary_path()));
  EXPECT_THROW(w.write("/y", std::vector<double>{1.0}, "1"), std::logic_error);
}

TEST_F(Hdf5WriterTest, RefusesToOverwriteAndLeavesBytesUnchanged) {
  const auto file = dir_ / "keep.h5";
  const std::string original = "not really hdf5, but precious\n";
  { std::ofstream(file, std::ios::binary) << original; }
  const auto msg = error_message([&] { Hdf5Writer w(file, false); });
  EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("exists; refusing to overwrite (use --force)"), std::string::npos) << msg;
  EXPECT_THROW(Hdf5Writer(file, false), tmorder::InputError);
  EXPECT_EQ(slurp(file), original);
  EXPECT_EQ(entries().size(), 1U);  // nothing else was created
}

TEST_F(Hdf5WriterTest, OverwriteReplacesOnlyAtCommit) {
  const auto file = dir_ / "replace.h5";
  const std::string original = "old contents\n";
  { std::ofstream(file, std::ios::binary) << original; }
  {
    Hdf5Writer w(file, true);
    w.write("/x", std::vector<double>{1.0}, "1");
    // Abandoned: the old file must survive untouched.
  }
  EXPECT_EQ(slurp(file), original);
  {
    Hdf5Writer w(file, true);
    w.write("/x", std::vector<double>{7.0}, "1");
    EXPECT_EQ(slurp(file), original);
    w.commit();
  }
  EXPECT_EQ(tmorder::io::read_doubles(file, "/x"), std::vector<double>{7.0});
  EXPECT_EQ(entries().size(), 1U);
}

TEST_F(Hdf5WriterTest, DestroyWithoutCommitLeavesNothing) {
  const auto file = dir_ / "abandoned.h5";
  {
    Hdf5Writer w(file, false);
    w.write("/x", std::vector<double>{1.0, 2.0}, "eV");
    w.set_attribute("/", "note", std::string("never committed"));
  }
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(entries().empty());
}

TEST_F(Hdf5WriterTest, NonexistentDirectoryIsInputErrorNamingPath) {
  const auto file = dir_ / "no" / "such" / "dir" / "out.h5";
  const auto msg = error_message([&] { Hdf5Writer w(file, false); });
  EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
  EXPECT_THROW(Hdf5Writer(file, false), tmorder::InputError);
  EXPECT_TRUE(entries().empty());
}

TEST_F(Hdf5WriterTest, DirectoryAsTargetIsInputError) {
  EXPECT_THROW(Hdf5Writer(dir_, true), tmorder::InputError);
}

TEST_F(Hdf5WriterTest, ReaderReportsMissingFileAndDataset) {
  const auto file = dir_ / "r.h5";
  EXPECT_THROW((void)tmorder::io::read_doubles(file, "/x"), tmorder::InputError);
  {
    Hdf5Writer w(file, false);
    w.write("/g/x", std::vector<double>{1.0}, "1");
    w.write_strings("/g/s", {"a"});
    w.commit();
  }
  const auto msg = error_message([&] { (void)tmorder::io::read_doubles(file, "/g/missing"); });
  EXPECT_NE(msg.find("/g/missing"), std::string::npos) << msg;
  EXPECT_THROW((void)tmorder::io::read_doubles(file, "/nogroup/x"), tmorder::InputError);
  EXPECT_THROW((void)tmorder::io::read_string_attribute(file, "/g/x", "nope"), tmorder::InputError);
  EXPECT_THROW((void)tmorder::io::read_int64s(file, "/g/x"), tmorder::InputError);  // floats
  EXPECT_THROW((void)tmorder::io::read_doubles(file, "/g/s"), tmorder::InputError);  // strings
}

TEST_F(Hdf5WriterTest, NonHdf5FileIsInputError) {
  const auto file = dir_ / "text.h5";
  { std::ofstream(file) << "plain text\n"; }
  EXPECT_THROW((void)tmorder::io::read_doubles(file, "/x"), tmorder::InputError);
}

}  // namespace
