#pragma once
// Lower convex hull of energy against one composition coordinate x in [0, 1], and the
// comparison of the DFT and cluster-expansion hulls of a training set.
//
// Energies are referenced to the end members: e_i = E_i - [(1 - t) E_lo + t E_hi], with
// t = (x_i - x_lo) / (x_hi - x_lo), where x_lo / x_hi are the smallest / largest x present
// (the pure compositions x = 0 and 1 when the set has them) and E_lo / E_hi the lowest energy
// there. This "formation energy relative to the end members" is a linear shift: it changes
// neither the hull vertices nor any distance above the hull. Units are those of the input
// (eV per parent cell in `tmorder fit`). See docs/fitting.md, "tmorder fit".
#include <cstddef>
#include <vector>

namespace tmorder::fit {

struct Hull {
  std::vector<double> formation_energy;  ///< e_i per structure (input units)
  std::vector<std::size_t> vertices;     ///< structure indices on the lower hull, by increasing x
  std::vector<double> distance;          ///< e_i - hull(x_i) >= 0 per structure (0 on the hull)
};

/// Lower hull of the points (x_i, E_i). At equal x (within x_tolerance) only the lowest energy
/// (the first index on a tie) can be a vertex; points on a straight hull edge between two
/// vertices are not vertices (distance 0). Throws std::invalid_argument for empty input,
/// mismatched sizes or non-finite values.
Hull lower_hull(const std::vector<double>& x, const std::vector<double>& energy, double x_tolerance = 1e-9,
                double energy_tolerance = 1e-9);

/// Ground states of the reference (DFT) hull against the predicted (CE) hull, as structure
/// indices in increasing order.
struct HullComparison {
  std::vector<std::size_t> kept;   ///< vertices of both hulls
  std::vector<std::size_t> lost;   ///< on the DFT hull only
  std::vector<std::size_t> added;  ///< on the CE hull only
};
HullComparison compare_hulls(const Hull& dft, const Hull& ce);

}  // namespace tmorder::fit
