#pragma once
// Human-readable and HDF5 reports of a model's cluster space, shared by the subcommands.
#include <Eigen/Core>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "tmorder/io/model_file.hpp"

namespace tmorder::app {

/// Parent structure, sublattices, space group and the orbit table.
void print_cluster_space(std::ostream& out, const io::Model& model);

/// Named correlation vectors to add to a report file (/correlations).
struct NamedCorrelations {
  std::vector<std::string> names;
  std::vector<Eigen::VectorXd> values;
};

/// Writes the cluster-space report (docs/hdf5-format.md) atomically; refuses to overwrite
/// an existing file unless `force`.
void write_cluster_space_h5(const std::filesystem::path& path, bool force, const io::Model& model,
                            const std::string& command_line, const NamedCorrelations& correlations);

}  // namespace tmorder::app
