#pragma once
// SHA-256 (FIPS 180-4) digests for provenance: input files and outputs are fingerprinted so a
// result can be traced to the exact bytes it came from. Self-contained so the core library
// does not depend on OpenSSL.
#include <filesystem>
#include <string>
#include <string_view>

namespace tmorder {

/// Lower-case hexadecimal SHA-256 digest (64 characters) of `data`.
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// Lower-case hexadecimal SHA-256 digest of the file's bytes, read in chunks so large files
/// need not fit in memory. Throws tmorder::InputError naming `path` if it cannot be read.
[[nodiscard]] std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace tmorder
