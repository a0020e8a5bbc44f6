"""rbmkit eval on a tiny model trained on bars and stripes: exact figures against a numpy brute
force, AIS and RAISE against exact within their bands, the disagreement warning, bad inputs; and
on numpy-made models with ternary hidden units and Gaussian visible units, against numpy brute
forces over the enumerable layers."""
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
    assert j["binarize"] == "none" and j["elapsed_seconds"] >= 0
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
    # The headline is the larger of the two AIS estimates and the certified bound.
    m = ais["ais_model"]
    assert m["chains"] == 100 and m["log_z_lower"] <= exact["log_z"] <= m["log_z_upper"]
    assert ais["bound"]["log_z_lower"] <= exact["log_z"] + 1e-9
    assert ais["log_z"] == max(a["log_z"], m["log_z"], ais["bound"]["log_z_lower"])
    assert ais["log_likelihood"] == pytest.approx(-ais["mean_free_energy"] - ais["log_z"], abs=1e-9)
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
    assert "disagree" in j["warnings"][0]
    assert "rbmkit: warning: AIS and RAISE disagree" in p.stderr
    # With 3 betas and 5 chains the estimates are far off; each one below the certified bound says so.
    for name in ("ais", "ais_model", "raise"):
        if j[name]["below_bound"] and j[name]["log_z"] < j["bound"]["log_z_lower"] - 0.1:
            assert any(w.startswith(("AIS", "RAISE")) and "certified bound" in w for w in j["warnings"])


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


# ---- other unit types: ternary hidden units, Gaussian visible units -------------------------

def save_model(path, W, a, b, visible, hidden):
    """A model.npz as numpy writes it: W (d, H), a (d), b (H) float32, meta a JSON string."""
    np.savez(path, W=W.astype(np.float32), a=a.astype(np.float32), b=b.astype(np.float32),
             meta=np.array(json.dumps({"visible_units": visible, "hidden_units": hidden})))
    with np.load(path) as f:  # the float32 values rbmkit sees
        return tuple(f[k].astype(np.float64) for k in ("W", "a", "b"))


def states(values, n):
    """Every vector of n units taking `values`, as rows of a (len(values)^n, n) float64 array."""
    grids = np.meshgrid(*([np.array(values, dtype=np.float64)] * n), indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1)


def log_1p_2cosh(s):
    """log(1 + 2 cosh s) without overflow."""
    t = np.abs(s)
    return t + np.log1p(np.exp(-t) + np.exp(-2 * t))


def test_ternary_hidden_exact_matches_a_brute_force_over_both_layers(tmp_path):
    rng = np.random.default_rng(5)
    d, H = 8, 4
    W, a, b = save_model(tmp_path / "t.npz", rng.normal(0, 1.0, (d, H)), rng.normal(0, 1, d), rng.normal(0, 1, H),
                         "bernoulli", "ternary")
    X = (rng.random((20, d)) < 0.4).astype(np.uint8)
    np.save(tmp_path / "x.npy", X)
    # -E(v, h) = a.v + v^T W h + b.h over all 2^8 x 3^4 pairs.
    V, Hs = states([0, 1], d), states([-1, 0, 1], H)
    neg_e = (V @ a)[:, None] + V @ W @ Hs.T + (Hs @ b)[None, :]
    log_z = np.logaddexp.reduce(neg_e.ravel())
    Xd = X.astype(np.float64)
    neg_f = np.logaddexp.reduce((Xd @ a)[:, None] + Xd @ W @ Hs.T + (Hs @ b)[None, :], axis=1)
    assert neg_f == pytest.approx(Xd @ a + log_1p_2cosh(Xd @ W + b).sum(axis=1), abs=1e-9)
    j = eval_json(tmp_path / "t.npz", "--data", tmp_path / "x.npy", "--pll", "exact")
    assert j["method"] == "exact"  # auto: 3^4 = 81 terms
    assert j["visible_units"] == "bernoulli" and j["hidden_units"] == "ternary"
    assert j["exact"]["enumerated"] == "3^4 = 81 hidden states"
    assert j["exact"]["log_z"] == pytest.approx(log_z, abs=1e-9 * abs(log_z))
    assert j["log_likelihood"] == pytest.approx((neg_f - log_z).mean(), abs=1e-9 * abs(log_z))
    assert j["mean_free_energy"] == pytest.approx(-neg_f.mean(), abs=1e-9 * abs(neg_f.mean()))
    # Exact PLL: sum_i log p(x) / (p(x) + p(x with bit i flipped)).
    pll = 0.0
    for i in range(d):
        flipped = np.abs(Xd - np.eye(d)[i])
        neg_f_flip = flipped @ a + log_1p_2cosh(flipped @ W + b).sum(axis=1)
        pll += (neg_f - np.logaddexp(neg_f, neg_f_flip)).mean()
    assert j["pseudo_log_likelihood"] == pytest.approx(pll, abs=1e-4) and j["pll_method"] == "exact"
    # Reconstruction: E[v | E[h | x]] with the ternary mean 2 sinh(s) / (1 + 2 cosh(s)).
    s = Xd @ W + b
    mean_h = 2 * np.sinh(s) / (1 + 2 * np.cosh(s))
    recon = 1 / (1 + np.exp(-(mean_h @ W.T + a)))
    assert j["reconstruction_error"] == pytest.approx(((Xd - recon) ** 2).sum(axis=1).mean(), rel=1e-5)


