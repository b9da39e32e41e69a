#include "tmorder/io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

#include "tmorder/util/error.hpp"

namespace tmorder::io {

namespace fs = std::filesystem;

namespace {

/// errno of fsync on `path` (0 on success); open read-only is enough, fsync acts on the inode.
int fsync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  const int err = ::fsync(fd) == 0 ? 0 : errno;
  (void)::close(fd);
  return err;
}

fs::path directory_of(const fs::path& file) { return file.has_parent_path() ? file.parent_path() : fs::path("."); }

bool exists_no_follow(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

}  // namespace

void check_output_path(const fs::path& final_path, bool overwrite) {
  const std::string label = final_path.string();
  std::error_code ec;
  if (fs::is_directory(final_path, ec)) throw InputError(located(label, 0, "is a directory"));
  if (!overwrite && exists_no_follow(final_path))
    throw InputError(located(label, 0, "exists; refusing to overwrite (use --force)"));
  const fs::path dir = directory_of(final_path);
  if (!fs::is_directory(dir, ec)) throw InputError(located(label, 0, "directory '" + dir.string() + "' does not exist"));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw InputError(located(label, 0, "directory '" + dir.string() + "' is not writable"));
}

fs::path temporary_path_for(const fs::path& final_path) {
  fs::path temp = final_path;
  temp += ".tmp-" + std::to_string(::getpid());
  return temp;
}

void publish_temporary(const fs::path& temp, const fs::path& final_path, bool overwrite) {
  const std::string label = final_path.string();
  if (const int err = fsync_path(temp); err != 0)
    throw std::runtime_error(located(label, 0, "fsync of '" + temp.string() + "' failed: " + std::strerror(err)));
  // Another process may have created the file since check_output_path looked.
  if (!overwrite && exists_no_follow(final_path))
    throw InputError(located(label, 0, "exists; refusing to overwrite (use --force)"));
  std::error_code ec;
  fs::rename(temp, final_path, ec);  // rename(2): atomic replacement within a directory
  if (ec) throw std::runtime_error(located(label, 0, "cannot rename '" + temp.string() + "' into place: " + ec.message()));
  // Persist the directory entry too; some file systems refuse fsync on directories.
  (void)fsync_path(directory_of(final_path));
}

void write_file_atomically(const fs::path& path, std::string_view text, bool overwrite) {
  check_output_path(path, overwrite);
  const fs::path temp = temporary_path_for(path);
  try {
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out) throw InputError(located(path.string(), 0, "cannot create '" + temp.string() + "'"));
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      out.flush();
      if (!out) throw std::runtime_error(located(path.string(), 0, "write to '" + temp.string() + "' failed"));
    }
    publish_temporary(temp, path, overwrite);
  } catch (...) {
    std::error_code ec;
    fs::remove(temp, ec);
    throw;
  }
}

}  // namespace tmorder::io
