// `tmorder ground-state MODEL --max-size N`: the lowest-energy ordering at every composition
// among all symmetry-distinct structures up to N parent cells, and optionally simulated
// annealing at one composition in a larger supercell, to catch ground states the
// exhaustive search is too small to contain. Used to check a fitted model for spurious
// ground states.
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "tmorder/app/commands.hpp"
#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/enumeration/ground_states.hpp"
#include "tmorder/io/atomic_file.hpp"
#include "tmorder/io/model_file.hpp"
#include "tmorder/lattice/extxyz.hpp"
#include "tmorder/mc/annealing.hpp"
#include "tmorder/mc/initial_configuration.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/version.hpp"

namespace tmorder::app {

namespace {

struct Options {
  std::string model;
  int max_size = 0;
  bool in_plane = false;
  std::string output;
  bool force = false;
  bool all_degenerate = false;           // write every structure of the lowest level, not one
  std::string anneal;                    // "a,b,c" repetitions or 9 integers (matrix rows)
  std::vector<std::string> species;      // "SUB:Sp,Sp" restrictions of the exhaustive search
  std::vector<std::string> composition;  // "SUB:Sp=p/q,Sp=p/q"
  std::uint64_t seed = 1;
  double t_start = 3000.0, t_end = 10.0;
  int stages = 40, sweeps = 100;
};

double parse_fraction(const std::string& text, const std::string& option) {
  const auto slash = text.find('/');
  try {
    std::size_t used = 0;
    if (slash == std::string::npos) {
      const double x = std::stod(text, &used);
      if (used == text.size() && x >= 0.0 && x <= 1.0) return x;
    } else {
      const double p = std::stod(text.substr(0, slash), &used);
      const double q = std::stod(text.substr(slash + 1));
      if (q > 0 && p >= 0 && p <= q) return p / q;
    }
  } catch (const std::exception&) {
  }
  throw InputError(option + ": '" + text + "' is not a fraction in [0, 1] (a number or p/q)");
}

// "TM:Ni=2/3,Sb=1/3" -> composition["TM"] = {Ni: 2/3, Sb: 1/3}
mc::Composition parse_composition(const std::vector<std::string>& items) {
  mc::Composition c;
  for (const auto& item : items) {
    const auto colon = item.find(':');
    if (colon == std::string::npos || colon == 0)
      throw InputError("--composition: '" + item + "' is not of the form SUBLATTICE:Species=fraction,Species=fraction");
    auto& sub = c[item.substr(0, colon)];
    std::stringstream rest(item.substr(colon + 1));
    std::string pair;
    while (std::getline(rest, pair, ',')) {
      const auto eq = pair.find('=');
      if (eq == std::string::npos || eq == 0)
        throw InputError("--composition: '" + pair + "' in '" + item + "' is not Species=fraction");
      sub[pair.substr(0, eq)] = parse_fraction(pair.substr(eq + 1), "--composition " + item);
    }
  }
  return c;
}

// "a,b,c" (repetitions) or "p11,p12,p13,p21,...,p33" (supercell matrix, rows = supercell
// vectors in parent-lattice units, as `matrix` in the run input).
IMat3 parse_anneal_cell(const std::string& text) {
  std::stringstream in(text);
  std::string part;
  std::vector<int> r;
  while (std::getline(in, part, ',')) {
    try {
      std::size_t used = 0;
      const int v = std::stoi(part, &used);
      if (used != part.size()) throw std::invalid_argument("");
      r.push_back(v);
    } catch (const std::exception&) {
      r.clear();
      break;
    }
  }
  const std::string expected = "--anneal: '" + text + "' is neither three positive integers a,b,c (repetitions) nor nine integers (a non-singular supercell matrix, rows = supercell vectors)";
  IMat3 P = IMat3::Zero();
  if (r.size() == 3 && r[0] > 0 && r[1] > 0 && r[2] > 0) {
    P.diagonal() << r[0], r[1], r[2];
  } else if (r.size() == 9) {
    for (int k = 0; k < 9; ++k) P(k / 3, k % 3) = r[static_cast<std::size_t>(k)];
    if (P.cast<double>().determinant() == 0.0) throw InputError(expected);
  } else {
    throw InputError(expected);
  }
  return P;
}

// "TM:Ni,Sb" -> {"TM": {"Ni", "Sb"}}
std::map<std::string, std::vector<std::string>> parse_species(const std::vector<std::string>& items) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& item : items) {
    const auto colon = item.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == item.size())
      throw InputError("--species: '" + item + "' is not of the form SUBLATTICE:Species,Species");
    auto [it, inserted] = out.try_emplace(item.substr(0, colon));
    if (!inserted) throw InputError("--species: sublattice '" + item.substr(0, colon) + "' given twice");
    std::stringstream rest(item.substr(colon + 1));
    std::string sp;
    while (std::getline(rest, sp, ',')) it->second.push_back(sp);
  }
  return out;
}

