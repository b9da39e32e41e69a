#include "tmorder/enumeration/enumeration.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "tmorder/lattice/smith_normal_form.hpp"

namespace tmorder::enumeration {

namespace {

using LMat3 = Eigen::Matrix<long long, 3, 3>;

// Adjugate (transposed cofactor matrix): A * adj(A) = det(A) * I, exactly.
LMat3 adjugate(const LMat3& a) {
  LMat3 adj;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      const int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
      adj(i, j) = a(r0, c0) * a(r1, c1) - a(r0, c1) * a(r1, c0);
    }
  return adj;
}

// B2^-1 R B1 is integer <=> adj(B2) R B1 == 0 (mod det B2), with B = P^T.
bool maps_onto(const LMat3& adj_B2, long long det_B2, const IMat3& R, const LMat3& B1) {
  const LMat3 M = adj_B2 * R.cast<long long>() * B1;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      if (M(i, j) % det_B2 != 0) return false;
  return true;
}

bool is_identity_permutation(const std::vector<int>& p) {
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i] != static_cast<int>(i)) return false;
  return true;
}

}  // namespace

std::vector<IMat3> hermite_normal_forms(int n, bool in_plane_only) {
  if (n < 1) throw std::invalid_argument("hermite_normal_forms: the determinant must be >= 1");
  std::vector<IMat3> out;
  for (int a = 1; a <= n; ++a) {
    if (n % a != 0) continue;
    for (int c = 1; c <= n / a; ++c) {
      if ((n / a) % c != 0) continue;
      const int f = n / (a * c);
      if (in_plane_only && f != 1) continue;
      // Rows generate the lattice, so an entry below the diagonal is reduced modulo the
      // diagonal entry of its column.
      const int n_de = in_plane_only ? 1 : a;
      const int n_e = in_plane_only ? 1 : c;
      for (int b = 0; b < a; ++b)
        for (int d = 0; d < n_de; ++d)
          for (int e = 0; e < n_e; ++e) {
            IMat3 P;
            P << a, 0, 0, b, c, 0, d, e, f;
            out.push_back(P);
          }
    }
  }
  return out;
}

std::vector<IMat3> point_group_rotations(const symmetry::SpaceGroup& group) {
  std::vector<IMat3> out;
  for (const auto& op : group.operations)
    if (std::find(out.begin(), out.end(), op.rotation) == out.end()) out.push_back(op.rotation);
  return out;
}

bool equivalent_supercells(const IMat3& P1, const IMat3& P2, const std::vector<IMat3>& rotations) {
  const long long det1 = lattice::integer_determinant(P1);
  const long long det2 = lattice::integer_determinant(P2);
  if (det1 == 0 || det2 == 0) throw std::invalid_argument("equivalent_supercells: singular supercell matrix");
  if (std::llabs(det1) != std::llabs(det2)) return false;
  const LMat3 B1 = P1.transpose().cast<long long>();
  const LMat3 adj_B2 = adjugate(P2.transpose().cast<long long>());
  return std::any_of(rotations.begin(), rotations.end(),
                     [&](const IMat3& R) { return maps_onto(adj_B2, det2, R, B1); });
}

bool rotation_preserves_supercell(const IMat3& rotation, const IMat3& P) {
  const long long det = lattice::integer_determinant(P);
  if (det == 0) throw std::invalid_argument("rotation_preserves_supercell: singular supercell matrix");
  const LMat3 B = P.transpose().cast<long long>();
  return maps_onto(adjugate(B), det, rotation, B);
}

std::vector<IMat3> inequivalent_supercells(int n, const std::vector<IMat3>& rotations, bool in_plane_only) {
  std::vector<IMat3> reps;
  for (const IMat3& H : hermite_normal_forms(n, in_plane_only)) {
    const bool seen = std::any_of(reps.begin(), reps.end(),
                                  [&](const IMat3& r) { return equivalent_supercells(H, r, rotations); });
    if (!seen) reps.push_back(H);
  }
  return reps;
}

// ---------------------------------------------------------------------------------------------

Enumerator::Enumerator(lattice::ParentLattice parent, EnumerationOptions options)
    : parent_(std::move(parent)), options_(std::move(options)) {
  parent_.validate();
  if (options_.min_size < 1 || options_.max_size < options_.min_size)
    throw std::invalid_argument("enumeration: need 1 <= min_size <= max_size");
  if (!(options_.symprec > 0.0)) throw std::invalid_argument("enumeration: symprec must be positive");
  for (const auto& r : options_.composition) {
    const int sl = parent_.sublattice_index(r.sublattice, "composition range");
    const int sp = parent_.species_index(sl, r.species, "composition range");
    if (!(r.min <= r.max) || r.max < 0.0 || r.min > 1.0)
      throw std::invalid_argument("enumeration: composition range of " + r.species + " on " + r.sublattice +
                                  " needs 0 <= min <= max <= 1");
    ranges_.push_back({sl, sp, r.min, r.max});
  }
  if (options_.label_exchange) {
    if (!ranges_.empty())
      throw std::invalid_argument("enumeration: label exchange cannot be combined with composition ranges");
    for (std::size_t s = 1; s < parent_.sublattices.size(); ++s)
      if (parent_.sublattices[s].species != parent_.sublattices[0].species)
        throw std::invalid_argument("enumeration: label exchange needs every sublattice to allow the same species");
  }
  group_ = symmetry::find_space_group(parent_.structure, parent_.colours(), options_.symprec);
  rotations_ = point_group_rotations(group_);
}

