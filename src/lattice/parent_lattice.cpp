#include "tmorder/lattice/parent_lattice.hpp"

#include <map>
#include <set>
#include <algorithm>
#include <stdexcept>

#include "tmorder/util/error.hpp"
#include "tmorder/util/text.hpp"

namespace tmorder::lattice {

std::vector<std::string> ParentLattice::allowed_species(int site) const {
  const int sl = site_sublattice.at(static_cast<std::size_t>(site));
  if (sl < 0) return {structure.species.at(static_cast<std::size_t>(site))};
  return sublattices.at(static_cast<std::size_t>(sl)).species;
}

std::vector<int> ParentLattice::colours() const {
  std::vector<int> colour(n_sites());
  std::map<std::string, int> fixed;
  const int n_sub = static_cast<int>(sublattices.size());
  for (std::size_t i = 0; i < n_sites(); ++i) {
    if (site_sublattice[i] >= 0) {
      colour[i] = site_sublattice[i];
    } else {
      auto [it, inserted] = fixed.try_emplace(structure.species[i], n_sub + static_cast<int>(fixed.size()));
      colour[i] = it->second;
    }
  }
  return colour;
}

int ParentLattice::sublattice_index(const std::string& name, const std::string& context) const {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < sublattices.size(); ++k) {
    if (sublattices[k].name == name) return static_cast<int>(k);
    names.push_back(sublattices[k].name);
  }
  throw InputError(context + ": unknown sublattice '" + name + "' (the model has: " + text::join(names, ", ") + ")");
}

int ParentLattice::find_species(int sublattice, const std::string& species) const {
  const auto& list = sublattices.at(static_cast<std::size_t>(sublattice)).species;
  const auto it = std::find(list.begin(), list.end(), species);
  return it == list.end() ? -1 : static_cast<int>(it - list.begin());
}

int ParentLattice::species_index(int sublattice, const std::string& species, const std::string& context) const {
  const int k = find_species(sublattice, species);
  if (k >= 0) return k;
  const auto& sub = sublattices.at(static_cast<std::size_t>(sublattice));
  throw InputError(context + ": species '" + species + "' is not allowed on sublattice '" + sub.name + "' (allowed: " +
                   text::join(sub.species, ", ") + ")");
}

void ParentLattice::validate() const {
  if (structure.size() == 0) throw std::invalid_argument("parent lattice has no sites");
  if (structure.species.size() != structure.size())
    throw std::invalid_argument("parent lattice: species and positions differ in length");
  if (site_sublattice.size() != structure.size())
    throw std::invalid_argument("parent lattice: site_sublattice has the wrong length");
  std::vector<bool> used(sublattices.size(), false);
  for (int sl : site_sublattice) {
    if (sl < -1 || sl >= static_cast<int>(sublattices.size()))
      throw std::invalid_argument("parent lattice: sublattice index out of range");
    if (sl >= 0) used[static_cast<std::size_t>(sl)] = true;
  }
  for (std::size_t k = 0; k < sublattices.size(); ++k) {
    const auto& s = sublattices[k];
    if (!used[k]) throw std::invalid_argument("sublattice '" + s.name + "' has no sites");
    if (s.species.size() < 2)
      throw std::invalid_argument("sublattice '" + s.name + "' needs at least 2 species");
    if (std::set<std::string>(s.species.begin(), s.species.end()).size() != s.species.size())
      throw std::invalid_argument("sublattice '" + s.name + "' lists a species twice");
  }
}

}  // namespace tmorder::lattice
