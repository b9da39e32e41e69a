#pragma once
// A cluster expansion compiled for one supercell into flat tables for Monte Carlo.
#include <cstdint>
#include <span>
#include <vector>

#include "tmorder/ce/cluster_expansion.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::ce {

/// Species index of every supercell site (index in the site's allowed list): one byte per
/// site is all the configuration state a replica carries.
using Occupation = std::uint8_t;

/// Local energies of a cluster expansion on a supercell.
///
/// Per orbit, an energy table over occupation tuples: e[tuple] = sum_f J_f / m * T_f[tuple],
/// so that the total energy is N_cells J_0 + sum over all cluster instances of e[tuple].
/// Per parent basis site b, the cluster templates that contain b: for each, the orbit's
/// table, the stride of b's position, and the other sites as (basis, Smith-coordinate
/// offset relative to b). Translational symmetry of the supercell makes these templates the
/// same for every cell, so memory does not grow with the supercell beyond the occupation
/// array, and an energy change visits only the clusters through the changed site.
class LocalEnergy {
 public:
  LocalEnergy(const ClusterExpansion& ce, const lattice::Supercell& supercell);

  [[nodiscard]] const lattice::Supercell& supercell() const { return supercell_; }

  /// Total energy of the supercell, eV (= N_cells * energy per parent cell).
  [[nodiscard]] double total_energy(std::span<const Occupation> occ) const;

  /// Energy change of setting site `site` to species index `species` (all else fixed).
  [[nodiscard]] double flip_delta(std::span<const Occupation> occ, int site, int species) const;

  /// Energy change of setting site i to species index a and site j to b together (a swap
  /// when a, b are the two sites' current species; any pair of sites, sublattices, or
  /// distances; clusters holding both sites are counted once). `occ` is changed during the
  /// call and restored before it returns.
  [[nodiscard]] double pair_delta(std::span<Occupation> occ, int i, int a, int j, int b) const;

  /// Bytes of tables that do not depend on the supercell size.
  [[nodiscard]] std::size_t table_bytes() const;

 private:
  struct Template {
    int table_offset;   // into energies_
    int own_stride;     // stride of the central site's species in the tuple
    int others_begin;   // into other_* arrays
    int others_end;
  };

  lattice::Supercell supercell_;
  int n_cells_;
  int d1_, d2_, d3_;
  double constant_;                    // N_cells * J_0
  std::vector<double> energies_;       // all orbits' energy tables, concatenated
  std::vector<int> template_begin_;    // per parent basis site: range into templates_
  std::vector<Template> templates_;
  std::vector<int> other_basis_;
  std::vector<int> other_du_;          // 3 per other site, each in [0, d_k)
  std::vector<int> other_stride_;
  std::vector<std::uint8_t> other_before_;  // 1 if the other site precedes the centre in the cluster
  // For total_energy: each cluster of each orbit counted once, anchored at its first site.
  std::vector<int> anchor_templates_;  // template indices with own position 0
};

}  // namespace tmorder::ce
