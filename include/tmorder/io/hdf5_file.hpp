#pragma once
// Serial HDF5 output with all-or-nothing semantics, plus a minimal reader.
//
// The library linked is Debian's MPI build of HDF5, but these files are written by one process
// through the default (sec2) driver: no MPI call is made here. hdf5.h is deliberately kept out
// of this header (it drags in mpi.h), so callers need neither include path.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tmorder::io {

/// Writes one HDF5 file atomically. Everything goes to "<final_path>.tmp-<pid>" in the same
/// directory (so the final rename never crosses a file system) and only commit() renames it
/// over `final_path`. A crash or an exception before commit() therefore never leaves a
/// half-written file under the final name, and never damages an existing one.
///
/// Conventions: every numeric dataset carries a string attribute "units" ("1" means
/// dimensionless). Dataset and group paths are absolute or relative to the root ("/a/b" and
/// "a/b" are the same); missing intermediate groups are created. HDF5 failures throw
/// std::runtime_error naming the object path; bad destinations throw tmorder::InputError.
class Hdf5Writer {
 public:
  /// Throws tmorder::InputError ("<path>: exists; refusing to overwrite (use --force)") if
  /// `final_path` exists and !overwrite, or naming the path if its directory is missing or not
  /// writable; in both cases before anything is created on disk.
  Hdf5Writer(std::filesystem::path final_path, bool overwrite);
  /// Without a successful commit(): closes and removes the temporary file; `final_path`,
  /// pre-existing or not, is left exactly as it was.
  ~Hdf5Writer();
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  /// Creates the group and any missing parents; an existing group is not an error.
  void create_group(const std::string& path);
  /// One-dimensional datasets. An existing dataset of the same name is an error.
  void write(const std::string& dataset, std::span<const double> values, const std::string& units);
  void write(const std::string& dataset, std::span<const std::int64_t> values,
             const std::string& units);
  /// Two-dimensional dataset of shape (rows, cols); `row_major.size()` must be rows * cols
  /// (std::invalid_argument otherwise).
  void write_matrix(const std::string& dataset, std::span<const double> row_major,
                    std::size_t rows, std::size_t cols, const std::string& units);
  /// N-dimensional datasets of any shape (row-major, last index fastest); the product of
  /// `shape` must equal `values.size()` (std::invalid_argument otherwise).
  void write_array(const std::string& dataset, std::span<const double> values, const std::vector<std::size_t>& shape,
                   const std::string& units);
  void write_array(const std::string& dataset, std::span<const std::int64_t> values,
                   const std::vector<std::size_t>& shape, const std::string& units);
  /// One-dimensional dataset of variable-length UTF-8 strings (h5py reads them as str).
  /// Strings are stored up to their first NUL character.
  void write_strings(const std::string& dataset, const std::vector<std::string>& values);

  /// Scalar attribute on an existing group or dataset ("/" is the root group). Setting an
  /// attribute again replaces it, whatever its previous type.
  void set_attribute(const std::string& object_path, const std::string& name,
                     const std::string& value);
  void set_attribute(const std::string& object_path, const std::string& name, double value);
  void set_attribute(const std::string& object_path, const std::string& name, std::int64_t value);

  /// Flushes and closes the file, fsyncs it, renames it over `final_path`, then fsyncs the
  /// directory so the rename itself survives a power cut. The writer is finished afterwards:
  /// any further call throws std::logic_error.
  void commit();

  /// The file name used until commit(); exposed for tests and diagnostics.
  [[nodiscard]] const std::filesystem::path& temporary_path() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---- minimal reader (opens the file read-only for each call) ----
// A missing or unreadable file, or a missing object, throws tmorder::InputError naming the
// file and the object; other HDF5 failures throw std::runtime_error.

/// All elements of a numeric dataset, converted to double; a matrix comes back row-major.
[[nodiscard]] std::vector<double> read_doubles(const std::filesystem::path& file,
                                               const std::string& dataset);
/// All elements of an integer dataset as int64 (row-major for matrices).
[[nodiscard]] std::vector<std::int64_t> read_int64s(const std::filesystem::path& file,
                                                    const std::string& dataset);
/// The shape of a dataset (empty for a scalar).
[[nodiscard]] std::vector<std::size_t> read_shape(const std::filesystem::path& file, const std::string& dataset);
/// A string dataset (variable- or fixed-length) as a vector of strings.
[[nodiscard]] std::vector<std::string> read_strings(const std::filesystem::path& file,
                                                    const std::string& dataset);
/// A scalar string attribute (variable- or fixed-length) of a group or dataset.
[[nodiscard]] std::string read_string_attribute(const std::filesystem::path& file,
                                                const std::string& object, const std::string& name);
/// Scalar numeric attributes, converted to the requested type.
[[nodiscard]] double read_double_attribute(const std::filesystem::path& file,
                                           const std::string& object, const std::string& name);
[[nodiscard]] std::int64_t read_int64_attribute(const std::filesystem::path& file,
                                                const std::string& object, const std::string& name);

}  // namespace tmorder::io