std::vector<IMat3> Enumerator::supercells(int n) const {
  return inequivalent_supercells(n, rotations_, options_.in_plane_only);
}

std::vector<std::vector<int>> Enumerator::site_permutations(const IMat3& P) const {
  const lattice::Supercell sc(P, static_cast<int>(parent_.n_sites()));
  const int n_sites = sc.n_sites();
  const int n_cells = sc.n_cells();
  std::vector<lattice::LatticeSite> sites;
  sites.reserve(static_cast<std::size_t>(n_sites));
  for (int i = 0; i < n_sites; ++i) sites.push_back(sc.lattice_site(i));

  // Operation parts: the identity first, then every other operation that maps the supercell
  // lattice onto itself (as a permutation of the supercell sites).
  std::vector<std::vector<int>> op_perms;
  std::vector<int> identity(static_cast<std::size_t>(n_sites));
  std::iota(identity.begin(), identity.end(), 0);
  op_perms.push_back(identity);
  for (std::size_t k = 0; k < group_.operations.size(); ++k) {
    if (!rotation_preserves_supercell(group_.operations[k].rotation, P)) continue;
    std::vector<int> perm(static_cast<std::size_t>(n_sites));
    for (int i = 0; i < n_sites; ++i)
      perm[static_cast<std::size_t>(i)] = sc.site_index(group_.apply(k, sites[static_cast<std::size_t>(i)]));
    if (is_identity_permutation(perm)) continue;
    if (std::find(op_perms.begin(), op_perms.end(), perm) == op_perms.end()) op_perms.push_back(std::move(perm));
  }

  std::vector<std::vector<int>> translation_perms;
  for (int c = 0; c < n_cells; ++c) {
    const IVec3 t = sc.cell_translation(c);
    std::vector<int> perm(static_cast<std::size_t>(n_sites));
    for (int i = 0; i < n_sites; ++i) {
      const auto& s = sites[static_cast<std::size_t>(i)];
      perm[static_cast<std::size_t>(i)] = sc.site_index(s.basis, s.cell + t);
    }
    translation_perms.push_back(std::move(perm));
  }
  // Cell 0 is translation 0; make sure the identity leads.
  if (!is_identity_permutation(translation_perms.front()))
    throw std::logic_error("site_permutations: cell 0 is not the zero translation");

  std::vector<std::vector<int>> out;
  out.reserve(op_perms.size() * translation_perms.size());
  for (const auto& op : op_perms)
    for (const auto& tr : translation_perms) {
      std::vector<int> perm(static_cast<std::size_t>(n_sites));
      for (int i = 0; i < n_sites; ++i) perm[static_cast<std::size_t>(i)] = tr[static_cast<std::size_t>(op[static_cast<std::size_t>(i)])];
      out.push_back(std::move(perm));
    }
  return out;
}

bool Enumerator::composition_allowed(const lattice::Supercell& supercell, const std::vector<int>& occupation) const {
  if (ranges_.empty()) return true;
  const int n_cells = supercell.n_cells();
  for (const auto& r : ranges_) {
    int count = 0, total = 0;
    for (std::size_t b = 0; b < parent_.n_sites(); ++b) {
      if (parent_.site_sublattice[b] != r.sublattice) continue;
      total += n_cells;
      for (int c = 0; c < n_cells; ++c)
        if (occupation[b * static_cast<std::size_t>(n_cells) + static_cast<std::size_t>(c)] == r.species) ++count;
    }
    const double x = static_cast<double>(count) / static_cast<double>(total);
    if (x < r.min - 1e-9 || x > r.max + 1e-9) return false;
  }
  return true;
}

