// _rbmkit's functions of a trained model: hidden and visible means, free energies,
// pseudo-likelihoods, Gibbs chains, log-likelihood reports, model files, the mixture view,
// data specs and mosaics. Models travel as the dicts of arrays.hpp.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "options.hpp"
#include "py_json.hpp"
#include "rbmkit/data/data_spec.hpp"
#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/evaluation/evaluate.hpp"
#include "rbmkit/evaluation/pseudo_likelihood.hpp"
#include "rbmkit/io/foreign_model.hpp"
#include "rbmkit/io/model_file.hpp"
#include "rbmkit/io/standardization_file.hpp"
#include "rbmkit/model/free_energy.hpp"
#include "rbmkit/options/eval_options.hpp"
#include "rbmkit/options/train_options.hpp"
#include "rbmkit/pictures/mosaic.hpp"
#include "rbmkit/sampling/chains.hpp"
#include "rbmkit/sampling/gibbs.hpp"
#include "rbmkit/workflows/eval_run.hpp"
#include "rbmkit/workflows/mixture_view.hpp"

namespace rbmkit::python {
namespace {

Matrix data_matrix(const Model& m, const py::handle& X, const std::string& what) {
  Matrix M = matrix_from(X, what);
  check_data_width(m, M);
  return M;
}

py::array_t<float> hidden_means_py(const py::dict& model, const py::object& X) {
  const Model m = model_from_python(model);
  const Matrix V = data_matrix(m, X, "X");
  Matrix P;
  {
    py::gil_scoped_release release;
    hidden_probs(m, V, P);
  }
  return to_numpy(P);
}

py::array_t<float> visible_means_py(const py::dict& model, const py::object& H) {
  const Model m = model_from_python(model);
  const Matrix S = dense_matrix_from(H, "H");
  if (static_cast<std::size_t>(S.cols()) != m.n_hidden())
    throw DataError("H has " + std::to_string(S.cols()) + " columns but the model has " + std::to_string(m.n_hidden()) +
                    " hidden units");
  Matrix P;
  {
    py::gil_scoped_release release;
    visible_probs(m, S, P);
  }
  return to_numpy(P);
}

py::array_t<double> free_energy_py(const py::dict& model, const py::object& X) {
  const Model m = model_from_python(model);
  const Matrix V = data_matrix(m, X, "X");
  Eigen::VectorXd F;
  {
    py::gil_scoped_release release;
    F = free_energies(m, V);
  }
  return to_numpy(F);
}

py::array_t<double> pll_at_py(const py::dict& model, const py::object& X, const py::array_t<std::int64_t>& flipped) {
  const Model m = model_from_python(model);
  const Matrix V = data_matrix(m, X, "X");
  if (flipped.ndim() != 1) throw py::value_error("flipped must be a 1-D array of bit indices");
  std::vector<std::uint32_t> bits(static_cast<std::size_t>(flipped.shape(0)));
  const auto f = flipped.unchecked<1>();
  for (py::ssize_t i = 0; i < f.shape(0); ++i) {
    if (f(i) < 0 || f(i) >= V.cols())
      throw py::value_error("flipped bit " + std::to_string(f(i)) + " is outside 0.." + std::to_string(V.cols() - 1));
    bits[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(f(i));
  }
  Eigen::VectorXd pll;
  {
    py::gil_scoped_release release;
    pll = pseudo_log_likelihood_at(m, V, bits);
  }
  return to_numpy(pll);
}

py::array_t<double> pll_py(const py::dict& model, const py::object& X, const std::string& method, std::uint64_t seed) {
  const Model m = model_from_python(model);
  const Matrix V = data_matrix(m, X, "X");
  const PllMethod pm = parse_enum<PllMethod>(method);
  Eigen::VectorXd pll;
  {
    py::gil_scoped_release release;
    pll = pseudo_log_likelihood(m, V, pm, seed);
  }
  return to_numpy(pll);
}

py::tuple chains_py(const py::dict& model, const py::object& start, int steps, std::uint64_t seed,
                    const py::object& clamp) {
  const Model m = model_from_python(model);
  if (steps < 1) throw ParameterError("steps", "number of Gibbs steps must be >= 1 (got " + std::to_string(steps) + ")");
  Matrix V = data_matrix(m, start, "start");
  std::vector<std::uint8_t> mask;
  if (!clamp.is_none()) {
    const Vector c = vector_from(clamp, "clamp");
    if (static_cast<std::size_t>(c.size()) != m.n_visible())
      throw py::value_error("clamp has " + std::to_string(c.size()) + " entries but the model has " +
                            std::to_string(m.n_visible()) + " visible units");
    for (Eigen::Index i = 0; i < c.size(); ++i) {
      if (c[i] != 0.0f && c[i] != 1.0f) throw py::value_error("clamp must hold only 0 (sampled) and 1 (held)");
      mask.push_back(c[i] != 0.0f);
    }
  }
  Chains chains;
  {
    py::gil_scoped_release release;
    if (mask.empty())
      chains = run_chains(m, std::move(V), steps, seed);
    else
      chains = run_clamped_chains(m, V, V, mask, steps, seed);
  }
  return py::make_tuple(to_numpy(chains.states), to_numpy(chains.means));
}

py::array_t<float> noise_py(const py::dict& model, std::size_t n, std::uint64_t seed) {
  return to_numpy(noise_for(model_from_python(model), n, seed));
}

py::dict log_likelihood_py(const py::dict& model, const py::object& X, const py::dict& options, bool per_example) {
  const Model m = model_from_python(model);
  const Dataset data = dataset_from(X, "X");
  check_evaluable(m, data, "X");
  EvalOptions o;
  for (const auto& [name, value] : option_values(eval_options(), options, "log_likelihood()")) {
    set_option_json(o, find_option(eval_options(), name), value);
    o.given.insert(name);
  }
  const Matrix V = to_matrix(data);
  LikelihoodReport report;
  std::vector<double> log_p;
  {
    py::gil_scoped_release release;
    report = evaluate(m, V, o);
    if (per_example) log_p = example_log_likelihoods(m, V, report.log_z);
  }
  py::dict out = from_json_value(report_json(report, o, keyword_of)).cast<py::dict>();
  out["per_example"] = per_example ? py::object(to_numpy(log_p)) : py::none();
  return out;
}

void save_model_py(const std::string& path, const py::dict& model, const py::object& meta, const py::object& standardization) {
  check_file_extension("path", path, ".npz", ".npz");
  const Model m = model_from_python(model);
  std::vector<NpzMember> extra;
  if (!standardization.is_none()) {
    const py::tuple t = standardization.cast<py::tuple>();
    extra = standardization_members({vector_from(t[0], "standardization mean"), vector_from(t[1], "standardization std")});
  }
  save_model(path, m, to_json_value(meta, "meta"), extra);
}

py::dict load_model_py(const std::string& path) {
  const LoadedModel loaded = load_model(path);
  py::dict out;
  out["model"] = model_to_python(loaded.model);
  out["meta"] = from_json_value(loaded.meta);
  out["standardization"] = loaded.standardization
                               ? py::object(py::make_tuple(to_numpy(loaded.standardization->mean),
                                                           to_numpy(loaded.standardization->std)))
                               : py::none();
  out["path"] = loaded.path;
  return out;
}

py::dict sklearn_model_py(const py::object& components, const py::object& intercept_hidden,
                          const py::object& intercept_visible) {
  return model_to_python(model_from_sklearn(dense_matrix_from(components, "components_"),
                                            vector_from(intercept_hidden, "intercept_hidden_"),
                                            vector_from(intercept_visible, "intercept_visible_")));
}

py::dict mixture_py(const py::dict& model, std::uint64_t top, const std::string& source) {
  return from_json_value(to_json(model_mixture_view(model_from_python(model), top, source))).cast<py::dict>();
}

// Bytes at scale 1 as uint8, anything else as float32 values.
py::array dataset_to_numpy(const Dataset& d) {
  if (d.byte_backed() && d.byte_scale() == 1.0f) {
    py::array_t<std::uint8_t> out({d.rows(), d.cols()});
    std::copy(d.bytes().begin(), d.bytes().end(), out.mutable_data());
    return out;
  }
  return to_numpy(to_matrix(d));
}

py::dict load_data_py(const std::string& spec, const std::string& binarize, bool labels) {
  const Binarization rule = resolve_binarization(spec, data_binarization(binarize, UnitType::Bernoulli));
  const DataOptions options{default_cache_dir(), true, {}};
  py::dict out;
  if (labels) {
    LabeledMnist data;
    {
      py::gil_scoped_release release;
      data = load_labeled_data(spec, rule, options);
    }
    out["X"] = dataset_to_numpy(data.images);
    py::array_t<std::uint8_t> y(static_cast<py::ssize_t>(data.labels.size()));
    std::copy(data.labels.begin(), data.labels.end(), y.mutable_data());
    out["y"] = y;
    out["image_shape"] = py::make_tuple(data.images.image_height, data.images.image_width);
  } else {
    Dataset data;
    {
      py::gil_scoped_release release;
      data = load_data(spec, rule, options);
    }
    out["X"] = dataset_to_numpy(data);
    out["y"] = py::none();
    out["image_shape"] = py::make_tuple(data.image_height, data.image_width);
  }
  out["binarize"] = to_string(rule);
  out["spec"] = recorded_spec(spec);
  return out;
}

py::array_t<std::uint8_t> image_to_numpy(const Image& img) {
  py::array_t<std::uint8_t> out({img.height, img.width});
  std::copy(img.gray.begin(), img.gray.end(), out.mutable_data());
  return out;
}

py::array_t<std::uint8_t> weight_mosaic_py(const py::object& tiles, std::size_t tile_w, std::size_t tile_h, int scale) {
  // tiles (n, d): one tile per row; weight_mosaic wants one per column.
  const Matrix W = dense_matrix_from(tiles, "W").transpose();
  return image_to_numpy(upscale(weight_mosaic(W, tile_w, tile_h), scale));
}

py::array_t<std::uint8_t> sample_mosaic_py(const py::object& X, std::size_t tile_w, std::size_t tile_h,
                                           std::size_t columns, int scale) {
  return image_to_numpy(upscale(sample_mosaic(dense_matrix_from(X, "X"), tile_w, tile_h, columns), scale));
}

}  // namespace

void bind_model(py::module_& m) {
  m.def("hidden_means", &hidden_means_py, py::arg("model"), py::arg("X"), "E[h | x] for each row of X (n, H).");
  m.def("visible_means", &visible_means_py, py::arg("model"), py::arg("H"), "E[v | h] for each row of H (n, d).");
  m.def("free_energy", &free_energy_py, py::arg("model"), py::arg("X"), "F(x) for each row of X (n,), in double.");
  m.def("pseudo_log_likelihood_at", &pll_at_py, py::arg("model"), py::arg("X"), py::arg("flipped"),
        "d log sigm(F(x~i) - F(x)) per row, x~i = x with x_i replaced by 1 - x_i, i = flipped[row].");
  m.def("pseudo_log_likelihood", &pll_py, py::arg("model"), py::arg("X"), py::arg("method") = "exact",
        py::arg("seed") = 0, "The pseudo-log-likelihood of each row: exact (all bits) or stochastic (one bit).");
  m.def("chains", &chains_py, py::arg("model"), py::arg("start"), py::arg("steps"), py::arg("seed"),
        py::arg("clamp") = py::none(),
        "Gibbs chains from the rows of start; clamp (d,) of 0/1 holds the units marked 1 at start's values. Returns "
        "(states, means of the last step).");
  m.def("noise", &noise_py, py::arg("model"), py::arg("n"), py::arg("seed"), "n noise starts for the model's units.");
  m.def("log_likelihood", &log_likelihood_py, py::arg("model"), py::arg("X"), py::arg("options"),
        py::arg("per_example") = false, "The evaluation report of the model on X, as `rbmkit eval --json` gives it.");
  m.def("save_model", &save_model_py, py::arg("path"), py::arg("model"), py::arg("meta"),
        py::arg("standardization") = py::none(), "Writes model.npz atomically.");
  m.def("load_model", &load_model_py, py::arg("path"), "Reads model.npz: {'model', 'meta', 'standardization', 'path'}.");
  m.def("sklearn_model", &sklearn_model_py, py::arg("components"), py::arg("intercept_hidden"),
        py::arg("intercept_visible"), "The model of a scikit-learn BernoulliRBM's fitted attributes.");
  m.def("mixture", &mixture_py, py::arg("model"), py::arg("top") = 0, py::arg("source") = "model",
        "The mixture-of-Gaussians view of a Gaussian-visible RBM, as `rbmkit mixture --json` gives it.");
  m.def("load_data", &load_data_py, py::arg("spec"), py::arg("binarize") = "auto", py::arg("labels") = false,
        "A data spec read as rbmkit train reads it: {'X', 'y', 'image_shape', 'binarize', 'spec'}.");
  m.def("weight_mosaic", &weight_mosaic_py, py::arg("W"), py::arg("tile_width"), py::arg("tile_height"),
        py::arg("scale") = 1, "A mosaic of the rows of W (n, d), each scaled around zero: uint8 (height, width).");
  m.def("sample_mosaic", &sample_mosaic_py, py::arg("X"), py::arg("tile_width"), py::arg("tile_height"),
        py::arg("columns") = 0, py::arg("scale") = 1, "A mosaic of the rows of X (n, d), values in [0, 1].");
  m.def("default_tile", &default_tile, py::arg("d"), "The tile (width, height) for vectors of length d.");
}

}  // namespace rbmkit::python