void run(const Options& opt) {
  if (opt.max_size < 1 || opt.max_size > 16) throw InputError("--max-size: expected 1..16 parent cells, got " + std::to_string(opt.max_size));
  if (opt.all_degenerate && opt.output.empty()) throw InputError("--all-degenerate writes structures: it needs -o FILE");
  if (!opt.anneal.empty() && opt.composition.empty())
    throw InputError("--anneal needs --composition SUBLATTICE:Species=fraction,... for every sublattice");
  if (!opt.output.empty()) io::check_output_path(opt.output, opt.force);  // before any work
  const io::Model model = io::load_model(opt.model);
  if (!model.ecis && !model.electrostatics)
    throw InputError(opt.model + ": the model has neither fitted ECIs nor an [electrostatics] term: no energy to minimise");
  const ce::ClusterExpansion expansion(model.space, model.ecis ? *model.ecis : std::vector<double>(model.space.n_functions(), 0.0));
  const io::ElectrostaticsSpec* es = model.electrostatics ? &*model.electrostatics : nullptr;
  const auto& parent = model.space.parent();

  // Validate the annealing composition before the (possibly long) exhaustive search.
  mc::Composition composition;
  IMat3 anneal_cell = IMat3::Identity();
  if (!opt.anneal.empty()) {
    composition = parse_composition(opt.composition);
    anneal_cell = parse_anneal_cell(opt.anneal);
    (void)mc::species_counts(parent, lattice::Supercell(anneal_cell, static_cast<int>(parent.n_sites())), composition);
  }

  std::optional<enumeration::SpeciesRestriction> restriction;
  if (!opt.species.empty()) restriction = enumeration::restrict_species(parent, parse_species(opt.species));
  enumeration::EnumerationOptions eo;
  eo.min_size = 1;
  eo.max_size = opt.max_size;
  eo.in_plane_only = opt.in_plane;
  const enumeration::Enumerator enumerator(restriction ? restriction->parent : parent, eo);
  const auto states = enumeration::exhaustive_ground_states(enumerator, expansion, es, restriction ? &*restriction : nullptr,
                                                            opt.all_degenerate);
  const int active_per_cell = [&] {
    int n = 0;
    for (std::size_t b = 0; b < parent.n_sites(); ++b) n += parent.is_active(static_cast<int>(b)) ? 1 : 0;
    return n;
  }();
  std::string restricted;
  for (const auto& item : opt.species) restricted += (restricted.empty() ? "" : ", ") + item;
  std::cout << fmt::format("ground states of {} ({}): all symmetry-distinct structures of 1..{} parent cells{}{}\n", model.name,
                           opt.model, opt.max_size, opt.in_plane ? " (in-plane supercells)" : "",
                           restricted.empty() ? "" : " with species restricted to " + restricted);
  std::cout << fmt::format("{:<40} {:>5} {:>16} {:>14} {:>10} {:>10}\n", "composition", "cells", "E (eV/cell)", "E (meV/site)",
                           "compared", "degenerate");
  std::string frames;
  for (const auto& gs : states) {
    std::cout << fmt::format("{:<40} {:>5} {:>16.8f} {:>14.3f} {:>10} {:>10}\n", gs.composition, gs.structure.size, gs.energy_per_cell,
                             1000.0 * gs.energy_per_cell / active_per_cell, gs.n_structures, gs.n_degenerate);
    if (!opt.output.empty()) {
      // One frame per composition, or with --all-degenerate every structure of the lowest
      // level (the ground state first), numbered by degenerate_index.
      const std::vector<enumeration::ScoredStructure> written =
          opt.all_degenerate ? gs.degenerate : std::vector<enumeration::ScoredStructure>{{gs.structure, gs.energy_per_cell}};
      for (std::size_t k = 0; k < written.size(); ++k) {
        const auto& d = written[k].structure;
        std::string matrix;
        for (int r = 0; r < 3; ++r)
          for (int c = 0; c < 3; ++c) matrix += (matrix.empty() ? "" : " ") + std::to_string(d.supercell_matrix(r, c));
        frames += lattice::format_extxyz(enumerator.structure(d),
                                         {{"composition", gs.composition},
                                          {"ce_energy_per_cell", fmt::format("{:.12g}", written[k].energy_per_cell)},
                                          {"size", std::to_string(d.size)},
                                          {"supercell_matrix", matrix},
                                          {"n_degenerate", std::to_string(gs.n_degenerate)},
                                          {"degenerate_index", std::to_string(k)},
                                          {"model", model.name},
                                          {"model_sha256", model.source_sha256},
                                          {"tmorder_version", version_string}});
      }
    }
  }

  if (!opt.anneal.empty()) {
    const lattice::Supercell sc(anneal_cell, static_cast<int>(parent.n_sites()));
    const ce::LocalEnergy local(expansion, sc);
    std::unique_ptr<ce::Electrostatics> electrostatics;
    if (es) electrostatics = std::make_unique<ce::Electrostatics>(parent, sc, es->charges, es->coefficient);
    mc::Rng rng(opt.seed);
    auto occ = mc::random_configuration(parent, sc, composition, rng);
    const std::vector<int> as_int(occ.begin(), occ.end());
    const std::string label = enumeration::composition_label(parent, sc, as_int);
    mc::MonteCarlo sampler(local, parent, std::move(occ), rng, opt.t_start, mc::MoveSet{}, {}, electrostatics.get());
    const auto result = mc::anneal(sampler, {opt.t_start, opt.t_end, opt.stages, opt.sweeps});
    const double e = result.best_energy / sc.n_cells();
    std::cout << fmt::format("\nsimulated annealing, {} cells ({}), {} K -> {} K in {} stages of {} sweeps, seed {}:\n  {}: E = {:.8f} eV/cell\n",
                             sc.n_cells(), opt.anneal, opt.t_start, opt.t_end, opt.stages, opt.sweeps, opt.seed, label, e);
    for (const auto& gs : states)
      if (gs.composition == label) {
        const double diff = e - gs.energy_per_cell;
        std::cout << fmt::format("  exhaustive search ({} cells): {:.8f} eV/cell; annealing - exhaustive = {:.3e} eV/cell: {}\n",
                                 gs.structure.size, gs.energy_per_cell, diff,
                                 diff < -1e-6 ? "annealing found a LOWER ordering: the ground state needs a larger cell than --max-size"
                                              : (diff > 1e-6 ? "annealing stayed above (start above the ordering temperature with --t-start, raise --stages/--sweeps, or the cell cannot hold the ordering)"
                                                             : "agree"));
      }
  }
  if (!opt.output.empty()) {
    io::write_file_atomically(opt.output, frames, opt.force);
    std::cout << "\nwrote " << opt.output << "\n";
  }
}

}  // namespace

