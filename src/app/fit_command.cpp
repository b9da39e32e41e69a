// `tmorder fit MODEL TRAINING.extxyz -o FITTED.json`: ECIs from DFT energies (issue 5).
#include <algorithm>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <sstream>

#include "tmorder/app/commands.hpp"
#include "tmorder/fit/fit.hpp"
#include "tmorder/fit/hull.hpp"
#include "tmorder/fit/training_set.hpp"
#include "tmorder/io/atomic_file.hpp"
#include "tmorder/io/hdf5_file.hpp"
#include "tmorder/io/model_definition.hpp"
#include "tmorder/io/model_file.hpp"
#include "tmorder/lattice/extxyz.hpp"
#include "tmorder/util/clock.hpp"
#include "tmorder/util/error.hpp"
#include "tmorder/util/sha256.hpp"
#include "tmorder/version.hpp"

namespace tmorder::app {

namespace {

struct FitOptions {
  std::string model;
  std::string training;
  std::string output;
  std::string method = "ols";
  double alpha = std::numeric_limits<double>::quiet_NaN();
  std::string cv = "loo";
  int k = 5;
  std::uint64_t seed = 0;
  std::vector<std::string> references;
  std::string hull_axis;
  std::string report;
  bool force = false;
  double max_displacement = 1.0;
  double max_strain = 0.1;
  std::string electrostatics;  ///< "fit", "fixed" or empty (default: fit when the model has the term)
};

/// What happens to the model's electrostatic coefficient.
enum class EsMode { None, Fit, Fixed };
const char* es_mode_name(EsMode m) { return m == EsMode::Fit ? "fit" : m == EsMode::Fixed ? "fixed" : "none"; }

/// The input model as model-file JSON (a definition is built and serialised first).
// The DFT provenance the training frames carry (keys starting with "dft_", as
// jobs/dft/tmorder_dft.py collect writes them), summarised for the model file: every key with
// its distinct values and how many frames have each, so a model says which code, functional,
// U values, cutoff, k-point density and geometry its energies came from (or that the set is
// mixed). Per-structure values such as wall times and magnetic moments are left out.
nlohmann::json training_provenance(const std::vector<lattice::ExtxyzFrame>& frames) {
  static const std::set<std::string> per_structure = {"dft_wall_seconds", "dft_magnetic_moment", "dft_kpoints"};
  std::map<std::string, std::map<std::string, int>> seen;
  for (const auto& f : frames)
    for (const auto& [k, v] : f.info)
      if (k.rfind("dft_", 0) == 0 && !per_structure.count(k)) ++seen[k][v];
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, values] : seen) {
    if (values.size() == 1 && values.begin()->second == static_cast<int>(frames.size())) {
      out[k] = values.begin()->first;
    } else {
      nlohmann::json counts = nlohmann::json::object();
      for (const auto& [v, c] : values) counts[v] = c;
      out[k] = {{"mixed", counts}, {"frames_without", static_cast<int>(frames.size()) - [&] {
                  int t = 0;
                  for (const auto& [v, c] : values) t += c;
                  return t;
                }()}};
    }
  }
  return out;
}

nlohmann::json model_json(const std::string& path, const io::Model& model) {
  if (std::filesystem::path(path).extension() == ".toml")
    return io::model_to_json(model.space, io::read_model_definition(path));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());  // load_model already parsed it successfully
}

/// Default ridge grid: 41 values, 10^2 down to 10^-8 (4 per decade), eV^0 (alpha is relative
/// to the squared correlations, which are O(1)).
std::vector<double> ridge_default_grid() { return fit::geometric_grid(1e2, 1e-10, 41); }

std::string index_list(const std::vector<std::size_t>& v, const fit::TrainingSet& set) {
  if (v.empty()) return "none";
  std::string out;
  for (const auto i : v) out += (out.empty() ? "" : ", ") + fmt::format("{} ({})", i, set.names[i]);
  return out;
}

std::vector<std::int64_t> to_i64(const std::vector<std::size_t>& v) { return {v.begin(), v.end()}; }

}  // namespace

