// `tmorder energy MODEL STRUCTURE...`: energies of structures predicted by a fitted model
// (cluster expansion and/or electrostatic term), compared with the DFT energy a frame
// carries. Structures are mapped onto the parent lattice as `tmorder fit` maps its training
// set (lattice::map_relaxed_structure), so relaxed DFT frames are accepted. docs/energy.md.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tmorder/app/commands.hpp"
#include "tmorder/ce/cluster_expansion.hpp"
#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/fit/training_set.hpp"
#include "tmorder/io/atomic_file.hpp"
#include "tmorder/io/model_file.hpp"
#include "tmorder/lattice/extxyz.hpp"
#include "tmorder/lattice/poscar.hpp"
#include "tmorder/lattice/structure_mapping.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::app {

namespace {

struct Options {
  std::string model;
  std::vector<std::string> structures;
  std::string output;
  bool force = false;
  double max_displacement = 1.0;  // as fit::TrainingSetOptions
  double max_strain = 0.1;
};

/// One input structure: a POSCAR, or one frame of an extended-XYZ file.
struct InputStructure {
  std::string name;       ///< "FILE" (POSCAR) or "FILE#i" (extxyz frame i, 0-based)
  std::string label;      ///< for messages: "FILE" or "FILE: frame i"
  std::string config_id;  ///< extxyz info "config_id", empty if none
  lattice::Structure structure;
  std::vector<long> atom_lines;
  std::optional<double> reference;  ///< extxyz energy (eV, whole structure)
};

struct Row {
  std::string name;
  std::string config_id;
  int n_cells = 0;
  double e_cluster = 0.0, e_electrostatic = 0.0, e_atoms = 0.0, e_total = 0.0;
  std::optional<double> reference;
  double error_mev_per_site = 0.0;  ///< (e_total - reference) / (cells * active sites), meV; only with a reference
};

std::vector<InputStructure> read_structures(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string ext = p.extension().string();
  std::vector<InputStructure> out;
  if (ext == ".xyz" || ext == ".extxyz") {
    auto frames = lattice::read_extxyz(p);
    if (frames.empty()) throw InputError(path + ": no frames");
    for (std::size_t f = 0; f < frames.size(); ++f) {
      InputStructure s;
      s.name = path + "#" + std::to_string(f);
      s.label = path + ": frame " + std::to_string(f);
      if (const auto it = frames[f].info.find("config_id"); it != frames[f].info.end()) s.config_id = it->second;
      for (std::size_t i = 0; i < frames[f].structure.size(); ++i)
        s.atom_lines.push_back(frames[f].first_line + 2 + static_cast<long>(i));
      s.structure = std::move(frames[f].structure);
      s.reference = frames[f].energy;
      out.push_back(std::move(s));
    }
  } else {
    InputStructure s;
    s.name = path;
    s.label = path;
    s.structure = lattice::read_poscar(p);
    out.push_back(std::move(s));
  }
  return out;
}

/// The per-atom reference energies the model's ECIs were fitted with (`tmorder fit
/// --reference`), from provenance.fit.reference_energies_ev_per_atom; empty if none.
std::map<std::string, double> fit_reference_energies(const io::Model& model) {
  std::map<std::string, double> out;
  const auto& prov = model.provenance;
  if (!prov.is_object() || !prov.contains("fit") || !prov["fit"].is_object()) return out;
  const auto& fit = prov["fit"];
  if (!fit.contains("reference_energies_ev_per_atom") || !fit["reference_energies_ev_per_atom"].is_object()) return out;
  for (const auto& [species, value] : fit["reference_energies_ev_per_atom"].items()) {
    if (!value.is_number() || !std::isfinite(value.get<double>()))
      throw InputError(model.source_path + ": key 'provenance.fit.reference_energies_ev_per_atom." + species +
                       "': expected a finite number (eV/atom)");
    out[species] = value.get<double>();
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

void run(const Options& opt) {
  if (!opt.output.empty()) io::check_output_path(opt.output, opt.force);  // before any work
  const io::Model model = io::load_model(opt.model);
  if (!model.ecis && !model.electrostatics)
    throw InputError(opt.model + ": the model has neither fitted ECIs (\"ecis\" is null) nor an [electrostatics] term: "
                     "no energy to predict (fit it first with tmorder fit)");
  const auto& parent = model.space.parent();
  std::optional<ce::ClusterExpansion> expansion;
  if (model.ecis) expansion.emplace(model.space, *model.ecis);
  const auto references = fit_reference_energies(model);
  const int active = fit::active_sites_per_cell(parent);
  if (active < 1) throw InputError(opt.model + ": the model has no active (occupation-variable) sites");

  std::set<std::string> known;
  for (std::size_t b = 0; b < parent.n_sites(); ++b)
    for (const auto& sp : parent.allowed_species(static_cast<int>(b))) known.insert(sp);
  std::string known_list;
  for (const auto& sp : known) known_list += (known_list.empty() ? "" : ", ") + sp;

  lattice::MappingOptions mapping;
  mapping.max_displacement = opt.max_displacement;
  mapping.max_strain = opt.max_strain;

  // Every structure is read, mapped and evaluated before anything is printed or written.
  std::vector<Row> rows;
  for (const auto& file : opt.structures)
    for (const auto& in : read_structures(file)) {
      for (std::size_t i = 0; i < in.structure.species.size(); ++i) {
        const auto& sp = in.structure.species[i];
        if (sp != "Va" && !known.count(sp))
          throw InputError(fmt::format("{}: atom {}: species '{}' is unknown to the model (model species: {})", in.label,
                                       i + 1, sp, known_list));
      }
      const lattice::MappedStructure mapped = [&] {
        try {
          lattice::MappingOptions mo = mapping;
          mo.atom_lines = in.atom_lines;
          return lattice::map_relaxed_structure(parent, in.structure, file, mo);
        } catch (const InputError& e) {
          throw InputError(in.label + " does not map onto the parent lattice of " + opt.model + ": " + e.what());
        }
      }();
      Row row;
      row.name = in.name;
      row.config_id = in.config_id;
      row.n_cells = mapped.supercell.n_cells();
      if (expansion)
        row.e_cluster = row.n_cells * expansion->energy_per_cell(clusters::correlations(model.space, mapped.supercell, mapped.occupation));
      if (model.electrostatics) {
        try {
          const ce::Electrostatics es(parent, mapped.supercell, model.electrostatics->charges, model.electrostatics->coefficient);
          const std::vector<ce::Occupation> occ(mapped.occupation.begin(), mapped.occupation.end());
          row.e_electrostatic = es.energy(occ);
        } catch (const InputError& e) {
          throw InputError(in.label + ": electrostatic energy: " + e.what());
        }
      }
      for (const auto& sp : in.structure.species)
        if (const auto it = references.find(sp); it != references.end()) row.e_atoms += it->second;
      row.e_total = row.e_cluster + row.e_electrostatic + row.e_atoms;
      row.reference = in.reference;
      if (row.reference) row.error_mev_per_site = 1000.0 * (row.e_total - *row.reference) / (row.n_cells * active);
      rows.push_back(std::move(row));
    }

  const bool any_reference = std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.reference.has_value(); });
  const bool any_config = std::any_of(rows.begin(), rows.end(), [](const Row& r) { return !r.config_id.empty(); });
  const bool with_atoms = !references.empty();

  // ---- table
  fmt::print("energies predicted by {} ({}): E_total = E_cluster + E_electrostatic{}\n", model.name, opt.model,
             with_atoms ? " + E_atoms (the fit's reference energies per atom)" : "");
  fmt::print("cluster expansion: {}; electrostatics: {}; {} active site{} per parent cell\n",
             model.ecis ? "fitted ECIs" : "none (no ECIs)",
             model.electrostatics ? fmt::format("Ewald, coefficient {:.6g}", model.electrostatics->coefficient) : std::string("none"),
             active, active == 1 ? "" : "s");
  std::size_t wname = 9, wconfig = 9;
  for (const auto& r : rows) {
    wname = std::max(wname, r.name.size());
    wconfig = std::max(wconfig, r.config_id.size());
  }
  std::string header = fmt::format("{:<{}}", "structure", wname);
  if (any_config) header += fmt::format(" {:<{}}", "config_id", wconfig);
  header += fmt::format(" {:>5} {:>18} {:>18} {:>18}", "cells", "E_total (eV)", "E_cluster (eV)", "E_es (eV)");
  if (with_atoms) header += fmt::format(" {:>18}", "E_atoms (eV)");
  header += fmt::format(" {:>18}", "E (eV/cell)");
  if (any_reference) header += fmt::format(" {:>18} {:>20}", "E_ref (eV)", "model-ref (meV/site)");
  fmt::print("{}\n", header);
  for (const auto& r : rows) {
    std::string line = fmt::format("{:<{}}", r.name, wname);
    if (any_config) line += fmt::format(" {:<{}}", r.config_id.empty() ? "-" : r.config_id, wconfig);
    line += fmt::format(" {:>5} {:>18.8f} {:>18.8f} {:>18.8f}", r.n_cells, r.e_total, r.e_cluster, r.e_electrostatic);
    if (with_atoms) line += fmt::format(" {:>18.8f}", r.e_atoms);
    line += fmt::format(" {:>18.8f}", r.e_total / r.n_cells);
    if (any_reference) {
      if (r.reference)
        line += fmt::format(" {:>18.8f} {:>20.3f}", *r.reference, r.error_mev_per_site);
      else
        line += fmt::format(" {:>18} {:>20}", "-", "-");
    }
    fmt::print("{}\n", line);
  }
  if (any_reference) {
    double sum = 0.0;
    std::size_t n = 0;
    for (const auto& r : rows)
      if (r.reference) {
        sum += r.error_mev_per_site * r.error_mev_per_site;
        ++n;
      }
    fmt::print("\nRMSE (model - reference) over {} of {} structures: {:.3f} meV/site\n", n, rows.size(), std::sqrt(sum / n));
  }

  // ---- CSV: every column always present, full precision (shortest round-trip form)
  if (!opt.output.empty()) {
    std::string csv =
        "structure,config_id,parent_cells,E_total_eV,E_cluster_eV,E_electrostatic_eV,E_atoms_eV,E_per_cell_eV,"
        "E_reference_eV,error_meV_per_site\n";
    for (const auto& r : rows) {
      csv += fmt::format("{},{},{},{},{},{},{},{},", csv_field(r.name), csv_field(r.config_id), r.n_cells, r.e_total, r.e_cluster,
                         r.e_electrostatic, r.e_atoms, r.e_total / r.n_cells);
      csv += r.reference ? fmt::format("{},{}\n", *r.reference, r.error_mev_per_site) : std::string(",\n");
    }
    io::write_file_atomically(opt.output, csv, opt.force);
    fmt::print("\nwrote {}\n", opt.output);
  }
}

}  // namespace

void register_energy(CLI::App& app, const Invocation& /*inv*/) {
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("energy", "Energies of structures predicted by a fitted model, compared with their DFT energies");
  cmd->add_option("MODEL", opt->model, "model file (.json) with ECIs and/or an electrostatic term (or a .toml definition with one)")
      ->required();
  cmd->add_option("STRUCTURES", opt->structures,
                  "POSCAR (VASP 5) or extended-XYZ files (.xyz/.extxyz, all frames; energy= is the reference)")
      ->required();
  cmd->add_option("-o,--output", opt->output, "also write the table as CSV");
  cmd->add_flag("-f,--force", opt->force, "overwrite an existing output file");
  cmd->add_option("--max-displacement", opt->max_displacement,
                  "largest distance of an atom from its site once strain and rigid shift are removed, Angstrom")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-strain", opt->max_strain, "largest principal strain of a cell against the parent (0.1 = 10 %)")
      ->check(CLI::PositiveNumber);
  cmd->callback([opt] { run(*opt); });
}

}  // namespace tmorder::app
