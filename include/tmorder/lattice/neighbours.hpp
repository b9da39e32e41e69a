#pragma once
// Periodic neighbour search that is exact for any cell shape and any cutoff.
#include <vector>

#include "tmorder/lattice/structure.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::lattice {

/// Site j translated by `image` lattice vectors, at `distance` from the centre site.
struct Neighbour {
  LatticeSite site;  ///< basis = j, cell = image
  double distance = 0.0;
};

/// Every site (j, image) with |r_j + image*cell - r_i| <= cutoff, the centre itself
/// excluded, sorted by distance then site. Images are bounded per axis by
/// cutoff * |column k of cell^-1| (the spacing of lattice planes), which is exact for skewed
/// cells and for cutoffs larger than the cell, so the same site may appear with many images.
std::vector<Neighbour> neighbours_within(const Structure& s, int i, double cutoff);

/// Same, about an arbitrary fractional position (used for clusters on a parent lattice).
std::vector<Neighbour> sites_within(const Structure& s, const Vec3& centre_frac, double cutoff);

}  // namespace tmorder::lattice
