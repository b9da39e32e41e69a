#include "tmorder/lattice/ideal_mapping.hpp"

#include <algorithm>
#include <cmath>

#include "tmorder/util/error.hpp"

namespace tmorder::lattice {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

}  // namespace

MappedConfiguration map_ideal_structure(const ParentLattice& parent, const Structure& s, const std::string& source,
                                        double tolerance, const std::vector<long>& atom_lines) {
  const Structure& p = parent.structure;
  const Mat3 Pd = s.cell * p.cell.inverse();
  const IMat3 P = Pd.array().round().cast<int>().matrix();
  if ((Pd - P.cast<double>()).cwiseAbs().maxCoeff() > 1e-3 || integer_determinant(P) == 0)
    throw InputError(source + ": the cell is not an integer supercell of the parent lattice (cell * parent^-1 = [" +
                     std::to_string(Pd(0, 0)) + " ...]); expected ideal, unstrained lattice vectors");
  Supercell sc(P, static_cast<int>(p.size()));
  const auto line_of = [&](std::size_t i) { return i < atom_lines.size() ? atom_lines[i] : 0L; };
  const auto atom = [&](std::size_t i) { return "atom " + std::to_string(i + 1) + " (" + s.species[i] + ")"; };

  std::vector<int> occ(static_cast<std::size_t>(sc.n_sites()), -1);
  std::vector<std::size_t> owner(occ.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Vec3 pf = p.fractional(s.cartesian_of(i));
    int site = -1;
    for (std::size_t b = 0; b < p.size() && site < 0; ++b) {
      const Vec3 d = pf - p.frac[b];
      const Vec3 n = d.array().round().matrix();
      if (p.cartesian(d - n).norm() <= tolerance) site = sc.site_index(static_cast<int>(b), n.cast<int>());
    }
    if (site < 0)
      throw InputError(located(source, line_of(i), atom(i) + " is farther than " + std::to_string(tolerance) +
                                                       " A from every parent-lattice site"));
    const auto k = static_cast<std::size_t>(site);
    if (occ[k] >= 0)
      throw InputError(located(source, line_of(i), atom(i) + " sits on the same site as atom " + std::to_string(owner[k] + 1)));
    const int basis = site / sc.n_cells();
    const auto allowed = parent.allowed_species(basis);
    const auto it = std::find(allowed.begin(), allowed.end(), s.species[i]);
    if (it == allowed.end()) {
      const int sl = parent.site_sublattice[static_cast<std::size_t>(basis)];
      const std::string where = sl >= 0 ? "a " + parent.sublattices[static_cast<std::size_t>(sl)].name + " site"
                                        : "a fixed " + p.species[static_cast<std::size_t>(basis)] + " site";
      throw InputError(located(source, line_of(i), atom(i) + " sits on " + where + ", which allows only " + join(allowed)));
    }
    occ[k] = static_cast<int>(it - allowed.begin());
    owner[k] = i;
  }
  for (std::size_t k = 0; k < occ.size(); ++k) {
    if (occ[k] >= 0) continue;
    const int basis = static_cast<int>(k) / sc.n_cells();
    const auto allowed = parent.allowed_species(basis);
    const auto va = std::find(allowed.begin(), allowed.end(), "Va");
    if (va == allowed.end())
      throw InputError(source + ": no atom on a site of basis " + std::to_string(basis) + " (" + p.species[static_cast<std::size_t>(basis)] +
                       "), which does not allow a vacancy (Va); allowed: " + join(allowed));
    occ[k] = static_cast<int>(va - allowed.begin());
  }
  return {std::move(sc), std::move(occ)};
}

}  // namespace tmorder::lattice
