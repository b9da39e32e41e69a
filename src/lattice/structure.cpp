#include "tmorder/lattice/structure.hpp"

#include <Eigen/LU>

namespace tmorder::lattice {

Vec3 Structure::fractional(const Vec3& r) const { return cell.transpose().inverse() * r; }

}  // namespace tmorder::lattice
