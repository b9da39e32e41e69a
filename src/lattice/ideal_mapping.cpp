#include "tmorder/lattice/ideal_mapping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "tmorder/util/error.hpp"
#include "tmorder/util/text.hpp"

namespace tmorder::lattice {

namespace {

// Supercell matrices (and parent translations) beyond this are rejected before the integer
// casts, which would otherwise overflow; Supercell itself stops at 2e9 sites.
constexpr double kMaxInteger = 1e6;
// Largest deviation of cell * parent^-1 from an integer matrix still read as ideal.
constexpr double kIntegerTolerance = 1e-3;


std::string matrix_text(const Mat3& m) {
  return fmt::format("[[{:.4f}, {:.4f}, {:.4f}], [{:.4f}, {:.4f}, {:.4f}], [{:.4f}, {:.4f}, {:.4f}]]", m(0, 0), m(0, 1),
                     m(0, 2), m(1, 0), m(1, 1), m(1, 2), m(2, 0), m(2, 1), m(2, 2));
}

// "sublattice Na" for an active site, "fixed O" for a fixed one.
std::string site_kind(const ParentLattice& parent, int basis) {
  const int sl = parent.site_sublattice[static_cast<std::size_t>(basis)];
  if (sl >= 0) return "a site of sublattice " + parent.sublattices[static_cast<std::size_t>(sl)].name;
  return "a fixed " + parent.structure.species[static_cast<std::size_t>(basis)] + " site";
}

IMat3 supercell_matrix(const Structure& p, const Structure& s, const std::string& source) {
  const Mat3 Pd = s.cell * p.cell.inverse();
  if (!Pd.allFinite() || Pd.cwiseAbs().maxCoeff() > kMaxInteger)
    throw InputError(located(source, 0, "the cell is not an integer supercell of the parent lattice (cell * parent^-1 = " +
                                            matrix_text(Pd) + "); expected ideal, unstrained lattice vectors"));
  const IMat3 P = Pd.array().round().cast<int>().matrix();
  const double deviation = (Pd - P.cast<double>()).cwiseAbs().maxCoeff();
  if (deviation > kIntegerTolerance || integer_determinant(P) == 0)
    throw InputError(located(source, 0, "the cell is not an integer supercell of the parent lattice (cell * parent^-1 = " +
                                            matrix_text(Pd) + ", " +
                                            (deviation > kIntegerTolerance ? fmt::format("{:.2g} from the nearest integer matrix", deviation)
                                                                           : std::string("singular")) +
                                            "); expected ideal, unstrained lattice vectors"));
  return P;
}

struct NearestSite {
  int basis = -1;
  IVec3 cell = IVec3::Zero();
  double distance = std::numeric_limits<double>::infinity();
};

// The nearest parent site to Cartesian position r. Rounding the fractional offset gives the
// nearest image only in a cell that is not too skewed, so the 27 images around it are tried.
NearestSite nearest_site(const Structure& p, const Vec3& r) {
  const Vec3 pf = p.fractional(r);
  NearestSite best;
  for (std::size_t b = 0; b < p.size(); ++b) {
    const Vec3 d = pf - p.frac[b];
    const Vec3 n0 = d.array().round().matrix();
    for (int i = -1; i <= 1; ++i)
      for (int j = -1; j <= 1; ++j)
        for (int k = -1; k <= 1; ++k) {
          const Vec3 n = n0 + Vec3(i, j, k);
          const double dist = p.cartesian(d - n).norm();
          if (dist < best.distance) best = {static_cast<int>(b), n.cast<int>(), dist};
        }
  }
  return best;
}

}  // namespace

MappedConfiguration map_ideal_structure(const ParentLattice& parent, const Structure& s, const std::string& source,
                                        double tolerance, const std::vector<long>& atom_lines) {
  const Structure& p = parent.structure;
  if (s.species.size() != s.frac.size())
    throw std::invalid_argument(fmt::format("map_ideal_structure: {} species for {} positions", s.species.size(), s.frac.size()));
  Supercell sc(supercell_matrix(p, s, source), static_cast<int>(p.size()));
  const auto line_of = [&](std::size_t i) { return i < atom_lines.size() ? atom_lines[i] : 0L; };
  const auto atom = [&](std::size_t i) { return "atom " + std::to_string(i + 1) + " (" + s.species[i] + ")"; };

  std::vector<int> occ(static_cast<std::size_t>(sc.n_sites()), -1);
  std::vector<std::size_t> owner(occ.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Vec3 r = s.cartesian_of(i);
    if (!r.allFinite() || p.fractional(r).cwiseAbs().maxCoeff() > kMaxInteger)
      throw InputError(located(source, line_of(i), atom(i) + " has a non-finite or absurdly large position"));
    const NearestSite near = nearest_site(p, r);
    if (!(near.distance <= tolerance))
      throw InputError(located(source, line_of(i),
                               fmt::format("{} is {:.3f} A from the nearest parent-lattice site ({}), farther than the "
                                           "tolerance {:g} A: expected an atom on an ideal site",
                                           atom(i), near.distance, site_kind(parent, near.basis), tolerance)));
    const int site = sc.site_index(near.basis, near.cell);
    const auto k = static_cast<std::size_t>(site);
    if (occ[k] >= 0)
      throw InputError(located(source, line_of(i),
                               atom(i) + " sits on the same site as atom " + std::to_string(owner[k] + 1) + " (" +
                                   s.species[owner[k]] + "); expected at most one atom per site"));
    const int basis = near.basis;
    const auto allowed = parent.allowed_species(basis);
    const auto it = std::find(allowed.begin(), allowed.end(), s.species[i]);
    if (it == allowed.end())
      throw InputError(located(source, line_of(i), atom(i) + " sits on " + site_kind(parent, basis) + ", which allows only " +
                                                       text::join(allowed, ", ")));
    occ[k] = static_cast<int>(it - allowed.begin());
    owner[k] = i;
  }
  for (std::size_t k = 0; k < occ.size(); ++k) {
    if (occ[k] >= 0) continue;
    const LatticeSite ls = sc.lattice_site(static_cast<int>(k));
    const auto allowed = parent.allowed_species(ls.basis);
    const auto va = std::find(allowed.begin(), allowed.end(), "Va");
    if (va == allowed.end()) {
      // Where the missing atom belongs, in the structure's own fractional coordinates.
      Vec3 f = s.fractional(p.cartesian(p.frac[static_cast<std::size_t>(ls.basis)] + ls.cell.cast<double>()));
      f = (f.array() - f.array().floor()).matrix();
      throw InputError(located(source, 0,
                               fmt::format("no atom on {} (parent basis site {}) at fractional ({:.4f}, {:.4f}, {:.4f}), "
                                           "which does not allow a vacancy (Va); allowed: {}",
                                           site_kind(parent, ls.basis), ls.basis, f[0], f[1], f[2], text::join(allowed, ", "))));
    }
    occ[k] = static_cast<int>(va - allowed.begin());
  }
  return {std::move(sc), std::move(occ)};
}

}  // namespace tmorder::lattice
