#pragma once
// The tmorder subcommands. Each registers its options on the CLI11 app and runs when chosen.
#include <CLI/CLI.hpp>
#include <string>

namespace tmorder::app {

/// The command line as typed, recorded in every output file's provenance.
struct Invocation {
  std::string command_line;
};

void register_info(CLI::App& app, const Invocation& inv);
void register_build_model(CLI::App& app, const Invocation& inv);
void register_correlations(CLI::App& app, const Invocation& inv);
void register_run(CLI::App& app, const Invocation& inv);
void register_enumerate(CLI::App& app, const Invocation& inv);
void register_fit(CLI::App& app, const Invocation& inv);
void register_ground_state(CLI::App& app, const Invocation& inv);
void register_energy(CLI::App& app, const Invocation& inv);

/// Error messages are printed by main() unless suppressed (MPI ranks other than 0, which
/// fail with the same message as rank 0).
void suppress_error_output();
[[nodiscard]] bool error_output_suppressed();

}  // namespace tmorder::app
