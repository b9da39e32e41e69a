// Tests for the TOML run-input reader of `tmorder run`: full canonical and semi-grand
// inputs, defaults, the geometric ladder, path resolution, provenance, and one test per kind
// of bad input (the message must name the file, the line where the node has one, the key
// path and what was expected).
#include "tmorder/io/run_input.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"

namespace {

namespace fs = std::filesystem;
using tmorder::IMat3;
using tmorder::test_support::error_of;
using tmorder::test_support::TempDir;
using tmorder::io::LadderSpec;
using tmorder::io::parse_run_input;
using tmorder::io::read_run_input;
using tmorder::io::RunInput;

// A valid canonical input; error tests replace or blank its numbered lines, so the expected
// line numbers below can be read off this list. It refers to "model.json" next to it.
std::vector<std::string> base_lines() {
  return {
      "[model]",                                // 1
      "file = \"model.json\"",                  // 2
      "",                                       // 3
      "[supercell]",                            // 4
      "repetitions = [3, 3, 1]",                // 5
      "",                                       // 6
      "[ensemble]",                             // 7
      "type = \"canonical\"",                   // 8
      "",                                       // 9
      "[ensemble.composition.TM]",              // 10
      "Ni = \"2/3\"",                           // 11
      "Sb = \"1/3\"",                           // 12
      "",                                       // 13
      "[moves]",                                // 14
      "swap = 1.0",                             // 15
      "exchange = 0",                           // 16
      "",                                       // 17
      "[temperatures]",                         // 18
      "min = 300",                              // 19
      "max = 1500.0",                           // 20
      "count = 8",                              // 21
      "",                                       // 22
      "[sampling]",                             // 23
      "equilibration_sweeps = 1000",            // 24
      "production_sweeps = 5000",               // 25
      "sample_interval = 10",                   // 26
      "exchange_interval = 2",                  // 27
      "observables = [\"energy\", \"honeycomb\"]",  // 28
      "",                                       // 29
      "[observables.honeycomb]",                // 30
      "sublattice = \"TM\"",                    // 31
      "species = \"Sb\"",                       // 32
      "",                                       // 33
      "[run]",                                  // 34
      "seed = 42",                              // 35
      "output = \"results.h5\"",                // 36
  };
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// The base input with 1-based lines replaced ("" blanks a line, keeping the numbering).
std::string with_lines(const std::vector<std::pair<int, std::string>>& replacements) {
  auto lines = base_lines();
  for (const auto& [number, text] : replacements) lines.at(static_cast<std::size_t>(number - 1)) = text;
  return join_lines(lines);
}

// Replacements turning the base into a semi-grand input (chemical potentials instead of the
// composition; the [moves] table leaves flip at its semi-grand default 1).
std::vector<std::pair<int, std::string>> semi_grand(std::vector<std::pair<int, std::string>> more = {}) {
  std::vector<std::pair<int, std::string>> r{{8, "type = \"semi-grand\""},
                                             {10, "[ensemble.chemical_potentials.TM]"},
                                             {11, "Ni = 0.0"},
                                             {12, "Sb = -0.25"}};
  r.insert(r.end(), more.begin(), more.end());
  return r;
}

// A scratch folder holding a dummy model file next to where the input "lives".
class RunInputFiles : public ::testing::Test {
 protected:
  RunInputFiles() : dir_("run_input") { dir_.write("model.json", "{}\n"); }
  [[nodiscard]] fs::path input_path() const { return dir_.path() / "run.toml"; }
  [[nodiscard]] RunInput parse(const std::string& text) const { return parse_run_input(text, input_path()); }
  TempDir dir_;
};

// ---------------------------------------------------------------------------------------
// Valid inputs

class RunInputValid : public RunInputFiles {};

TEST_F(RunInputValid, BaseCanonicalInput) {
  const std::string text = join_lines(base_lines());
  const RunInput in = parse(text);
  EXPECT_EQ(in.source_path, input_path().string());
  EXPECT_EQ(in.source_text, text);
  EXPECT_EQ(in.source_sha256, tmorder::sha256_hex(text));
  EXPECT_EQ(in.model, (dir_.path() / "model.json").lexically_normal());
  EXPECT_EQ(in.supercell, (IMat3() << 3, 0, 0, 0, 3, 0, 0, 0, 1).finished());
  EXPECT_EQ(in.ensemble, "canonical");
  ASSERT_EQ(in.composition.size(), 1U);
  EXPECT_EQ(in.composition.at("TM").at("Ni"), 2.0 / 3.0);  // exact ratio, not a rounded decimal
  EXPECT_EQ(in.composition.at("TM").at("Sb"), 1.0 / 3.0);
  EXPECT_TRUE(in.chemical_potentials.empty());
  EXPECT_EQ(in.moves.swap, 1.0);
  EXPECT_EQ(in.moves.exchange, 0.0);
  EXPECT_EQ(in.moves.flip, 0.0);
  EXPECT_EQ(in.ladder.kind, LadderSpec::Kind::geometric);
  EXPECT_EQ(in.ladder.n, 8);
  EXPECT_EQ(in.ladder.t_min, 300.0);
  EXPECT_EQ(in.ladder.t_max, 1500.0);
  EXPECT_FALSE(in.ladder.adaptive);
  EXPECT_EQ(in.equilibration_sweeps, 1000);
  EXPECT_EQ(in.production_sweeps, 5000);
  EXPECT_EQ(in.sample_interval, 10);
  EXPECT_EQ(in.exchange_interval, 2);
  EXPECT_EQ(in.snapshot_interval, 0);
  EXPECT_EQ(in.observables, (std::vector<std::string>{"energy", "honeycomb"}));
  EXPECT_EQ(in.honeycomb_sublattice, "TM");
  EXPECT_EQ(in.honeycomb_species, "Sb");
  EXPECT_TRUE(in.probe_species.empty());
  EXPECT_EQ(in.seed, 42U);
  EXPECT_EQ(in.output, fs::path("results.h5"));
  EXPECT_EQ(in.checkpoint, fs::path("results.h5.chk"));
  EXPECT_EQ(in.checkpoint_interval, 0);
  EXPECT_EQ(in.progress_interval, 10.0);
}

TEST_F(RunInputValid, GeometricLadderHasExactEndsAndConstantRatio) {
  const RunInput in = parse(with_lines({{19, "min = 250.0"}, {20, "max = 2000"}, {21, "count = 7"}}));
  const auto& T = in.ladder.temperatures;
  ASSERT_EQ(T.size(), 7U);
  EXPECT_EQ(in.ladder.n, 7);
  EXPECT_EQ(T.front(), 250.0);  // exact, not pow-rounded
  EXPECT_EQ(T.back(), 2000.0);
  const double ratio = std::pow(2000.0 / 250.0, 1.0 / 6.0);
  for (std::size_t k = 0; k < T.size(); ++k) {
    EXPECT_NEAR(T[k], 250.0 * std::pow(ratio, static_cast<double>(k)), 1e-9 * T[k]) << k;
    if (k > 0) {
      EXPECT_NEAR(T[k] / T[k - 1], ratio, 1e-12) << k;
    }
  }
}

TEST_F(RunInputValid, TemperatureListWithAdaptiveLadder) {
  const RunInput in = parse(with_lines({{19, "list = [200, 350.5, 600, 1000]"},
                                        {20, "adaptive = true"},
                                        {21, "adaptive_target = \"round-trip\""},
                                        {22, "adaptive_interval = 50"}}));
  EXPECT_EQ(in.ladder.kind, LadderSpec::Kind::list);
  EXPECT_EQ(in.ladder.temperatures, (std::vector<double>{200.0, 350.5, 600.0, 1000.0}));
  EXPECT_EQ(in.ladder.n, 4);
  EXPECT_EQ(in.ladder.t_min, 200.0);
  EXPECT_EQ(in.ladder.t_max, 1000.0);
  EXPECT_TRUE(in.ladder.adaptive);
  EXPECT_EQ(in.ladder.adaptive_target, "round-trip");
  EXPECT_EQ(in.ladder.adaptive_interval, 50);
}

TEST_F(RunInputValid, SingleTemperatureList) {
  const RunInput in = parse(with_lines({{19, "list = [450]"}, {20, ""}, {21, ""}}));
  EXPECT_EQ(in.ladder.temperatures, (std::vector<double>{450.0}));
  EXPECT_EQ(in.ladder.n, 1);
}

TEST_F(RunInputValid, DefaultsOfAMinimalCanonicalInput) {
  const std::string text =
      "[model]\nfile = \"model.json\"\n"
      "[supercell]\nrepetitions = [2, 2, 2]\n"
      "[ensemble.composition]\nM = { Cu = 0.75, Au = 0.25 }\n"
      "[temperatures]\nlist = [300]\n"
      "[sampling]\nproduction_sweeps = 10\n"
      "[run]\nseed = 0\noutput = \"out/x.h5\"\n";
  const RunInput in = parse(text);
  EXPECT_EQ(in.ensemble, "canonical");
  EXPECT_EQ(in.composition.at("M").at("Cu"), 0.75);
  EXPECT_EQ(in.moves.swap, 1.0);
  EXPECT_EQ(in.moves.exchange, 0.0);
  EXPECT_EQ(in.moves.flip, 0.0);
  EXPECT_EQ(in.equilibration_sweeps, 0);
  EXPECT_EQ(in.production_sweeps, 10);
  EXPECT_EQ(in.sample_interval, 1);
  EXPECT_EQ(in.exchange_interval, 1);
  EXPECT_EQ(in.snapshot_interval, 0);
  EXPECT_EQ(in.observables, (std::vector<std::string>{"energy"}));
  EXPECT_FALSE(in.ladder.adaptive);
  EXPECT_EQ(in.ladder.adaptive_target, "acceptance");
  EXPECT_EQ(in.ladder.adaptive_interval, 100);
  EXPECT_EQ(in.checkpoint_interval, 0);
  EXPECT_EQ(in.checkpoint, fs::path("out/x.h5.chk"));
  EXPECT_EQ(in.seed, 0U);
  EXPECT_EQ(in.progress_interval, 10.0);
}

TEST_F(RunInputValid, FullCanonicalInput) {
  const std::string text = R"(# every key given
[model]
file = "model.json"

[supercell]
matrix = [[2, 1, 0], [-1, 1, 0], [0, 0, 3]]

[ensemble]
type = "canonical"

[ensemble.composition.TM]
Ni = "1/2"
Cu = " 1 / 6 "
Sb = "1/3"

[ensemble.composition.Na]
Na = 0.9
Va = 0.1

[moves]
swap = 3
exchange = 0.5
flip = 0

[temperatures]
min = 100
max = 1600
count = 5
adaptive = true
adaptive_target = "acceptance"
adaptive_interval = 20

[sampling]
equilibration_sweeps = 0
production_sweeps = 100000
sample_interval = 5
exchange_interval = 1
snapshot_interval = 1000
observables = ["concentrations", "warren_cowley", "exchange_probe", "honeycomb"]

[observables.honeycomb]
sublattice = "TM"
species = "Sb"

[observables.exchange_probe]
species = "Cu"
from = "TM"
to = "Na"

[checkpoint]
interval = 5000
file = "chk/run.chk"

[run]
seed = 9223372036854775807
output = "results/run.h5"
progress_interval = 2.5
)";
  const RunInput in = parse(text);
  EXPECT_EQ(in.supercell, (IMat3() << 2, 1, 0, -1, 1, 0, 0, 0, 3).finished());
  ASSERT_EQ(in.composition.size(), 2U);
  EXPECT_EQ(in.composition.at("TM").at("Ni"), 0.5);
  EXPECT_EQ(in.composition.at("TM").at("Cu"), 1.0 / 6.0);
  EXPECT_EQ(in.composition.at("TM").at("Sb"), 1.0 / 3.0);
  EXPECT_EQ(in.composition.at("Na").at("Va"), 0.1);
  EXPECT_EQ(in.moves.swap, 3.0);
  EXPECT_EQ(in.moves.exchange, 0.5);
  EXPECT_EQ(in.moves.flip, 0.0);
  EXPECT_EQ(in.ladder.temperatures.size(), 5U);
  EXPECT_EQ(in.ladder.temperatures[0], 100.0);
  EXPECT_NEAR(in.ladder.temperatures[1], 200.0, 1e-9);
  EXPECT_NEAR(in.ladder.temperatures[2], 400.0, 1e-9);
  EXPECT_NEAR(in.ladder.temperatures[3], 800.0, 1e-9);
  EXPECT_EQ(in.ladder.temperatures[4], 1600.0);
  EXPECT_TRUE(in.ladder.adaptive);
  EXPECT_EQ(in.ladder.adaptive_interval, 20);
  EXPECT_EQ(in.production_sweeps, 100000);
  EXPECT_EQ(in.snapshot_interval, 1000);
  // "energy" is always recorded and comes first; the others keep their order.
  EXPECT_EQ(in.observables,
            (std::vector<std::string>{"energy", "concentrations", "warren_cowley", "exchange_probe", "honeycomb"}));
  EXPECT_EQ(in.probe_species, "Cu");
  EXPECT_EQ(in.probe_from, "TM");
  EXPECT_EQ(in.probe_to, "Na");
  EXPECT_EQ(in.checkpoint_interval, 5000);
  EXPECT_EQ(in.checkpoint, fs::path("chk/run.chk"));
  EXPECT_EQ(in.seed, 9223372036854775807ULL);
  EXPECT_EQ(in.output, fs::path("results/run.h5"));
  EXPECT_EQ(in.progress_interval, 2.5);
}

TEST_F(RunInputValid, SemiGrandInput) {
  const std::string text = R"([model]
file = "model.json"
[supercell]
repetitions = [6, 6, 1]
[ensemble]
type = "semi-grand"
[ensemble.chemical_potentials.TM]
Ni = 0
Sb = -0.35
Cu = 0.125
[temperatures]
min = 400
max = 1200
count = 4
[sampling]
production_sweeps = 2000
[run]
seed = 7
output = "sgc.h5"
)";
  const RunInput in = parse(text);
  EXPECT_EQ(in.ensemble, "semi-grand");
  EXPECT_TRUE(in.composition.empty());  // optional there: the start defaults to the first species
  ASSERT_EQ(in.chemical_potentials.size(), 1U);
  EXPECT_EQ(in.chemical_potentials.at("TM").at("Ni"), 0.0);
  EXPECT_EQ(in.chemical_potentials.at("TM").at("Sb"), -0.35);
  EXPECT_EQ(in.chemical_potentials.at("TM").at("Cu"), 0.125);
  EXPECT_EQ(in.moves.swap, 0.0);  // semi-grand defaults
  EXPECT_EQ(in.moves.exchange, 0.0);
  EXPECT_EQ(in.moves.flip, 1.0);
  EXPECT_EQ(in.ladder.temperatures.front(), 400.0);
  EXPECT_EQ(in.ladder.temperatures.back(), 1200.0);
  EXPECT_EQ(in.observables, (std::vector<std::string>{"energy"}));
}

