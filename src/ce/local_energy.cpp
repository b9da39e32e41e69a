#include "tmorder/ce/local_energy.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "tmorder/clusters/orbit_table.hpp"

namespace tmorder::ce {

LocalEnergy::LocalEnergy(const ClusterExpansion& ce, const lattice::Supercell& supercell)
    : supercell_(supercell),
      n_cells_(supercell.n_cells()),
      d1_(supercell.snf_diagonal()[0]),
      d2_(supercell.snf_diagonal()[1]),
      d3_(supercell.snf_diagonal()[2]) {
  const auto& space = ce.space();
  const int n_basis = static_cast<int>(space.parent().n_sites());
  if (supercell.n_basis() != n_basis) throw std::invalid_argument("LocalEnergy: supercell basis does not match the parent");
  constant_ = n_cells_ * ce.ecis()[0];

  // Templates are gathered per basis site first, then flattened basis by basis.
  struct Pending {
    Template t;
    std::vector<int> basis, du, stride;
    std::vector<std::uint8_t> before;
  };
  std::vector<std::vector<Pending>> by_basis(static_cast<std::size_t>(n_basis));
  for (std::size_t k = 0; k < space.orbits().size(); ++k) {
    const auto& orbit = space.orbits()[k];
    const clusters::OrbitTable table = clusters::orbit_table(space, k);
    const int offset = static_cast<int>(energies_.size());
    const std::size_t first = space.function_offset(k);
    for (int tuple = 0; tuple < table.n_tuples; ++tuple) {
      double e = 0.0;
      for (int f = 0; f < table.n_functions; ++f)
        e += ce.ecis()[first + static_cast<std::size_t>(f)] * table.values[static_cast<std::size_t>(tuple * table.n_functions + f)];
      energies_.push_back(e / orbit.multiplicity());
    }
    for (const auto& cluster : orbit.clusters)
      for (std::size_t p = 0; p < cluster.size(); ++p) {
        Pending pend;
        pend.t = {offset, table.stride[p], 0, 0};
        for (std::size_t q = 0; q < cluster.size(); ++q) {
          if (q == p) continue;
          const IVec3 du = supercell.snf_coordinates(cluster[q].cell - cluster[p].cell);
          pend.basis.push_back(cluster[q].basis);
          pend.du.insert(pend.du.end(), {du[0], du[1], du[2]});
          pend.stride.push_back(table.stride[q]);
          pend.before.push_back(q < p ? 1 : 0);
        }
        by_basis[static_cast<std::size_t>(cluster[p].basis)].push_back(std::move(pend));
      }
  }
  template_begin_.push_back(0);
  for (int b = 0; b < n_basis; ++b) {
    for (auto& pend : by_basis[static_cast<std::size_t>(b)]) {
      pend.t.others_begin = static_cast<int>(other_basis_.size());
      other_basis_.insert(other_basis_.end(), pend.basis.begin(), pend.basis.end());
      other_du_.insert(other_du_.end(), pend.du.begin(), pend.du.end());
      other_stride_.insert(other_stride_.end(), pend.stride.begin(), pend.stride.end());
      other_before_.insert(other_before_.end(), pend.before.begin(), pend.before.end());
      pend.t.others_end = static_cast<int>(other_basis_.size());
      // A template whose centre is position 0 of its cluster has no "before" sites.
      const bool anchor = std::find(pend.before.begin(), pend.before.end(), 1) == pend.before.end();
      if (anchor) anchor_templates_.push_back(static_cast<int>(templates_.size()));
      templates_.push_back(pend.t);
    }
    template_begin_.push_back(static_cast<int>(templates_.size()));
  }
}

double LocalEnergy::total_energy(std::span<const Occupation> occ) const {
  if (occ.size() != static_cast<std::size_t>(supercell_.n_sites()))
    throw std::invalid_argument("LocalEnergy: occupation has " + std::to_string(occ.size()) + " sites, expected " +
                                std::to_string(supercell_.n_sites()));
  double e = constant_;
  const int n_basis = supercell_.n_basis();
  for (int b = 0; b < n_basis; ++b) {
    for (int ti : anchor_templates_) {
      if (ti < template_begin_[static_cast<std::size_t>(b)] || ti >= template_begin_[static_cast<std::size_t>(b) + 1]) continue;
      const Template& t = templates_[static_cast<std::size_t>(ti)];
      int cell = 0;
      for (int u0 = 0; u0 < d1_; ++u0)
        for (int u1 = 0; u1 < d2_; ++u1)
          for (int u2 = 0; u2 < d3_; ++u2, ++cell) {
            int tuple = occ[static_cast<std::size_t>(b * n_cells_ + cell)] * t.own_stride;
            for (int o = t.others_begin; o < t.others_end; ++o) {
              const int* du = &other_du_[static_cast<std::size_t>(3 * o)];
              int v0 = u0 + du[0], v1 = u1 + du[1], v2 = u2 + du[2];
              if (v0 >= d1_) v0 -= d1_;
              if (v1 >= d2_) v1 -= d2_;
              if (v2 >= d3_) v2 -= d3_;
              const int site = other_basis_[static_cast<std::size_t>(o)] * n_cells_ + (v0 * d2_ + v1) * d3_ + v2;
              tuple += occ[static_cast<std::size_t>(site)] * other_stride_[static_cast<std::size_t>(o)];
            }
            e += energies_[static_cast<std::size_t>(t.table_offset + tuple)];
          }
    }
  }
  return e;
}

double LocalEnergy::flip_delta(std::span<const Occupation> occ, int site, int species) const {
  const int old = occ[static_cast<std::size_t>(site)];
  if (old == species) return 0.0;
  const int b = site / n_cells_;
  const int cell = site - b * n_cells_;
  const int u2 = cell % d3_;
  const int u1 = (cell / d3_) % d2_;
  const int u0 = cell / (d2_ * d3_);
  double delta = 0.0;
  const int end = template_begin_[static_cast<std::size_t>(b) + 1];
  for (int ti = template_begin_[static_cast<std::size_t>(b)]; ti < end; ++ti) {
    const Template& t = templates_[static_cast<std::size_t>(ti)];
    int rest = 0;
    int self_stride = t.own_stride;  // the centre, plus any periodic image of it in the cluster
    bool counted_elsewhere = false;
    for (int o = t.others_begin; o < t.others_end; ++o) {
      const int* du = &other_du_[static_cast<std::size_t>(3 * o)];
      int v0 = u0 + du[0], v1 = u1 + du[1], v2 = u2 + du[2];
      if (v0 >= d1_) v0 -= d1_;
      if (v1 >= d2_) v1 -= d2_;
      if (v2 >= d3_) v2 -= d3_;
      const int other = other_basis_[static_cast<std::size_t>(o)] * n_cells_ + (v0 * d2_ + v1) * d3_ + v2;
      if (other == site) {
        // In a small supercell a cluster can hold the flipped site twice: count the cluster
        // once, at its first such position, with every copy changed.
        if (other_before_[static_cast<std::size_t>(o)]) { counted_elsewhere = true; break; }
        self_stride += other_stride_[static_cast<std::size_t>(o)];
      } else {
        rest += occ[static_cast<std::size_t>(other)] * other_stride_[static_cast<std::size_t>(o)];
      }
    }
    if (counted_elsewhere) continue;
    delta += energies_[static_cast<std::size_t>(t.table_offset + rest + species * self_stride)] -
             energies_[static_cast<std::size_t>(t.table_offset + rest + old * self_stride)];
  }
  return delta;
}

double LocalEnergy::pair_delta(std::span<Occupation> occ, int i, int a, int j, int b) const {
  // E(both changed) - E(before) = [E(i changed) - E(before)] + [E(both) - E(i changed)]:
  // exact for any i, j, including clusters that contain both.
  const double first = flip_delta(occ, i, a);
  const Occupation old_i = occ[static_cast<std::size_t>(i)];
  occ[static_cast<std::size_t>(i)] = static_cast<Occupation>(a);
  const double second = flip_delta(occ, j, b);
  occ[static_cast<std::size_t>(i)] = old_i;
  return first + second;
}

std::size_t LocalEnergy::table_bytes() const {
  return energies_.size() * sizeof(double) + templates_.size() * sizeof(Template) +
         (other_basis_.size() + other_du_.size() + other_stride_.size()) * sizeof(int) + other_before_.size() +
         (template_begin_.size() + anchor_templates_.size()) * sizeof(int);
}

}  // namespace tmorder::ce
