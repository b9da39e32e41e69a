#include "tmorder/io/atomic_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_support.hpp"

using tmorder::io::write_file_atomically;
using tmorder::test_support::error_of;
using tmorder::test_support::TempDir;

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()));
}
}  // namespace

TEST(AtomicFileTest, WritesAndReplacesOnlyWithOverwrite) {
  const TempDir dir("atomic");
  const auto path = dir.path() / "model.json";
  write_file_atomically(path, "first", false);
  EXPECT_EQ(slurp(path), "first");
  const std::string message = error_of([&] { write_file_atomically(path, "second", false); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("refusing to overwrite"), std::string::npos) << message;
  EXPECT_EQ(slurp(path), "first");  // untouched
  EXPECT_EQ(entries(dir.path()), 1u);  // and no temporary file left behind
  write_file_atomically(path, "second", true);
  EXPECT_EQ(slurp(path), "second");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFileTest, MissingDirectoryIsAnInputError) {
  const TempDir dir("atomic_missing");
  const auto path = dir.path() / "no" / "such" / "out.json";
  const std::string message = error_of([&] { write_file_atomically(path, "x", false); });
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "no"));
}

TEST(AtomicFileTest, TemporaryNameIsBesideTheTarget) {
  const auto temp = tmorder::io::temporary_path_for("/data/run/out.h5");
  EXPECT_EQ(temp.parent_path(), std::filesystem::path("/data/run"));
  EXPECT_EQ(temp.filename().string().rfind("out.h5.tmp-", 0), 0u);
}
