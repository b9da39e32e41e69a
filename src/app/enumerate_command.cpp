// `tmorder enumerate MODEL --max-size N -o OUT.extxyz`: every symmetry-distinct derivative
// structure of the model's parent lattice up to N parent cells, as an extended-XYZ training-set
// candidate list (optionally POSCARs, optionally a farthest-point subset).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tmorder/app/commands.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/enumeration/enumeration.hpp"
#include "tmorder/enumeration/training_set.hpp"
#include "tmorder/io/atomic_file.hpp"
#include "tmorder/io/model_file.hpp"
#include "tmorder/lattice/extxyz.hpp"
#include "tmorder/lattice/poscar.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/version.hpp"

namespace tmorder::app {

namespace {

constexpr int kLargestSize = 16;

/// The 9 entries of a supercell matrix, row by row, space-separated.
std::string matrix_string(const IMat3& P) {
  std::string out;
  for (int r = 0; r < 3; ++r)
    for (int q = 0; q < 3; ++q) out += fmt::format("{}{}", (r || q) ? " " : "", P(r, q));
  return out;
}

/// One structure to write: its enumeration record and its stable identifier.
struct Candidate {
  enumeration::DerivativeStructure d;
  std::string config_id;  ///< "n<size>-s<supercell>-d<decoration>", 1-based, see docs/enumeration.md
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) break;
    start = p + 1;
  }
  return out;
}

double parse_fraction(const std::string& text, const std::string& context, const char* what) {
  double v = 0.0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(first, last, v);
  if (text.empty() || ec != std::errc() || ptr != last || !std::isfinite(v))
    throw InputError(fmt::format("{}: {} '{}' is not a number", context, what, text));
  if (v < 0.0 || v > 1.0) throw InputError(fmt::format("{}: {} {} is outside 0..1", context, what, text));
  return v;
}

/// "SUB:SPECIES:MIN:MAX" -> a composition range, checked against the parent lattice.
enumeration::CompositionRange parse_composition(const std::string& text, const lattice::ParentLattice& parent) {
  const std::string context = "--composition '" + text + "'";
  const auto f = split(text, ':');
  if (f.size() != 4 || f[0].empty() || f[1].empty())
    throw InputError(context + ": expected SUBLATTICE:SPECIES:MIN:MAX (fractions of the sublattice's sites)");
  enumeration::CompositionRange r{f[0], f[1], parse_fraction(f[2], context, "MIN"), parse_fraction(f[3], context, "MAX")};
  if (r.min > r.max) throw InputError(fmt::format("{}: MIN {} exceeds MAX {}", context, f[2], f[3]));
  const int sl = parent.sublattice_index(r.sublattice, context);
  static_cast<void>(parent.species_index(sl, r.species, context));
  return r;
}

/// Species counts per sublattice: "M:Cu=2,Au=2;TM:Ni=1,Sb=0" (every allowed species listed).
std::string composition_string(const lattice::ParentLattice& parent, const enumeration::DerivativeStructure& d) {
  const auto n_cells = static_cast<std::size_t>(d.size);
  std::string out;
  for (std::size_t s = 0; s < parent.sublattices.size(); ++s) {
    const auto& sub = parent.sublattices[s];
    std::vector<int> count(sub.species.size(), 0);
    for (std::size_t b = 0; b < parent.n_sites(); ++b) {
      if (parent.site_sublattice[b] != static_cast<int>(s)) continue;
      for (std::size_t c = 0; c < n_cells; ++c) ++count[static_cast<std::size_t>(d.occupation[b * n_cells + c])];
    }
    if (s) out += ';';
    out += sub.name + ':';
    for (std::size_t k = 0; k < sub.species.size(); ++k) out += fmt::format("{}{}={}", k ? "," : "", sub.species[k], count[k]);
  }
  return out;
}

/// Species of every active site in supercell order (basis * n_cells + cell), comma-separated.
std::string occupation_string(const lattice::ParentLattice& parent, const enumeration::DerivativeStructure& d) {
  const auto n_cells = static_cast<std::size_t>(d.size);
  std::string out;
  for (std::size_t b = 0; b < parent.n_sites(); ++b) {
    const int s = parent.site_sublattice[b];
    if (s < 0) continue;
    const auto& species = parent.sublattices[static_cast<std::size_t>(s)].species;
    for (std::size_t c = 0; c < n_cells; ++c) {
      if (!out.empty()) out += ',';
      out += species[static_cast<std::size_t>(d.occupation[b * n_cells + c])];
    }
  }
  return out;
}

/// True if every sublattice holds a single species (a pure / end-member structure).
bool is_end_member(const lattice::ParentLattice& parent, const enumeration::DerivativeStructure& d) {
  const auto n_cells = static_cast<std::size_t>(d.size);
  std::vector<int> seen(parent.sublattices.size(), -1);
  for (std::size_t b = 0; b < parent.n_sites(); ++b) {
    const int s = parent.site_sublattice[b];
    if (s < 0) continue;
    for (std::size_t c = 0; c < n_cells; ++c) {
      const int o = d.occupation[b * n_cells + c];
      int& first = seen[static_cast<std::size_t>(s)];
      if (first < 0) first = o;
      else if (first != o) return false;
    }
  }
  return true;
}

}  // namespace

