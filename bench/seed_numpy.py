"""The exercise (docs/exercise.md part 1) in plain numpy, as a student would write it: binary RBM,
no visible bias, CD-k on one random example per update, float64. Prints one JSON line with
the per-update time. Used by bench/seed_vs_numpy as the reference rbmkit is compared with."""
import argparse
import json
import os
import time

import numpy as np


def load_mnist_digit(cache, digit):
    """All MNIST images (train + test) of one digit, binarised by pixel > 127.5, (n, 784)."""
    images, labels = [], []
    for prefix in ["train", "t10k"]:
        with open(os.path.join(cache, f"{prefix}-images-idx3-ubyte"), "rb") as f:
            images.append(np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784))
        with open(os.path.join(cache, f"{prefix}-labels-idx1-ubyte"), "rb") as f:
            labels.append(np.frombuffer(f.read(), dtype=np.uint8, offset=8))
    x, y = np.concatenate(images), np.concatenate(labels)
    return (x[y == digit] > 127.5).astype(np.float64)


def sigm(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def gibbs(x, W, b, k, rng):
    for _ in range(k):
        h = (rng.random(W.shape[1]) < sigm(x @ W + b)).astype(np.float64)
        x = (rng.random(W.shape[0]) < sigm(W @ h)).astype(np.float64)
    return x


def cd_gradient(x, W, b, k, rng):
    xk = gibbs(x, W, b, k, rng)
    p0, pk = sigm(x @ W + b), sigm(xk @ W + b)
    return np.outer(x, p0) - np.outer(xk, pk), p0 - pk


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True)
    ap.add_argument("--updates", type=int, default=20000)
    ap.add_argument("--hidden", type=int, default=100)
    ap.add_argument("--cd", type=int, default=3)
    ap.add_argument("--lr", type=float, default=0.01)
    args = ap.parse_args()
    X = load_mnist_digit(args.cache, 3)
    rng = np.random.default_rng(0)
    W = rng.normal(0.0, 0.1, size=(X.shape[1], args.hidden))
    b = np.zeros(args.hidden)
    start = time.perf_counter()
    for _ in range(args.updates):
        x = X[rng.integers(len(X))]
        dW, db = cd_gradient(x, W, b, args.cd, rng)
        W += args.lr * dW
        b += args.lr * db
    seconds = time.perf_counter() - start
    print(json.dumps({"updates": args.updates, "seconds": seconds, "us_per_update": 1e6 * seconds / args.updates,
                      "examples": len(X)}))


if __name__ == "__main__":
    main()
