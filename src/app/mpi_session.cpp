#include "tmorder/app/mpi_session.hpp"

#include <numeric>
#include <stdexcept>

namespace tmorder::app {

namespace {
void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI call failed: ") + what);
}

// Counts and displacements of a variable-size gather, on every rank.
std::vector<int> all_counts(int mine, int size) {
  std::vector<int> counts(static_cast<std::size_t>(size));
  check(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
  return counts;
}

std::vector<int> displacements(const std::vector<int>& counts) {
  std::vector<int> d(counts.size(), 0);
  for (std::size_t r = 1; r < counts.size(); ++r) d[r] = d[r - 1] + counts[r - 1];
  return d;
}

template <class T>
std::vector<T> gather_on_root(const std::vector<T>& mine, MPI_Datatype type, int rank, int size) {
  const auto counts = all_counts(static_cast<int>(mine.size()), size);
  const auto displs = displacements(counts);
  std::vector<T> out;
  if (rank == 0) out.resize(static_cast<std::size_t>(std::accumulate(counts.begin(), counts.end(), 0)));
  check(MPI_Gatherv(mine.data(), static_cast<int>(mine.size()), type, out.data(), counts.data(), displs.data(), type, 0,
                    MPI_COMM_WORLD),
        "MPI_Gatherv");
  return out;
}
}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) {
    check(MPI_Init(argc, argv), "MPI_Init");
    owns_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (owns_) MPI_Finalize();
}

std::vector<double> MpiSession::allgather(const std::vector<double>& mine) const {
  const auto counts = all_counts(static_cast<int>(mine.size()), size_);
  const auto displs = displacements(counts);
  std::vector<double> out(static_cast<std::size_t>(std::accumulate(counts.begin(), counts.end(), 0)));
  check(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, out.data(), counts.data(), displs.data(),
                       MPI_DOUBLE, MPI_COMM_WORLD),
        "MPI_Allgatherv");
  return out;
}

std::vector<double> MpiSession::gather(const std::vector<double>& mine) const {
  return gather_on_root(mine, MPI_DOUBLE, rank_, size_);
}

std::vector<std::uint8_t> MpiSession::gather(const std::vector<std::uint8_t>& mine) const {
  return gather_on_root(mine, MPI_UINT8_T, rank_, size_);
}

std::vector<std::string> MpiSession::gather_strings(const std::string& mine) const {
  const auto counts = all_counts(static_cast<int>(mine.size()), size_);
  const std::vector<char> bytes(mine.begin(), mine.end());
  const auto all = gather_on_root(bytes, MPI_CHAR, rank_, size_);
  std::vector<std::string> out;
  if (rank_ != 0) return out;
  std::size_t at = 0;
  for (const int c : counts) {
    out.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(at), all.begin() + static_cast<std::ptrdiff_t>(at + static_cast<std::size_t>(c)));
    at += static_cast<std::size_t>(c);
  }
  return out;
}

std::string MpiSession::scatter_strings(const std::vector<std::string>& parts) const {
  std::vector<int> counts(static_cast<std::size_t>(size_), 0);
  std::string all;
  if (rank_ == 0) {
    if (parts.size() != static_cast<std::size_t>(size_)) throw std::logic_error("scatter_strings: one part per rank expected");
    for (int r = 0; r < size_; ++r) {
      counts[static_cast<std::size_t>(r)] = static_cast<int>(parts[static_cast<std::size_t>(r)].size());
      all += parts[static_cast<std::size_t>(r)];
    }
  }
  check(MPI_Bcast(counts.data(), size_, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
  const auto displs = displacements(counts);
  std::string mine(static_cast<std::size_t>(counts[static_cast<std::size_t>(rank_)]), '\0');
  check(MPI_Scatterv(all.data(), counts.data(), displs.data(), MPI_CHAR, mine.data(), static_cast<int>(mine.size()), MPI_CHAR, 0,
                     MPI_COMM_WORLD),
        "MPI_Scatterv");
  return mine;
}

std::string MpiSession::broadcast(const std::string& text) const {
  long long n = static_cast<long long>(text.size());
  check(MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
  std::string out = rank_ == 0 ? text : std::string(static_cast<std::size_t>(n), '\0');
  check(MPI_Bcast(out.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
  return out;
}

bool MpiSession::any(bool mine) const {
  int in = mine ? 1 : 0, out = 0;
  check(MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
  return out != 0;
}

double MpiSession::max(double mine) const {
  double out = 0.0;
  check(MPI_Allreduce(&mine, &out, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
  return out;
}

void MpiSession::barrier() const { MPI_Barrier(MPI_COMM_WORLD); }

}  // namespace tmorder::app
