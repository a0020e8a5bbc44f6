"""Shared helpers for the CLI tests: run the rbmkit binary and make small data files."""
import os
import subprocess
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from patterns import bars_and_stripes  # noqa: E402,F401  (re-exported for the tests)

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



@pytest.fixture
def bas_npy(tmp_path):
    path = tmp_path / "bas.npy"
    np.save(path, bars_and_stripes(4))
    return path
