#include "tmorder/io/hdf5_file.hpp"

#include "tmorder/io/atomic_file.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "tmorder/util/error.hpp"

namespace tmorder::io {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Handles, error reporting
// ---------------------------------------------------------------------------------------------

/// Owns one HDF5 identifier and releases it with the matching H5*close, so no early return or
/// exception can leak an open object (leaked objects keep the file open).
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);

  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      (void)close();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { (void)close(); }

  [[nodiscard]] hid_t get() const { return id_; }
  [[nodiscard]] bool valid() const { return id_ >= 0; }

  /// Closes now and returns HDF5's status: closing the file is where buffered data is
  /// written, so commit() must see that result rather than have a destructor swallow it.
  herr_t close() {
    herr_t rc = 0;
    if (valid()) rc = closer_(id_);
    id_ = H5I_INVALID_HID;
    return rc;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Turns off HDF5's automatic printing of its error stack while alive. Failures surface as
/// exceptions with our own message; the raw stack dump would only clutter batch-job logs.
/// The previous handler is restored so code outside this file keeps its own setting.
class QuietErrors {
 public:
  QuietErrors() {
    (void)H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    (void)H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { (void)H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

/// What an error message names: the file as the user knows it and the object inside it.
struct Where {
  std::string file;
  std::string object;
};

herr_t keep_innermost(unsigned depth, const H5E_error2_t* err, void* client) {
  if (depth == 0 && err != nullptr && err->desc != nullptr) *static_cast<std::string*>(client) = err->desc;
  return 0;
}

/// The innermost entry of HDF5's error stack (the root cause, e.g. "file exists"); clears
/// the stack so the next failure does not report a stale cause.
std::string hdf5_detail() {
  std::string detail;
  (void)H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &detail);
  (void)H5Eclear2(H5E_DEFAULT);
  return detail.empty() ? std::string() : " (" + detail + ")";
}

[[noreturn]] void fail(const Where& where, const std::string& action) {
  throw std::runtime_error(
      located(where.file, 0, "HDF5: cannot " + action + " '" + where.object + "'" + hdf5_detail()));
}

void check(herr_t rc, const Where& where, const std::string& action) {
  if (rc < 0) fail(where, action);
}

Handle checked(hid_t id, Handle::Closer closer, const Where& where, const std::string& action) {
  if (id < 0) fail(where, action);
  return {id, closer};
}

[[noreturn]] void input_error(const Where& where, const std::string& message) {
  throw InputError(located(where.file, 0, "'" + where.object + "': " + message));
}

// ---------------------------------------------------------------------------------------------
// Paths inside the file
// ---------------------------------------------------------------------------------------------

/// "/a//b/" -> {"a", "b"}: HDF5 treats repeated and trailing slashes as one, and so do we.
std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts, std::size_t count) {
  if (count == 0) return "/";
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += "/" + parts[i];
  return out;
}

std::string normalized(const std::string& path) {
  const auto parts = components(path);
  return join(parts, parts.size());
}

/// True if every level of `path` exists. H5Lexists itself fails (rather than answering
/// "no") when an intermediate level is missing, hence the walk.
bool path_exists(hid_t file, const std::string& path) {
  const auto parts = components(path);
  for (std::size_t i = 1; i <= parts.size(); ++i) {
    if (H5Lexists(file, join(parts, i).c_str(), H5P_DEFAULT) <= 0) {
      (void)H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  return true;
}

/// Opens the group made of the first `count` components, creating missing levels.
Handle ensure_group(hid_t file, const std::string& label, const std::vector<std::string>& parts,
                    std::size_t count) {
  Handle group = checked(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose, {label, "/"}, "open group");
  for (std::size_t i = 0; i < count; ++i) {
    const Where where{label, join(parts, i + 1)};
    const char* name = parts[i].c_str();
    const htri_t exists = H5Lexists(group.get(), name, H5P_DEFAULT);
    if (exists < 0) fail(where, "look up");
    group = exists > 0
                ? checked(H5Gopen2(group.get(), name, H5P_DEFAULT), H5Gclose, where, "open group")
                : checked(H5Gcreate2(group.get(), name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                          H5Gclose, where, "create group");
  }
  return group;
}

// ---------------------------------------------------------------------------------------------
// Types, attributes, datasets (writing)
// ---------------------------------------------------------------------------------------------

/// Variable-length string type with the given character set.
Handle vlen_string_type(H5T_cset_t cset, const Where& where) {
  Handle type = checked(H5Tcopy(H5T_C_S1), H5Tclose, where, "copy string type for");
  check(H5Tset_size(type.get(), H5T_VARIABLE), where, "size string type for");
  check(H5Tset_cset(type.get(), cset), where, "set character set for");
  return type;
}

/// Writes a scalar attribute, deleting any previous one of that name first (an attribute's
/// type is fixed at creation, so replacing is the only way to change it).
void replace_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t mem_type,
                       const void* value, const Where& where) {
  const std::string action = "write attribute '" + name + "' of";
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail(where, action);
  if (exists > 0) check(H5Adelete(object, name.c_str()), where, action);
  Handle space = checked(H5Screate(H5S_SCALAR), H5Sclose, where, action);
  Handle attr = checked(
      H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose, where, action);
  check(H5Awrite(attr.get(), mem_type, value), where, action);
}

void write_string_attribute(hid_t object, const std::string& name, const std::string& value,
                            const Where& where) {
  // Variable-length UTF-8, so h5py hands Python code a str rather than numpy bytes.
  Handle type = vlen_string_type(H5T_CSET_UTF8, where);
  const char* text = value.c_str();
  replace_attribute(object, name, type.get(), type.get(), &text, where);
}

/// Creates a new dataset at `path` (with its parent groups) of the given shape and writes
/// `data` into it. Returns the open dataset so the caller can attach attributes.
Handle create_dataset(hid_t file, const std::string& label, const std::string& path,
                      hid_t file_type, hid_t mem_type, const std::vector<hsize_t>& dims,
                      const void* data) {
  const auto parts = components(path);
  if (parts.empty()) throw std::invalid_argument(label + ": empty HDF5 dataset path");
  const Where where{label, join(parts, parts.size())};
  Handle parent = ensure_group(file, label, parts, parts.size() - 1);
  const char* leaf = parts.back().c_str();
  const htri_t exists = H5Lexists(parent.get(), leaf, H5P_DEFAULT);
  if (exists < 0) fail(where, "look up");
  if (exists > 0) throw std::runtime_error(located(label, 0, "HDF5: '" + where.object + "' already exists"));

  Handle space = checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                         H5Sclose, where, "create dataspace for");
  Handle dataset = checked(H5Dcreate2(parent.get(), leaf, file_type, space.get(), H5P_DEFAULT,
                                      H5P_DEFAULT, H5P_DEFAULT),
                           H5Dclose, where, "create dataset");
  // An empty dataset has nothing to transfer, and HDF5 rejects the null buffer an empty span
  // may carry.
  if (H5Sget_simple_extent_npoints(space.get()) > 0) {
    check(H5Dwrite(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), where,
          "write dataset");
  }
  return dataset;
}

void write_numeric(hid_t file, const std::string& label, const std::string& path,
                   hid_t file_type, hid_t mem_type, const std::vector<hsize_t>& dims,
                   const void* data, const std::string& units) {
  Handle dataset = create_dataset(file, label, path, file_type, mem_type, dims, data);
  write_string_attribute(dataset.get(), "units", units, {label, normalized(path)});
}

/// File-access list for one process on a local file. The library is the MPI build, so the
/// sec2 (POSIX) driver is requested explicitly rather than trusting any inherited default.
Handle serial_fapl(const Where& where) {
  Handle fapl = checked(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, where, "create access list for");
  check(H5Pset_fapl_sec2(fapl.get()), where, "select sec2 driver for");
  // STRONG: closing the file also closes anything left open in it, so H5Fclose really
  // finishes the file instead of silently deferring until the last object goes away.
  check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), where, "set close degree for");
  return fapl;
}

Handle create_temporary_file(const fs::path& temp, const std::string& label) {
  Handle fapl = serial_fapl({label, "/"});
  const hid_t id = H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (id < 0) {
    const std::string detail = hdf5_detail();
    std::error_code ec;
    fs::remove(temp, ec);  // H5Fcreate may fail after creating the file; leave nothing behind
    throw InputError(located(label, 0, "cannot create temporary file '" + temp.string() + "'" + detail));
  }
  return {id, H5Fclose};
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

Handle open_for_reading(const fs::path& file) {
  const std::string label = file.string();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw InputError(located(label, 0, "no such file"));
  Handle fapl = serial_fapl({label, "/"});
  const hid_t id = H5Fopen(file.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) throw InputError(located(label, 0, "cannot open as an HDF5 file" + hdf5_detail()));
  return {id, H5Fclose};
}

/// Opens an existing object; a missing one is the input's fault, not an HDF5 failure.
Handle open_object(hid_t file, const Where& where) {
  if (!path_exists(file, where.object)) input_error(where, "no such object");
  return checked(H5Oopen(file, where.object.c_str(), H5P_DEFAULT), H5Oclose, where, "open object");
}

Handle open_dataset(hid_t file, const Where& where) {
  if (!path_exists(file, where.object)) input_error(where, "no such dataset");
  return checked(H5Dopen2(file, where.object.c_str(), H5P_DEFAULT), H5Dclose, where,
                 "open dataset");
}

Handle open_attribute(hid_t file, const Where& where, const std::string& name) {
  Handle object = open_object(file, where);
  const htri_t exists = H5Aexists(object.get(), name.c_str());
  if (exists < 0) fail(where, "look up attribute '" + name + "' of");
  if (exists == 0) input_error(where, "no attribute '" + name + "'");
  return checked(H5Aopen(object.get(), name.c_str(), H5P_DEFAULT), H5Aclose, where,
                 "open attribute '" + name + "' of");
}

H5T_class_t type_class(const Handle& type, const Where& where) {
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls == H5T_NO_CLASS) fail(where, "query type of");
  return cls;
}

std::size_t element_count(hid_t space, const Where& where) {
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) fail(where, "query size of");
  return static_cast<std::size_t>(n);
}

