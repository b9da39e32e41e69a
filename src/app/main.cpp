// tmorder: cluster-expansion Monte Carlo for cation order in layered Na-ion cathodes.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tmorder/app/commands.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/version.hpp"

int main(int argc, char** argv) {
  tmorder::app::Invocation inv;
  for (int i = 0; i < argc; ++i) inv.command_line += (i ? " " : "") + std::string(argv[i]);

  CLI::App app{"tmorder: cluster-expansion Monte Carlo for cation order in layered oxides"};
  app.set_version_flag("--version", std::string("tmorder ") + tmorder::version_string + " (" + tmorder::git_commit + ")");
  app.require_subcommand(1);
  tmorder::app::register_info(app, inv);
  tmorder::app::register_build_model(app, inv);
  tmorder::app::register_correlations(app, inv);
  tmorder::app::register_run(app, inv);
  tmorder::app::register_enumerate(app, inv);
  tmorder::app::register_fit(app, inv);
  tmorder::app::register_ground_state(app, inv);
  tmorder::app::register_energy(app, inv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const tmorder::InputError& e) {
    if (!tmorder::app::error_output_suppressed()) std::cerr << "tmorder: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (!tmorder::app::error_output_suppressed()) std::cerr << "tmorder: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
