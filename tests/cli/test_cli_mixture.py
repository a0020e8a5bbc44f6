"""rbmkit mixture on a tiny experts file and tiny Gaussian-visible models: every figure against the
mixture expanded here with numpy (docs/exercise.md 2(c)), --top, --json, and refused inputs."""
import itertools
import json
import re

import numpy as np
import pytest

from conftest import run

LOG_2PI = np.log(2 * np.pi)

# H = 2 experts, K = 2 components, D = 2.
MEANS = [[[-2.5, 0.0], [2.5, 0.6]], [[0.6, -2.5], [-0.6, 2.5]]]
WEIGHTS = [[0.6, 0.4], [0.5, 0.5]]

ROW = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\([\d, ]+\)|[01+\-]+)\s+\[(.*)\]")


def expand_experts(means, weights):
    """{k tuple: (log weight, centre)} and log Z_poe of prod_i sum_k pi_ik N(x; u_ik, I)."""
    u, pi = np.asarray(means, float), np.asarray(weights, float)
    H, K, D = u.shape
    terms = {}
    for k in itertools.product(range(K), repeat=H):
        chosen = u[np.arange(H), k]  # (H, D)
        m = chosen.mean(axis=0)
        log_w = (np.log(pi[np.arange(H), k]).sum() - D * (H - 1) / 2 * LOG_2PI - D / 2 * np.log(H)
                 - 0.5 * ((chosen ** 2).sum() - H * (m ** 2).sum()))
        terms[k] = (log_w, m)
    log_z = np.logaddexp.reduce([lw for lw, _ in terms.values()])
    return {k: (lw - log_z, m) for k, (lw, m) in terms.items()}, log_z


def expand_rbm(W, a, b, ternary):
    """{h tuple: (log p(h), a + W h)} and log Z of a Gaussian-visible RBM with unit variance."""
    W, a, b = (x.astype(np.float64) for x in (W, a, b))
    d, H = W.shape
    terms = {}
    for h in itertools.product((-1, 0, 1) if ternary else (0, 1), repeat=H):
        c = a + W @ np.array(h, float)
        terms[h] = (b @ np.array(h, float) + 0.5 * (c @ c - a @ a), c)
    log_z_prime = np.logaddexp.reduce([lw for lw, _ in terms.values()])
    return {h: (lw - log_z_prime, c) for h, (lw, c) in terms.items()}, d / 2 * LOG_2PI + log_z_prime


def save_model(path, W, a, b, visible="gaussian", hidden="bernoulli"):
    meta = {"visible_units": visible, "hidden_units": hidden, "visible_bias": True,
            "n_visible": W.shape[0], "n_hidden": W.shape[1]}
    np.savez(path, W=W.astype(np.float32), a=a.astype(np.float32), b=b.astype(np.float32),
             meta=np.array(json.dumps(meta)))
    return path


def random_model(d, H, seed):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(d, H)).astype(np.float32), rng.normal(size=d).astype(np.float32),
            rng.normal(size=H).astype(np.float32))


@pytest.fixture
def experts_json(tmp_path):
    path = tmp_path / "experts.json"
    path.write_text(json.dumps({"means": MEANS, "weights": WEIGHTS}))
    return path


def mixture_json(*args):
    return json.loads(run("mixture", *args, "--json", check=0).stdout)


def check_components(j, expected, label):
    weights = [c["weight"] for c in j["components"]]
    assert weights == sorted(weights, reverse=True)
    assert [c["rank"] for c in j["components"]] == list(range(1, len(weights) + 1))
    for c in j["components"]:
        lw, centre = expected[tuple(c[label])]
        assert c["log_weight"] == pytest.approx(lw, abs=1e-5)
        assert c["weight"] == pytest.approx(np.exp(lw), abs=1e-6)
        np.testing.assert_allclose(c["centre"], centre, atol=1e-6)


def test_experts_json_matches_numpy(experts_json):
    j = mixture_json(experts_json)
    expected, log_z = expand_experts(MEANS, WEIGHTS)
    assert j["kind"] == "product_of_experts" and j["file"] == str(experts_json)
    assert (j["n_experts"], j["components_per_expert"], j["dim"]) == (2, 2, 2)
    assert j["n_components"] == 4 and j["shown"] == 4 and j["variance"] == 0.5
    assert j["means"] == MEANS and j["weights"] == WEIGHTS
    assert j["log_normaliser"] == pytest.approx(log_z, abs=1e-9)
    assert sum(c["weight"] for c in j["components"]) == pytest.approx(1.0, abs=1e-12)
    check_components(j, expected, "k")
    # The exercise's centres: m_(k1,k2) = (u_{1,k1} + u_{2,k2}) / 2.
    u = np.array(MEANS)
    for c in j["components"]:
        k1, k2 = c["k"]
        np.testing.assert_allclose(c["centre"], (u[0, k1] + u[1, k2]) / 2, atol=1e-12)


