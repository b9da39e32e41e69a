#pragma once
// Maps a structure whose atoms sit on ideal parent-lattice sites onto a supercell and an
// occupation vector. (Relaxed structures need the strain-removing mapping of the fitting
// workflow; this one refuses anything off-site.)
#include <string>
#include <vector>

#include "tmorder/lattice/parent_lattice.hpp"
#include "tmorder/lattice/supercell.hpp"

namespace tmorder::lattice {

struct MappedConfiguration {
  Supercell supercell;
  std::vector<int> occupation;  ///< species index in each site's allowed list
};

/// `source` names the structure in messages; `atom_lines` (optional, one per atom) gives
/// each atom's line in that file. Throws tmorder::InputError if the cell is not an integer
/// supercell of the parent, an atom is farther than `tolerance` (Angstrom) from every site,
/// two atoms share a site, a species is not allowed on its site, or an empty site does not
/// allow a vacancy ("Va").
MappedConfiguration map_ideal_structure(const ParentLattice& parent, const Structure& s, const std::string& source,
                                        double tolerance = 0.1, const std::vector<long>& atom_lines = {});

}  // namespace tmorder::lattice
