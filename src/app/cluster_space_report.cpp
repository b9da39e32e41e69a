#include "tmorder/app/cluster_space_report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <cstdint>

#include "tmorder/io/hdf5_file.hpp"
#include "tmorder/util/text.hpp"
#include "tmorder/util/clock.hpp"
#include "tmorder/version.hpp"

namespace tmorder::app {

namespace {


std::string orbit_sublattices(const io::Model& m, const clusters::Orbit& o) {
  std::vector<std::string> names;
  for (int sl : o.sublattices) names.push_back(m.space.parent().sublattices[static_cast<std::size_t>(sl)].name);
  return text::join(names, "-");
}


}  // namespace

void print_cluster_space(std::ostream& out, const io::Model& m) {
  const auto& cs = m.space;
  const auto& st = cs.parent().structure;
  fmt::print(out, "model        {}\n", m.name);
  if (!m.description.empty()) fmt::print(out, "description  {}\n", m.description);
  fmt::print(out, "source       {}\n", m.source_path);
  fmt::print(out, "\nparent structure ({} sites, volume {:.4f} A^3)\n", st.size(), st.volume());
  for (int i = 0; i < 3; ++i)
    fmt::print(out, "  a{}  {:12.6f} {:12.6f} {:12.6f}\n", i + 1, st.cell(i, 0), st.cell(i, 1), st.cell(i, 2));
  fmt::print(out, "  {:>4}  {:<8} {:>10} {:>10} {:>10}  {}\n", "site", "label", "x", "y", "z", "allowed species");
  for (std::size_t i = 0; i < st.size(); ++i) {
    const int sl = cs.parent().site_sublattice[i];
    const std::string allowed = sl < 0 ? "fixed" : cs.parent().sublattices[static_cast<std::size_t>(sl)].name + ": " +
                                                      text::join(cs.parent().sublattices[static_cast<std::size_t>(sl)].species, ", ");
    fmt::print(out, "  {:>4}  {:<8} {:10.6f} {:10.6f} {:10.6f}  {}\n", i, st.species[i], st.frac[i][0], st.frac[i][1],
               st.frac[i][2], allowed);
  }
  const auto& g = cs.space_group();
  fmt::print(out, "\nspace group  {} (No. {}), {} operations, symprec {} A\n", g.international, g.number, g.operations.size(),
             cs.symprec());
  std::vector<std::string> cut;
  for (std::size_t k = 0; k < cs.cutoffs().size(); ++k) cut.push_back(fmt::format("order {}: {:.3f}", k + 2, cs.cutoffs()[k]));
  fmt::print(out, "cutoffs (A)  {}\n", text::join(cut, ", "));
  fmt::print(out, "\norbits ({} orbits, {} cluster functions including the empty cluster)\n", cs.orbits().size(), cs.n_functions());
  fmt::print(out, "  {:>5} {:>5} {:>10} {:>10} {:>12} {:>9}  {}\n", "index", "order", "radius/A", "maxdist/A", "multiplicity",
             "functions", "sublattices");
  fmt::print(out, "  {:>5} {:>5} {:>10} {:>10} {:>12} {:>9}  {}\n", "-", 0, "-", "-", 1, 1, "(empty)");
  for (std::size_t k = 0; k < cs.orbits().size(); ++k) {
    const auto& o = cs.orbits()[k];
    fmt::print(out, "  {:>5} {:>5} {:10.4f} {:10.4f} {:>12} {:>9}  {}\n", k, o.order, o.radius, o.max_distance,
               o.multiplicity(), o.functions.size(), orbit_sublattices(m, o));
  }
  fmt::print(out, "  (radius: mean distance of the sites from their centroid; maxdist: longest site-site distance, "
                  "the quantity the cutoffs bound; multiplicity: clusters per parent cell)\n");
}

void write_cluster_space_h5(const std::filesystem::path& path, bool force, const io::Model& m,
                            const std::string& command_line, const NamedCorrelations& correlations) {
  const auto& cs = m.space;
  const auto& st = cs.parent().structure;
  io::Hdf5Writer w(path, force);
  w.set_attribute("/", "kind", std::string("cluster_space"));
  w.set_attribute("/", "tmorder_version", std::string(version_string));
  w.set_attribute("/", "git_commit", std::string(git_commit));
  w.set_attribute("/", "created", utc_timestamp());
  w.set_attribute("/", "command_line", command_line);
  w.set_attribute("/", "model_name", m.name);
  w.set_attribute("/", "model_source", m.source_path);
  w.set_attribute("/", "model_sha256", m.source_sha256);
  w.set_attribute("/", "model_provenance", m.provenance.dump());

  std::vector<double> cell, pos;
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 3; ++k) cell.push_back(st.cell(i, k));
  for (const auto& f : st.frac)
    for (int k = 0; k < 3; ++k) pos.push_back(f[k]);
  w.write_matrix("/structure/cell", cell, 3, 3, "angstrom");
  w.write_matrix("/structure/positions", pos, st.size(), 3, "1");
  w.write_strings("/structure/species", st.species);
  std::vector<std::int64_t> site_sub(cs.parent().site_sublattice.begin(), cs.parent().site_sublattice.end());
  w.write("/structure/sublattice", site_sub, "1");

  std::vector<std::string> names, species;
  for (const auto& s : cs.parent().sublattices) {
    names.push_back(s.name);
    species.push_back(text::join(s.species, ","));
  }
  w.write_strings("/sublattices/names", names);
  w.write_strings("/sublattices/species", species);

  w.create_group("/space_group");
  w.set_attribute("/space_group", "number", std::int64_t{cs.space_group().number});
  w.set_attribute("/space_group", "international", cs.space_group().international);
  w.set_attribute("/space_group", "n_operations", static_cast<std::int64_t>(cs.space_group().operations.size()));
  w.write("/cutoffs", cs.cutoffs(), "angstrom");

  std::vector<std::int64_t> order, mult, nfun;
  std::vector<double> maxd, radius;
  std::vector<std::string> subl;
  for (const auto& o : cs.orbits()) {
    order.push_back(o.order);
    mult.push_back(o.multiplicity());
    nfun.push_back(static_cast<std::int64_t>(o.functions.size()));
    maxd.push_back(o.max_distance);
    radius.push_back(o.radius);
    subl.push_back(orbit_sublattices(m, o));
  }
  w.write("/orbits/order", order, "1");
  w.write("/orbits/max_distance", maxd, "angstrom");
  w.write("/orbits/radius", radius, "angstrom");
  w.write("/orbits/multiplicity", mult, "clusters per parent cell");
  w.write("/orbits/n_functions", nfun, "1");
  w.write_strings("/orbits/sublattices", subl);

  if (!correlations.names.empty()) {
    std::vector<double> flat;
    for (const auto& v : correlations.values) flat.insert(flat.end(), v.data(), v.data() + v.size());
    w.write_strings("/correlations/names", correlations.names);
    w.write_matrix("/correlations/values", flat, correlations.names.size(), cs.n_functions(), "1");
  }
  w.commit();
}

}  // namespace tmorder::app
