"""Binary data sets with known structure, shared by the Python-side tests (tests/cli, tests/python)."""
import numpy as np


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