def test_experts_text_lists_components_heaviest_first(experts_json):
    out = run("mixture", experts_json, check=0).stdout
    expected, log_z = expand_experts(MEANS, WEIGHTS)
    assert "2 experts, each a mixture of 2 Gaussians" in out
    assert "2^2 = 4 Gaussians N(x; m_k, I/2)" in out
    assert float(re.search(r"log normaliser: (\S+)", out).group(1)) == pytest.approx(log_z, abs=1e-4)
    rows = [m.groups() for m in map(ROW.match, out.splitlines()) if m]
    assert [int(r[0]) for r in rows] == [1, 2, 3, 4]
    want = sorted(expected.items(), key=lambda kv: -kv[1][0])
    for (rank, weight, k, centre), (k_want, (lw, m)) in zip(rows, want):
        assert tuple(int(x) for x in k.strip("()").split(",")) == k_want
        assert float(weight) == pytest.approx(np.exp(lw), rel=1e-5)
        np.testing.assert_allclose([float(x) for x in centre.split(",")], m, atol=1e-4)


def test_experts_npz_without_weights_is_uniform(tmp_path):
    path = tmp_path / "experts.npz"
    np.savez(path, means=np.array(MEANS))
    j = mixture_json(path)
    expected, log_z = expand_experts(MEANS, [[0.5, 0.5], [0.5, 0.5]])
    assert j["weights"] == [[0.5, 0.5], [0.5, 0.5]]
    assert j["log_normaliser"] == pytest.approx(log_z, abs=1e-9)
    check_components(j, expected, "k")


@pytest.mark.parametrize("hidden", ["bernoulli", "ternary"])
def test_gaussian_model_matches_numpy(tmp_path, hidden):
    W, a, b = random_model(3, 3, seed=1)
    path = save_model(tmp_path / "model.npz", W, a, b, hidden=hidden)
    j = mixture_json(path)
    expected, log_z = expand_rbm(W, a, b, hidden == "ternary")
    assert j["kind"] == "gaussian_rbm" and j["hidden_units"] == hidden
    assert j["n_hidden"] == 3 and j["dim"] == 3 and j["variance"] == 1.0
    assert j["n_components"] == len(expected) == j["shown"]
    assert j["log_z"] == pytest.approx(log_z, abs=1e-9) and j["log_normaliser"] == j["log_z"]
    check_components(j, expected, "h")

    out = run("mixture", path, check=0).stdout
    assert f"RBM with 3 Gaussian visible units (unit variance) and 3 {hidden} hidden units" in out
    assert float(re.search(r"log Z:\s+(\S+)", out).group(1)) == pytest.approx(log_z, abs=1e-4)
    rows = [m.groups() for m in map(ROW.match, out.splitlines()) if m]
    assert len(rows) == len(expected)
    heaviest = max(expected.items(), key=lambda kv: kv[1][0])[0]
    symbols = {-1: "-", 0: "0", 1: "+" if hidden == "ternary" else "1"}
    assert rows[0][2] == "".join(symbols[x] for x in heaviest)


def test_top_limits_the_list(tmp_path):
    W, a, b = random_model(2, 3, seed=2)
    path = save_model(tmp_path / "model.npz", W, a, b)
    full = mixture_json(path)
    top = mixture_json(path, "--top", "3")
    assert top["n_components"] == 8 and top["shown"] == 3 and len(top["components"]) == 3
    assert top["components"] == full["components"][:3] and top["log_z"] == full["log_z"]
    out = run("mixture", path, "--top", "3", check=0).stdout
    assert len([line for line in out.splitlines() if ROW.match(line)]) == 3
    assert "(the 3 heaviest of 8 components; --top sets how many)" in out


def test_long_centres_are_abbreviated_in_text_only(tmp_path):
    W, a, b = random_model(12, 2, seed=3)
    path = save_model(tmp_path / "model.npz", W, a, b)
    out = run("mixture", path, check=0).stdout
    assert "..., " in out and "(12 values)" in out
    assert all(len(c["centre"]) == 12 for c in mixture_json(path)["components"])


def test_bernoulli_model_is_refused(tmp_path):
    W, a, b = random_model(3, 2, seed=4)
    path = save_model(tmp_path / "model.npz", W, a, b, visible="bernoulli")
    p = run("mixture", path, check=2)
    assert p.stdout == ""
    assert p.stderr.startswith(f"rbmkit: error: {path}: the mixture view needs Gaussian visible units")


def test_malformed_experts_are_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"means": [[[0, 1]], ')
    p = run("mixture", bad, check=1)
    assert p.stderr.startswith(f"rbmkit: error: {bad}: not valid JSON")
    bad.write_text(json.dumps({"means": MEANS, "weights": [[0.6, 0.6], [0.5, 0.5]]}))
    p = run("mixture", bad, check=1)
    assert "weights[0] sums to 1.2" in p.stderr
    p = run("mixture", tmp_path / "missing.json", check=1)
    assert "missing.json" in p.stderr


def test_too_many_components_and_bad_flags_are_refused(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"means": [[[0.0], [1.0], [2.0]]] * 30}))
    p = run("mixture", path, check=2)
    assert "3^30 = 205891132094649 components" in p.stderr
    p = run("mixture", path, "--top", "0", check=2)
    assert p.stderr.startswith("rbmkit: error:") and "--top" in p.stderr
