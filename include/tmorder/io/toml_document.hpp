#pragma once
// Parsing a TOML input file with the project's error convention: a syntax error becomes a
// tmorder::InputError "FILE:LINE: TOML syntax error at column C: ...". Shared by the model
// definition and the run input readers.
#include <toml++/toml.h>

#include <filesystem>
#include <string>

namespace tmorder::io {

toml::table parse_toml_document(const std::string& text, const std::filesystem::path& path);

}  // namespace tmorder::io
