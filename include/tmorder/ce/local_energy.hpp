#pragma once
// A cluster expansion compiled for one supercell into flat tables for Monte Carlo.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "tmorder/ce/cluster_expansion.hpp"
#include "tmorder/lattice/supercell.hpp"
#include "tmorder/util/fast_divisor.hpp"

namespace tmorder::ce {

/// Species index of every supercell site (index in the site's allowed list): one byte per
/// site is all the configuration state a replica carries.
using Occupation = std::uint8_t;

/// Local energies of a cluster expansion on a supercell.
///
/// Per orbit, an energy table over occupation tuples: e[tuple] = sum_f J_f / m * T_f[tuple],
/// so that the total energy is N_cells J_0 + sum over all cluster instances of e[tuple].
/// Per parent basis site b, the cluster templates that contain b and the distinct
/// neighbours they reach, as (basis, Smith-coordinate offset). Translational symmetry of the
/// supercell makes these the same for every cell, so memory does not grow with the supercell
/// beyond the occupation array. An energy change gathers the neighbours' species once into a
/// small stack buffer and then visits the templates with table look-ups only.
class LocalEnergy {
 public:
  /// Largest number of distinct neighbours of one site (the gather buffer on the stack).
  static constexpr int kMaxNeighbours = 2048;

  /// Largest per-class neighbour offset table (entries of 4 bytes) that the gather uses;
  /// beyond it neighbours are found through wrap tables (slower, same results).
  static constexpr std::size_t kMaxOffsetTableEntries = std::size_t{1} << 20;

  LocalEnergy(const ClusterExpansion& ce, const lattice::Supercell& supercell,
              std::size_t max_offset_table_entries = kMaxOffsetTableEntries);

  /// Whether neighbours are gathered through the per-class offset table.
  [[nodiscard]] bool uses_offset_table() const { return n_classes_ > 0; }

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

  /// Bytes of the compiled tables: independent of the supercell except the wrap tables,
  /// 2 (d1 + d2 + d3) ints for Smith diagonal d.
  [[nodiscard]] std::size_t table_bytes() const;

 private:
  struct Template {
    int table_offset;  // into energies_
    int self_stride;   // stride of the centre in the tuple, plus that of any periodic image of it
    int others_begin;  // into other_slot_/other_stride_
    int others_end;
    bool anchor;       // the centre is the cluster's first site (total_energy counts it here)
    bool skip;         // the centre also sits at an earlier position: counted at that template
  };

  void build_wrap_classes(int n_basis, std::size_t max_entries);
  // Species of the distinct neighbours of `site` (basis b, Smith coordinates of its cell).
  void gather(std::span<const Occupation> occ, int b, int cell, Occupation* out) const;

  // The hot path keeps templates of 0, 1, 2 and 3 other sites (points, pairs, triplets,
  // quadruplets) in fixed-size records, walked two at a time into two partial sums so the
  // floating-point additions do not form one serial dependency chain.
  template <int K>
  struct Fixed {
    int table_offset;
    int self_stride;
    std::array<std::uint16_t, K == 0 ? 1 : K> slot;
    std::array<int, K == 0 ? 1 : K> stride;
  };
  template <int K>
  static double sum_fixed(const std::vector<Fixed<K>>& list, int begin, int end, const Occupation* nb, const double* e,
                          int old_species, int new_species);

  // A run of pair templates sharing one table and strides, whose neighbours occupy slots
  // [begin, end): their energy change depends only on how many neighbours hold each species.
  struct PairRun {
    int begin, end;
    int table_offset, self_stride, other_stride;
    int n_species;  // on the neighbours' sublattice (<= 8: counts are packed in bytes)
  };

  lattice::Supercell supercell_;
  int n_cells_;
  int d1_, d2_, d3_;
  FastDivisor by_cells_, by_d3_, by_d2_;  // site -> (basis, cell) -> Smith coordinates without divides
  double constant_;                    // N_cells * J_0
  std::vector<double> energies_;       // all orbits' energy tables, concatenated
  std::vector<int> template_begin_;    // per parent basis site: range into templates_ (all, for total_energy)
  std::vector<Template> templates_;
  std::vector<Fixed<0>> fixed0_;
  std::vector<Fixed<1>> fixed1_;
  std::vector<Fixed<2>> fixed2_;
  std::vector<Fixed<3>> fixed3_;
  std::vector<PairRun> pair_runs_;
  std::vector<int> pair_run_begin_;              // per basis: range into pair_runs_
  std::vector<std::array<int, 5>> fixed_begin_;  // per basis: begin of fixed0..3 and of general_
  std::vector<int> general_;                     // template indices with > 3 others and not skipped
  std::vector<std::uint16_t> other_slot_;  // index into the gathered neighbours
  std::vector<int> other_stride_;
  std::vector<int> neighbour_begin_;   // per parent basis site: range into neighbour_*
  std::vector<int> neighbour_base_;    // basis * n_cells of each neighbour
  std::vector<int> neighbour_du_;      // 3 per neighbour, each in [0, d_k)
  // Branch-free periodic wrap: wrap_k[x] = (x mod d_k) * (stride of Smith axis k in the
  // cell index), for 0 <= x < 2 d_k, so a neighbour's cell is three look-ups and two adds.
  std::vector<int> wrap0_, wrap1_, wrap2_;
  // Wrap classes: along Smith axis k, cells whose neighbours wrap around the supercell
  // boundary in the same way form one class (all interior cells are one class, plus one per
  // distance to either boundary that a neighbour reaches across). Per (basis, class
  // combination) the signed site-index offsets of all neighbours are tabulated, so a gather
  // is one look-up and one load per neighbour. Empty when the table would be too large
  // (cluster reach comparable to a scrambled Smith order); gather() then uses the wrap tables.
  std::vector<int> class0_, class1_, class2_;  // per Smith coordinate: class id, pre-multiplied
  std::vector<int> class_offset_begin_;        // per basis: start of its [class][neighbour] block
  std::vector<int> class_offset_;
  int n_classes_ = 0;
};

}  // namespace tmorder::ce
