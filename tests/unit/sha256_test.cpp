#include "tmorder/util/sha256.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tmorder/util/error.hpp"

namespace {

// Known-answer vectors from NIST's "SHA-256 example" documents (FIPS 180-4 examples).
TEST(Sha256, EmptyString) {
  EXPECT_EQ(tmorder::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
  EXPECT_EQ(tmorder::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// 448 bits: the padding no longer fits in the first block, exercising the two-block path.
TEST(Sha256, TwoBlockMessage) {
  EXPECT_EQ(tmorder::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, OneMillionA) {
  const std::string data(1'000'000, 'a');
  EXPECT_EQ(tmorder::sha256_hex(data), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// 200 kB spans several 64 KiB read chunks, so the streamed file digest must equal the
// one-shot digest of the same bytes.
TEST(Sha256, FileMatchesStringDigest) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("tmorder_sha256_test_" + std::to_string(::getpid()) + ".bin");
  std::string data;
  for (int i = 0; i < 200'000; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  {
    std::ofstream out(path, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  EXPECT_EQ(tmorder::sha256_file_hex(path), tmorder::sha256_hex(data));
  std::filesystem::remove(path);
}

TEST(Sha256, FileAbc) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("tmorder_sha256_abc_" + std::to_string(::getpid()) + ".txt");
  { std::ofstream(path, std::ios::binary) << "abc"; }
  EXPECT_EQ(tmorder::sha256_file_hex(path),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::filesystem::remove(path);
}

TEST(Sha256, PaddingBoundaries) {
  // Digests of 'a' * n from Python hashlib, for n straddling the one/two-block padding split.
  EXPECT_EQ(tmorder::sha256_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(tmorder::sha256_hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(tmorder::sha256_hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(Sha256, MissingFileThrowsInputErrorNamingPath) {
  const std::filesystem::path path = "/nonexistent_dir_tmorder/missing.txt";
  try {
    (void)tmorder::sha256_file_hex(path);
    FAIL() << "expected InputError";
  } catch (const tmorder::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

TEST(Sha256, DirectoryThrowsInputError) {
  EXPECT_THROW((void)tmorder::sha256_file_hex(std::filesystem::temp_directory_path()),
               tmorder::InputError);
}

}  // namespace
