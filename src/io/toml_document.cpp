#include "tmorder/io/toml_document.hpp"

#include "tmorder/util/error.hpp"

namespace tmorder::io {

toml::table parse_toml_document(const std::string& text, const std::filesystem::path& path) {
  try {
    return toml::parse(text, path.string());
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw InputError(located(path.string(), static_cast<long>(b.line),
                             "TOML syntax error at column " + std::to_string(b.column) + ": " + std::string(e.description())));
  }
}

}  // namespace tmorder::io
