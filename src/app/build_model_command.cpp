// `tmorder build-model DEF.toml -o MODEL.json`: enumerate the cluster space once and store it.
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "tmorder/app/commands.hpp"
#include "tmorder/io/model_file.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::app {

namespace {

// Temporary file, flush, fsync, rename: a crash never leaves a half-written model behind.
void write_atomically(const std::filesystem::path& path, const std::string& text, bool force) {
  if (std::filesystem::exists(path) && !force)
    throw InputError(path.string() + ": exists; refusing to overwrite (use --force)");
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir)) throw InputError(path.string() + ": directory '" + dir.string() + "' does not exist");
  const auto tmp = std::filesystem::path(path.string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path.string() + ": cannot write in '" + dir.string() + "'");
    out << text;
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp);
      throw InputError(path.string() + ": write failed");
    }
  }
  if (FILE* f = std::fopen(tmp.c_str(), "rb")) {
    ::fsync(fileno(f));
    std::fclose(f);
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

void register_build_model(CLI::App& app, const Invocation&) {
  struct Options {
    std::string definition;
    std::string output;
    bool force = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("build-model", "Enumerate the cluster space of a model definition and write the model file (JSON)");
  cmd->add_option("DEFINITION", opt->definition, "model definition (.toml)")->required();
  cmd->add_option("-o,--output", opt->output, "model file to write (.json)")->required();
  cmd->add_flag("-f,--force", opt->force, "overwrite an existing model file");
  cmd->callback([opt] {
    if (std::filesystem::exists(opt->output) && !opt->force)  // fail before the (possibly long) enumeration
      throw InputError(opt->output + ": exists; refusing to overwrite (use --force)");
    const io::ModelDefinition def = io::read_model_definition(opt->definition);
    const io::Model model = io::build_model(def);
    write_atomically(opt->output, io::model_to_json(model.space, def).dump(1) + "\n", opt->force);
    std::cout << "wrote " << opt->output << ": " << model.space.orbits().size() << " orbits, " << model.space.n_functions()
              << " cluster functions\n";
  });
}

}  // namespace tmorder::app
