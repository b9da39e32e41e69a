#include "tmorder/mc/species_sites.hpp"

#include <stdexcept>

namespace tmorder::mc {

SpeciesSites::SpeciesSites(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                           std::span<const ce::Occupation> occ)
    : n_cells_(supercell.n_cells()),
      basis_sublattice_(parent.site_sublattice),
      sublattice_basis_(parent.sublattices.size()),
      lists_(parent.sublattices.size()),
      position_(static_cast<std::size_t>(supercell.n_sites()), -1) {
  if (occ.size() != static_cast<std::size_t>(supercell.n_sites())) throw std::invalid_argument("SpeciesSites: wrong occupation size");
  for (std::size_t k = 0; k < lists_.size(); ++k) lists_[k].resize(parent.sublattices[k].species.size());
  for (std::size_t b = 0; b < basis_sublattice_.size(); ++b)
    if (basis_sublattice_[b] >= 0) sublattice_basis_[static_cast<std::size_t>(basis_sublattice_[b])].push_back(static_cast<int>(b));
  for (int i = 0; i < supercell.n_sites(); ++i) {
    const int sl = sublattice_of(i);
    if (sl < 0) continue;
    auto& list = lists_[static_cast<std::size_t>(sl)][occ[static_cast<std::size_t>(i)]];
    position_[static_cast<std::size_t>(i)] = static_cast<int>(list.size());
    list.push_back(i);
  }
}

void SpeciesSites::move(int site, int from, int to) {
  auto& by_species = lists_[static_cast<std::size_t>(sublattice_of(site))];
  auto& src = by_species[static_cast<std::size_t>(from)];
  const int pos = position_[static_cast<std::size_t>(site)];
  const int last = src.back();
  src[static_cast<std::size_t>(pos)] = last;  // swap-remove keeps the list dense
  position_[static_cast<std::size_t>(last)] = pos;
  src.pop_back();
  auto& dst = by_species[static_cast<std::size_t>(to)];
  position_[static_cast<std::size_t>(site)] = static_cast<int>(dst.size());
  dst.push_back(site);
}

}  // namespace tmorder::mc
