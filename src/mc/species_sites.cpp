#include "tmorder/mc/species_sites.hpp"

#include <stdexcept>
#include <utility>

namespace tmorder::mc {

SpeciesSites::SpeciesSites(const lattice::ParentLattice& parent, const lattice::Supercell& supercell,
                           std::span<const ce::Occupation> occ)
    : n_cells_(supercell.n_cells()),
      by_cells_(static_cast<std::uint32_t>(supercell.n_cells())),
      basis_sublattice_(parent.site_sublattice),
      sublattice_basis_(parent.sublattices.size()),
      order_(parent.sublattices.size()),
      start_(parent.sublattices.size()),
      position_(static_cast<std::size_t>(supercell.n_sites()), -1) {
  if (occ.size() != static_cast<std::size_t>(supercell.n_sites())) throw std::invalid_argument("SpeciesSites: wrong occupation size");
  for (std::size_t b = 0; b < basis_sublattice_.size(); ++b)
    if (basis_sublattice_[b] >= 0) sublattice_basis_[static_cast<std::size_t>(basis_sublattice_[b])].push_back(static_cast<int>(b));
  // Counting sort of each sublattice's sites by species.
  for (std::size_t s = 0; s < order_.size(); ++s) {
    const int m = static_cast<int>(parent.sublattices[s].species.size());
    std::vector<int> count(static_cast<std::size_t>(m), 0);
    for (int k = 0; k < n_sites(static_cast<int>(s)); ++k) ++count[occ[static_cast<std::size_t>(site(static_cast<int>(s), k))]];
    auto& st = start_[s];
    st.assign(static_cast<std::size_t>(m) + 1, 0);
    for (int a = 0; a < m; ++a) st[static_cast<std::size_t>(a) + 1] = st[static_cast<std::size_t>(a)] + count[static_cast<std::size_t>(a)];
    std::vector<int> fill(st.begin(), st.end() - 1);
    auto& order = order_[s];
    order.assign(static_cast<std::size_t>(n_sites(static_cast<int>(s))), -1);
    for (int k = 0; k < n_sites(static_cast<int>(s)); ++k) {
      const int i = site(static_cast<int>(s), k);
      const int p = fill[occ[static_cast<std::size_t>(i)]]++;
      order[static_cast<std::size_t>(p)] = i;
      position_[static_cast<std::size_t>(i)] = p;
    }
  }
}

void SpeciesSites::swap_positions(std::vector<int>& order, int p, int q) {
  std::swap(order[static_cast<std::size_t>(p)], order[static_cast<std::size_t>(q)]);
  position_[static_cast<std::size_t>(order[static_cast<std::size_t>(p)])] = p;
  position_[static_cast<std::size_t>(order[static_cast<std::size_t>(q)])] = q;
}

void SpeciesSites::move(int site, int from, int to) {
  const auto s = static_cast<std::size_t>(sublattice_of(site));
  auto& order = order_[s];
  auto& st = start_[s];
  // Walk the site across each boundary between `from` and `to`: to the edge of its current
  // segment, then shift that boundary by one so it belongs to the neighbouring segment.
  for (int k = from; k < to; ++k) {
    const int last = st[static_cast<std::size_t>(k) + 1] - 1;
    swap_positions(order, position_[static_cast<std::size_t>(site)], last);
    --st[static_cast<std::size_t>(k) + 1];
  }
  for (int k = from; k > to; --k) {
    const int first = st[static_cast<std::size_t>(k)];
    swap_positions(order, position_[static_cast<std::size_t>(site)], first);
    ++st[static_cast<std::size_t>(k)];
  }
}

void SpeciesSites::set_order(const std::vector<std::vector<int>>& order, std::span<const ce::Occupation> occ) {
  if (order.size() != order_.size()) throw std::invalid_argument("SpeciesSites: saved order has the wrong number of sublattices");
  std::vector<int> position(position_.size(), -1);
  for (std::size_t s = 0; s < order.size(); ++s) {
    if (order[s].size() != order_[s].size()) throw std::invalid_argument("SpeciesSites: saved order has the wrong number of sites");
    const auto& st = start_[s];
    for (std::size_t p = 0; p < order[s].size(); ++p) {
      const int i = order[s][p];
      if (i < 0 || static_cast<std::size_t>(i) >= position.size() || sublattice_of(i) != static_cast<int>(s) || position[static_cast<std::size_t>(i)] >= 0)
        throw std::invalid_argument("SpeciesSites: saved order is not a permutation of the sublattice's sites");
      const int a = occ[static_cast<std::size_t>(i)];
      if (static_cast<int>(p) < st[static_cast<std::size_t>(a)] || static_cast<int>(p) >= st[static_cast<std::size_t>(a) + 1])
        throw std::invalid_argument("SpeciesSites: saved order does not match the occupation");
      position[static_cast<std::size_t>(i)] = static_cast<int>(p);
    }
  }
  order_ = order;
  for (std::size_t i = 0; i < position.size(); ++i)
    if (position[i] >= 0) position_[i] = position[i];
}

}  // namespace tmorder::mc
