#include "tmorder/app/run_setup.hpp"

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <sstream>

#include "tmorder/mc/initial_configuration.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"

namespace tmorder::app {

namespace {

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string describe_energy(const io::Model& model, bool has_ecis) {
  std::string text;
  if (model.electrostatics) {
    text = "Ewald energy of formal point charges (";
    bool first = true;
    for (const auto& [species, q] : model.electrostatics->charges) {
      text += fmt::format("{}{} {:+g}", first ? "" : ", ", species, q);
      first = false;
    }
    text += fmt::format(" e) x coefficient {:g}", model.electrostatics->coefficient);
  }
  if (has_ecis) {
    text += (text.empty() ? "" : " + ") + fmt::format("cluster expansion ({} functions, {} orbits)", model.space.n_functions(),
                                                       model.space.orbits().size());
  } else {
    text = "point-charge model: " + text + "; no cluster-expansion terms (ECIs not fitted)";
  }
  return text;
}

}  // namespace

ReplicaBlock replica_block(int n_replicas, int rank, int size) {
  const int base = n_replicas / size, extra = n_replicas % size;
  return {rank * base + std::min(rank, extra), base + (rank < extra ? 1 : 0)};
}

std::unique_ptr<RunSetup> build_run_setup(io::RunInput input) {
  auto setup = std::make_unique<RunSetup>();
  setup->input = std::move(input);
  const auto& in = setup->input;
  const std::string file = in.source_path;
  setup->model_text = read_bytes(in.model);
  setup->model_sha256 = sha256_hex(setup->model_text);
  setup->model = std::make_unique<io::Model>(io::load_model(in.model));
  const io::Model& model = *setup->model;
  const auto& parent = model.space.parent();

  const bool has_ecis = model.ecis.has_value();
  if (!has_ecis && !model.electrostatics)
    throw InputError(keyed(file, "model.file", in.model.string() + " has neither fitted ECIs nor an [electrostatics] term: nothing to sample"));
  std::vector<double> ecis = has_ecis ? *model.ecis : std::vector<double>(model.space.n_functions(), 0.0);
  setup->energy_model = describe_energy(model, has_ecis);

  setup->supercell = lattice::Supercell(in.supercell, static_cast<int>(parent.n_sites()));
  setup->expansion = std::make_unique<ce::ClusterExpansion>(model.space, std::move(ecis));
  setup->local = std::make_unique<ce::LocalEnergy>(*setup->expansion, setup->supercell);
  if (model.electrostatics)
    setup->electrostatics = std::make_unique<ce::Electrostatics>(parent, setup->supercell, model.electrostatics->charges,
                                                                 model.electrostatics->coefficient);

  // Names are checked against the model here, with the input file in the message.
  try {
    if (!in.composition.empty()) (void)mc::species_counts(parent, setup->supercell, in.composition);
    if (in.ensemble == "semi-grand") setup->mu = mc::chemical_potentials(parent, in.chemical_potentials);
  } catch (const InputError& e) {
    throw InputError(file + ": [ensemble]: " + e.what());
  }

  for (int b = 0; b < static_cast<int>(parent.n_sites()); ++b)
    if (parent.is_active(b)) setup->n_active += setup->supercell.n_cells();
  setup->n_formula_units = setup->supercell.n_cells();
  std::string fu;
  std::map<std::string, int> fixed;
  for (int b = 0; b < static_cast<int>(parent.n_sites()); ++b) {
    if (parent.is_active(b)) {
      const auto& species = parent.sublattices[static_cast<std::size_t>(parent.site_sublattice[static_cast<std::size_t>(b)])].species;
      std::string group;
      for (const auto& s : species) group += (group.empty() ? "" : ",") + s;
      fu += (fu.empty() ? "(" : " (") + group + ")";
    } else {
      ++fixed[parent.structure.species[static_cast<std::size_t>(b)]];
    }
  }
  for (const auto& [s, n] : fixed) fu += " " + s + (n > 1 ? std::to_string(n) : "");
  setup->formula_unit = fu;
  return setup;
}

}  // namespace tmorder::app