void register_enumerate(CLI::App& app, const Invocation& /*inv*/) {
  struct Options {
    std::string model;
    int max_size = 0;
    int min_size = 1;
    bool in_plane = false;
    std::vector<std::string> composition;
    std::string output;
    std::string poscar_dir;
    int training_set = 0;
    std::uint64_t seed = 0;
    bool force = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "enumerate", "Write every symmetry-distinct derivative structure of a model's parent lattice (extended XYZ)");
  cmd->add_option("MODEL", opt->model, "model definition (.toml) or model file (.json)")->required();
  cmd->add_option("--max-size", opt->max_size, "largest supercell, in parent cells (1..16)")->required();
  cmd->add_option("--min-size", opt->min_size, "smallest supercell, in parent cells (default 1)");
  cmd->add_flag("--in-plane", opt->in_plane, "only supercells that keep the third parent vector (layers, vacuum c axis)");
  cmd->add_option("--composition", opt->composition,
                  "SUBLATTICE:SPECIES:MIN:MAX: keep structures whose fraction of SPECIES on SUBLATTICE is in "
                  "[MIN, MAX] (repeatable)");
  cmd->add_option("-o,--output", opt->output, "extended-XYZ file to write (one frame per structure)")->required();
  cmd->add_option("--poscar-dir", opt->poscar_dir, "also write one POSCAR per structure here (CONFIG_ID.vasp)");
  CLI::Option* ts = cmd->add_option("--training-set", opt->training_set,
                                    "write only K diverse structures (farthest-point sampling of correlation vectors, "
                                    "end members always included)");
  cmd->add_option("--seed", opt->seed, "seed for breaking ties in --training-set (default 0)")->needs(ts);
  cmd->add_flag("-f,--force", opt->force, "overwrite existing output files");

  cmd->callback([opt, ts] {
    // ---- checks before any work ----
    if (opt->max_size < 1 || opt->max_size > kLargestSize)
      throw InputError(fmt::format("--max-size {}: expected 1 <= N <= {}", opt->max_size, kLargestSize));
    if (opt->min_size < 1 || opt->min_size > opt->max_size)
      throw InputError(fmt::format("--min-size {}: expected 1 <= M <= --max-size ({})", opt->min_size, opt->max_size));
    if (opt->training_set < 0 || (ts->count() > 0 && opt->training_set == 0))
      throw InputError(fmt::format("--training-set {}: expected K >= 1", opt->training_set));
    io::check_output_path(opt->output, opt->force);
    const std::filesystem::path poscar_dir(opt->poscar_dir);
    if (!opt->poscar_dir.empty() && std::filesystem::exists(poscar_dir) && !std::filesystem::is_directory(poscar_dir))
      throw InputError("--poscar-dir " + opt->poscar_dir + ": exists and is not a directory");

    const io::Model model = io::load_model(opt->model);
    const lattice::ParentLattice& parent = model.space.parent();
    enumeration::EnumerationOptions eo;
    eo.min_size = opt->min_size;
    eo.max_size = opt->max_size;
    eo.in_plane_only = opt->in_plane;
    for (const auto& c : opt->composition) eo.composition.push_back(parse_composition(c, parent));
    // Decorations come from an enumerator without composition ranges, so that a structure's
    // config_id does not depend on --composition; the ranges are applied afterwards.
    const enumeration::Enumerator filter(parent, eo);
    enumeration::EnumerationOptions all_options = eo;
    all_options.composition.clear();
    const enumeration::Enumerator enumerator(parent, all_options);
    const int n_basis = static_cast<int>(parent.n_sites());

    // ---- enumeration ----
    std::vector<Candidate> candidates;
    std::size_t n_empty = 0;
    fmt::print("tmorder enumerate {} (model '{}', parent {} sites, {} space-group operations)\n", opt->model, model.name,
               parent.n_sites(), enumerator.space_group().operations.size());
    fmt::print("{:>5} {:>10} {:>11}\n", "size", "supercells", "structures");
    std::size_t total_supercells = 0;
    for (int n = opt->min_size; n <= opt->max_size; ++n) {
      const auto cells = enumerator.supercells(n);
      std::size_t kept = 0;
      for (std::size_t s = 0; s < cells.size(); ++s) {
        const lattice::Supercell sc(cells[s], n_basis);
        std::vector<enumeration::DerivativeStructure> decorations;
        try {
          decorations = enumerator.decorations(cells[s]);
        } catch (const std::invalid_argument& e) {  // too many decorations for exhaustive enumeration
          throw InputError(fmt::format("--max-size {}: size {} is too large for this model: {}", opt->max_size, n, e.what()));
        }
        for (std::size_t k = 0; k < decorations.size(); ++k) {
          if (!filter.composition_allowed(sc, decorations[k].occupation)) continue;
          if (enumerator.structure(decorations[k]).size() == 0) {
            ++n_empty;
            continue;
          }
          candidates.push_back({decorations[k], fmt::format("n{}-s{}-d{}", n, s + 1, k + 1)});
          ++kept;
        }
      }
      total_supercells += cells.size();
      fmt::print("{:>5} {:>10} {:>11}\n", n, cells.size(), kept);
    }
    fmt::print("{:>5} {:>10} {:>11}\n", "total", total_supercells, candidates.size());
    if (n_empty) fmt::print("left out {} structure(s) with no atoms (every site vacant)\n", n_empty);
    if (candidates.empty()) throw InputError("no structure matches the options (check --composition and the sizes)");

    // ---- training-set selection ----
    std::vector<std::size_t> chosen(candidates.size());
    for (std::size_t i = 0; i < chosen.size(); ++i) chosen[i] = i;
    std::string selection;
    if (opt->training_set > 0) {
      const auto k = static_cast<std::size_t>(opt->training_set);
      if (k > candidates.size())
        throw InputError(fmt::format("--training-set {}: only {} structures were enumerated", k, candidates.size()));
      std::vector<std::size_t> required;
      for (std::size_t i = 0; i < candidates.size(); ++i)
        if (is_end_member(parent, candidates[i].d)) required.push_back(i);
      if (required.size() > k)
        throw InputError(fmt::format("--training-set {}: fewer than the {} pure (end-member) structures, which are "
                                     "always included",
                                     k, required.size()));
      std::vector<Eigen::VectorXd> cvs;
      cvs.reserve(candidates.size());
      std::map<std::string, clusters::CorrelationCalculator> calculators;  // one per supercell
      for (const auto& c : candidates) {
        const std::string key = matrix_string(c.d.supercell_matrix);
        auto it = calculators.find(key);
        if (it == calculators.end())
          it = calculators.emplace(key, clusters::CorrelationCalculator(model.space, lattice::Supercell(c.d.supercell_matrix, n_basis))).first;
        cvs.push_back(it->second.compute(c.d.occupation));
      }
      chosen = enumeration::farthest_point_selection(cvs, k, required, opt->seed);
      selection = fmt::format("farthest-point-correlations(seed={},end_members={})", opt->seed, required.size());
      fmt::print("training set: {} of {} structures by greedy farthest-point sampling of correlation vectors "
                 "(seed {}; {} end members included)\n",
                 k, candidates.size(), opt->seed, required.size());
    }

    // ---- every output path checked before anything is written ----
    io::check_output_path(opt->output, opt->force);
    std::vector<std::filesystem::path> poscar_paths;
    if (!opt->poscar_dir.empty()) {
      for (const auto i : chosen) poscar_paths.push_back(poscar_dir / (candidates[i].config_id + ".vasp"));
      if (std::filesystem::is_directory(poscar_dir))
        for (const auto& p : poscar_paths) io::check_output_path(p, opt->force);
    }

    // ---- output ----
    std::string text;
    for (std::size_t rank = 0; rank < chosen.size(); ++rank) {
      const Candidate& c = candidates[chosen[rank]];
      std::map<std::string, std::string> info;
      info["config_id"] = c.config_id;
      info["size"] = std::to_string(c.d.size);
      info["supercell_matrix"] = matrix_string(c.d.supercell_matrix);
      info["occupation"] = occupation_string(parent, c.d);
      info["composition"] = composition_string(parent, c.d);
      info["model"] = model.name;
      info["model_sha256"] = model.source_sha256;
      info["tmorder_version"] = version_string;
      if (!selection.empty()) {
        info["selection"] = selection;
        info["selection_rank"] = std::to_string(rank + 1);
      }
      text += lattice::format_extxyz(enumerator.structure(c.d), info);
    }
    if (!opt->poscar_dir.empty()) {
      std::filesystem::create_directories(poscar_dir);
      for (std::size_t r = 0; r < chosen.size(); ++r) {
        const Candidate& c = candidates[chosen[r]];
        const std::string comment = fmt::format("{} supercell_matrix {} (model {} sha256 {}; tmorder {})",
                                                c.config_id, matrix_string(c.d.supercell_matrix), model.name,
                                                model.source_sha256, version_string);
        io::write_file_atomically(poscar_paths[r], lattice::format_poscar(enumerator.structure(c.d), comment), opt->force);
      }
    }
    io::write_file_atomically(opt->output, text, opt->force);
    fmt::print("wrote {} structure(s) to {}", chosen.size(), opt->output);
    if (!opt->poscar_dir.empty()) fmt::print(" and {}/", opt->poscar_dir);
    fmt::print("\n");
  });
}

}  // namespace tmorder::app
