// Every MPI rank builds the cluster space of the same model independently (as replica
// exchange will). Replicas only agree on energies if the orbit order, the cluster lists and
// the correlation vectors are identical on every rank: this test checks that bit for bit.
#include <gtest/gtest.h>
#include <mpi.h>

#include <random>

#include "tmorder/clusters/correlations.hpp"
#include "tmorder/io/model_file.hpp"
#include "tmorder/util/sha256.hpp"

using namespace tmorder;

namespace {

int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

// True on every rank iff every rank passed the same string.
bool same_on_all_ranks(const std::string& text) {
  const std::string digest = sha256_hex(text);  // 64 characters on every rank
  std::string root = digest;
  MPI_Bcast(root.data(), static_cast<int>(root.size()), MPI_CHAR, 0, MPI_COMM_WORLD);
  int mine = root == digest ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

}  // namespace

TEST(ClusterSpaceMpiTest, OrbitsIdenticalOnEveryRank) {
  const io::Model model = io::load_model(std::string(TMORDER_SOURCE_DIR) + "/clusters/o3-nanisbcu/model.toml");
  auto j = io::model_to_json(model.space, io::read_model_definition(std::string(TMORDER_SOURCE_DIR) + "/clusters/o3-nanisbcu/model.toml"));
  EXPECT_TRUE(same_on_all_ranks(j["orbits"].dump() + j["space_group"].dump()));
  EXPECT_GT(model.space.orbits().size(), 10u);
}

TEST(ClusterSpaceMpiTest, CorrelationsIdenticalOnEveryRank) {
  const io::Model model = io::load_model(std::string(TMORDER_SOURCE_DIR) + "/clusters/o3-nanisbcu/model.toml");
  IMat3 P;
  P << 3, 1, 0, -1, 3, 0, 0, 1, 2;
  const lattice::Supercell sc(P, static_cast<int>(model.space.parent().n_sites()));
  std::mt19937 rng(2024);  // same seed everywhere: the same configuration on every rank
  std::vector<int> occ(static_cast<std::size_t>(sc.n_sites()));
  for (int i = 0; i < sc.n_sites(); ++i)
    occ[static_cast<std::size_t>(i)] = static_cast<int>(rng() % static_cast<unsigned>(model.space.parent().n_species(i / sc.n_cells())));
  const Eigen::VectorXd c = clusters::correlations(model.space, sc, occ);
  const std::string bytes(reinterpret_cast<const char*>(c.data()), static_cast<std::size_t>(c.size()) * sizeof(double));
  EXPECT_TRUE(same_on_all_ranks(bytes));
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  EXPECT_EQ(size, 2) << "ctest runs this suite on 2 ranks";
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  // Only rank 0 prints the gtest report; every rank still runs and votes on the result.
  if (rank() != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  int ok = RUN_ALL_TESTS() == 0 ? 1 : 0, all = 0;
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  MPI_Finalize();
  return all == 1 ? 0 : 1;
}
