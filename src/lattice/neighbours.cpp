#include "tmorder/lattice/neighbours.hpp"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>

namespace tmorder::lattice {

std::vector<Neighbour> sites_within(const Structure& s, const Vec3& centre_frac, double cutoff) {
  const Mat3 inv = s.cell.inverse();
  Vec3 reach;
  for (int k = 0; k < 3; ++k) reach[k] = cutoff * inv.col(k).norm();
  // A tiny absolute slack so that sites exactly at the cutoff are kept on both sides of
  // rounding; the distance test below is the one that decides.
  const double tol = 1e-8;
  std::vector<Neighbour> out;
  for (std::size_t j = 0; j < s.size(); ++j) {
    const Vec3 d = s.frac[j] - centre_frac;
    IVec3 lo, hi;
    for (int k = 0; k < 3; ++k) {
      lo[k] = static_cast<int>(std::ceil(-d[k] - reach[k] - tol));
      hi[k] = static_cast<int>(std::floor(-d[k] + reach[k] + tol));
    }
    for (int a = lo[0]; a <= hi[0]; ++a)
      for (int b = lo[1]; b <= hi[1]; ++b)
        for (int c = lo[2]; c <= hi[2]; ++c) {
          const Vec3 df = d + Vec3(a, b, c);
          const double dist = s.cartesian(df).norm();
          if (dist <= cutoff + tol) out.push_back({{static_cast<int>(j), IVec3(a, b, c)}, dist});
        }
  }
  std::sort(out.begin(), out.end(), [](const Neighbour& x, const Neighbour& y) {
    if (std::abs(x.distance - y.distance) > 1e-9) return x.distance < y.distance;
    return x.site < y.site;
  });
  return out;
}

std::vector<Neighbour> neighbours_within(const Structure& s, int i, double cutoff) {
  auto all = sites_within(s, s.frac[static_cast<std::size_t>(i)], cutoff);
  std::erase_if(all, [&](const Neighbour& n) { return n.site.basis == i && n.site.cell.isZero(); });
  return all;
}

}  // namespace tmorder::lattice
