"""rbmkit train --eval-every: held-out log-likelihood estimates in train.jsonl and curve.png."""
import itertools
import json
import struct

import numpy as np

from conftest import bars_and_stripes, run


def load_model(path):
    z = np.load(path, allow_pickle=False)
    return z["W"].astype(np.float64), z["a"].astype(np.float64), z["b"].astype(np.float64)


def brute_force_mean_log_likelihood(W, a, b, X):
    """Mean log p(x) over rows of X for a Bernoulli RBM, by enumerating every visible state."""
    d = W.shape[0]
    V = np.array(list(itertools.product([0.0, 1.0], repeat=d)))
    neg_f = lambda x: x @ a + np.logaddexp(0.0, x @ W + b).sum(axis=-1)
    log_z = np.logaddexp.reduce(neg_f(V))
    return float(np.mean(neg_f(X.astype(np.float64)) - log_z))


def eval_lines(out):
    lines = [json.loads(l) for l in open(out / "train.jsonl")]
    return [l for l in lines if l.get("event") == "eval"], [l for l in lines if "event" not in l]


def png_size(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_exact_estimates_at_start_every_n_and_end_match_brute_force(tmp_path):
    data = bars_and_stripes(3)  # 14 examples, d = 9
    np.save(tmp_path / "bas.npy", data)
    out = tmp_path / "run"
    run("train", "--data", tmp_path / "bas.npy", "--eval-data", tmp_path / "bas.npy", "--hidden", "12",
        "--batch", "14", "--lr", "0.1", "--momentum", "0.5", "--updates", "2000", "--eval-every", "800", "--quiet", "--out", out, check=0)
    evals, reports = eval_lines(out)
    assert [e["update"] for e in evals] == [0, 800, 1600, 2000]
    assert all(e["method"] == "exact" and e["log_likelihood_lower"] == e["log_likelihood"] for e in evals)
    # The last estimate is of the final model: compare with enumeration over all 2^9 visible states.
    W, a, b = load_model(out / "model.npz")
    assert abs(evals[-1]["log_likelihood"] - brute_force_mean_log_likelihood(W, a, b, data)) < 1e-4
    assert evals[-1]["log_likelihood"] > evals[0]["log_likelihood"] + 1.0  # training raised it
    # Seconds are training time: nondecreasing and never beyond the final report's.
    secs = [e["seconds"] for e in evals]
    assert secs == sorted(secs) and secs[-1] <= reports[-1]["seconds"] + 1e-9
    assert "event" not in json.loads(open(out / "train.jsonl").read().splitlines()[-1])
    assert png_size(out / "curve.png") == (1040, 380)


def test_large_models_get_ais_with_the_cheaper_schedule_and_a_band(tmp_path):
    rng = np.random.default_rng(0)
    data = (rng.random((40, 30)) < 0.3).astype(np.uint8)  # d = 30, H = 25: 2^25 terms, too many
    np.save(tmp_path / "x.npy", data)
    out = tmp_path / "run"
    run("train", "--data", tmp_path / "x.npy", "--heldout", tmp_path / "x.npy", "--hidden", "25", "--batch", "10",
        "--updates", "10", "--eval-every", "10", "--eval-betas", "200", "--eval-chains", "20", "--quiet",
        "--out", out, check=0)
    evals, _ = eval_lines(out)
    assert [e["update"] for e in evals] == [0, 10]
    for e in evals:
        assert e["method"] == "ais" and e["betas"] == 200 and e["chains"] == 20
        assert e["log_likelihood_lower"] <= e["log_likelihood"] <= e["log_likelihood_upper"]
    # At update 0 the weights are small: the estimate is close to the independent-pixel bound.
    assert -30 * np.log(2) - 5 < evals[0]["log_likelihood"] < 0


def test_eval_every_without_data_is_refused(tmp_path):
    np.save(tmp_path / "bas.npy", bars_and_stripes(3))
    p = run("train", "--data", tmp_path / "bas.npy", "--hidden", "4", "--updates", "5", "--eval-every", "2",
            "--quiet", "--out", tmp_path / "run")
    assert p.returncode == 2 and "--eval-every: held-out evaluations need evaluation data" in p.stderr
    assert not (tmp_path / "run" / "train.jsonl").exists()
