"""The Python module and the rbmkit command train the same models: byte-identical model files
from a data spec, and the same parameters, bit for bit, from the array of the same data."""
import os
import subprocess

import numpy as np
import pytest

import rbmkit
from conftest import RBMKIT


def cli_train(tmp_path, *flags):
    out = tmp_path / "cli"
    subprocess.run([RBMKIT, "train", *map(str, flags), "--out", str(out), "--quiet"], check=True, timeout=300)
    return out / "model.npz"


@pytest.mark.parametrize("cli_flags, params", [
    (["--hidden", 16, "--method", "pcd", "--chains", 10, "--batch", 10, "--epochs", 3, "--seed", 5],
     dict(n_components=16, method="pcd", n_chains=10, batch_size=10, n_iter=3, random_state=5)),
    (["--hidden", 8, "--cd", 2, "--batch", 1, "--updates", 2000, "--lr", 0.05, "--visible-bias", "off", "--seed", 1],
     dict(n_components=8, k=2, batch_size=1, n_updates=2000, learning_rate=0.05, visible_bias=False, random_state=1)),
    (["--hidden", 10, "--hidden-units", "ternary", "--method", "pt", "--temperatures", 3, "--chains", 7,
      "--momentum", 0.5, "--weight-decay", 0.001, "--centring", "on", "--epochs", 2, "--seed", 9],
     dict(n_components=10, hidden_units="ternary", method="pt", n_temperatures=3, n_chains=7, momentum=0.5,
          weight_decay=0.001, centring=True, n_iter=2, random_state=9)),
])
def test_model_files_are_byte_identical(tmp_path, binary_data, cli_flags, params):
    data = tmp_path / "data.npy"
    np.save(data, binary_data)
    cli_model = cli_train(tmp_path, "--data", data, *cli_flags)
    rbm = rbmkit.RBM(**params).fit(str(data))
    rbm.save(tmp_path / "py.npz")
    assert (tmp_path / "py.npz").read_bytes() == cli_model.read_bytes()

    # The same data as an array (uint8, float32 and float64 views): the same parameters.
    stored = np.load(cli_model)
    for X in (binary_data, binary_data.astype(np.float32), binary_data.astype(np.float64)):
        fitted = rbmkit.RBM(**params).fit(X)
        assert np.array_equal(fitted.components_.T.astype(np.float32), stored["W"])
        assert np.array_equal(fitted.intercept_visible_.astype(np.float32), stored["a"])
        assert np.array_equal(fitted.intercept_hidden_.astype(np.float32), stored["b"])


def test_bernoulli_rbm_defaults_are_the_cli_flags(tmp_path, binary_data):
    data = tmp_path / "data.npy"
    np.save(data, binary_data)
    cli_model = cli_train(tmp_path, "--data", data, "--hidden", 256, "--method", "pcd", "--chains", 10,
                          "--batch", 10, "--epochs", 10, "--seed", 4)
    rbm = rbmkit.BernoulliRBM(random_state=4).fit(binary_data)
    assert np.array_equal(rbm.components_.T.astype(np.float32), np.load(cli_model)["W"])


def test_cli_reads_python_models(tmp_path, binary_data):
    rbm = rbmkit.BernoulliRBM(n_components=6, n_iter=2, random_state=0).fit(binary_data)
    rbm.save(tmp_path / "m.npz")
    np.save(tmp_path / "x.npy", binary_data)
    p = subprocess.run([RBMKIT, "eval", str(tmp_path / "m.npz"), "--data", str(tmp_path / "x.npy"), "--json"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    import json

    assert json.loads(p.stdout)["log_likelihood"] == pytest.approx(rbm.log_likelihood(binary_data).estimate, abs=1e-9)