void register_fit(CLI::App& app, const Invocation& inv) {
  auto opt = std::make_shared<FitOptions>();
  CLI::App* cmd = app.add_subcommand("fit", "Fit ECIs to DFT energies of (relaxed or ideal) structures in extended XYZ");
  cmd->add_option("MODEL", opt->model, "model definition (.toml) or model file (.json)")->required();
  cmd->add_option("TRAINING", opt->training, "extended-XYZ training set: one frame per structure with energy=<eV>")->required();
  cmd->add_option("-o,--output", opt->output, "fitted model file to write (JSON)")->required();
  cmd->add_option("--method", opt->method, "ols, ridge, lasso or ard (default ols)");
  cmd->add_option("--alpha", opt->alpha, "ridge/LASSO penalty; without it, chosen by CV over the default grid");
  cmd->add_option("--cv", opt->cv, "loo, kfold or none (default loo)");
  cmd->add_option("--k", opt->k, "folds for --cv kfold (default 5)");
  cmd->add_option("--seed", opt->seed, "seed of the k-fold assignment (default 0)");
  cmd->add_option("--reference", opt->references, "reference energy SPECIES=eV/atom subtracted per atom (repeatable)");
  cmd->add_option("--hull-axis", opt->hull_axis, "composition axis SUB:SPECIES of the convex hull");
  cmd->add_option("--report", opt->report, "write the fit report (HDF5, schema tmorder-fit)");
  cmd->add_option("--max-displacement", opt->max_displacement,
                  "largest distance of an atom from its site after strain and shift are removed, Angstrom (default 1.0)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-strain", opt->max_strain, "largest principal strain of a cell against the parent (default 0.1)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--electrostatics", opt->electrostatics,
                  "fit or fixed, only for a model with an [electrostatics] term (default fit): fit the Ewald "
                  "coefficient (1/eps_r) with the ECIs, as one more regression column that is never penalised, or "
                  "keep the model's coefficient and fit the ECIs to E - coefficient * E_Ewald");
  cmd->add_flag("-f,--force", opt->force, "overwrite existing output files");
  cmd->callback([opt, &inv] {
    const FitOptions& o = *opt;
    // ---- options, before any work or output
    if (o.method != "ols" && o.method != "ridge" && o.method != "lasso" && o.method != "ard")
      throw InputError("--method '" + o.method + "': unknown method (expected ols, ridge, lasso or ard)");
    const bool has_alpha = !std::isnan(o.alpha);
    if (has_alpha && (!std::isfinite(o.alpha) || o.alpha < 0.0))
      throw InputError(fmt::format("--alpha {}: must be a finite number >= 0", o.alpha));
    if (has_alpha && (o.method == "ols" || o.method == "ard"))
      throw InputError("--alpha: not used by --method " + o.method + " (only ridge and lasso take it)");
    fit::CvOptions cv;
    if (o.cv == "loo") cv.kind = fit::CvKind::Loo;
    else if (o.cv == "kfold") cv.kind = fit::CvKind::KFold;
    else if (o.cv == "none") cv.kind = fit::CvKind::None;
    else throw InputError("--cv '" + o.cv + "': unknown scheme (expected loo, kfold or none)");
    cv.k = o.k;
    cv.seed = o.seed;
    if (cv.kind == fit::CvKind::KFold && o.k < 2) throw InputError(fmt::format("--k {}: needs at least 2 folds", o.k));
    if (cv.kind == fit::CvKind::None && !has_alpha && (o.method == "ridge" || o.method == "lasso"))
      throw InputError("--cv none: " + o.method + " without --alpha chooses alpha by CV; give --alpha or a CV scheme");
    if (!o.electrostatics.empty() && o.electrostatics != "fit" && o.electrostatics != "fixed")
      throw InputError("--electrostatics '" + o.electrostatics + "': unknown mode (expected fit or fixed)");
    io::check_output_path(o.output, o.force);
    if (!o.report.empty()) io::check_output_path(o.report, o.force);
    if (!o.report.empty() && std::filesystem::absolute(o.report) == std::filesystem::absolute(o.output))
      throw InputError("--report '" + o.report + "': same file as --output");

    // ---- model and training set
    const io::Model model = io::load_model(o.model);
    const auto& space = model.space;
    const auto& parent = space.parent();
    if (!o.electrostatics.empty() && !model.electrostatics)
      throw InputError("--electrostatics " + o.electrostatics + ": the model " + o.model +
                       " has no [electrostatics] term (formal charges and coefficient); there is no electrostatic "
                       "coefficient to fit or fix (leave the option out)");
    const EsMode es_mode = !model.electrostatics ? EsMode::None
                           : o.electrostatics == "fixed" ? EsMode::Fixed
                                                         : EsMode::Fit;
    fit::TrainingSetOptions ts_opt;
    ts_opt.reference_energies = fit::parse_reference_energies(parent, o.references);
    ts_opt.max_displacement = o.max_displacement;
    ts_opt.max_strain = o.max_strain;
    if (model.electrostatics) ts_opt.ewald_charges = model.electrostatics->charges;
    const fit::CompositionAxis axis = fit::parse_composition_axis(parent, o.hull_axis);
    const auto frames = lattice::read_extxyz(o.training);
    const fit::TrainingSet set = fit::build_training_set(space, frames, o.training, ts_opt);
    const auto n = set.size();
    if (cv.kind == fit::CvKind::KFold && static_cast<std::size_t>(o.k) > n)
      throw InputError(fmt::format("--k {}: more folds than the {} structures", o.k, n));
    if (es_mode == EsMode::Fit) {
      const double lo = set.ewald_energies.minCoeff(), hi = set.ewald_energies.maxCoeff();
      if (hi - lo <= 1e-9 * std::max(1.0, std::max(std::abs(lo), std::abs(hi))))
        throw InputError(fmt::format("{}: --electrostatics fit: the Ewald energy of the formal charges is the same for every "
                                     "structure ({:.6g} eV per parent cell), so its coefficient cannot be fitted; use "
                                     "--electrostatics fixed or structures with different charge orderings",
                                     o.training, lo));
    }
    const bool fit_es = es_mode == EsMode::Fit;
    if (o.method == "ols") fit::check_ols_feasible(set, o.training, fit_es ? 1 : 0);

    // ---- the regression problem: fit mode appends the Ewald column (unpenalised), fixed
    // mode subtracts the model's electrostatic energy from the targets.
    const Eigen::MatrixXd X = fit::design_matrix(set, fit_es);
    const Eigen::Index free_columns = fit_es ? 1 : 0;
    Eigen::VectorXd y = set.energies;
    if (es_mode == EsMode::Fixed) y -= model.electrostatics->coefficient * set.ewald_energies;

    // ---- the fit
    fit::FitResult result;
    std::optional<fit::Selection> selection;
    try {
      if (o.method == "ols") {
        result = fit::fit_ols(X, y, cv);
      } else if (o.method == "ridge") {
        if (has_alpha) result = fit::fit_ridge(X, y, o.alpha, cv, free_columns);
        else selection = fit::select_ridge_alpha(X, y, ridge_default_grid(), cv, free_columns);
      } else if (o.method == "lasso") {
        if (has_alpha) result = fit::fit_lasso(X, y, o.alpha, cv, {}, free_columns);
        else selection = fit::select_lasso_alpha(X, y, {}, cv, {}, free_columns);
      } else {
        result = fit::fit_ard(X, y, cv, {}, free_columns);
      }
    } catch (const std::invalid_argument& e) {
      std::string hint = o.method == "ols" ? "; use --method ridge/lasso/ard" : "";
      if (fit_es) hint += "; or keep the model's electrostatic coefficient with --electrostatics fixed";
      throw InputError(o.training + ": the " + o.method + " fit failed: " + e.what() + hint);
    }
    if (selection) result = selection->fit;

    // Split off the electrostatic coefficient: "ecis" stays the cluster ECIs.
    double es_coefficient = std::numeric_limits<double>::quiet_NaN();
    if (fit_es) {
      es_coefficient = result.ecis.back();
      result.ecis.pop_back();
    } else if (es_mode == EsMode::Fixed) {
      es_coefficient = model.electrostatics->coefficient;
    }
    const Eigen::VectorXd J = Eigen::Map<const Eigen::VectorXd>(result.ecis.data(), static_cast<Eigen::Index>(result.ecis.size()));
    result.n_nonzero = fit::count_nonzero(J);
    // Full model predictions, E = X J + coefficient * E_Ewald (train_rmse and cv_rmse already
    // measure these, in both modes).
    Eigen::VectorXd e_ce = set.correlations * J;
    if (es_mode != EsMode::None) e_ce += es_coefficient * set.ewald_energies;
    const double per_site = 1000.0 / std::max(1, fit::active_sites_per_cell(parent));  // eV/cell -> meV/site
    std::vector<double> x(n), e_dft_v(n), e_ce_v(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = set.compositions(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>([&] {
        for (std::size_t a = 0; a < set.axes.size(); ++a)
          if (set.axes[a].sublattice == axis.sublattice && set.axes[a].species == axis.species) return a;
        return std::size_t{0};
      }()));
      e_dft_v[i] = set.energies[static_cast<Eigen::Index>(i)];
      e_ce_v[i] = e_ce[static_cast<Eigen::Index>(i)];
    }
    const fit::Hull hull_dft = fit::lower_hull(x, e_dft_v);
    const fit::Hull hull_ce = fit::lower_hull(x, e_ce_v);
    const fit::HullComparison cmp = fit::compare_hulls(hull_dft, hull_ce);

    // ---- report on stdout
    fmt::print("training set: {} ({} structures), model: {} ({} functions, {} active sites per cell)\n", o.training, n,
               model.name, space.n_functions(), fit::active_sites_per_cell(parent));
    {
      std::size_t worst = 0;
      for (std::size_t i = 1; i < n; ++i)
        if (set.max_displacement[i] > set.max_displacement[worst]) worst = i;
      const double max_strain = *std::max_element(set.strain.begin(), set.strain.end());
      fmt::print("mapping: largest principal strain {:.4f}; largest atom displacement {:.3f} A ({}); per-structure residuals in the report\n",
                 max_strain, set.max_displacement[worst], set.names[worst]);
    }
    for (const auto& w : set.warnings) fmt::print("warning: {}\n", w);
    fmt::print("method: {}", result.method);
    for (const auto& [k, v] : result.hyperparameters) fmt::print(", {} = {:.6g}", k, v);
    if (selection) fmt::print(" (chosen by {} CV over {} values)", selection->cv_kind, selection->grid.size());
    fmt::print("\ntrain RMSE: {:.3f} meV/site\n", result.train_rmse * per_site);
    if (std::isnan(result.cv_rmse)) fmt::print("CV RMSE:    none\n");
    else fmt::print("CV RMSE:    {:.3f} meV/site ({})\n", result.cv_rmse * per_site, result.cv_kind);
    fmt::print("non-zero ECIs: {} of {}\n", result.n_nonzero, result.ecis.size());
    if (es_mode != EsMode::None)
      fmt::print("electrostatic coefficient (1/eps_r): {:.6g} ({})\n", es_coefficient, fit_es ? "fitted" : "fixed");
    if (fit_es && !(es_coefficient > 0.0))
      result.warnings.push_back(fmt::format(
          "the fitted electrostatic coefficient {:.6g} is <= 0: unphysical (a dielectric screens the point-charge energy, "
          "0 < 1/eps_r <= 1); the Ewald column is probably absorbing errors of the cluster expansion",
          es_coefficient));
    else if (fit_es && es_coefficient > 1.0)
      result.warnings.push_back(fmt::format(
          "the fitted electrostatic coefficient {:.6g} is > 1: unphysical (stronger than the bare point-charge energy, "
          "0 < 1/eps_r <= 1); the Ewald column is probably absorbing errors of the cluster expansion",
          es_coefficient));
    for (const auto& w : result.warnings) fmt::print("warning: {}\n", w);
    fmt::print("\n{:>5} {:>6} {:>10} {:>6}  {}\n", "orbit", "order", "radius/A", "mult", "ECI (eV per parent cell)");
    fmt::print("{:>5} {:>6} {:>10.4f} {:>6}  {:+.6e}\n", "-", 0, 0.0, 1, result.ecis[0]);
    for (std::size_t k = 0; k < space.orbits().size(); ++k) {
      const auto& orb = space.orbits()[k];
      fmt::print("{:>5} {:>6} {:>10.4f} {:>6} ", k, orb.order, orb.radius, orb.multiplicity());
      for (std::size_t f = 0; f < orb.functions.size(); ++f) fmt::print(" {:+.6e}", result.ecis[space.function_offset(k) + f]);
      fmt::print("\n");
    }
    fmt::print("\nconvex hull along {} (DFT {} vertices, CE {} vertices)\n", axis.label, hull_dft.vertices.size(),
               hull_ce.vertices.size());
    fmt::print("  kept:  {}\n  lost:  {}\n  added: {}\n", index_list(cmp.kept, set), index_list(cmp.lost, set),
               index_list(cmp.added, set));

    // ---- fitted model file
    if (fit_es && !(es_coefficient > 0.0))
      throw InputError(fmt::format("{}: the fitted electrostatic coefficient {:.6g} is not > 0, which a model file cannot "
                                   "hold (E = E_CE + coefficient * E_Ewald, coefficient > 0); nothing written; use "
                                   "--electrostatics fixed to keep the model's coefficient",
                                   o.training, es_coefficient));
    const std::string training_sha = sha256_file_hex(o.training);
    nlohmann::json j = model_json(o.model, model);
    j["ecis"] = result.ecis;
    if (fit_es) j["electrostatics"]["coefficient"] = es_coefficient;
    nlohmann::json es_json = nullptr;
    if (es_mode != EsMode::None)
      es_json = {{"mode", es_mode_name(es_mode)},
                 {"coefficient", es_coefficient},
                 {"charges", model.electrostatics->charges},
                 {"charge_units", "e"}};
    nlohmann::json hyper = nlohmann::json::object();
    for (const auto& [k, v] : result.hyperparameters) hyper[k] = v;
    nlohmann::json fitj = {{"training_file", o.training},
                           {"training_sha256", training_sha},
                           {"method", result.method},
                           {"hyperparameters", hyper},
                           {"cv_kind", result.cv_kind},
                           {"cv_rmse_ev_per_cell", std::isnan(result.cv_rmse) ? nlohmann::json(nullptr) : nlohmann::json(result.cv_rmse)},
                           {"cv_rmse_mev_per_site", std::isnan(result.cv_rmse) ? nlohmann::json(nullptr) : nlohmann::json(result.cv_rmse * per_site)},
                           {"train_rmse_ev_per_cell", result.train_rmse},
                           {"train_rmse_mev_per_site", result.train_rmse * per_site},
                           {"n_structures", n},
                           {"reference_energies_ev_per_atom", ts_opt.reference_energies},
                           {"ecis_units", "eV per parent cell"},
                           {"date", utc_timestamp()},
                           {"tmorder_version", version_string},
                           {"git_commit", git_commit},
                           {"command_line", inv.command_line},
                           {"model_source", o.model},
                           {"electrostatics", es_json}};
    fitj["training_provenance"] = training_provenance(frames);
    if (!j.contains("provenance") || !j["provenance"].is_object()) j["provenance"] = nlohmann::json::object();
    j["provenance"]["fit"] = fitj;

    // ---- optional HDF5 report (committed before the model file; both paths were checked)
    if (!o.report.empty()) {
      io::Hdf5Writer w(o.report, o.force);
      w.set_attribute("/", "schema", "tmorder-fit");
      w.set_attribute("/", "schema_version", std::int64_t{1});
      w.set_attribute("/", "tmorder_version", version_string);
      w.set_attribute("/", "git_commit", git_commit);
      w.set_attribute("/", "created", utc_timestamp());
      w.set_attribute("/", "command_line", inv.command_line);
      w.set_attribute("/", "model_name", model.name);
      w.set_attribute("/", "model_source", o.model);
      w.set_attribute("/", "training_file", o.training);
      w.set_attribute("/", "training_sha256", training_sha);
      w.set_attribute("/", "method", result.method);
      w.set_attribute("/", "cv_kind", result.cv_kind);
      w.set_attribute("/", "train_rmse_mev_per_site", result.train_rmse * per_site);
      w.set_attribute("/", "cv_rmse_mev_per_site", result.cv_rmse * per_site);
      w.set_attribute("/", "active_sites_per_cell", static_cast<std::int64_t>(fit::active_sites_per_cell(parent)));
      for (const auto& [k, v] : result.hyperparameters) w.set_attribute("/", k, v);
      w.set_attribute("/", "electrostatics_mode", std::string(es_mode_name(es_mode)));
      if (es_mode != EsMode::None) w.set_attribute("/", "electrostatic_coefficient", es_coefficient);
      w.write_strings("/structures/names", set.names);
      w.write("/structures/energy_dft", std::span<const double>(e_dft_v), "eV/parent_cell");
      w.write("/structures/energy_ce", std::span<const double>(e_ce_v), "eV/parent_cell");
      if (set.has_ewald()) {
        const std::vector<double> ewald(set.ewald_energies.data(), set.ewald_energies.data() + set.ewald_energies.size());
        w.write("/structures/energy_ewald", std::span<const double>(ewald), "eV/parent_cell");
        w.set_attribute("/structures/energy_ewald", "coefficient", 1.0);
      }
      w.write("/structures/n_cells", to_i64(std::vector<std::size_t>(set.n_cells.begin(), set.n_cells.end())), "parent_cells");
      w.write("/structures/mapping_strain", std::span<const double>(set.strain), "1");
      w.write("/structures/mapping_mean_displacement", std::span<const double>(set.mean_displacement), "angstrom");
      w.write("/structures/mapping_max_displacement", std::span<const double>(set.max_displacement), "angstrom");
      std::vector<double> comp(set.compositions.size()), corr(set.correlations.size());
      for (Eigen::Index i = 0; i < set.compositions.rows(); ++i)
        for (Eigen::Index a = 0; a < set.compositions.cols(); ++a)
          comp[static_cast<std::size_t>(i * set.compositions.cols() + a)] = set.compositions(i, a);
      for (Eigen::Index i = 0; i < set.correlations.rows(); ++i)
        for (Eigen::Index a = 0; a < set.correlations.cols(); ++a)
          corr[static_cast<std::size_t>(i * set.correlations.cols() + a)] = set.correlations(i, a);
      w.write_matrix("/structures/composition", comp, n, set.axes.size(), "1");
      std::vector<std::string> labels;
      for (const auto& a : set.axes) labels.push_back(a.label);
      w.write_strings("/structures/composition_labels", labels);
      w.write_matrix("/structures/correlations", corr, n, space.n_functions(), "1");
      w.create_group("/hull");
      w.set_attribute("/hull", "axis", axis.label);
      w.write("/hull/x", std::span<const double>(x), "1");
      w.write("/hull/formation_energy_dft", std::span<const double>(hull_dft.formation_energy), "eV/parent_cell");
      w.write("/hull/formation_energy_ce", std::span<const double>(hull_ce.formation_energy), "eV/parent_cell");
      w.write("/hull/distance_dft", std::span<const double>(hull_dft.distance), "eV/parent_cell");
      w.write("/hull/distance_ce", std::span<const double>(hull_ce.distance), "eV/parent_cell");
      w.write("/hull/vertices_dft", to_i64(hull_dft.vertices), "1");
      w.write("/hull/vertices_ce", to_i64(hull_ce.vertices), "1");
      w.write("/hull/kept", to_i64(cmp.kept), "1");
      w.write("/hull/lost", to_i64(cmp.lost), "1");
      w.write("/hull/added", to_i64(cmp.added), "1");
      std::vector<std::int64_t> orbit_of{-1}, order_of{0}, mult_of{1};
      std::vector<double> radius_of{0.0};
      for (std::size_t k = 0; k < space.orbits().size(); ++k)
        for (std::size_t f = 0; f < space.orbits()[k].functions.size(); ++f) {
          orbit_of.push_back(static_cast<std::int64_t>(k));
          order_of.push_back(space.orbits()[k].order);
          mult_of.push_back(space.orbits()[k].multiplicity());
          radius_of.push_back(space.orbits()[k].radius);
        }
      w.write("/ecis/values", std::span<const double>(result.ecis), "eV/parent_cell");
      w.write("/ecis/orbit", orbit_of, "1");
      w.write("/ecis/order", order_of, "1");
      w.write("/ecis/multiplicity", mult_of, "clusters per parent cell");
      w.write("/ecis/radius", std::span<const double>(radius_of), "angstrom");
      w.create_group("/cv");
      w.set_attribute("/cv", "kind", result.cv_kind);
      w.set_attribute("/cv", "rmse", result.cv_rmse);
      if (selection) {
        w.set_attribute("/cv", "hyperparameter", selection->hyperparameter);
        w.write("/cv/grid", std::span<const double>(selection->grid), "1");
        w.write("/cv/rmse_curve", std::span<const double>(selection->cv_rmse), "eV/parent_cell");
        w.set_attribute("/cv", "best_index", static_cast<std::int64_t>(selection->best_index));
      }
      w.commit();
    }
    io::write_file_atomically(o.output, j.dump(2) + "\n", o.force);
    fmt::print("\nwrote {}\n", o.output);
    if (!o.report.empty()) fmt::print("wrote {}\n", o.report);
  });
}

}  // namespace tmorder::app
