#pragma once
// Atomic output files: write to a temporary name in the same directory, fsync, rename.
// A crash, a kill -9 or a refused run never leaves a half-written file under the final
// name, and never replaces an existing file unless the user asked for it.
#include <filesystem>
#include <string_view>

namespace tmorder::io {

/// Checks, before anything is created, that `final_path` may be written: not a directory,
/// absent unless `overwrite`, in an existing writable directory. Throws tmorder::InputError
/// naming the path ("exists; refusing to overwrite (use --force)", ...).
void check_output_path(const std::filesystem::path& final_path, bool overwrite);

/// "<final_path>.tmp-<pid>": same directory, so the final rename never crosses file systems.
std::filesystem::path temporary_path_for(const std::filesystem::path& final_path);

/// fsyncs `temp`, re-checks that `final_path` did not appear meanwhile (unless
/// `overwrite`), renames `temp` over `final_path` and fsyncs the directory (best effort).
/// On failure `temp` is left for the caller to remove.
void publish_temporary(const std::filesystem::path& temp, const std::filesystem::path& final_path, bool overwrite);

/// Writes `text` to `path` atomically (check_output_path, temporary file, publish).
void write_file_atomically(const std::filesystem::path& path, std::string_view text, bool overwrite);

}  // namespace tmorder::io
