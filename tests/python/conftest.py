"""Shared helpers for the tests of the Python module rbmkit (PYTHONPATH=build/python)."""
import itertools
import os
import sys

import numpy as np
import pytest

RBMKIT = os.environ.get("RBMKIT_BIN", os.path.join(os.path.dirname(__file__), "../../build/rbmkit"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(RBMKIT)), "python"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from patterns import bars_and_stripes  # noqa: E402,F401  (re-exported for the tests)


def all_states(n):
    """Every binary vector of length n, (2^n, n) float64, in counting order."""
    return np.array(list(itertools.product([0.0, 1.0], repeat=n)))


def exact_log_z(W, a, b):
    """log Z of a binary RBM by enumerating the visible states: W (d, H), a (d), b (H)."""
    V = all_states(W.shape[0])
    return np.logaddexp.reduce(-free_energy(V, W, a, b))


def free_energy(V, W, a, b):
    """F(v) = -a.v - sum_j log(1 + exp(v W_j + b_j)), in float64."""
    return -V @ a - np.logaddexp(0, V @ W + b).sum(axis=1)



@pytest.fixture
def binary_data():
    """300 rows of 36 correlated binary features (uint8), fixed."""
    rng = np.random.RandomState(0)
    z = rng.rand(300, 4) < 0.5
    X = np.repeat(z, 9, axis=1) ^ (rng.rand(300, 36) < 0.1)
    return X.astype(np.uint8)