std::vector<DerivativeStructure> Enumerator::decorations(const IMat3& P) const {
  const lattice::Supercell sc(P, static_cast<int>(parent_.n_sites()));
  const auto n_sites = static_cast<std::size_t>(sc.n_sites());
  const auto n_cells = static_cast<std::size_t>(sc.n_cells());

  // Mixed-radix code with site 0 most significant, so code order is lexicographic order.
  std::vector<int> radix(n_sites);
  for (std::size_t i = 0; i < n_sites; ++i) radix[i] = parent_.n_species(static_cast<int>(i / n_cells));
  std::vector<std::uint64_t> weight(n_sites);
  std::uint64_t total = 1;
  for (std::size_t k = n_sites; k-- > 0;) {
    weight[k] = total;
    if (total > options_.max_decorations_per_supercell / static_cast<std::uint64_t>(radix[k]))
      throw std::invalid_argument("enumeration: a supercell of " + std::to_string(sc.n_cells()) +
                                  " cells has more decorations than the exhaustive limit " +
                                  std::to_string(options_.max_decorations_per_supercell));
    total *= static_cast<std::uint64_t>(radix[k]);
  }

  const auto perms = site_permutations(P);
  // weight of the image site of every site, per permutation
  std::vector<std::vector<std::uint64_t>> image_weight(perms.size(), std::vector<std::uint64_t>(n_sites));
  for (std::size_t g = 0; g < perms.size(); ++g)
    for (std::size_t i = 0; i < n_sites; ++i) image_weight[g][i] = weight[static_cast<std::size_t>(perms[g][i])];

  // Species relabellings (label exchange): all permutations of 0..M-1 on the active sites.
  std::vector<std::vector<int>> relabel;
  {
    const int m = parent_.sublattices.empty() ? 1 : static_cast<int>(parent_.sublattices[0].species.size());
    std::vector<int> sigma(static_cast<std::size_t>(m));
    std::iota(sigma.begin(), sigma.end(), 0);
    if (options_.label_exchange) {
      do relabel.push_back(sigma);
      while (std::next_permutation(sigma.begin(), sigma.end()));
    } else {
      relabel.push_back(sigma);
    }
  }
  std::vector<char> active(n_sites);
  for (std::size_t i = 0; i < n_sites; ++i) active[i] = parent_.is_active(static_cast<int>(i / n_cells)) ? 1 : 0;

  std::vector<DerivativeStructure> out;
  std::vector<bool> visited(static_cast<std::size_t>(total), false);
  std::vector<int> occ(n_sites, 0);
  std::vector<int> relabelled(n_sites, 0);
  for (std::uint64_t code = 0; code < total; ++code) {
    if (code > 0) {  // odometer: occ follows code
      for (std::size_t k = n_sites; k-- > 0;) {
        if (++occ[k] < radix[k]) break;
        occ[k] = 0;
      }
    }
    if (visited[static_cast<std::size_t>(code)]) continue;
    if (!composition_allowed(sc, occ)) continue;  // orbits keep compositions (no label exchange here)

    bool superperiodic = false;
    for (const auto& sigma : relabel) {
      for (std::size_t i = 0; i < n_sites; ++i)
        relabelled[i] = active[i] ? sigma[static_cast<std::size_t>(occ[i])] : occ[i];
      for (std::size_t g = 0; g < perms.size(); ++g) {
        std::uint64_t image = 0;
        const auto& w = image_weight[g];
        for (std::size_t i = 0; i < n_sites; ++i) image += static_cast<std::uint64_t>(relabelled[i]) * w[i];
        visited[static_cast<std::size_t>(image)] = true;
      }
    }
    // Pure translations are permutations 1..n_cells-1 (identity operation part).
    for (std::size_t g = 1; g < n_cells && !superperiodic; ++g) {
      std::uint64_t image = 0;
      for (std::size_t i = 0; i < n_sites; ++i) image += static_cast<std::uint64_t>(occ[i]) * image_weight[g][i];
      superperiodic = (image == code);
    }
    if (superperiodic) continue;
    out.push_back({sc.n_cells(), P, occ});
  }
  return out;
}

std::vector<DerivativeStructure> Enumerator::enumerate() const {
  std::vector<DerivativeStructure> out;
  for (int n = options_.min_size; n <= options_.max_size; ++n)
    for (const IMat3& P : supercells(n)) {
      auto d = decorations(P);
      out.insert(out.end(), std::make_move_iterator(d.begin()), std::make_move_iterator(d.end()));
    }
  return out;
}

lattice::Structure Enumerator::structure(const DerivativeStructure& d) const {
  const lattice::Supercell sc(d.supercell_matrix, static_cast<int>(parent_.n_sites()));
  if (d.occupation.size() != static_cast<std::size_t>(sc.n_sites()))
    throw std::invalid_argument("Enumerator::structure: occupation has the wrong length");
  std::vector<std::string> names(d.occupation.size());
  const auto n_cells = static_cast<std::size_t>(sc.n_cells());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto allowed = parent_.allowed_species(static_cast<int>(i / n_cells));
    const int k = d.occupation[i];
    if (k < 0 || k >= static_cast<int>(allowed.size()))
      throw std::invalid_argument("Enumerator::structure: species index out of range at site " + std::to_string(i));
    names[i] = allowed[static_cast<std::size_t>(k)];
  }
  const lattice::Structure full = sc.structure(parent_.structure, names);
  lattice::Structure s;
  s.cell = full.cell;
  for (std::size_t i = 0; i < full.size(); ++i) {
    if (full.species[i] == "Va") continue;
    s.species.push_back(full.species[i]);
    s.frac.push_back(full.frac[i]);
  }
  return s;
}

}  // namespace tmorder::enumeration
