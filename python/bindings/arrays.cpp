#include "arrays.hpp"

#include <cmath>
#include <cstring>
#include <memory>

#include "rbmkit/data/dataset_matrix.hpp"
#include "rbmkit/error.hpp"
#include "rbmkit/options/enums.hpp"

namespace rbmkit::python {
namespace {

// Keeps a Python object alive from C++; the reference is dropped with the GIL held, whichever
// thread lets go last.
std::shared_ptr<const void> keep_alive(const py::handle& obj) {
  auto* held = new py::object(py::reinterpret_borrow<py::object>(obj));
  return std::shared_ptr<const void>(held, [](const void* p) {
    py::gil_scoped_acquire gil;
    delete static_cast<const py::object*>(p);
  });
}

py::array as_array(const py::handle& X, const std::string& what) {
  if (!py::isinstance<py::array>(X))
    throw py::type_error(what + " must be a numpy array (got " + std::string(py::str(py::type::handle_of(X).attr("__name__"))) + ")");
  py::array a = py::reinterpret_borrow<py::array>(X);
  const char kind = a.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u' && kind != 'b')
    throw py::type_error(what + " must hold real numbers or booleans (got dtype " + std::string(py::str(a.dtype())) + ")");
  return a;
}

void check_2d(const py::array& a, const std::string& what) {
  if (a.ndim() != 2)
    throw py::value_error(what + " must be a 2-D array of shape (n_samples, n_features) (got " +
                          std::to_string(a.ndim()) + " dimensions)");
}

}  // namespace

Dataset dataset_from(const py::handle& X, const std::string& what) {
  py::array a = as_array(X, what);
  check_2d(a, what);
  const auto rows = static_cast<std::size_t>(a.shape(0)), cols = static_cast<std::size_t>(a.shape(1));
  const bool contiguous = (a.flags() & py::array::c_style) != 0;
  const py::dtype dt = a.dtype();
  if (contiguous) {
    if (dt.is(py::dtype::of<float>()))
      return Dataset::view_floats(rows, cols, static_cast<const float*>(a.data()), keep_alive(a));
    if (dt.is(py::dtype::of<double>()))
      return Dataset::view_doubles(rows, cols, static_cast<const double*>(a.data()), keep_alive(a));
    if (dt.kind() == 'b' || dt.is(py::dtype::of<std::uint8_t>()))
      return Dataset::view_bytes(rows, cols, static_cast<const std::uint8_t*>(a.data()), 1.0f, keep_alive(a));
  }
  auto f = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(a);
  if (!f) throw py::type_error(what + " cannot be read as float32");
  return Dataset::view_floats(rows, cols, f.data(), keep_alive(f));
}

Matrix matrix_from(const py::handle& X, const std::string& what) { return to_matrix(dataset_from(X, what)); }

Matrix dense_matrix_from(const py::handle& M, const std::string& what) {
  py::array a = as_array(M, what);
  check_2d(a, what);
  auto f = py::array_t<float, py::array::forcecast>::ensure(a);
  const auto r = f.unchecked<2>();
  Matrix out(r.shape(0), r.shape(1));
  for (py::ssize_t i = 0; i < r.shape(0); ++i)
    for (py::ssize_t j = 0; j < r.shape(1); ++j) out(i, j) = r(i, j);
  return out;
}

Vector vector_from(const py::handle& v, const std::string& what) {
  py::array a = as_array(v, what);
  if (a.ndim() != 1) throw py::value_error(what + " must be a 1-D array (got " + std::to_string(a.ndim()) + " dimensions)");
  auto f = py::array_t<float, py::array::forcecast>::ensure(a);
  const auto r = f.unchecked<1>();
  Vector out(r.shape(0));
  for (py::ssize_t i = 0; i < r.shape(0); ++i) out[i] = r(i);
  return out;
}

py::array_t<float> to_numpy(const Matrix& M) {
  py::array_t<float> out({M.rows(), M.cols()});
  if (M.size()) std::memcpy(out.mutable_data(), M.data(), sizeof(float) * static_cast<std::size_t>(M.size()));
  return out;
}

py::array_t<float> to_numpy(const Vector& v) {
  py::array_t<float> out(v.size());
  if (v.size()) std::memcpy(out.mutable_data(), v.data(), sizeof(float) * static_cast<std::size_t>(v.size()));
  return out;
}

py::array_t<double> to_numpy(const Eigen::VectorXd& v) {
  py::array_t<double> out(v.size());
  if (v.size()) std::memcpy(out.mutable_data(), v.data(), sizeof(double) * static_cast<std::size_t>(v.size()));
  return out;
}

py::array_t<double> to_numpy(const std::vector<double>& v) {
  py::array_t<double> out(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(out.mutable_data(), v.data(), sizeof(double) * v.size());
  return out;
}

py::dict model_to_python(const Model& m) {
  py::dict d;
  d["W"] = to_numpy(m.W);
  d["a"] = to_numpy(m.a);
  d["b"] = to_numpy(m.b);
  d["visible_units"] = to_string(m.visible_units);
  d["hidden_units"] = to_string(m.hidden_units);
  d["visible_bias"] = m.visible_bias;
  return d;
}

Model model_from_python(const py::dict& d) {
  Model m;
  m.W = dense_matrix_from(d["W"], "W");
  m.a = vector_from(d["a"], "a");
  m.b = vector_from(d["b"], "b");
  m.visible_units = parse_enum<UnitType>(py::cast<std::string>(d["visible_units"]));
  m.hidden_units = parse_enum<UnitType>(py::cast<std::string>(d["hidden_units"]));
  m.visible_bias = py::cast<bool>(d["visible_bias"]);
  if (m.a.size() != m.W.rows() || m.b.size() != m.W.cols())
    throw py::value_error("model: W is " + std::to_string(m.W.rows()) + " x " + std::to_string(m.W.cols()) +
                          " but the visible bias has " + std::to_string(m.a.size()) + " entries and the hidden bias " +
                          std::to_string(m.b.size()));
  if (!m.W.allFinite() || !m.a.allFinite() || !m.b.allFinite())
    throw py::value_error("model: the parameters hold NaN or infinity");
  return m;
}

}  // namespace rbmkit::python
