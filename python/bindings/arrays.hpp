// numpy arrays in and out of the library.
//
// In: a C-contiguous float32, float64, uint8 or bool array of shape (n, d) becomes a Dataset that
// views its memory (no copy; the Dataset keeps a reference to the array). Every other layout or
// numeric dtype is copied to float32; anything else (object, complex, strings) is a TypeError.
// Out: results are always fresh arrays that own their memory.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "rbmkit/data/dataset.hpp"
#include "rbmkit/kernels/matrix.hpp"
#include "rbmkit/model/model.hpp"

namespace rbmkit::python {

namespace py = pybind11;

// X (n, d) as a Dataset; `what` names the argument in errors ("X"). TypeError for a dtype that is
// not a real number or bool, ValueError for an array that is not 2-D.
Dataset dataset_from(const py::handle& X, const std::string& what);

// A Dataset's rows as a float32 matrix (n, d): a copy.
Matrix matrix_from(const py::handle& X, const std::string& what);

// A 1-D or 2-D real array (any strides and real dtype) copied into float32.
Vector vector_from(const py::handle& v, const std::string& what);
Matrix dense_matrix_from(const py::handle& M, const std::string& what);

// Fresh arrays.
py::array_t<float> to_numpy(const Matrix& M);
py::array_t<float> to_numpy(const Vector& v);
py::array_t<double> to_numpy(const Eigen::VectorXd& v);
py::array_t<double> to_numpy(const std::vector<double>& v);

// A model as Python sees it: a dict {"W": (d, H) float32, "a": (d,), "b": (H,), "visible_units",
// "hidden_units" (names), "visible_bias" (bool)}, and back (W, a and b of any real dtype;
// ValueError for shapes that disagree or values that are not finite).
py::dict model_to_python(const Model& m);
Model model_from_python(const py::dict& d);

}  // namespace rbmkit::python