/// Fixed-length string memory type of `size` bytes. NULLPAD, not the default NULLTERM:
/// NULLTERM would reserve the last byte for a terminator and cut a full-width string short.
Handle fixed_string_type(std::size_t size, H5T_cset_t cset, const Where& where) {
  Handle type = checked(H5Tcopy(H5T_C_S1), H5Tclose, where, "copy string type for");
  check(H5Tset_size(type.get(), size), where, "size string type for");
  check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), where, "set padding for");
  check(H5Tset_cset(type.get(), cset), where, "set character set for");
  return type;
}

/// Text up to the first NUL (fixed-length strings are NUL-padded).
std::string until_nul(const char* data, std::size_t size) {
  return {data, ::strnlen(data, size)};
}

/// Frees the strings HDF5 allocated for a variable-length read, even if copying them throws.
class VlenReclaim {
 public:
  VlenReclaim(hid_t type, hid_t space, void* buffer) : type_(type), space_(space), buffer_(buffer) {}
  ~VlenReclaim() {
#if H5_VERSION_GE(1, 12, 0)
    (void)H5Treclaim(type_, space_, H5P_DEFAULT, buffer_);
#else
    (void)H5Dvlen_reclaim(type_, space_, H5P_DEFAULT, buffer_);
#endif
  }
  VlenReclaim(const VlenReclaim&) = delete;
  VlenReclaim& operator=(const VlenReclaim&) = delete;

