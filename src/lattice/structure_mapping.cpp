#include "tmorder/lattice/structure_mapping.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "tmorder/lattice/smith_normal_form.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/util/text.hpp"

namespace tmorder::lattice {

namespace {

// Supercell matrices (and positions in parent units) beyond this are refused before the
// integer casts, which would otherwise overflow.
constexpr double kMaxInteger = 1e6;
// Supercell itself stops at about 2e9 sites.
constexpr double kMaxSites = 2e9;
// How many reference atoms (spread over the input order) seed the rigid-shift search.
constexpr std::size_t kReferenceAtoms = 4;
// Mean-displacement refinements of each candidate shift (each one usually converges in 2).
constexpr int kRefinements = 8;

std::string matrix_text(const Mat3& m) {
  return fmt::format("[[{:.4f}, {:.4f}, {:.4f}], [{:.4f}, {:.4f}, {:.4f}], [{:.4f}, {:.4f}, {:.4f}]]", m(0, 0), m(0, 1),
                     m(0, 2), m(1, 0), m(1, 1), m(1, 2), m(2, 0), m(2, 1), m(2, 2));
}

std::string matrix_text(const IMat3& m) {
  return fmt::format("[[{}, {}, {}], [{}, {}, {}], [{}, {}, {}]]", m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2),
                     m(2, 0), m(2, 1), m(2, 2));
}

// "a site of sublattice Na" for an active site, "a fixed O site" for a fixed one.
std::string site_kind(const ParentLattice& parent, int basis) {
  const int sl = parent.site_sublattice[static_cast<std::size_t>(basis)];
  if (sl >= 0) return "a site of sublattice " + parent.sublattices[static_cast<std::size_t>(sl)].name;
  return "a fixed " + parent.structure.species[static_cast<std::size_t>(basis)] + " site";
}

// The parent lattice in the form the nearest-site search needs.
struct Frame {
  Mat3 At;      // A^T: Cartesian = At * fractional
  Mat3 At_inv;  // fractional = At_inv * Cartesian
  std::vector<Vec3> basis;
};

struct Nearest {
  int basis = -1;
  IVec3 cell = IVec3::Zero();
  Vec3 d = Vec3::Zero();  // atom minus site, Cartesian
  double distance = std::numeric_limits<double>::infinity();
};

// The nearest parent site to Cartesian q. Rounding the fractional offset gives the nearest
// image only in a cell that is not too skewed, so the 27 images around it are tried.
Nearest nearest_site(const Frame& f, const Vec3& q) {
  const Vec3 qf = f.At_inv * q;
  Nearest best;
  for (std::size_t b = 0; b < f.basis.size(); ++b) {
    const Vec3 d = qf - f.basis[b];
    const Vec3 n0 = d.array().round().matrix();
    for (int i = -1; i <= 1; ++i)
      for (int j = -1; j <= 1; ++j)
        for (int k = -1; k <= 1; ++k) {
          const Vec3 n = n0 + Vec3(i, j, k);
          const Vec3 dc = f.At * (d - n);
          const double dist = dc.norm();
          if (dist < best.distance) best = {static_cast<int>(b), n.cast<int>(), dc, dist};
        }
  }
  return best;
}

// The shortest Cartesian vector equal to t modulo parent lattice vectors.
Vec3 reduce_shift(const Frame& f, const Vec3& t) {
  const Vec3 tf = f.At_inv * t;
  const Vec3 n0 = tf.array().round().matrix();
  Vec3 best = t;
  double best_norm = std::numeric_limits<double>::infinity();
  for (int i = -1; i <= 1; ++i)
    for (int j = -1; j <= 1; ++j)
      for (int k = -1; k <= 1; ++k) {
        const Vec3 c = f.At * (tf - n0 - Vec3(i, j, k));
        if (c.norm() < best_norm - 1e-12) {
          best = c;
          best_norm = c.norm();
        }
      }
  return best;
}

struct Assignment {
  std::vector<Nearest> near;
  std::size_t incompatible = 0;  // atoms whose nearest site forbids their species
  double sum_sq = 0.0;
  Vec3 mean = Vec3::Zero();
};

// compatible[i][b]: atom i's species is allowed on basis site b.
Assignment assign(const Frame& f, const std::vector<Vec3>& q, const Vec3& shift,
                  const std::vector<const std::vector<char>*>& compatible) {
  Assignment a;
  a.near.reserve(q.size());
  for (std::size_t i = 0; i < q.size(); ++i) {
    const Nearest n = nearest_site(f, q[i] + shift);
    if (!(*compatible[i])[static_cast<std::size_t>(n.basis)]) ++a.incompatible;
    a.sum_sq += n.distance * n.distance;
    a.mean += n.d;
    a.near.push_back(n);
  }
  if (!q.empty()) a.mean /= static_cast<double>(q.size());
  return a;
}

bool better(const Assignment& a, const Assignment& b) {
  if (a.incompatible != b.incompatible) return a.incompatible < b.incompatible;
  return a.sum_sq < b.sum_sq - 1e-9 * (1.0 + b.sum_sq);
}

}  // namespace