TEST_F(RunInputValid, SemiGrandWithStartingCompositionAndSwaps) {
  const RunInput in = parse(with_lines(semi_grand({{9, "[ensemble.composition.TM]\nNi = \"2/3\"\nSb = \"1/3\""}})));
  EXPECT_EQ(in.ensemble, "semi-grand");
  EXPECT_EQ(in.composition.at("TM").at("Ni"), 2.0 / 3.0);
  EXPECT_EQ(in.chemical_potentials.at("TM").at("Sb"), -0.25);
  EXPECT_EQ(in.moves.swap, 1.0);  // given in [moves]
  EXPECT_EQ(in.moves.flip, 1.0);  // not given: the semi-grand default
}

TEST_F(RunInputValid, MoveWeightsNotGivenKeepTheirDefaults) {
  const RunInput in = parse(with_lines({{15, ""}, {16, "exchange = 0.25"}}));
  EXPECT_EQ(in.moves.swap, 1.0);
  EXPECT_EQ(in.moves.exchange, 0.25);
  EXPECT_EQ(in.moves.flip, 0.0);
}

TEST_F(RunInputValid, ModelPathResolvedAgainstTheInputFolder) {
  fs::create_directories(dir_.path() / "models");
  fs::create_directories(dir_.path() / "inputs");
  dir_.write("models/m.toml", "[model]\n");
  const std::string text = with_lines({{2, "file = \"../models/m.toml\""}});
  const RunInput in = parse_run_input(text, dir_.path() / "inputs" / "run.toml");
  EXPECT_EQ(in.model, (dir_.path() / "models" / "m.toml").lexically_normal());
  // An absolute path is kept as given.
  const fs::path absolute = fs::absolute(dir_.path() / "model.json");
  const RunInput abs_in = parse_run_input(with_lines({{2, "file = \"" + absolute.string() + "\""}}), "elsewhere/run.toml");
  EXPECT_EQ(abs_in.model, absolute.lexically_normal());
}