 private:
  hid_t type_;
  hid_t space_;
  void* buffer_;
};

template <typename T>
std::vector<T> read_numeric(const fs::path& file, const std::string& dataset, hid_t mem_type,
                            bool integers_only) {
  QuietErrors quiet;
  Handle f = open_for_reading(file);
  const Where where{file.string(), normalized(dataset)};
  Handle d = open_dataset(f.get(), where);
  Handle type = checked(H5Dget_type(d.get()), H5Tclose, where, "query type of");
  const H5T_class_t cls = type_class(type, where);
  // Reading floats as integers would truncate silently; refuse instead.
  if (cls != H5T_INTEGER && (integers_only || cls != H5T_FLOAT)) {
    input_error(where, integers_only ? "is not an integer dataset" : "is not a numeric dataset");
  }
  Handle space = checked(H5Dget_space(d.get()), H5Sclose, where, "query dataspace of");
  std::vector<T> values(element_count(space.get(), where));
  if (!values.empty()) {
    check(H5Dread(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), where,
          "read dataset");
  }
  return values;
}

std::vector<std::string> read_vlen_strings(hid_t dataset, const Handle& file_type, hid_t space,
                                           std::size_t count, const Where& where) {
  Handle mem = vlen_string_type(H5Tget_cset(file_type.get()), where);
  std::vector<char*> raw(count, nullptr);
  const VlenReclaim reclaim(mem.get(), space, raw.data());
  check(H5Dread(dataset, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), where,
        "read dataset");
  std::vector<std::string> out;
  out.reserve(count);
  for (const char* s : raw) out.emplace_back(s != nullptr ? s : "");
  return out;
}

