"""Bad input to the Python module: a clear exception that names the problem (scikit-learn's own
messages for what scikit-learn validates), never a crash, and the estimator left as it was."""
import os
import signal
import threading
import time

import numpy as np
import pytest
import scipy.sparse as sp

import rbmkit


@pytest.fixture
def fitted(binary_data):
    return rbmkit.BernoulliRBM(n_components=4, n_iter=1, random_state=0).fit(binary_data)


@pytest.mark.parametrize("X, error, message", [
    (np.array([[0.0, np.nan], [1.0, 0.0]]), ValueError, "Input X contains NaN"),
    (np.array([[0.0, np.inf], [1.0, 0.0]]), ValueError, "Input X contains infinity"),
    (np.zeros((0, 3)), ValueError, "0 sample"),
    (np.zeros((4, 0)), ValueError, "0 feature"),
    (np.zeros(5), ValueError, "Expected 2D array"),
    (np.array([[{"a": 1}, 0.0]], dtype=object), TypeError, "argument must be"),
    (np.array([["a", "b"]]), ValueError, "could not convert"),
    (np.array([[1 + 1j, 0.0]]), ValueError, "Complex data not supported"),
])
def test_fit_refuses_bad_arrays(X, error, message):
    with pytest.raises(error, match=message):
        rbmkit.BernoulliRBM(n_components=2).fit(X)


def test_wrong_number_of_features(fitted):
    with pytest.raises(ValueError, match="X has 3 features, but BernoulliRBM is expecting 36 features"):
        fitted.transform(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="X has 3 features"):
        fitted.score_samples(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="X has 3 features"):
        fitted.partial_fit(np.zeros((2, 3)))


@pytest.mark.parametrize("params, message", [
    (dict(learning_rate=-1.0), "'learning_rate' parameter of BernoulliRBM must be a float in the range \\(0.0, inf\\)"),
    (dict(n_components=0), "'n_components' parameter"),
    (dict(method="cdd"), "'method' parameter of BernoulliRBM must be a str among"),
    (dict(momentum=1.0), "'momentum' parameter"),
    (dict(n_chains=0), "'n_chains' parameter"),
    (dict(batch_size=2.5), "'batch_size' parameter"),
])
def test_bad_parameters_are_named(binary_data, params, message):
    with pytest.raises(ValueError, match=message):
        rbmkit.BernoulliRBM(**params).fit(binary_data)


def test_library_refusals_name_the_keyword(binary_data):
    with pytest.raises(ValueError, match="^beta_min: "):
        rbmkit.RBM(visible_units="gaussian", method="pt", beta_min=0.0).fit(binary_data.astype(float))
    with pytest.raises(ValueError, match="standardize: standardisation needs Gaussian visible units"):
        rbmkit.RBM(standardize=True).fit(binary_data)


def test_values_outside_the_unit_interval_warn(binary_data):
    X = binary_data.astype(np.float64) * 2 - 0.5
    with pytest.warns(UserWarning, match="outside \\[0, 1\\]"):
        rbmkit.BernoulliRBM(n_components=3, n_iter=1).fit(X)
    # rbmkit.RBM refuses them, as the rbmkit command does.
    with pytest.raises(ValueError, match="training data: value -0.5 at row 0, column 0"):
        rbmkit.RBM(n_components=3).fit(X)


def test_log_likelihood_needs_binary_data(fitted, binary_data):
    with pytest.raises(ValueError, match="values other than 0 and 1"):
        fitted.log_likelihood(binary_data * 0.5)


def test_files(tmp_path, fitted):
    with pytest.raises(OSError, match="missing.npz"):
        rbmkit.load(tmp_path / "missing.npz")
    (tmp_path / "bad.npz").write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="bad.npz"):
        rbmkit.load(tmp_path / "bad.npz")
    with pytest.raises(ValueError, match="path: .*\\.npz"):
        fitted.save(tmp_path / "model.png")
    good = tmp_path / "good.npz"
    fitted.save(good)
    before = good.read_bytes()
    with pytest.raises(OSError):
        fitted.save(tmp_path / "no-such-dir" / "m.npz")
    assert good.read_bytes() == before


def test_sparse_input_gives_the_dense_result(binary_data):
    X = binary_data.astype(np.float64)
    dense = rbmkit.BernoulliRBM(n_components=5, n_iter=2, random_state=1).fit(X)
    for matrix in (sp.csr_matrix, sp.csc_matrix, sp.coo_matrix):
        sparse = rbmkit.BernoulliRBM(n_components=5, n_iter=2, random_state=1).fit(matrix(X))
        np.testing.assert_array_equal(sparse.components_, dense.components_)
        np.testing.assert_array_equal(dense.transform(matrix(X)), dense.transform(X))


def test_unfitted_estimator():
    from sklearn.exceptions import NotFittedError

    for method in ("transform", "score_samples", "free_energy", "log_likelihood", "gibbs"):
        with pytest.raises(NotFittedError):
            getattr(rbmkit.BernoulliRBM(), method)(np.zeros((1, 3)))


def interrupt_after(seconds):
    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_ctrl_c_stops_a_long_fit_and_leaves_the_estimator_unchanged(binary_data, fitted):
    X = np.tile(binary_data, (50, 1))
    before = fitted.components_.copy()
    fitted.set_params(n_iter=100000, n_components=64)
    timer = interrupt_after(0.5)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        fitted.fit(X)
    elapsed = time.monotonic() - start
    timer.join()
    assert elapsed < 0.5 + 1.0, f"stopped {elapsed - 0.5:.2f} s after the signal"
    np.testing.assert_array_equal(fitted.components_, before)
    fresh = rbmkit.BernoulliRBM(n_components=64, n_iter=100000)
    timer = interrupt_after(0.3)
    with pytest.raises(KeyboardInterrupt):
        fresh.fit(X)
    timer.join()
    assert not hasattr(fresh, "components_")