void register_ground_state(CLI::App& app, const Invocation& /*inv*/) {
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("ground-state", "Lowest-energy orderings per composition (exhaustive over enumerated structures, optional annealing)");
  cmd->add_option("MODEL", opt->model, "model file (.json) with ECIs and/or an electrostatic term (or a .toml definition)")->required();
  cmd->add_option("--max-size", opt->max_size, "largest supercell (parent cells) of the exhaustive search, 1..16")->required();
  cmd->add_flag("--in-plane", opt->in_plane, "only supercells keeping the third parent vector (layers with a vacuum axis)");
  cmd->add_option("-o,--output", opt->output, "write the ground states as extended XYZ");
  cmd->add_flag("-f,--force", opt->force, "overwrite an existing output file");
  cmd->add_flag("--all-degenerate", opt->all_degenerate,
                "write every structure within 1e-6 eV/cell of the lowest at each composition (degenerate_index 0 is the one printed), not one");
  cmd->add_option("--species", opt->species,
                  "restrict the exhaustive search on a sublattice to these species: SUB:Species,Species (repeatable; one species makes the sites fixed)");
  cmd->add_option("--anneal", opt->anneal, "also anneal in this supercell: repetitions a,b,c or a matrix p11,...,p33 (rows = supercell vectors)");
  cmd->add_option("--composition", opt->composition, "annealing composition, one per sublattice: SUB:Species=p/q,Species=p/q");
  cmd->add_option("--seed", opt->seed, "annealing seed");
  cmd->add_option("--t-start", opt->t_start, "annealing start temperature (K)")->check(CLI::PositiveNumber);
  cmd->add_option("--t-end", opt->t_end, "annealing end temperature (K)")->check(CLI::PositiveNumber);
  cmd->add_option("--stages", opt->stages, "annealing temperatures")->check(CLI::PositiveNumber);
  cmd->add_option("--sweeps", opt->sweeps, "sweeps per annealing temperature")->check(CLI::PositiveNumber);
  cmd->callback([opt] { run(*opt); });
}

}  // namespace tmorder::app