std::vector<std::string> read_fixed_strings(hid_t dataset, const Handle& file_type,
                                            std::size_t count, const Where& where) {
  const std::size_t width = H5Tget_size(file_type.get());
  if (width == 0) fail(where, "query string width of");
  Handle mem = fixed_string_type(width, H5Tget_cset(file_type.get()), where);
  std::string blob(count * width, '\0');
  check(H5Dread(dataset, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, blob.data()), where,
        "read dataset");
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(until_nul(blob.data() + i * width, width));
  return out;
}

/// Frees memory that HDF5 allocated for a variable-length attribute read.
struct Hdf5Free {
  void operator()(char* p) const { (void)H5free_memory(p); }
};

std::string read_scalar_string(const Handle& attr, const Handle& type, const Where& where) {
  const htri_t is_vlen = H5Tis_variable_str(type.get());
  if (is_vlen < 0) fail(where, "query string type of");
  const H5T_cset_t cset = H5Tget_cset(type.get());
  if (is_vlen > 0) {
    Handle mem = vlen_string_type(cset, where);
    char* raw = nullptr;
    check(H5Aread(attr.get(), mem.get(), &raw), where, "read attribute of");
    const std::unique_ptr<char, Hdf5Free> owned(raw);
    return owned ? std::string(owned.get()) : std::string();
  }
  const std::size_t width = H5Tget_size(type.get());
  Handle mem = fixed_string_type(width, cset, where);
  std::string buffer(width, '\0');
  check(H5Aread(attr.get(), mem.get(), buffer.data()), where, "read attribute of");
  return until_nul(buffer.data(), width);
}

