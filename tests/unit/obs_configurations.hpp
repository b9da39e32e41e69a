#pragma once
// Configurations for the structural-observable tests: exact-composition random decorations
// and the sqrt3 x sqrt3 honeycomb Ni2/3Sb1/3 order on triangular layers.
#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "tmorder/ce/local_energy.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::obs_test {

inline int mod3(int x) { return ((x % 3) + 3) % 3; }

/// Writes into occ[sites] exactly counts[k] sites of species k, in uniformly random order
/// (fixed composition, so c is exact and only the arrangement is random).
inline void random_fill(std::vector<ce::Occupation>& occ, const std::vector<int>& sites,
                        const std::vector<int>& counts, std::mt19937_64& rng) {
  std::vector<ce::Occupation> pool;
  for (std::size_t k = 0; k < counts.size(); ++k) pool.insert(pool.end(), static_cast<std::size_t>(counts[k]),
                                                             static_cast<ce::Occupation>(k));
  std::shuffle(pool.begin(), pool.end(), rng);
  for (std::size_t j = 0; j < sites.size(); ++j) occ[static_cast<std::size_t>(sites[j])] = pool.at(j);
}

inline std::vector<int> all_sites(const lattice::Supercell& sc) {
  std::vector<int> s(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i) s[static_cast<std::size_t>(i)] = i;
  return s;
}

/// One-site triangular parent (species 0 = Ni, 1 = Sb): Sb where (n1 + n2 - shift) mod 3 == 0.
inline std::vector<ce::Occupation> triangular_honeycomb(const lattice::Supercell& sc, int shift) {
  std::vector<ce::Occupation> occ(static_cast<std::size_t>(sc.n_sites()), 0);
  for (int i = 0; i < sc.n_sites(); ++i) {
    const IVec3 n = sc.lattice_site(i).cell;
    occ[static_cast<std::size_t>(i)] = mod3(n[0] + n[1] - shift) == 0 ? 1 : 0;
  }
  return occ;
}

/// Supercell rows (2,1,0), (-1,1,0), (0,0,1) of the sqrt3 x sqrt3 cell, tiled t x t in plane.
inline IMat3 sqrt3_supercell(int t) {
  IMat3 P;
  P << 2 * t, t, 0, -t, t, 0, 0, 0, 1;
  return P;
}

}  // namespace tmorder::obs_test
