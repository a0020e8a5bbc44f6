// _rbmkit's training functions: the training option table, fit and the initial model.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "interrupt.hpp"
#include "options.hpp"
#include "py_json.hpp"
#include "rbmkit/options/train_options.hpp"
#include "rbmkit/workflows/fit_run.hpp"
#include "rbmkit/workflows/train_run.hpp"

namespace rbmkit::python {
namespace {

py::dict state_to_python(const TrainState& s) {
  py::dict d, arrays;
  d["model"] = model_to_python(s.model);
  d["update"] = s.update;
  d["total_updates"] = s.total_updates;
  d["examples_seen"] = s.examples_seen;
  d["seconds"] = s.seconds;
  for (const auto& [name, M] : s.arrays) arrays[py::str(name)] = to_numpy(M);
  d["arrays"] = arrays;
  return d;
}

TrainState state_from_python(const py::dict& d) {
  TrainState s;
  s.model = model_from_python(d["model"].cast<py::dict>());
  s.update = d["update"].cast<std::uint64_t>();
  s.total_updates = d["total_updates"].cast<std::uint64_t>();
  s.examples_seen = d["examples_seen"].cast<std::uint64_t>();
  s.seconds = d["seconds"].cast<double>();
  for (const auto& [name, M] : d["arrays"].cast<py::dict>())
    s.arrays[name.cast<std::string>()] = dense_matrix_from(M, "state array " + name.cast<std::string>());
  return s;
}

py::object standardization_to_python(const std::optional<Standardization>& s) {
  if (!s) return py::none();
  return py::make_tuple(to_numpy(s->mean), to_numpy(s->std));
}

std::optional<Standardization> standardization_from_python(const py::object& o) {
  if (o.is_none()) return std::nullopt;
  const py::tuple t = o.cast<py::tuple>();
  return Standardization{vector_from(t[0], "standardization mean"), vector_from(t[1], "standardization std")};
}

py::list warnings_to_python(const std::vector<Warning>& warnings) {
  py::list out;
  for (const auto& w : warnings) out.append(warning_text(w, keyword_of));
  return out;
}

py::dict fit_py(const py::dict& options, const py::object& X, const py::object& resume,
                const py::object& standardization, std::uint64_t until, bool any_finite) {
  const OptionValues given = option_values(train_options(), options, "fit()");
  std::optional<Dataset> data;
  if (!X.is_none()) data = dataset_from(X, "X");
  std::optional<TrainState> state;
  if (!resume.is_none()) state = state_from_python(resume.cast<py::dict>());
  const std::optional<Standardization> stats = standardization_from_python(standardization);
  InterruptPoll interrupt;
  FitControl control;
  control.resume = state ? &*state : nullptr;
  control.standardization = stats ? &*stats : nullptr;
  control.until = until;
  control.stop = interrupt.flag();
  control.any_finite_values = any_finite;
  control.progress = [&](std::uint64_t, std::uint64_t) { interrupt.poll(); };
  Fit result;
  {
    py::gil_scoped_release release;
    result = fit(given, data ? &*data : nullptr, control);
  }
  data.reset();
  interrupt.rethrow();
  py::dict out;
  out["model"] = model_to_python(result.model);
  out["state"] = state_to_python(result.state);
  out["stopped"] = result.stopped;
  py::list history;
  for (const auto& record : result.history) history.append(from_json_value(record));
  out["history"] = history;
  out["standardization"] = standardization_to_python(result.standardization);
  out["meta"] = from_json_value(result.meta);
  out["warnings"] = warnings_to_python(result.warnings);
  out["n_examples"] = result.n_examples;
  return out;
}

py::dict initial_model_py(const py::dict& options, const py::object& X) {
  const OptionValues given = option_values(train_options(), options, "initial_model()");
  const TrainSettings s = resolve_fit_settings(given);
  const Dataset data = dataset_from(X, "X");
  if (data.empty()) throw DataError("the training data has no examples");
  return model_to_python(initial_model(s.config, data));
}

py::list fit_table() {
  py::list out;
  const TrainSettings defaults{};
  for (const auto& o : train_options())
    if (fit_accepts(o)) out.append(describe_option(o, o.get(defaults)));
  return out;
}

}  // namespace

void bind_train(py::module_& m) {
  m.def("train_options", &fit_table,
        "The options of training on data in memory, one dict each (name, keyword, label, kind, help, role, "
        "default, range, choices, nullable), from the library's table.");
  m.def("fit", &fit_py, py::arg("options"), py::arg("X"), py::arg("resume") = py::none(),
        py::arg("standardization") = py::none(), py::arg("until") = 0, py::arg("any_finite") = false,
        "Trains with the given options ({keyword: value}) on X (n, d), or on options['data'] (a data spec) when X is "
        "None; resume continues from an earlier result's 'state'; until pauses after that many updates. Returns "
        "{'model', 'state', 'stopped', 'history', 'standardization', 'meta', 'warnings', 'n_examples'}.");
  m.def("initial_model", &initial_model_py, py::arg("options"), py::arg("X"),
        "The model a fresh fit with these options starts from on X.");
}

}  // namespace rbmkit::python
