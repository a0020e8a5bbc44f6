"""AIS for a binary RBM in plain numpy, as a student would write it from Salakhutdinov and
Murray (2008): the same algorithm as rbmkit's ais_log_partition (base-rate start model with the
same smoothing, the same geometric path and schedule, one Gibbs sweep per beta, log-weights from
the free energies). Prints one JSON line with the seconds AIS took and its log Z. Used by
bench/ais_vs_numpy as the reference rbmkit is compared with."""
import argparse
import json
import os
import time

import numpy as np


def load_mnist_test(cache):
    """The MNIST test images binarised by pixel > 127.5, (10000, 784)."""
    with open(os.path.join(cache, "t10k-images-idx3-ubyte"), "rb") as f:
        x = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
    return (x > 127.5).astype(np.float64)


def sigm(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def softplus(t):
    return np.logaddexp(0.0, t)


def schedule(n):
    """14,500 betas (500 in [0, 0.5), 4,000 in [0.5, 0.9), 10,000 in [0.9, 1]) scaled to n."""
    n1 = max(1, round(n * 500 / 14500))
    n2 = max(1, round(n * 4000 / 14500))
    return np.concatenate([np.linspace(0.0, 0.5, n1, endpoint=False), np.linspace(0.5, 0.9, n2, endpoint=False),
                           np.linspace(0.9, 1.0, n - n1 - n2)])


def ais(W, a, b, base_a, chains, betas, rng, dtype):
    d, H = W.shape
    W, a, b, base_a = (x.astype(dtype) for x in (W, a, b, base_a))
    da = a - base_a
    v = (rng.random((chains, d)) < sigm(base_a)).astype(dtype)
    log_w = np.zeros(chains)
    for k in range(1, len(betas)):
        beta, previous = betas[k], betas[k - 1]
        x = v @ W + b
        log_w += (beta - previous) * (v @ da) + (softplus(beta * x) - softplus(previous * x)).sum(axis=1)
        if k < len(betas) - 1:
            h = (rng.random(x.shape) < sigm(beta * x)).astype(dtype)
            v = (rng.random((chains, d)) < sigm(beta * (h @ W.T) + (1 - beta) * base_a + beta * a)).astype(dtype)
    log_z_base = softplus(base_a.astype(np.float64)).sum() + H * np.log(2.0)
    top = log_w.max()
    return log_z_base + top + np.log(np.mean(np.exp(log_w - top)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="model.npz")
    ap.add_argument("--cache", required=True, help="MNIST cache directory (the base rate comes from the test set)")
    ap.add_argument("--chains", type=int, default=100)
    ap.add_argument("--betas", type=int, default=14500)
    ap.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    args = ap.parse_args()
    with np.load(args.model) as f:
        W, a, b = f["W"], f["a"], f["b"]
    X = load_mnist_test(args.cache)
    n = len(X)
    p = (X.sum(axis=0) + 0.05 * n) / (1.1 * n)
    base_a = np.log(p / (1 - p))
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    log_z = ais(W, a, b, base_a, args.chains, schedule(args.betas), rng, np.dtype(args.dtype))
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "log_z": float(log_z), "betas": args.betas, "chains": args.chains,
                      "hidden": int(W.shape[1]), "dtype": args.dtype}))


if __name__ == "__main__":
    main()