TEST_F(RunInputValid, ReadRunInputRecordsProvenance) {
  const std::string text = join_lines(base_lines());
  const fs::path p = dir_.write("run.toml", text);
  const RunInput in = read_run_input(p);
  EXPECT_EQ(in.source_path, p.string());
  EXPECT_EQ(in.source_text, text);
  EXPECT_EQ(in.source_sha256, tmorder::sha256_file_hex(p));
  EXPECT_EQ(in.model, (dir_.path() / "model.json").lexically_normal());
}

TEST_F(RunInputValid, ExamplesInTheDocumentationParse) {
  std::ifstream doc(fs::path(TMORDER_SOURCE_DIR) / "docs" / "input.md");
  ASSERT_TRUE(doc) << "docs/input.md not found";
  std::vector<std::string> blocks;
  std::string line;
  bool inside = false;
  while (std::getline(doc, line)) {
    if (!inside && line == "```toml") {
      inside = true;
      blocks.emplace_back();
    } else if (inside && line == "```") {
      inside = false;
    } else if (inside) {
      blocks.back() += line + "\n";
    }
  }
  ASSERT_GE(blocks.size(), 2U);
  // The examples live in inputs/ and name models under clusters/: mirror that layout.
  for (const char* model : {"clusters/o3-nanisbcu/model.json", "clusters/triangular/model.json"}) {
    fs::create_directories((dir_.path() / model).parent_path());
    dir_.write(model, "{}\n");
  }
  std::set<std::string> ensembles;
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    SCOPED_TRACE("example " + std::to_string(k) + ":\n" + blocks[k]);
    RunInput in;
    ASSERT_NO_THROW(in = parse_run_input(blocks[k], dir_.path() / "inputs" / "example.toml"));
    ensembles.insert(in.ensemble);
  }
  EXPECT_EQ(ensembles, (std::set<std::string>{"canonical", "semi-grand"}));
}

