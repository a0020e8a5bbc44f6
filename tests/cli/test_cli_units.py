"""rbmkit train / sample / show / eval with ternary hidden units and Gaussian visible units.

Checks that the unit types are chosen by flags, recorded in model.npz's meta, honoured by every
command and on --resume, that --standardize stores and undoes its statistics, and that
unsupported combinations are refused with exit status 2 and a message naming the flag.
"""
import json

import numpy as np
import pytest

from conftest import run


def meta_of(path):
    with np.load(path) as d:
        return json.loads(str(d["meta"]))


def logsumexp(x, axis=None):
    m = np.max(x, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(x - m), axis=axis))


def all_states(values, n):
    """Every vector of n units taking `values`, as rows (len(values)^n, n)."""
    grids = np.meshgrid(*([np.array(values, dtype=np.float64)] * n), indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1)


@pytest.fixture
def gaussian_csv(tmp_path):
    """300 rows of real data on very different scales, one constant column."""
    rng = np.random.default_rng(1)
    X = np.c_[rng.normal(50, 10, 300), rng.normal(-2, 0.5, 300), np.full(300, 7.0), rng.normal(0, 1, 300)]
    path = tmp_path / "real.csv"
    np.savetxt(path, X, delimiter=",", fmt="%.6f")
    return path, np.loadtxt(path, delimiter=",")


def test_ternary_hidden_units_train_sample_show_and_eval(tmp_path, bas_npy):
    out = tmp_path / "tern"
    run("train", "--data", bas_npy, "--hidden-units", "ternary", "--hidden", "6", "--batch", "10", "--updates", "300",
        "--lr", "0.05", "--seed", "3", "--out", out, "-q", check=0)
    meta = meta_of(out / "model.npz")
    assert meta["hidden_units"] == "ternary" and meta["visible_units"] == "bernoulli"
    assert meta["settings"]["hidden-units"] == "ternary"
    run("sample", out / "model.npz", "--chains", "12", "--steps", "5", "--out", tmp_path / "s.png",
        "--npy", tmp_path / "s.npy", check=0)
    states = np.load(tmp_path / "s.npy")
    assert states.shape == (12, 16) and set(np.unique(states)) <= {0.0, 1.0}
    run("show", out / "model.npz", "--out", tmp_path / "w.png", check=0)
    assert (tmp_path / "w.png").stat().st_size > 0 and (tmp_path / "s.png").stat().st_size > 0
    # eval's exact log-likelihood equals a brute-force one over all 2^16 visible states with the
    # ternary hidden units summed out: sum_h exp(h s) = 1 + 2 cosh(s) (docs/exercise.md 2(a)).
    p = run("eval", out / "model.npz", "--data", bas_npy, "--json", check=0)
    got = json.loads(p.stdout)
    with np.load(out / "model.npz") as d:
        W, a, b = (d[k].astype(np.float64) for k in ("W", "a", "b"))
    X = np.load(bas_npy).astype(np.float64)
    neg_f = lambda V: V @ a + np.sum(np.log(1 + 2 * np.cosh(V @ W + b)), axis=1)
    log_z = logsumexp(neg_f(all_states([0, 1], 16)))
    expected = np.mean(neg_f(X)) - log_z
    # The float enumeration path is accurate to about 1e-7 relative (likelihood.hpp).
    assert got["method"] == "exact"
    assert got["log_likelihood"] == pytest.approx(expected, rel=1e-6, abs=1e-6)