template <typename T>
T read_numeric_attribute(const fs::path& file, const std::string& object, const std::string& name,
                         hid_t mem_type, bool integers_only) {
  QuietErrors quiet;
  Handle f = open_for_reading(file);
  const Where where{file.string(), normalized(object)};
  Handle attr = open_attribute(f.get(), where, name);
  Handle type = checked(H5Aget_type(attr.get()), H5Tclose, where, "query attribute type of");
  const H5T_class_t cls = type_class(type, where);
  if (cls != H5T_INTEGER && (integers_only || cls != H5T_FLOAT)) {
    input_error(where, "attribute '" + name + "' is not " + (integers_only ? "an integer" : "numeric"));
  }
  Handle space = checked(H5Aget_space(attr.get()), H5Sclose, where, "query attribute space of");
  if (element_count(space.get(), where) != 1) input_error(where, "attribute '" + name + "' is not a scalar");
  T value{};
  check(H5Aread(attr.get(), mem_type, &value), where, "read attribute '" + name + "' of");
  return value;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Hdf5Writer
// ---------------------------------------------------------------------------------------------

struct Hdf5Writer::State {
  fs::path final_path;
  fs::path temp_path;
  std::string label;  // final_path as text: errors name the file the user asked for
  bool overwrite = false;
  bool committed = false;
  Handle file;

  /// The open file; every operation after commit() (or after a failed commit) is a bug.
  [[nodiscard]] hid_t live_file() const {
    if (!file.valid()) throw std::logic_error(label + ": Hdf5Writer used after commit()");
    return file.get();
  }
};

Hdf5Writer::Hdf5Writer(fs::path final_path, bool overwrite) : state_(std::make_unique<State>()) {
  check_output_path(final_path, overwrite);
  State& s = *state_;
  s.label = final_path.string();
  s.temp_path = temporary_path_for(final_path);
  s.final_path = std::move(final_path);
  s.overwrite = overwrite;
  const QuietErrors quiet;
  s.file = create_temporary_file(s.temp_path, s.label);
}

Hdf5Writer::~Hdf5Writer() {
  if (state_->committed) return;
  const QuietErrors quiet;
  (void)state_->file.close();
  std::error_code ec;
  fs::remove(state_->temp_path, ec);  // best effort: a destructor must not throw
}

const fs::path& Hdf5Writer::temporary_path() const { return state_->temp_path; }

void Hdf5Writer::create_group(const std::string& path) {
  const QuietErrors quiet;
  const auto parts = components(path);
  (void)ensure_group(state_->live_file(), state_->label, parts, parts.size());
}

void Hdf5Writer::write(const std::string& dataset, std::span<const double> values,
                       const std::string& units) {
  const QuietErrors quiet;
  write_numeric(state_->live_file(), state_->label, dataset, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                {values.size()}, values.data(), units);
}

void Hdf5Writer::write(const std::string& dataset, std::span<const std::int64_t> values,
                       const std::string& units) {
  const QuietErrors quiet;
  write_numeric(state_->live_file(), state_->label, dataset, H5T_STD_I64LE, H5T_NATIVE_INT64,
                {values.size()}, values.data(), units);
}

void Hdf5Writer::write_matrix(const std::string& dataset, std::span<const double> row_major,
                              std::size_t rows, std::size_t cols, const std::string& units) {
  if (row_major.size() != rows * cols) {
    throw std::invalid_argument(state_->label + ": '" + dataset + "': " + std::to_string(rows) +
                                "x" + std::to_string(cols) + " matrix given " +
                                std::to_string(row_major.size()) + " values");
  }
  const QuietErrors quiet;
  write_numeric(state_->live_file(), state_->label, dataset, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                {rows, cols}, row_major.data(), units);
}

namespace {
std::vector<hsize_t> checked_shape(const std::string& label, const std::string& dataset, std::size_t n,
                                   const std::vector<std::size_t>& shape) {
  std::size_t product = 1;
  std::vector<hsize_t> dims;
  for (const auto d : shape) {
    product *= d;
    dims.push_back(static_cast<hsize_t>(d));
  }
  if (shape.empty() || product != n)
    throw std::invalid_argument(label + ": '" + dataset + "': shape with " + std::to_string(product) + " elements given " +
                                std::to_string(n) + " values");
  return dims;
}
}  // namespace

void Hdf5Writer::write_array(const std::string& dataset, std::span<const double> values,
                             const std::vector<std::size_t>& shape, const std::string& units) {
  const auto dims = checked_shape(state_->label, dataset, values.size(), shape);
  const QuietErrors quiet;
  write_numeric(state_->live_file(), state_->label, dataset, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, values.data(), units);
}

void Hdf5Writer::write_array(const std::string& dataset, std::span<const std::int64_t> values,
                             const std::vector<std::size_t>& shape, const std::string& units) {
  const auto dims = checked_shape(state_->label, dataset, values.size(), shape);
  const QuietErrors quiet;
  write_numeric(state_->live_file(), state_->label, dataset, H5T_STD_I64LE, H5T_NATIVE_INT64, dims, values.data(), units);
}

void Hdf5Writer::write_strings(const std::string& dataset, const std::vector<std::string>& values) {
  const QuietErrors quiet;
  const Where where{state_->label, normalized(dataset)};
  Handle type = vlen_string_type(H5T_CSET_UTF8, where);
  // A variable-length string buffer is an array of C-string pointers.
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& v : values) pointers.push_back(v.c_str());
  (void)create_dataset(state_->live_file(), state_->label, dataset, type.get(), type.get(),
                       {values.size()}, pointers.data());
}

void Hdf5Writer::set_attribute(const std::string& object_path, const std::string& name,
                               const std::string& value) {
  const QuietErrors quiet;
  const Where where{state_->label, normalized(object_path)};
  Handle object = open_object(state_->live_file(), where);
  write_string_attribute(object.get(), name, value, where);
}