// ---------------------------------------------------------------------------------------
// Refusals: one per kind of bad input, as line replacements of the base input.

struct Refusal {
  std::string name;
  std::vector<std::pair<int, std::string>> replacements;
  int line;              // > 0: "run.toml:LINE:" expected; 0: no line; < 0: unchecked
  std::string key;       // the key path the message must name
  std::string expected;  // a piece of what the message says was expected
};

void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

class RunInputRefusal : public RunInputFiles, public ::testing::WithParamInterface<Refusal> {};

// Asserts the message names the file (with the line if line > 0, without if line == 0), the
// key path and the expectation.
void expect_message(const std::string& message, const fs::path& file, int line, const std::string& key,
                    const std::string& expected) {
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  if (line > 0) {
    EXPECT_NE(message.find("run.toml:" + std::to_string(line) + ":"), std::string::npos) << "line " << line << " not in: " << message;
  } else if (line == 0) {
    EXPECT_EQ(message.rfind(file.string() + ": ", 0), 0U) << message;
  }
  if (!key.empty()) {
    EXPECT_NE(message.find("key '" + key + "'"), std::string::npos) << "key '" << key << "' not in: " << message;
  }
  EXPECT_NE(message.find(expected), std::string::npos) << "'" << expected << "' not in: " << message;
}