def test_ternary_hidden_visible_side_and_ais_raise(tmp_path):
    rng = np.random.default_rng(6)
    d, H = 6, 9  # 2^6 = 64 visible states < 3^9 hidden ones
    W, a, b = save_model(tmp_path / "t.npz", rng.normal(0, 0.5, (d, H)), rng.normal(0, 1, d), rng.normal(0, 1, H),
                         "bernoulli", "ternary")
    V = states([0, 1], d)
    log_z = np.logaddexp.reduce(V @ a + log_1p_2cosh(V @ W + b).sum(axis=1))
    np.save(tmp_path / "x.npy", V.astype(np.uint8))
    exact = eval_json(tmp_path / "t.npz", "--data", tmp_path / "x.npy")
    assert exact["exact"]["enumerated"] == "2^6 = 64 visible states"
    assert exact["exact"]["log_z"] == pytest.approx(log_z, abs=1e-9 * abs(log_z))
    both = eval_json(tmp_path / "t.npz", "--data", tmp_path / "x.npy", "--method", "both", "--chains", "50",
                     "--betas", "3000")
    assert both["ais"]["log_z_lower"] <= log_z <= both["ais"]["log_z_upper"]
    # The data (every visible state once) has base rate 1/2: a_A = 0, log Z_A = d log 2 + H log 3.
    assert both["ais"]["log_z_base"] == pytest.approx(d * np.log(2) + H * np.log(3), abs=1e-9)
    assert abs(both["raise"]["log_z"] - log_z) <= 4 * both["raise"]["log_z_std_error"] + 0.02


def gaussian_brute_force(W, a, b, hidden_values, X):
    """(log Z, log p(x) per row) of a Gaussian-visible model by enumerating h: the integral over v
    of exp(-|v - a|^2 / 2 + v.W h) is (2 pi)^(d/2) exp((|a + W h|^2 - |a|^2) / 2)."""
    d, H = W.shape
    Hs = states(hidden_values, H)
    C = a + Hs @ W.T  # (states, d) centres
    log_z = 0.5 * d * np.log(2 * np.pi) + np.logaddexp.reduce(Hs @ b + 0.5 * ((C ** 2).sum(axis=1) - a @ a))
    neg_e = -0.5 * ((X - a) ** 2).sum(axis=1)[:, None] + X @ W @ Hs.T + (Hs @ b)[None, :]
    return log_z, np.logaddexp.reduce(neg_e, axis=1) - log_z


