// `tmorder build-model DEF.toml -o MODEL.json`: enumerate the cluster space once and store it.
#include <iostream>

#include "tmorder/app/commands.hpp"
#include "tmorder/io/atomic_file.hpp"
#include "tmorder/io/model_file.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::app {

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
    io::check_output_path(opt->output, opt->force);  // fail before the (possibly long) enumeration
    const io::ModelDefinition def = io::read_model_definition(opt->definition);
    const io::Model model = io::build_model(def);
    io::write_file_atomically(opt->output, io::model_to_json(model.space, def).dump(1) + "\n", opt->force);
    std::cout << "wrote " << opt->output << ": " << model.space.orbits().size() << " orbits, " << model.space.n_functions()
              << " cluster functions\n";
  });
}

}  // namespace tmorder::app
