"""What users do with the estimators: pipelines, clone and pickle, files, scikit-learn models,
partial fits, verbose progress, history, other unit types, mixtures and pictures."""
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

import rbmkit
from conftest import exact_log_z


def test_pipeline_clone_and_pickle(binary_data):
    y = binary_data[:, 0]
    pipe = Pipeline([("rbm", rbmkit.BernoulliRBM(n_components=8, n_iter=3, random_state=0)),
                     ("clf", LogisticRegression())]).fit(binary_data, y)
    assert pipe.score(binary_data, y) > 0.8  # chance: 0.5
    rbm = pipe.named_steps["rbm"]
    again = pickle.loads(pickle.dumps(rbm))
    np.testing.assert_array_equal(again.transform(binary_data), rbm.transform(binary_data))
    cloned = clone(rbm)
    assert cloned.get_params() == rbm.get_params() and not hasattr(cloned, "components_")
    np.testing.assert_array_equal(cloned.fit(binary_data).components_, rbm.components_)
    assert rbm.get_feature_names_out().tolist() == [f"bernoullirbm{i}" for i in range(8)]


def test_fitting_twice_gives_the_same_model(binary_data):
    rbm = rbmkit.BernoulliRBM(n_components=6, n_iter=2, random_state=3)
    first = rbm.fit(binary_data).components_.copy()
    np.testing.assert_array_equal(rbm.fit(binary_data).components_, first)
    generator = np.random.RandomState(0)
    rbm = rbmkit.BernoulliRBM(n_components=6, n_iter=2, random_state=generator)
    assert not np.array_equal(rbm.fit(binary_data).components_, rbm.fit(binary_data).components_)


def test_save_and_load(tmp_path, binary_data):
    rbm = rbmkit.BernoulliRBM(n_components=6, n_iter=2, random_state=0, method="cd", k=3).fit(binary_data)
    rbm.save(tmp_path / "m.npz")
    loaded = rbmkit.load(tmp_path / "m.npz")
    assert isinstance(loaded, rbmkit.RBM)
    assert loaded.get_params()["k"] == 3 and loaded.get_params()["method"] == "cd"
    assert loaded.n_components == 6 and loaded.random_state == 0
    np.testing.assert_allclose(loaded.transform(binary_data), rbm.transform(binary_data), atol=1e-7)
    as_bernoulli = rbmkit.BernoulliRBM.load(tmp_path / "m.npz")
    assert as_bernoulli.k == 3 and as_bernoulli.n_iter == 2
    # A minimal file that numpy wrote.
    np.savez(tmp_path / "min.npz", W=rbm.components_.T, a=rbm.intercept_visible_, b=rbm.intercept_hidden_)
    assert rbmkit.load(tmp_path / "min.npz").log_likelihood(binary_data, method="exact").estimate == pytest.approx(
        rbm.log_likelihood(binary_data, method="exact").estimate, abs=1e-6)


def test_from_sklearn(binary_data):
    from sklearn.neural_network import BernoulliRBM

    theirs = BernoulliRBM(n_components=7, n_iter=2, random_state=0).fit(binary_data.astype(np.float64))
    ours = rbmkit.from_sklearn(theirs)
    np.testing.assert_allclose(ours.transform(binary_data), theirs.transform(binary_data.astype(float)), atol=1e-6)
    np.testing.assert_allclose(ours.score_samples(binary_data.astype(float)),
                               theirs.score_samples(binary_data.astype(float)), rtol=1e-5)
    assert ours.h_samples_.shape == theirs.h_samples_.shape
    components = ours.components_.copy()
    ours.partial_fit(binary_data[:10])
    assert not np.array_equal(ours.components_, components)
    W = theirs.components_.T
    assert ours.log_likelihood(binary_data[:20], method="ais").upper_bound >= -np.inf
    with pytest.raises(ValueError, match="fitted BernoulliRBM"):
        rbmkit.from_sklearn(BernoulliRBM())
    del W


def test_partial_fit_continues_deterministically(binary_data):
    def run():
        rbm = rbmkit.BernoulliRBM(n_components=5, batch_size=10, random_state=2)
        for i in range(0, 100, 10):
            rbm.partial_fit(binary_data[i:i + 10])
        return rbm

    a, b = run(), run()
    np.testing.assert_array_equal(a.components_, b.components_)
    assert a.h_samples_.shape == (10, 5)
    assert a._train_state["update"] == 10
    assert a.components_.dtype == np.float64