TEST_P(RunInputRefusal, IsRefusedWithFileLineKeyAndExpectation) {
  const Refusal& c = GetParam();
  const std::string message = error_of([&] { (void)parse(with_lines(c.replacements)); });
  expect_message(message, input_path(), c.line, c.key, c.expected);
}

const std::vector<Refusal> kRefusals = {
    // ---- syntax and structure
    {"MalformedToml", {{21, "count = "}}, 21, "", "TOML syntax error"},
    {"UnknownSection", {{33, "[extras]"}}, 33, "extras", "unknown section; expected one of the tables [model], [supercell]"},
    {"TopLevelKey", {{1, "seed = 1\n[model]"}}, 1, "seed", "unknown section"},
    {"SectionNotATable", {{1, "model = \"model.json\""}, {2, ""}}, 1, "model", "expected a table [model]"},
    {"UnknownKey", {{26, "sample_intervall = 10"}}, 26, "sampling.sample_intervall", "unknown key; expected one of"},
    {"UnknownKeyInModel", {{3, "format = \"json\""}}, 3, "model.format", "unknown key"},
    {"UnknownKeyInObservableTable", {{32, "specie = \"Sb\""}}, 32, "observables.honeycomb.specie", "unknown key"},
    {"UnknownObservableTable", {{33, "[observables.queue]"}}, 33, "observables.queue", "unknown key"},
    {"MissingRunSection", {{34, ""}, {35, ""}, {36, ""}}, 0, "run", "missing; expected a table [run]"},
    {"MissingTemperaturesSection", {{18, ""}, {19, ""}, {20, ""}, {21, ""}}, 0, "temperatures", "missing"},
    {"MissingModelFileKey", {{2, ""}}, 1, "model.file", "missing; expected the model file"},
    // ---- [run]
    {"MissingSeed", {{35, ""}}, 34, "run.seed", "missing; expected a non-negative integer"},
    {"SeedAsString", {{35, "seed = \"42\""}}, 35, "run.seed", "expected a non-negative integer, got the string"},
    {"NegativeSeed", {{35, "seed = -1"}}, 35, "run.seed", "expected a non-negative integer, got -1"},
    {"SeedAsFloat", {{35, "seed = 42.0"}}, 35, "run.seed", "got the float 42.0 (write integers without a decimal point"},
    {"MissingOutput", {{36, ""}}, 34, "run.output", "missing; expected the HDF5 results file"},
    {"OutputWithoutH5", {{36, "output = \"results.hdf\""}}, 36, "run.output", "ending in .h5"},
    {"OutputOnlyExtension", {{36, "output = \".h5\""}}, 36, "run.output", "ending in .h5"},
    {"ProgressIntervalZero", {{36, "output = \"r.h5\"\nprogress_interval = 0"}}, 37, "run.progress_interval", "seconds (> 0)"},
    // ---- [supercell]
    {"BothRepetitionsAndMatrix", {{6, "matrix = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]"}}, 6, "supercell.matrix", "not both"},
    {"NeitherRepetitionsNorMatrix", {{5, ""}}, 4, "supercell", "expected repetitions = [a, b, c] or matrix"},
    {"SingularMatrix", {{5, "matrix = [[1, 1, 0], [2, 2, 0], [0, 0, 1]]"}}, 5, "supercell.matrix", "singular"},
    {"MatrixNotThreeByThree", {{5, "matrix = [[1, 0], [0, 1], [0, 0]]"}}, 5, "supercell.matrix[0]", "3 integers"},
    {"MatrixFloatEntry", {{5, "matrix = [[1, 0, 0], [0, 1.0, 0], [0, 0, 1]]"}}, 5, "supercell.matrix[1][1]", "without a decimal point"},
    {"ZeroRepetition", {{5, "repetitions = [3, 0, 1]"}}, 5, "supercell.repetitions[1]", "expected a positive integer"},
    {"NegativeRepetition", {{5, "repetitions = [3, 3, -1]"}}, 5, "supercell.repetitions[2]", "expected a positive integer"},
    {"TwoRepetitions", {{5, "repetitions = [3, 3]"}}, 5, "supercell.repetitions", "an array of 3 positive integers"},
    {"RepetitionAsFloat", {{5, "repetitions = [3.0, 3, 1]"}}, 5, "supercell.repetitions[0]", "without a decimal point"},
    // ---- [ensemble]
    {"UnknownEnsemble", {{8, "type = \"grand\""}}, 8, "ensemble.type", "expected \"canonical\" or \"semi-grand\""},
    {"EnsembleTypeNotAString", {{8, "type = 1"}}, 8, "ensemble.type", "expected a non-empty string"},
    {"CompositionMissingInCanonical", {{10, ""}, {11, ""}, {12, ""}}, 7, "ensemble.composition", "a canonical run needs"},
    {"FractionAboveOne", {{11, "Ni = 1.5"}}, 11, "ensemble.composition.TM.Ni", "expected a fraction in [0, 1]"},
    {"NegativeFraction", {{11, "Ni = -0.5"}}, 11, "ensemble.composition.TM.Ni", "expected a fraction in [0, 1]"},
    {"RationalZeroDenominator", {{11, "Ni = \"2/0\""}}, 11, "ensemble.composition.TM.Ni", "denominator q must be > 0"},
    {"RationalNotIntegers", {{11, "Ni = \"a/b\""}}, 11, "ensemble.composition.TM.Ni", "non-negative integers"},
    {"RationalAboveOne", {{11, "Ni = \"3/2\""}}, 11, "ensemble.composition.TM.Ni", "exceeds 1"},
    {"RationalNegative", {{11, "Ni = \"-2/3\""}}, 11, "ensemble.composition.TM.Ni", "non-negative integers"},
    {"RationalDecimal", {{11, "Ni = \"0.6/1\""}}, 11, "ensemble.composition.TM.Ni", "non-negative integers"},
    {"RationalTwoSlashes", {{11, "Ni = \"2/3/1\""}}, 11, "ensemble.composition.TM.Ni", "not of the form \"p/q\""},
    {"FractionAsBoolean", {{11, "Ni = true"}}, 11, "ensemble.composition.TM.Ni", "got the boolean true"},
    {"FractionsNotSummingToOne", {{12, "Sb = 0.3"}}, 10, "ensemble.composition.TM", "sum to 0.966666"},
    {"CompositionSublatticeNotATable", {{10, "[ensemble.composition]\nTM = 0.5"}, {11, ""}, {12, ""}}, 11,
     "ensemble.composition.TM", "expected a table"},
    {"ChemicalPotentialsInCanonical", {{13, "[ensemble.chemical_potentials.TM]\nNi = 0.1"}}, -1, "ensemble.chemical_potentials",
     "only allowed with ensemble.type = \"semi-grand\""},
    {"SemiGrandWithoutChemicalPotentials", {{8, "type = \"semi-grand\""}}, 7, "ensemble.chemical_potentials",
     "a semi-grand run needs"},
    {"ChemicalPotentialNotANumber", semi_grand({{12, "Sb = \"low\""}}), 12, "ensemble.chemical_potentials.TM.Sb",
     "a chemical potential in eV"},
    {"ChemicalPotentialInfinite", semi_grand({{12, "Sb = -inf"}}), 12, "ensemble.chemical_potentials.TM.Sb", "finite"},
    // ---- [moves]
    {"FlipInCanonical", {{16, "flip = 0.5"}}, 16, "moves.flip", "expected flip = 0 in a canonical run"},
    {"SemiGrandWithoutFlips", semi_grand({{16, "flip = 0"}}), 16, "moves.flip", "expected flip > 0"},
    {"NegativeMoveWeight", {{16, "exchange = -1"}}, 16, "moves.exchange", "expected a non-negative weight"},
    {"ZeroMoveSum", {{15, "swap = 0"}}, 14, "moves", "sum to 0; expected a positive sum"},
    {"MoveWeightNotANumber", {{15, "swap = \"yes\""}}, 15, "moves.swap", "expected a non-negative weight"},
    {"UnknownMove", {{16, "exchang = 1"}}, 16, "moves.exchang", "unknown key"},
    // ---- [temperatures]
    {"MinZero", {{19, "min = 0"}}, 19, "temperatures.min", "(> 0)"},
    {"MinNegative", {{19, "min = -300"}}, 19, "temperatures.min", "(> 0)"},
    {"MaxNotAboveMin", {{20, "max = 300"}}, 20, "temperatures.max", "greater than min"},
    {"MissingMax", {{20, ""}}, 18, "temperatures.max", "missing"},
    {"MissingCount", {{21, ""}}, 18, "temperatures.count", "missing"},
    {"CountOne", {{21, "count = 1"}}, 21, "temperatures.count", "an integer >= 2"},
    {"CountAsFloat", {{21, "count = 8.0"}}, 21, "temperatures.count", "without a decimal point"},
    {"NoLadder", {{19, ""}, {20, ""}, {21, ""}}, 18, "temperatures", "expected min, max and count"},
    {"ListAndMinMax", {{21, "list = [300, 600]"}}, 21, "temperatures.list", "not both"},
    {"ListNotIncreasing", {{19, "list = [300, 600, 500]"}, {20, ""}, {21, ""}}, 19, "temperatures.list[2]", "strictly increasing"},
    {"ListRepeatedTemperature", {{19, "list = [300, 300]"}, {20, ""}, {21, ""}}, 19, "temperatures.list[1]", "strictly increasing"},
    {"ListNonPositive", {{19, "list = [0, 300]"}, {20, ""}, {21, ""}}, 19, "temperatures.list[0]", "(> 0)"},
    {"ListEmpty", {{19, "list = []"}, {20, ""}, {21, ""}}, 19, "temperatures.list", "non-empty array"},
    {"BadAdaptiveTarget", {{22, "adaptive_target = \"fast\""}}, 22, "temperatures.adaptive_target",
     "expected \"acceptance\" or \"round-trip\""},
    {"AdaptiveNotABoolean", {{22, "adaptive = \"yes\""}}, 22, "temperatures.adaptive", "expected true or false"},
    {"AdaptiveWithTwoTemperatures", {{21, "count = 2"}, {22, "adaptive = true"}}, 22, "temperatures.adaptive", "at least 3"},
    {"AdaptiveIntervalZero", {{22, "adaptive_interval = 0"}}, 22, "temperatures.adaptive_interval", "a positive integer"},
    // ---- [sampling]
    {"MissingProductionSweeps", {{25, ""}}, 23, "sampling.production_sweeps", "missing; expected an integer > 0"},
    {"ProductionSweepsZero", {{25, "production_sweeps = 0"}}, 25, "sampling.production_sweeps", "expected an integer > 0 (sweeps), got 0"},
    {"ProductionSweepsAsFloat", {{25, "production_sweeps = 1e4"}}, 25, "sampling.production_sweeps",
     "got the float 10000.0 (write integers without a decimal point"},
    {"NegativeEquilibration", {{24, "equilibration_sweeps = -5"}}, 24, "sampling.equilibration_sweeps", "an integer >= 0"},
    {"NegativeSampleInterval", {{26, "sample_interval = -1"}}, 26, "sampling.sample_interval", "an integer > 0"},
    {"ZeroExchangeInterval", {{27, "exchange_interval = 0"}}, 27, "sampling.exchange_interval", "an integer > 0"},
    {"NegativeSnapshotInterval", {{29, "snapshot_interval = -10"}}, 29, "sampling.snapshot_interval", "an integer >= 0"},
    {"ObservablesNotAnArray", {{28, "observables = \"energy\""}, {30, ""}, {31, ""}, {32, ""}}, 28, "sampling.observables",
     "expected an array of strings"},
    {"UnknownObservable", {{28, "observables = [\"energy\", \"entropy\"]"}, {30, ""}, {31, ""}, {32, ""}}, 28,
     "sampling.observables[1]", "unknown observable \"entropy\""},
    {"DuplicateObservable", {{28, "observables = [\"honeycomb\", \"energy\", \"honeycomb\"]"}}, 28, "sampling.observables[2]",
     "listed twice"},
    // ---- [observables.*]
    {"HoneycombObservedWithoutTable", {{30, ""}, {31, ""}, {32, ""}}, 28, "observables.honeycomb",
     "needs a table [observables.honeycomb]"},
    {"HoneycombTableWithoutObservable", {{28, "observables = [\"energy\"]"}}, 30, "observables.honeycomb",
     "not in sampling.observables"},
    {"HoneycombMissingSpecies", {{32, ""}}, 30, "observables.honeycomb.species", "missing; expected a species name"},
    {"HoneycombEmptySublattice", {{31, "sublattice = \"\""}}, 31, "observables.honeycomb.sublattice", "non-empty string"},
    {"ExchangeProbeObservedWithoutTable", {{28, "observables = [\"honeycomb\", \"exchange_probe\"]"}}, 28,
     "observables.exchange_probe", "needs a table [observables.exchange_probe]"},
    {"ExchangeProbeTableWithoutObservable", {{33, "[observables.exchange_probe]\nspecies = \"Cu\"\nfrom = \"TM\"\nto = \"Na\""}}, 33,
     "observables.exchange_probe", "not in sampling.observables"},
    {"ExchangeProbeMissingTo",
     {{28, "observables = [\"honeycomb\", \"exchange_probe\"]"}, {33, "[observables.exchange_probe]\nspecies = \"Cu\"\nfrom = \"TM\""}},
     33, "observables.exchange_probe.to", "missing; expected the sublattice it enters"},
    {"ExchangeProbeSameSublattices",
     {{28, "observables = [\"honeycomb\", \"exchange_probe\"]"},
      {33, "[observables.exchange_probe]\nspecies = \"Cu\"\nfrom = \"TM\"\nto = \"TM\""}},
     36, "observables.exchange_probe.to", "a sublattice other than from"},
    // ---- [checkpoint]
    {"NegativeCheckpointInterval", {{33, "[checkpoint]\ninterval = -1"}}, 34, "checkpoint.interval", "an integer >= 0"},
    {"CheckpointIsTheOutput", {{33, "[checkpoint]\nfile = \"./results.h5\""}}, 34, "checkpoint.file", "expected a different path"},
    {"UnknownCheckpointKey", {{33, "[checkpoint]\nevery = 10"}}, 34, "checkpoint.every", "unknown key"},
};