@pytest.mark.parametrize("hidden,values", [("bernoulli", [0, 1]), ("ternary", [-1, 0, 1])])
def test_gaussian_visible_exact_matches_numpy_and_skips_the_pll(tmp_path, hidden, values):
    rng = np.random.default_rng(7)
    d, H = 3, 5
    W, a, b = save_model(tmp_path / "g.npz", rng.normal(0, 0.8, (d, H)), rng.normal(0, 1, d), rng.normal(0, 1, H),
                         "gaussian", hidden)
    X = rng.normal(0, 1.5, (25, d)).astype(np.float32)
    np.save(tmp_path / "x.npy", X)
    log_z, log_p = gaussian_brute_force(W, a, b, values, X.astype(np.float64))
    j = eval_json(tmp_path / "g.npz", "--data", tmp_path / "x.npy")
    assert j["method"] == "exact" and j["visible_units"] == "gaussian" and j["hidden_units"] == hidden
    assert j["exact"]["enumerated"] == f"{len(values)}^5 = {len(values) ** 5} hidden states"
    assert j["exact"]["log_z"] == pytest.approx(log_z, abs=1e-9 * abs(log_z))
    assert j["log_likelihood"] == pytest.approx(log_p.mean(), abs=1e-9 * abs(log_z))
    assert j["pseudo_log_likelihood"] is None and j["pll_method"] is None
    assert j["warnings"] == []
    # Free energy F(x) = |x - a|^2 / 2 - sum_j hp(s_j); reconstruction a + W E[h | x].
    Xd = X.astype(np.float64)
    s = Xd @ W + b
    hp = np.logaddexp(0, s) if hidden == "bernoulli" else log_1p_2cosh(s)
    mean_h = 1 / (1 + np.exp(-s)) if hidden == "bernoulli" else 2 * np.sinh(s) / (1 + 2 * np.cosh(s))
    free_energy = 0.5 * ((Xd - a) ** 2).sum(axis=1) - hp.sum(axis=1)
    assert j["mean_free_energy"] == pytest.approx(free_energy.mean(), abs=1e-9 * abs(free_energy.mean()))
    recon = a + mean_h @ W.T
    assert j["reconstruction_error"] == pytest.approx(((Xd - recon) ** 2).sum(axis=1).mean(), rel=1e-5)
    p = run("eval", tmp_path / "g.npz", "--data", tmp_path / "x.npy", "--pll", "exact", check=0)
    assert "pseudo-log-likelihood: n/a (defined for binary visible units only" in p.stdout
    assert "--pll is ignored" in p.stderr
    assert "3 gaussian visible, 5 " + hidden + " hidden" in p.stdout
    # AIS and RAISE with a Gaussian base model: within a few standard errors of exact.
    both = eval_json(tmp_path / "g.npz", "--data", tmp_path / "x.npy", "--method", "both", "--chains", "50",
                     "--betas", "3000")
    assert both["ais"]["log_z_lower"] <= log_z <= both["ais"]["log_z_upper"]
    assert both["ais"]["log_z_base"] == pytest.approx(1.5 * np.log(2 * np.pi) + H * np.log(len(values)), abs=1e-9)
    assert abs(both["raise"]["log_z"] - log_z) <= 4 * both["raise"]["log_z_std_error"] + 0.02


def test_auto_picks_exact_by_term_count_for_every_combination(tmp_path):
    rng = np.random.default_rng(8)
    np.save(tmp_path / "x.npy", (rng.random((5, 30)) < 0.3).astype(np.uint8))
    # 3^16 = 43046721 hidden terms and 2^30 visible ones: both above 2^25, so AIS and RAISE.
    save_model(tmp_path / "t16.npz", rng.normal(0, 0.1, (30, 16)), np.zeros(30), np.zeros(16), "bernoulli", "ternary")
    j = eval_json(tmp_path / "t16.npz", "--data", tmp_path / "x.npy", "--betas", "10", "--chains", "3")
    assert j["method"] == "both" and "exact" not in j and "ais" in j and "raise" in j
    p = run("eval", tmp_path / "t16.npz", "--data", tmp_path / "x.npy", "--betas", "10", "--chains", "3", check=0)
    assert "3^16 = 43046721 hidden states are too many to enumerate" in p.stdout
    # 3^15 = 14348907 terms fit.
    save_model(tmp_path / "t15.npz", rng.normal(0, 0.1, (30, 15)), np.zeros(30), np.zeros(15), "bernoulli", "ternary")
    assert eval_json(tmp_path / "t15.npz", "--data", tmp_path / "x.npy")["method"] == "exact"
