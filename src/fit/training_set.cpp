// Training set of `tmorder fit`: extxyz frames -> correlation matrix, energies, compositions.
#include "tmorder/fit/training_set.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <stdexcept>

#include "tmorder/ce/electrostatics.hpp"
#include "tmorder/clusters/correlations.hpp"
#include "tmorder/lattice/structure_mapping.hpp"
#include "tmorder/util/error.hpp"

namespace tmorder::fit {

namespace {

std::set<std::string> model_species(const lattice::ParentLattice& parent) {
  std::set<std::string> all;
  for (std::size_t s = 0; s < parent.n_sites(); ++s)
    for (const auto& sp : parent.allowed_species(static_cast<int>(s))) all.insert(sp);
  return all;
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string frame_label(const std::string& source, std::size_t i) { return source + ": frame " + std::to_string(i); }

}  // namespace

int active_sites_per_cell(const lattice::ParentLattice& parent) {
  int n = 0;
  for (std::size_t s = 0; s < parent.n_sites(); ++s) n += parent.is_active(static_cast<int>(s)) ? 1 : 0;
  return n;
}

std::vector<CompositionAxis> composition_axes(const lattice::ParentLattice& parent) {
  std::vector<CompositionAxis> axes;
  for (std::size_t l = 0; l < parent.sublattices.size(); ++l)
    for (std::size_t s = 0; s < parent.sublattices[l].species.size(); ++s)
      axes.push_back({static_cast<int>(l), static_cast<int>(s),
                      parent.sublattices[l].name + ":" + parent.sublattices[l].species[s]});
  return axes;
}

CompositionAxis parse_composition_axis(const lattice::ParentLattice& parent, const std::string& text,
                                       const std::string& option) {
  if (text.empty()) {
    for (std::size_t l = 0; l < parent.sublattices.size(); ++l)
      if (parent.sublattices[l].species.size() > 1)
        return {static_cast<int>(l), 0, parent.sublattices[l].name + ":" + parent.sublattices[l].species[0]};
    throw InputError(option + ": the model has no sublattice with more than one species");
  }
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw InputError(option + " '" + text + "': expected SUBLATTICE:SPECIES, e.g. TM:Sb");
  const std::string sub = text.substr(0, colon), sp = text.substr(colon + 1);
  const int l = parent.sublattice_index(sub, option + " '" + text + "'");
  const int s = parent.species_index(l, sp, option + " '" + text + "'");
  return {l, s, sub + ":" + sp};
}

std::map<std::string, double> parse_reference_energies(const lattice::ParentLattice& parent,
                                                       const std::vector<std::string>& entries,
                                                       const std::string& option) {
  const auto known = model_species(parent);
  std::map<std::string, double> out;
  for (const auto& e : entries) {
    const auto eq = e.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == e.size())
      throw InputError(option + " '" + e + "': expected SPECIES=ENERGY (eV/atom), e.g. Na=-1.3");
    const std::string sp = e.substr(0, eq), value = e.substr(eq + 1);
    double v = 0.0;
    std::size_t used = 0;
    try {
      v = std::stod(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != value.size() || !std::isfinite(v))
      throw InputError(option + " '" + e + "': '" + value + "' is not a finite number (eV/atom)");
    if (!known.count(sp))
      throw InputError(option + " '" + e + "': species '" + sp + "' is unknown to the model (model species: " + join(known) + ")");
    if (!out.emplace(sp, v).second) throw InputError(option + " '" + e + "': species '" + sp + "' given twice");
  }
  return out;
}

TrainingSet build_training_set(const clusters::ClusterSpace& space, const std::vector<lattice::ExtxyzFrame>& frames,
                               const std::string& source, const TrainingSetOptions& options) {
  const auto& parent = space.parent();
  if (frames.empty()) throw InputError(source + ": no frames (expected extxyz frames with an energy)");
  const auto known = model_species(parent);
  TrainingSet set;
  set.axes = composition_axes(parent);
  const auto n = static_cast<Eigen::Index>(frames.size());
  set.correlations.resize(n, static_cast<Eigen::Index>(space.n_functions()));
  set.energies.resize(n);
  if (options.ewald_charges) set.ewald_energies.resize(n);
  set.compositions.resize(n, static_cast<Eigen::Index>(set.axes.size()));

  for (std::size_t f = 0; f < frames.size(); ++f) {
    const auto& frame = frames[f];
    const std::string label = frame_label(source, f);
    const auto row = static_cast<Eigen::Index>(f);
    if (!frame.energy)
      throw InputError(label + " (line " + std::to_string(frame.first_line) +
                       "): field 'energy' is missing (expected energy=<total energy, eV> on the comment line)");
    if (!std::isfinite(*frame.energy)) throw InputError(label + ": field 'energy' is not finite");
    for (const auto& sp : frame.structure.species)
      if (sp != "Va" && !known.count(sp))
        throw InputError(label + ": field 'species': '" + sp + "' is unknown to the model (model species: " + join(known) + ")");

    std::vector<long> lines;
    for (std::size_t i = 0; i < frame.structure.size(); ++i) lines.push_back(frame.first_line + 2 + static_cast<long>(i));
    const lattice::MappedStructure mapped = [&] {
      try {
        lattice::MappingOptions mo;
        mo.max_strain = options.max_strain;
        mo.max_displacement = options.max_displacement;
        mo.atom_lines = lines;
        return lattice::map_relaxed_structure(parent, frame.structure, source, mo);
      } catch (const InputError& e) {
        throw InputError(label + " does not map onto the parent lattice: " + e.what());
      }
    }();
    set.strain.push_back(mapped.strain_norm);
    set.mean_displacement.push_back(mapped.mean_displacement);
    set.max_displacement.push_back(mapped.max_displacement);
    const Eigen::VectorXd corr = clusters::correlations(space, mapped.supercell, mapped.occupation);
    set.correlations.row(row) = corr.transpose();

    const int n_cells = mapped.supercell.n_cells();
    double energy = *frame.energy;
    for (const auto& sp : frame.structure.species) {
      const auto it = options.reference_energies.find(sp);
      if (it != options.reference_energies.end()) energy -= it->second;
    }
    set.energies[row] = energy / n_cells;
    set.n_cells.push_back(n_cells);

    // Ewald energy of the formal charges on the ideal sites, coefficient 1, per parent cell.
    if (options.ewald_charges) {
      try {
        const ce::Electrostatics es(parent, mapped.supercell, *options.ewald_charges, 1.0);
        const std::vector<ce::Occupation> occ(mapped.occupation.begin(), mapped.occupation.end());
        set.ewald_energies[row] = es.energy(occ) / n_cells;
      } catch (const InputError& e) {
        throw InputError(label + ": Ewald energy: " + e.what());
      }
    }

    // Composition: fraction of each species on each sublattice.
    std::vector<int> sites_on(parent.sublattices.size(), 0);
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(set.axes.size()));
    std::vector<std::size_t> first_axis(parent.sublattices.size(), 0);
    for (std::size_t a = set.axes.size(); a-- > 0;) first_axis[static_cast<std::size_t>(set.axes[a].sublattice)] = a;
    for (int i = 0; i < mapped.supercell.n_sites(); ++i) {
      const int basis = i / n_cells;
      const int l = parent.site_sublattice[static_cast<std::size_t>(basis)];
      if (l < 0) continue;
      ++sites_on[static_cast<std::size_t>(l)];
      counts[static_cast<Eigen::Index>(first_axis[static_cast<std::size_t>(l)]) + mapped.occupation[static_cast<std::size_t>(i)]] += 1.0;
    }
    for (std::size_t a = 0; a < set.axes.size(); ++a)
      set.compositions(row, static_cast<Eigen::Index>(a)) =
          counts[static_cast<Eigen::Index>(a)] / std::max(1, sites_on[static_cast<std::size_t>(set.axes[a].sublattice)]);

    for (Eigen::Index g = 0; g < row; ++g) {
      const double dc = (set.correlations.row(g) - set.correlations.row(row)).cwiseAbs().maxCoeff();
      const double dx = set.compositions.cols() ? (set.compositions.row(g) - set.compositions.row(row)).cwiseAbs().maxCoeff() : 0.0;
      if (dc > options.duplicate_tolerance || dx > options.duplicate_tolerance) continue;
      // Identical correlations but different Ewald energies (charge order beyond the
      // cutoffs): the electrostatic term tells the two apart, nothing to report.
      if (set.has_ewald() &&
          std::abs(set.ewald_energies[g] - set.ewald_energies[row]) > options.duplicate_ewald_tolerance)
        continue;
      // Identical correlations: the same structure twice if the energies agree too; otherwise
      // two structures this cluster space cannot tell apart (kept, with a warning: the fit
      // averages them, and longer cutoffs would separate them).
      const double de = std::abs(set.energies[g] - set.energies[row]);
      if (de <= options.duplicate_energy_tolerance)
        throw InputError(label + ": duplicate structure: frames " + std::to_string(g) + " and " + std::to_string(f) +
                         " have identical correlation vectors, compositions and energies (remove one)");
      set.warnings.push_back(fmt::format("frames {} and {} have identical correlation vectors but energies {:.1f} meV/cell apart: "
                                         "this cluster space cannot distinguish them (longer cutoffs would)",
                                         g, f, 1000.0 * de));
      break;
    }
    set.names.push_back(source + "#" + std::to_string(f));
  }
  return set;
}

Eigen::MatrixXd design_matrix(const TrainingSet& set, bool with_ewald) {
  if (!with_ewald) return set.correlations;
  if (set.ewald_energies.size() != set.correlations.rows())
    throw std::invalid_argument("design_matrix: the training set has no Ewald energies (build it with ewald_charges)");
  Eigen::MatrixXd X(set.correlations.rows(), set.correlations.cols() + 1);
  X.leftCols(set.correlations.cols()) = set.correlations;
  X.col(set.correlations.cols()) = set.ewald_energies;
  return X;
}

void check_ols_feasible(const TrainingSet& set, const std::string& source, std::size_t extra_parameters) {
  const auto p = static_cast<std::size_t>(set.correlations.cols());
  const std::string what = extra_parameters == 0
                               ? std::to_string(p) + " ECIs"
                               : std::to_string(p) + " ECIs + " + std::to_string(extra_parameters) +
                                     (extra_parameters == 1 ? " electrostatic coefficient" : " other parameters");
  if (set.size() < p + extra_parameters)
    throw InputError(source + ": " + std::to_string(set.size()) + " structures for " + what +
                     ": OLS needs at least as many structures as parameters; use --method ridge/lasso/ard");
}

}  // namespace tmorder::fit