def test_verbose_prints_scikit_learns_lines(capsys, binary_data):
    quiet = rbmkit.BernoulliRBM(n_components=4, n_iter=3, random_state=1).fit(binary_data)
    loud = rbmkit.BernoulliRBM(n_components=4, n_iter=3, random_state=1, verbose=1).fit(binary_data)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("[BernoulliRBM] Iteration 1, pseudo-likelihood = ") and "time = " in lines[0]
    # Epoch by epoch, the run is bit-identical to one run.
    np.testing.assert_array_equal(loud.components_, quiet.components_)


def test_history_holds_the_training_reports(binary_data):
    rbm = rbmkit.RBM(n_components=4, n_iter=2, batch_size=10, report_every=5, random_state=0).fit(binary_data)
    assert [r["update"] for r in rbm.history_] == list(range(5, 61, 5))
    assert {"reconstruction_error", "free_energy_train", "seconds", "examples_seen"} <= set(rbm.history_[0])


def test_gaussian_units_with_standardization_and_the_mixture_view():
    rng = np.random.RandomState(0)
    X = rng.randn(500, 3) * [1.0, 5.0, 0.1] + [10.0, -3.0, 0.5]
    rbm = rbmkit.RBM(n_components=3, visible_units="gaussian", standardize=True, n_iter=5, random_state=0).fit(X)
    mean, std = rbm.standardization_
    np.testing.assert_allclose(mean, X.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(std, X.std(axis=0), rtol=1e-5)
    S = rbm.sample(n_samples=2000, n_steps=20, X=X, random_state=1)
    np.testing.assert_allclose(S.mean(axis=0), X.mean(axis=0), atol=0.3 * X.std(axis=0).max())
    mix = rbmkit.mixture(rbm)
    assert mix["n_components"] == 8 and mix["variance"] == 1
    assert sum(c["weight"] for c in mix["components"]) == pytest.approx(1.0)
    assert rbm.transform(X).shape == (500, 3)


def test_ternary_hidden_units(binary_data):
    rbm = rbmkit.RBM(n_components=4, hidden_units="ternary", n_iter=2, random_state=0).fit(binary_data)
    H = rbm.transform(binary_data)
    assert H.min() >= -1 and H.max() <= 1 and H.min() < 0
    exact = rbm.log_likelihood(binary_data, method="exact")
    assert exact.estimate < 0 and not exact.impossible


def test_mosaic(binary_data):
    rbm = rbmkit.BernoulliRBM(n_components=10, n_iter=1, random_state=0).fit(binary_data)
    img = rbmkit.plot.mosaic(rbm, show=False)
    # 4 x 3 grid of 6 x 6 tiles with 1-pixel separators and border.
    assert img.dtype == np.uint8 and img.shape == (3 * 7 + 1, 4 * 7 + 1)
    assert rbmkit.plot.mosaic(rbm.components_, tile=(36, 1), show=False).shape == (3 * 2 + 1, 4 * 37 + 1)
    assert rbmkit.plot.samples(binary_data[:4], show=False).shape == (2 * 7 + 1, 2 * 7 + 1)


def test_rbm_defaults_are_the_library_table():
    import inspect

    from rbmkit._options import TRAIN_OPTIONS

    signature = inspect.signature(rbmkit.RBM.__init__).parameters
    for keyword, option in TRAIN_OPTIONS.items():
        if keyword in ("data", "random_state"):
            continue
        assert signature[keyword].default == option["default"], keyword
        if keyword not in ("n_iter", "binarize"):  # documented in the estimator's words
            assert option["help"][:20].lower() in rbmkit.RBM.__doc__.lower(), keyword
    bernoulli = inspect.signature(rbmkit.BernoulliRBM.__init__).parameters
    # scikit-learn's defaults where it has the parameter, the table's for rbmkit's own.
    sklearn_defaults = {"n_components": 256, "learning_rate": 0.1, "batch_size": 10, "n_iter": 10, "method": "pcd",
                        "n_chains": None}
    for keyword, p in bernoulli.items():
        if keyword in ("self", "verbose", "random_state"):
            continue
        expected = sklearn_defaults.get(keyword, TRAIN_OPTIONS[keyword]["default"])
        assert p.default == expected, keyword


def test_log_likelihood_of_a_model_from_numpy_matches_enumeration(tmp_path):
    rng = np.random.RandomState(1)
    W, a, b = rng.randn(8, 3), rng.randn(8), rng.randn(3)
    np.savez(tmp_path / "m.npz", W=W.astype(np.float32), a=a.astype(np.float32), b=b.astype(np.float32))
    rbm = rbmkit.load(tmp_path / "m.npz")
    W32 = [x.astype(np.float32).astype(np.float64) for x in (W, a, b)]
    assert rbm.log_partition().log_z == pytest.approx(exact_log_z(*W32), abs=1e-5)
