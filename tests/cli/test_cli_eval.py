"""rbmkit eval on a tiny model trained on bars and stripes: exact figures against a numpy brute
force, AIS and RAISE against exact within their bands, the disagreement warning, bad inputs."""
import json

import numpy as np
import pytest

from conftest import bars_and_stripes, run


def softplus(x):
    return np.logaddexp(0.0, x)


def brute_force(model_path, X):
    """(mean log-likelihood, log Z, mean free energy) in float64 by enumerating the hidden layer."""
    with np.load(model_path) as f:
        W, a, b = (f[k].astype(np.float64) for k in ("W", "a", "b"))
    H = W.shape[1]
    hs = ((np.arange(2 ** H)[:, None] >> np.arange(H)) & 1).astype(np.float64)  # (2^H, H)
    terms = hs @ b + softplus(hs @ W.T + a).sum(axis=1)
    log_z = np.logaddexp.reduce(terms)
    free_energy = -(X @ a) - softplus(X @ W + b).sum(axis=1)
    return -free_energy.mean() - log_z, log_z, free_energy.mean()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A 16-9 model trained on 4 x 4 bars and stripes, and the data file."""
    d = tmp_path_factory.mktemp("eval")
    np.save(d / "bas.npy", bars_and_stripes(4))
    run("train", "--data", d / "bas.npy", "--hidden", "9", "--updates", "300", "--batch", "10", "--seed", "4",
        "--out", d / "m", "--quiet", "--sample-steps", "5", check=0)
    return d / "m" / "model.npz", d / "bas.npy"


def eval_json(*args):
    p = run("eval", *args, "--json", check=0)
    return json.loads(p.stdout)


def test_exact_matches_numpy_brute_force(trained):
    model, data = trained
    j = eval_json(model, "--data", data, "--method", "exact")
    ll, log_z, mean_f = brute_force(model, bars_and_stripes(4).astype(np.float64))
    assert j["method"] == "exact" and j["requested_method"] == "exact"
    assert j["n_examples"] == 30 and j["n_visible"] == 16 and j["n_hidden"] == 9
    assert j["exact"]["log_likelihood"] == pytest.approx(ll, abs=1e-9 * abs(ll))
    assert j["exact"]["log_z"] == pytest.approx(log_z, abs=1e-9 * abs(log_z))
    assert j["log_likelihood"] == j["exact"]["log_likelihood"] and j["log_likelihood_std_error"] == 0.0
    assert j["mean_free_energy"] == pytest.approx(mean_f, abs=1e-9 * abs(mean_f))
    assert j["reconstruction_error"] > 0 and j["pseudo_log_likelihood"] < 0
    assert j["chains"] is None and j["schedule"] is None and j["warnings"] == []
    assert j["binarize"] == "auto" and j["elapsed_seconds"] >= 0
    # 2^min(16, 9) is small: auto is exact.
    assert eval_json(model, "--data", data)["method"] == "exact"


def test_exact_pll_is_the_full_sum_and_stochastic_is_near_it(trained):
    model, data = trained
    exact = eval_json(model, "--data", data, "--method", "exact", "--pll", "exact")
    stochastic = eval_json(model, "--data", data, "--method", "exact")
    assert exact["pll_method"] == "exact" and stochastic["pll_method"] == "stochastic"
    with np.load(model) as f:
        W, a, b = (f[k].astype(np.float64) for k in ("W", "a", "b"))
    X = bars_and_stripes(4).astype(np.float64)

    def free_energy(x):
        return -(x @ a) - softplus(x @ W + b).sum(axis=1)

    pll = sum(-softplus(free_energy(X) - free_energy(np.abs(X - np.eye(16)[i]))) for i in range(16)).mean()
    assert exact["pseudo_log_likelihood"] == pytest.approx(pll, abs=1e-4)
    # One random bit per example, 30 examples: the mean is within a few nats of the full sum.
    assert abs(stochastic["pseudo_log_likelihood"] - pll) < 10


def test_ais_raise_and_both_agree_with_exact_within_their_bands(trained):
    model, data = trained
    exact = eval_json(model, "--data", data, "--method", "exact")["exact"]
    ais = eval_json(model, "--data", data, "--method", "ais")
    raise_ = eval_json(model, "--data", data, "--method", "raise")
    both = eval_json(model, "--data", data, "--method", "both", "--chains", "50", "--seed", "3")
    a = ais["ais"]
    assert ais["method"] == "ais" and "raise" not in ais
    assert ais["chains"] == 100 and a["chains"] == 100
    assert ais["schedule"]["betas"] == 14500
    assert [s["betas"] for s in ais["schedule"]["segments"]] == [500, 4000, 10000]
    assert a["log_z_lower"] <= exact["log_z"] <= a["log_z_upper"]
    assert a["log_likelihood_lower"] <= exact["log_likelihood"] <= a["log_likelihood_upper"]
    assert ais["log_likelihood"] == a["log_likelihood"]
    r = raise_["raise"]
    assert raise_["method"] == "raise" and "ais" not in raise_
    assert r["examples"] == 30  # all of them: fewer than --chains
    assert abs(r["log_likelihood"] - exact["log_likelihood"]) <= 3 * r["log_likelihood_std_error"] + 0.05
    assert both["ais"]["chains"] == 50 and both["raise"]["examples"] == 30
    assert abs(both["ais"]["log_likelihood"] - exact["log_likelihood"]) < 0.05
    assert abs(both["raise"]["log_likelihood"] - exact["log_likelihood"]) < 0.05
    assert both["warnings"] == []


def test_text_output_names_both_estimators_and_their_biases(trained):
    model, data = trained
    p = run("eval", model, "--data", data, "--method", "both", "--betas", "300", "--chains", "20", check=0)
    assert "AIS" in p.stdout and "RAISE" in p.stdout
    assert "OVERestimate" in p.stdout and "UNDERestimate" in p.stdout
    assert "pseudo-log-likelihood" in p.stdout and "reconstruction error" in p.stdout


def test_disagreement_over_one_nat_is_warned(tmp_path):
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "big.npz", W=rng.normal(0, 3, (16, 16)).astype(np.float32),
             a=rng.normal(0, 1, 16).astype(np.float32), b=rng.normal(0, 1, 16).astype(np.float32),
             meta=np.array(json.dumps({})))
    np.save(tmp_path / "bas.npy", bars_and_stripes(4))
    p = run("eval", tmp_path / "big.npz", "--data", tmp_path / "bas.npy", "--method", "both", "--betas", "3",
            "--chains", "5", "--json", check=0)
    j = json.loads(p.stdout)
    assert abs(j["ais"]["log_likelihood"] - j["raise"]["log_likelihood"]) > 1
    assert len(j["warnings"]) == 1 and "disagree" in j["warnings"][0]
    assert "rbmkit: warning: AIS and RAISE disagree" in p.stderr


def test_ignored_flags_are_reported(trained):
    model, data = trained
    p = run("eval", model, "--data", data, "--method", "exact", "--chains", "7", check=0)
    assert "--chains is ignored" in p.stderr


def one_line_error(p, *needles):
    assert p.returncode != 0
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rbmkit: error: "), p.stderr
    for n in needles:
        assert n in lines[0], lines[0]


def test_bad_inputs_give_one_line_errors(trained, tmp_path):
    model, data = trained
    np.save(tmp_path / "narrow.npy", np.zeros((4, 9), dtype=np.uint8))
    one_line_error(run("eval", model, "--data", tmp_path / "narrow.npy"), "9 columns", "16 visible")
    one_line_error(run("eval", model, "--data", data, "--method", "magic"), "--method", "magic")
    one_line_error(run("eval", model, "--data", data, "--chains", "0"), "--chains")
    one_line_error(run("eval", model, "--data", data, "--betas", "2"), "--betas")
    np.save(tmp_path / "grey.npy", np.full((3, 16), 0.5, dtype=np.float32))
    one_line_error(run("eval", model, "--data", tmp_path / "grey.npy"), "binary")
    one_line_error(run("eval", tmp_path / "missing.npz", "--data", data), "missing.npz")
    one_line_error(run("eval", model), "--data")
