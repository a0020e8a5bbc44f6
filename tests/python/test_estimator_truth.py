"""rbmkit's estimators against independent computations in numpy (and scikit-learn's own code):
hidden means, free energies, the pseudo-likelihood with the same flipped bits, exact
log-likelihoods by enumeration, and samples against exact marginals (chi-square)."""
import numpy as np
import pytest
from scipy.special import expit
from scipy.stats import chisquare

import rbmkit
from conftest import all_states, bars_and_stripes, exact_log_z, free_energy


def params(rbm):
    """W (d, H), a, b in float64."""
    return (rbm.components_.T.astype(np.float64), rbm.intercept_visible_.astype(np.float64),
            rbm.intercept_hidden_.astype(np.float64))


@pytest.fixture(scope="module")
def small():
    X = bars_and_stripes(3).astype(np.float64)
    rbm = rbmkit.BernoulliRBM(n_components=5, n_iter=200, learning_rate=0.05, random_state=3).fit(X)
    return rbm, X


def test_transform_is_sigmoid_of_inputs(binary_data):
    X = binary_data.astype(np.float64)
    rbm = rbmkit.BernoulliRBM(n_components=12, n_iter=3, random_state=0).fit(X)
    W, a, b = params(rbm)
    H = rbm.transform(X)
    assert H.dtype == np.float64 and H.shape == (300, 12)
    # float32 products: each of the 36 terms rounds at 2^-24 relative.
    np.testing.assert_allclose(H, expit(X @ W + b), rtol=0, atol=1e-6)
    H32 = rbm.transform(X.astype(np.float32))
    assert H32.dtype == np.float32
    np.testing.assert_allclose(H32, H, atol=1e-6)


def test_free_energy_matches_numpy(small):
    rbm, X = small
    np.testing.assert_allclose(rbm.free_energy(X), free_energy(X, *params(rbm)), rtol=1e-6, atol=1e-5)


def test_score_samples_is_scikit_learns_formula_on_the_same_bits(small, binary_data):
    rbm, _ = small
    X = binary_data.astype(np.float64)
    rbm = rbmkit.BernoulliRBM(n_components=8, n_iter=2, random_state=7).fit(X)
    W, a, b = params(rbm)
    # scikit-learn's score_samples: one bit per row from a fresh RandomState(random_state).
    ind = (np.arange(X.shape[0]), np.random.RandomState(7).randint(0, X.shape[1], X.shape[0]))
    X_ = X.copy()
    X_[ind] = 1 - X_[ind]
    expected = X.shape[1] * -np.logaddexp(0, -(free_energy(X_, W, a, b) - free_energy(X, W, a, b)))
    np.testing.assert_allclose(rbm.score_samples(X), expected, rtol=1e-5, atol=1e-4)
    # ... and scikit-learn's own code on the same model gives the same numbers.
    from sklearn.neural_network import BernoulliRBM

    theirs = BernoulliRBM(n_components=8, random_state=7)
    theirs.components_, theirs.intercept_visible_, theirs.intercept_hidden_ = W.T.copy(), a, b
    theirs.n_features_in_ = X.shape[1]
    np.testing.assert_allclose(rbm.score_samples(X), theirs.score_samples(X), rtol=1e-5, atol=1e-4)


def test_exact_log_likelihood_matches_enumeration(small):
    rbm, X = small
    W, a, b = params(rbm)
    log_z = exact_log_z(W, a, b)
    expected = np.mean(-free_energy(X, W, a, b)) - log_z
    result = rbm.log_likelihood(X, method="exact", per_example=True)
    assert result.method == "exact"
    assert result.estimate == pytest.approx(expected, abs=1e-4)
    assert result.log_z == pytest.approx(log_z, abs=1e-4)
    assert result.std_error == 0
    assert result.upper_bound >= result.estimate - 1e-9
    np.testing.assert_allclose(result.per_example, -free_energy(X, W, a, b) - log_z, atol=1e-4)
    assert float(result) == result.estimate and "exact" in str(result)


def test_ais_agrees_with_enumeration(small):
    rbm, X = small
    exact = rbm.log_likelihood(X, method="exact")
    ais = rbm.log_likelihood(X, method="ais", n_chains=200, betas=2000, random_state=1)
    assert ais.report["ais"]["log_z"] == pytest.approx(exact.log_z, abs=4 * ais.report["ais"]["log_z_std_error"] + 0.05)
    assert ais.log_z >= exact.log_z - 0.5


def test_log_partition_without_data_is_exact(small):
    rbm, _ = small
    assert rbm.log_partition().log_z == pytest.approx(exact_log_z(*params(rbm)), abs=1e-4)


def exact_visible_distribution(W, a, b):
    V = all_states(W.shape[0])
    log_p = -free_energy(V, W, a, b)
    return V, np.exp(log_p - np.logaddexp.reduce(log_p))


def state_index(S):
    """Row of all_states for each binary row of S."""
    return (S.astype(np.int64) * (1 << np.arange(S.shape[1] - 1, -1, -1))).sum(axis=1)


@pytest.fixture(scope="module")
def tiny():
    rng = np.random.RandomState(5)
    X = (rng.rand(200, 4) < [0.8, 0.2, 0.6, 0.4]).astype(np.float64)
    X[:, 3] = X[:, 0]
    return rbmkit.BernoulliRBM(n_components=3, n_iter=50, learning_rate=0.1, random_state=2).fit(X)


def test_samples_follow_the_exact_distribution(tiny):
    V, p = exact_visible_distribution(*params(tiny))
    S = tiny.sample(n_samples=20000, n_steps=30, init="noise", random_state=11)
    counts = np.bincount(state_index(S), minlength=len(p))
    assert chisquare(counts, 20000 * p).pvalue > 1e-3


def test_clamped_samples_follow_the_exact_conditional(tiny):
    V, p = exact_visible_distribution(*params(tiny))
    clamp = np.array([1, 0, 1, 0])
    start = np.tile([1.0, 0.0, 0.0, 1.0], (20000, 1))
    S = tiny.sample(init=start, n_steps=30, clamp=clamp, random_state=4)
    assert np.all(S[:, 0] == 1) and np.all(S[:, 2] == 0)
    keep = (V[:, 0] == 1) & (V[:, 2] == 0)
    conditional = p[keep] / p[keep].sum()
    counts = np.bincount(state_index(S), minlength=len(p))[keep]
    assert chisquare(counts, 20000 * conditional).pvalue > 1e-3


def test_gibbs_returns_binary_states(tiny):
    v = np.zeros((5, 4))
    out = tiny.gibbs(v)
    assert out.dtype == bool and out.shape == (5, 4)
    assert not np.array_equal(tiny.gibbs(np.ones((200, 4))), tiny.gibbs(np.ones((200, 4))))
