// _rbmkit: the library's workflows for the Python package rbmkit (python/rbmkit), which holds
// the estimators and validation; this module holds no state of its own.
#include <pybind11/pybind11.h>

#include "options.hpp"
#include "rbmkit/error.hpp"

namespace rbmkit::python {

void bind_train(py::module_& m);
void bind_model(py::module_& m);

}  // namespace rbmkit::python

PYBIND11_MODULE(_rbmkit, m) {
  namespace py = pybind11;
  using namespace rbmkit;
  m.doc() = "rbmkit's C++ library (use the rbmkit package, not this module)";
  m.attr("__version__") = RBMKIT_VERSION;
  // Library errors as Python's: settings and data to ValueError (a setting named by its Python
  // keyword), the file system to OSError.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ParameterError& e) {
      PyErr_SetString(PyExc_ValueError, (python::keyword_of(e.parameter) + ": " + e.what()).c_str());
    } catch (const IoError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const Error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
  python::bind_train(m);
  python::bind_model(m);
}