void Hdf5Writer::set_attribute(const std::string& object_path, const std::string& name,
                               double value) {
  const QuietErrors quiet;
  const Where where{state_->label, normalized(object_path)};
  Handle object = open_object(state_->live_file(), where);
  replace_attribute(object.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, where);
}

void Hdf5Writer::set_attribute(const std::string& object_path, const std::string& name,
                               std::int64_t value) {
  const QuietErrors quiet;
  const Where where{state_->label, normalized(object_path)};
  Handle object = open_object(state_->live_file(), where);
  replace_attribute(object.get(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value, where);
}

void Hdf5Writer::commit() {
  const QuietErrors quiet;
  State& s = *state_;
  const Where root{s.label, "/"};
  check(H5Fflush(s.live_file(), H5F_SCOPE_GLOBAL), root, "flush file at");
  check(s.file.close(), root, "close file at");
  publish_temporary(s.temp_path, s.final_path, s.overwrite);  // on failure the destructor removes temp_path
  s.committed = true;
}

// ---------------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------------

std::vector<double> read_doubles(const fs::path& file, const std::string& dataset) {
  return read_numeric<double>(file, dataset, H5T_NATIVE_DOUBLE, /*integers_only=*/false);
}

std::vector<std::int64_t> read_int64s(const fs::path& file, const std::string& dataset) {
  return read_numeric<std::int64_t>(file, dataset, H5T_NATIVE_INT64, /*integers_only=*/true);
}

std::vector<std::size_t> read_shape(const fs::path& file, const std::string& dataset) {
  const QuietErrors quiet;
  Handle f = open_for_reading(file);
  const Where where{file.string(), normalized(dataset)};
  Handle d = open_dataset(f.get(), where);
  Handle space = checked(H5Dget_space(d.get()), H5Sclose, where, "query dataspace of");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail(where, "query rank of");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0) fail(where, "query shape of");
  return std::vector<std::size_t>(dims.begin(), dims.end());
}

std::vector<std::string> read_strings(const fs::path& file, const std::string& dataset) {
  const QuietErrors quiet;
  Handle f = open_for_reading(file);
  const Where where{file.string(), normalized(dataset)};
  Handle d = open_dataset(f.get(), where);
  Handle type = checked(H5Dget_type(d.get()), H5Tclose, where, "query type of");
  if (type_class(type, where) != H5T_STRING) input_error(where, "is not a string dataset");
  Handle space = checked(H5Dget_space(d.get()), H5Sclose, where, "query dataspace of");
  const std::size_t count = element_count(space.get(), where);
  const htri_t is_vlen = H5Tis_variable_str(type.get());
  if (is_vlen < 0) fail(where, "query string type of");
  return is_vlen > 0 ? read_vlen_strings(d.get(), type, space.get(), count, where)
                     : read_fixed_strings(d.get(), type, count, where);
}

std::string read_string_attribute(const fs::path& file, const std::string& object,
                                  const std::string& name) {
  const QuietErrors quiet;
  Handle f = open_for_reading(file);
  const Where where{file.string(), normalized(object)};
  Handle attr = open_attribute(f.get(), where, name);
  Handle type = checked(H5Aget_type(attr.get()), H5Tclose, where, "query attribute type of");
  if (type_class(type, where) != H5T_STRING) input_error(where, "attribute '" + name + "' is not a string");
  // A string array read into one scalar buffer would overrun it.
  Handle space = checked(H5Aget_space(attr.get()), H5Sclose, where, "query attribute space of");
  if (element_count(space.get(), where) != 1) input_error(where, "attribute '" + name + "' is not a scalar");
  return read_scalar_string(attr, type, where);
}

double read_double_attribute(const fs::path& file, const std::string& object,
                             const std::string& name) {
  return read_numeric_attribute<double>(file, object, name, H5T_NATIVE_DOUBLE, false);
}

std::int64_t read_int64_attribute(const fs::path& file, const std::string& object,
                                  const std::string& name) {
  return read_numeric_attribute<std::int64_t>(file, object, name, H5T_NATIVE_INT64, true);
}

}  // namespace tmorder::io
