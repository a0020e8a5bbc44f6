"""Shared helpers for the CLI tests: run the rbmkit binary and make small data files."""
import os
import subprocess

import numpy as np
import pytest

RBMKIT = os.environ.get("RBMKIT_BIN", os.path.join(os.path.dirname(__file__), "../../build/rbmkit"))


def run(*args, check=None, env=None, cwd=None):
    """Runs rbmkit with args; returns the CompletedProcess (text output)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run([RBMKIT, *map(str, args)], capture_output=True, text=True, env=full_env, cwd=cwd,
                       timeout=600)
    if check is not None:
        assert p.returncode == check, f"exit {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}"
    return p


def bars_and_stripes(n=4):
    """All n x n bars-and-stripes images, (2^(n+1) - 2, n*n) uint8 in {0, 1}."""
    out = []
    for mask in range(1 << n):
        bits = np.array([(mask >> r) & 1 for r in range(n)], dtype=np.uint8)
        rows = np.repeat(bits[:, None], n, axis=1)
        out.append(rows.ravel())
        if 0 < mask < (1 << n) - 1:
            out.append(rows.T.ravel())
    return np.array(out, dtype=np.uint8)


@pytest.fixture
def bas_npy(tmp_path):
    path = tmp_path / "bas.npy"
    np.save(path, bars_and_stripes(4))
    return path
