// `tmorder correlations MODEL STRUCTURE...`: correlation vectors of ideal-lattice structures.
#include <fmt/format.h>

#include <iostream>

#include "tmorder/app/cluster_space_report.hpp"
#include "tmorder/app/commands.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/io/atomic_file.hpp"
#include "tmorder/lattice/extxyz.hpp"
#include "tmorder/lattice/ideal_mapping.hpp"
#include "tmorder/lattice/poscar.hpp"

namespace tmorder::app {

namespace {

struct NamedStructure {
  std::string name;
  lattice::Structure structure;
  std::vector<long> atom_lines;
};

std::vector<NamedStructure> read_structures(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string ext = p.extension().string();
  std::vector<NamedStructure> out;
  if (ext == ".xyz" || ext == ".extxyz") {
    const auto frames = lattice::read_extxyz(p);
    for (std::size_t f = 0; f < frames.size(); ++f) {
      std::vector<long> lines;
      for (std::size_t i = 0; i < frames[f].structure.size(); ++i) lines.push_back(frames[f].first_line + 2 + static_cast<long>(i));
      const std::string name = frames.size() == 1 ? p.filename().string() : p.filename().string() + "#" + std::to_string(f);
      out.push_back({name, frames[f].structure, lines});
    }
  } else {
    out.push_back({p.filename().string(), lattice::read_poscar(p), {}});
  }
  return out;
}

}  // namespace

void register_correlations(CLI::App& app, const Invocation& inv) {
  struct Options {
    std::string model;
    std::vector<std::string> structures;
    std::string output;
    bool force = false;
    double tolerance = 0.1;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("correlations", "Correlation vectors of structures on ideal parent-lattice sites");
  cmd->add_option("MODEL", opt->model, "model definition (.toml) or model file (.json)")->required();
  cmd->add_option("STRUCTURES", opt->structures, "POSCAR (VASP 5) or extended-XYZ files (.xyz/.extxyz, all frames)")->required();
  cmd->add_option("-o,--output", opt->output, "write the cluster-space report with these correlations to HDF5");
  cmd->add_flag("-f,--force", opt->force, "overwrite an existing output file");
  cmd->add_option("--tolerance", opt->tolerance, "largest distance of an atom from its site, Angstrom")->check(CLI::PositiveNumber);
  cmd->callback([opt, &inv] {
    if (!opt->output.empty()) io::check_output_path(opt->output, opt->force);  // before any work
    const io::Model model = io::load_model(opt->model);
    NamedCorrelations result;
    for (const auto& file : opt->structures)
      for (const auto& ns : read_structures(file)) {
        const auto mapped = lattice::map_ideal_structure(model.space.parent(), ns.structure, file, opt->tolerance, ns.atom_lines);
        result.names.push_back(ns.name);
        result.values.push_back(clusters::correlations(model.space, mapped.supercell, mapped.occupation));
      }
    fmt::print("{:>5} {:>5} {:>6}", "func", "orbit", "order");
    for (const auto& n : result.names) fmt::print(" {:>14.14}", n);
    fmt::print("\n{:>5} {:>5} {:>6}", 0, "-", 0);
    for (std::size_t s = 0; s < result.names.size(); ++s) fmt::print(" {:14.8f}", result.values[s][0]);
    fmt::print("\n");
    const auto& cs = model.space;
    for (std::size_t k = 0; k < cs.orbits().size(); ++k)
      for (std::size_t f = 0; f < cs.orbits()[k].functions.size(); ++f) {
        const auto idx = static_cast<Eigen::Index>(cs.function_offset(k) + f);
        fmt::print("{:>5} {:>5} {:>6}", idx, k, cs.orbits()[k].order);
        for (const auto& v : result.values) fmt::print(" {:14.8f}", v[idx]);
        fmt::print("\n");
      }
    if (!opt->output.empty()) {
      write_cluster_space_h5(opt->output, opt->force, model, inv.command_line, result);
      fmt::print("\nwrote {}\n", opt->output);
    }
  });
}

}  // namespace tmorder::app