INSTANTIATE_TEST_SUITE_P(RunInput, RunInputRefusal, ::testing::ValuesIn(kRefusals),
                         [](const ::testing::TestParamInfo<Refusal>& info) { return info.param.name; });

// Refusals that need files on disk.
class RunInputFileRefusal : public RunInputFiles {};

TEST_F(RunInputFileRefusal, MissingModelFileNamesTheResolvedPath) {
  const std::string message = error_of([&] { (void)parse(with_lines({{2, "file = \"models/nope.json\""}})); });
  expect_message(message, input_path(), 2, "model.file", "does not exist");
  EXPECT_NE(message.find((dir_.path() / "models" / "nope.json").string()), std::string::npos) << message;
}

TEST_F(RunInputFileRefusal, ModelFileIsADirectory) {
  fs::create_directories(dir_.path() / "adir");
  const std::string message = error_of([&] { (void)parse(with_lines({{2, "file = \"adir\""}})); });
  expect_message(message, input_path(), 2, "model.file", "is a directory");
}

TEST_F(RunInputFileRefusal, UnreadableInputFileIsNamed) {
  const fs::path missing = dir_.path() / "missing.toml";
  const std::string message = error_of([&] { (void)read_run_input(missing); });
  EXPECT_NE(message.find(missing.string()), std::string::npos) << message;
  EXPECT_NE(message.find("cannot read the run input file"), std::string::npos) << message;
  const std::string dir_message = error_of([&] { (void)read_run_input(dir_.path()); });
  EXPECT_NE(dir_message.find(dir_.path().string()), std::string::npos) << dir_message;
  EXPECT_NE(dir_message.find("is a directory"), std::string::npos) << dir_message;
}

TEST_F(RunInputFileRefusal, MalformedFileReadFromDiskHasFileAndLine) {
  const fs::path p = dir_.write("bad.toml", "[model]\nfile = \"model.json\n");
  const std::string message = error_of([&] { (void)read_run_input(p); });
  EXPECT_NE(message.find(p.string() + ":2:"), std::string::npos) << message;
  EXPECT_NE(message.find("TOML syntax error"), std::string::npos) << message;
}

}  // namespace
