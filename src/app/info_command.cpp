// `tmorder info MODEL`: parent structure, sublattices, space group and orbit table.
#include <iostream>

#include "tmorder/app/cluster_space_report.hpp"
#include "tmorder/app/commands.hpp"
#include "tmorder/io/atomic_file.hpp"

namespace tmorder::app {

void register_info(CLI::App& app, const Invocation& inv) {
  struct Options {
    std::string model;
    std::string output;
    bool force = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("info", "Print a model's parent structure, sublattices, space group and orbits");
  cmd->add_option("MODEL", opt->model, "model definition (.toml) or model file (.json)")->required();
  cmd->add_option("-o,--output", opt->output, "also write the cluster-space report to this HDF5 file");
  cmd->add_flag("-f,--force", opt->force, "overwrite an existing output file");
  cmd->callback([opt, &inv] {
    if (!opt->output.empty()) io::check_output_path(opt->output, opt->force);  // before any work
    const io::Model model = io::load_model(opt->model);
    print_cluster_space(std::cout, model);
    if (!opt->output.empty()) {
      write_cluster_space_h5(opt->output, opt->force, model, inv.command_line, {});
      std::cout << "\nwrote " << opt->output << "\n";
    }
  });
}

}  // namespace tmorder::app