MappedStructure map_relaxed_structure(const ParentLattice& parent, const Structure& s, const std::string& source,
                                      const MappingOptions& options) {
  const Structure& p = parent.structure;
  if (s.species.size() != s.frac.size())
    throw std::invalid_argument(fmt::format("map_relaxed_structure: {} species for {} positions", s.species.size(), s.frac.size()));
  const auto line_of = [&](std::size_t i) { return i < options.atom_lines.size() ? options.atom_lines[i] : 0L; };
  const auto atom = [&](std::size_t i) { return "atom " + std::to_string(i + 1) + " (" + s.species[i] + ")"; };
  const int n_basis = static_cast<int>(p.size());
  const double volume_ratio = s.volume() / p.volume();

  // --- Supercell matrix P = round(L_s A^-1).
  const Mat3 Pd = s.cell * p.cell.inverse();
  if (!Pd.allFinite() || Pd.cwiseAbs().maxCoeff() > kMaxInteger)
    throw InputError(located(source, 0, "the cell is not a supercell of the parent lattice (cell * parent^-1 = " +
                                            matrix_text(Pd) + ")"));
  const IMat3 P = Pd.array().round().cast<int>().matrix();
  const double residual = (Pd - P.cast<double>()).cwiseAbs().maxCoeff();
  const long long det_P = integer_determinant(P);
  if (det_P <= 0)
    throw InputError(located(
        source, 0,
        fmt::format("the cell is not a supercell of the parent lattice: cell * parent^-1 = {} rounds to P = {} with det P = "
                    "{} (expected det P > 0: a non-singular cell with the handedness of the parent; volume ratio {:.4f})",
                    matrix_text(Pd), matrix_text(P), det_P, volume_ratio)));
  if (static_cast<double>(det_P) * n_basis > kMaxSites)
    throw InputError(located(source, 0,
                             fmt::format("the supercell P = {} has {} parent cells, too many to map", matrix_text(P), det_P)));

  // --- Homogeneous deformation: L_s = P A F^T, F = R U.
  const Mat3 L0 = P.cast<double>() * p.cell;
  const Mat3 F = (L0.inverse() * s.cell).transpose();
  const Mat3 C = F.transpose() * F;
  const Eigen::SelfAdjointEigenSolver<Mat3> eig(C);
  const Vec3 stretches = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  const Mat3 U = eig.eigenvectors() * stretches.asDiagonal() * eig.eigenvectors().transpose();
  const double strain_norm = (stretches.array() - 1.0).abs().maxCoeff();
  if (!F.allFinite() || !(F.determinant() > 0.0) || !(strain_norm <= options.max_strain))
    throw InputError(located(
        source, 0,
        fmt::format("the cell is not a supercell of the parent lattice within the strain tolerance: the nearest supercell "
                    "P = {} (cell * parent^-1 = {}, {:.3f} from P; volume ratio {:.4f} for det P = {}) needs a strain of "
                    "{:.4f} (largest principal strain |eig(U - I)|), more than max_strain {:g}",
                    matrix_text(P), matrix_text(Pd), residual, volume_ratio, det_P, strain_norm, options.max_strain)));

  Supercell sc(P, n_basis);
  const auto n_sites = static_cast<std::size_t>(sc.n_sites());
  std::size_t n_required = 0;  // sites that must hold an atom
  for (int b = 0; b < n_basis; ++b) {
    const auto allowed = parent.allowed_species(b);
    if (std::find(allowed.begin(), allowed.end(), "Va") == allowed.end()) n_required += static_cast<std::size_t>(sc.n_cells());
  }
  if (s.size() > n_sites)
    throw InputError(located(source, 0,
                             fmt::format("{} atoms for the {} sites of the supercell P = {} ({} parent cells of {} sites, "
                                         "volume ratio {:.4f}): expected at most one atom per site",
                                         s.size(), n_sites, matrix_text(P), det_P, n_basis, volume_ratio)));

  // --- Unstrained positions q = F^-1 r.
  Frame frame{p.cell.transpose(), p.cell.transpose().inverse(), p.frac};
  const Mat3 F_inv = F.inverse();
  std::vector<Vec3> q(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    q[i] = F_inv * s.cartesian_of(i);
    if (!q[i].allFinite() || (frame.At_inv * q[i]).cwiseAbs().maxCoeff() > kMaxInteger)
      throw InputError(located(source, line_of(i), atom(i) + " has a non-finite or absurdly large position"));
  }

  // --- Species compatibility of each atom with each basis site.
  std::map<std::string, std::vector<char>> compat_of;
  std::vector<const std::vector<char>*> compatible(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto [it, inserted] = compat_of.try_emplace(s.species[i]);
    if (inserted) {
      it->second.resize(static_cast<std::size_t>(n_basis));
      for (int b = 0; b < n_basis; ++b) {
        const auto allowed = parent.allowed_species(b);
        it->second[static_cast<std::size_t>(b)] = std::find(allowed.begin(), allowed.end(), s.species[i]) != allowed.end();
      }
    }
    compatible[i] = &it->second;
  }

  // --- Rigid shift: seeds put a reference atom on a compatible site, then each seed is
  // refined to zero mean displacement; the best is kept.
  std::vector<Vec3> seeds;
  const std::size_t n_ref = std::min(kReferenceAtoms, s.size());
  for (std::size_t k = 0; k < n_ref; ++k) {
    const std::size_t i = k * s.size() / n_ref;
    for (int b = 0; b < n_basis; ++b)
      if ((*compatible[i])[static_cast<std::size_t>(b)]) seeds.push_back(frame.At * frame.basis[static_cast<std::size_t>(b)] - q[i]);
  }
  if (seeds.empty()) seeds.push_back(Vec3::Zero());
  Vec3 shift = Vec3::Zero();
  Assignment best;
  bool have_best = false;
  for (const Vec3& seed : seeds) {
    Vec3 t = seed;
    Assignment a = assign(frame, q, t, compatible);
    for (int r = 0; r < kRefinements; ++r) {
      const Vec3 t_new = t - a.mean;
      Assignment a_new = assign(frame, q, t_new, compatible);
      const bool converged = (t_new - t).norm() < 1e-12;
      t = t_new;
      a = std::move(a_new);
      if (converged) break;
    }
    if (!have_best || better(a, best)) {
      best = std::move(a);
      shift = t;
      have_best = true;
    }
  }
  shift = reduce_shift(frame, shift);
  const Assignment final_assignment = assign(frame, q, shift, compatible);

  // --- Sites.
  MappedStructure m{.supercell = std::move(sc), .occupation = std::vector<int>(n_sites, -1)};
  const Supercell& msc = m.supercell;
  m.deformation = F;
  m.strain = U - Mat3::Identity();
  m.green_lagrange = 0.5 * (C - Mat3::Identity());
  m.strain_norm = strain_norm;
  m.shift = shift;
  m.atom_site.resize(s.size());
  m.displacements.resize(s.size());
  std::vector<std::size_t> owner(n_sites);
  double sum_distance = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Nearest& near = final_assignment.near[i];
    if (!(near.distance <= options.max_displacement))
      throw InputError(located(source, line_of(i),
                               fmt::format("{} is {:.3f} A from the nearest parent-lattice site ({}) after removing the "
                                           "strain and the rigid shift, farther than max_displacement {:g} A",
                                           atom(i), near.distance, site_kind(parent, near.basis), options.max_displacement)));
    const int site = msc.site_index(near.basis, near.cell);
    const auto k = static_cast<std::size_t>(site);
    const auto allowed = parent.allowed_species(near.basis);
    const auto it = std::find(allowed.begin(), allowed.end(), s.species[i]);
    if (it == allowed.end())
      throw InputError(located(source, line_of(i),
                               fmt::format("{} maps to {} (parent basis site {}, {:.3f} A away), which allows only {}", atom(i),
                                           site_kind(parent, near.basis), near.basis, near.distance, text::join(allowed, ", "))));
    if (m.occupation[k] >= 0) {
      const std::size_t j = owner[k];
      throw InputError(located(source, line_of(i),
                               fmt::format("ambiguous mapping: {} and atom {} ({}) both map to supercell site {} ({}, parent "
                                           "basis site {}) at {:.3f} A and {:.3f} A; expected at most one atom per site",
                                           atom(i), j + 1, s.species[j], site, site_kind(parent, near.basis), near.basis,
                                           near.distance, final_assignment.near[j].distance)));
    }
    m.occupation[k] = static_cast<int>(it - allowed.begin());
    owner[k] = i;
    m.atom_site[i] = site;
    m.displacements[i] = near.d;
    sum_distance += near.distance;
    m.max_displacement = std::max(m.max_displacement, near.distance);
  }
  if (!s.frac.empty()) m.mean_displacement = sum_distance / static_cast<double>(s.size());

  for (std::size_t k = 0; k < n_sites; ++k) {
    if (m.occupation[k] >= 0) continue;
    const LatticeSite ls = msc.lattice_site(static_cast<int>(k));
    const auto allowed = parent.allowed_species(ls.basis);
    const auto va = std::find(allowed.begin(), allowed.end(), "Va");
    if (va == allowed.end()) {
      // Where the missing atom belongs, in the structure's own (strained) fractional coordinates.
      const Vec3 site_q = p.cartesian(p.frac[static_cast<std::size_t>(ls.basis)] + ls.cell.cast<double>());
      Vec3 f = s.fractional(F * (site_q - shift));
      f = (f.array() - f.array().floor()).matrix();
      throw InputError(located(
          source, 0,
          fmt::format("no atom on {} (parent basis site {}, supercell site {}) at fractional ({:.4f}, {:.4f}, {:.4f}), which "
                      "does not allow a vacancy (Va); allowed: {} ({} atoms for {} sites, {} of which need an atom)",
                      site_kind(parent, ls.basis), ls.basis, k, f[0], f[1], f[2], text::join(allowed, ", "), s.size(), n_sites,
                      n_required)));
    }
    m.occupation[k] = static_cast<int>(va - allowed.begin());
  }
  return m;
}

}  // namespace tmorder::lattice