def test_gaussian_visible_units_with_standardize(tmp_path, gaussian_csv):
    path, X = gaussian_csv
    out = tmp_path / "gauss"
    run("train", "--data", path, "--visible-units", "gaussian", "--standardize", "on", "--hidden", "3",
        "--batch", "20", "--epochs", "5", "--seed", "2", "--out", out, "-q", check=0)
    meta = meta_of(out / "model.npz")
    assert meta["visible_units"] == "gaussian" and meta["hidden_units"] == "bernoulli"
    assert meta["settings"]["standardize"] == "on" and meta["settings"]["binarize"] == "none"  # auto, resolved
    with np.load(out / "model.npz") as d:
        mean, std = d["standardize_mean"], d["standardize_std"]
        W, a, b = (d[k].astype(np.float64) for k in ("W", "a", "b"))
    # The training data's own statistics (float32), a constant column keeping std 1: the values
    # were not binarised on the way.
    np.testing.assert_allclose(mean, X.mean(axis=0), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(std[[0, 1, 3]], X.std(axis=0)[[0, 1, 3]], rtol=1e-5)
    assert mean[2] == np.float32(7.0) and std[2] == 1.0
    # The visible bias starts at the standardised data's means (0) and stays near them.
    assert np.all(np.abs(a) < 1.0)

    # Samples from data and from noise: pictures, and states back on the data's scale.
    for start in ("data", "noise"):
        png, npy = tmp_path / f"{start}.png", tmp_path / f"{start}.npy"
        run("sample", out / "model.npz", "--from", start, "--chains", "200", "--steps", "50", "--out", png,
            "--npy", npy, check=0)
        states = np.load(npy)
        assert states.shape == (200, 4) and png.stat().st_size > 0
        # Column 0 has mean 50 and sd 10 in the data; standardised states would sit near 0.
        assert abs(states[:, 0].mean() - 50) < 5 and 5 < states[:, 0].std() < 15
    run("show", out / "model.npz", "--out", tmp_path / "w.png", check=0)

    # eval standardises the data as training did: its exact log-likelihood is the mixture
    # density p(z) = sum_h p(h) N(z; a + W h, I) of the standardised rows z, computed here.
    p = run("eval", out / "model.npz", "--data", path, "--json", check=0)
    got = json.loads(p.stdout)
    Z = (X.astype(np.float32) - mean) / std
    Z = Z.astype(np.float64)
    H = all_states([0, 1], 3)
    C = a + H @ W.T
    log_w = H @ b + 0.5 * (np.sum(C**2, axis=1) - a @ a)
    log_w -= logsumexp(log_w)
    log_n = -0.5 * np.sum((Z[:, None, :] - C[None, :, :]) ** 2, axis=2) - 2 * np.log(2 * np.pi)
    expected = np.mean(logsumexp(log_n + log_w, axis=1))
    assert got["log_likelihood"] == pytest.approx(expected, rel=1e-6)


def test_gaussian_visible_units_take_real_npy_without_standardize(tmp_path):
    rng = np.random.default_rng(4)
    X = rng.normal(0, 1, (100, 9)).astype(np.float32) + 3
    np.save(tmp_path / "x.npy", X)
    out = tmp_path / "g"
    run("train", "--data", tmp_path / "x.npy", "--visible-units", "gaussian", "--hidden", "4", "--method", "pt",
        "--temperatures", "3", "--beta-min", "0.5", "--chains", "10", "--batch", "10", "--updates", "50",
        "--out", out, "-q", check=0)
    with np.load(out / "model.npz") as d:
        assert "standardize_mean" not in d.files
        # The visible bias starts at the column means (about 3) and moves little in 50 updates.
        assert np.all(np.abs(d["a"] - 3) < 1)
    run("sample", out / "model.npz", "--chains", "5", "--steps", "3", "--out", tmp_path / "s.png", check=0)


def test_resume_refuses_changed_units(tmp_path, bas_npy, gaussian_csv):
    out = tmp_path / "run"
    run("train", "--data", bas_npy, "--hidden-units", "ternary", "--hidden", "4", "--batch", "10", "--updates", "40",
        "--checkpoint-every", "20", "--out", out, "-q", check=0)
    for flag, value in (("--hidden-units", "bernoulli"), ("--visible-units", "gaussian")):
        p = run("train", "--resume", out, flag, value, "-q", check=2)
        assert f"{flag}: " in p.stderr and f"{value} disagrees with the checkpoint" in p.stderr
    run("train", "--resume", out, "--hidden-units", "ternary", "-q", check=0)
    assert meta_of(out / "model.npz")["hidden_units"] == "ternary"

    path, _ = gaussian_csv
    gout = tmp_path / "grun"
    run("train", "--data", path, "--visible-units", "gaussian", "--standardize", "on", "--hidden", "2", "--batch", "10",
        "--updates", "40", "--checkpoint-every", "20", "--out", gout, "-q", check=0)
    p = run("train", "--resume", gout, "--standardize", "off", "-q", check=2)
    assert "--standardize: " in p.stderr and "off disagrees with the checkpoint" in p.stderr


@pytest.mark.parametrize("args, message", [
    (["--visible-units", "ternary"], "--visible-units: visible unit type must be bernoulli or gaussian (got 'ternary')"),
    (["--hidden-units", "gaussian"], "--hidden-units: hidden unit type must be bernoulli or ternary (got 'gaussian')"),
    (["--hidden-units", "poisson"], "--hidden-units: hidden unit type must be bernoulli or ternary (got 'poisson')"),
    (["--visible-units", "gaussian", "--binarize", "threshold:0.5"], "conflicts with Gaussian visible units"),
    (["--standardize", "on"], "--standardize: standardisation needs Gaussian visible units"),
    (["--visible-units", "gaussian", "--method", "pt", "--beta-min", "0"], "must be > 0 with Gaussian"),
])
def test_unsupported_unit_settings_exit_2(tmp_path, bas_npy, args, message):
    p = run("train", "--data", bas_npy, "--hidden", "2", "--updates", "2", "--out", tmp_path / "x", "-q", *args, check=2)
    assert message in p.stderr
    assert not (tmp_path / "x" / "model.npz").exists()


def test_bernoulli_visible_units_still_refuse_real_data(tmp_path, gaussian_csv):
    path, _ = gaussian_csv
    p = run("train", "--data", path, "--hidden", "2", "--updates", "2", "--out", tmp_path / "x", "-q", check=1)
    assert "outside [0, 1]" in p.stderr


def test_sample_refuses_binarising_data_for_a_gaussian_model(tmp_path, gaussian_csv):
    path, _ = gaussian_csv
    out = tmp_path / "g"
    run("train", "--data", path, "--visible-units", "gaussian", "--standardize", "on", "--hidden", "2",
        "--updates", "5", "--batch", "10", "--out", out, "-q", check=0)
    p = run("sample", out / "model.npz", "--binarize", "threshold", "--out", tmp_path / "s.png", check=2)
    assert "conflicts with Gaussian visible units" in p.stderr
