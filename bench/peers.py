"""Peers for bench/train_vs_peers: one epoch of RBM training on full MNIST (60,000 images,
thresholded at 127.5) with H hidden units and minibatches of B, in
  torch:   a plain PyTorch CPU implementation of minibatch CD-1 (float32), as a user would write
  sklearn: scikit-learn's BernoulliRBM (PCD-1, its only algorithm), n_iter = 1
Prints one JSON line: examples per second and the thread count used."""
import argparse
import json
import os
import time

import numpy as np


def load_mnist_train(cache):
    with open(os.path.join(cache, "train-images-idx3-ubyte"), "rb") as f:
        x = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
    return (x > 127.5).astype(np.float32)


def run_torch(X, hidden, batch, threads, lr=0.1):
    import torch
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    Xt = torch.from_numpy(X)
    W = 0.01 * torch.randn(X.shape[1], hidden, generator=g)
    a = torch.zeros(X.shape[1])
    b = torch.zeros(hidden)
    start = time.perf_counter()
    perm = torch.randperm(len(Xt), generator=g)
    for i in range(0, len(Xt), batch):
        v0 = Xt[perm[i:i + batch]]
        p0 = torch.sigmoid(v0 @ W + b)
        h0 = (torch.rand(p0.shape, generator=g) < p0).float()
        pv = torch.sigmoid(h0 @ W.T + a)
        v1 = (torch.rand(pv.shape, generator=g) < pv).float()
        p1 = torch.sigmoid(v1 @ W + b)
        n = len(v0)
        W += lr / n * (v0.T @ p0 - v1.T @ p1)
        a += lr * (v0 - v1).mean(0)
        b += lr * (p0 - p1).mean(0)
    return len(Xt) / (time.perf_counter() - start)


def run_sklearn(X, hidden, batch, threads):
    from sklearn.neural_network import BernoulliRBM
    from threadpoolctl import threadpool_limits
    rbm = BernoulliRBM(n_components=hidden, batch_size=batch, learning_rate=0.1, n_iter=1, random_state=0)
    with threadpool_limits(limits=threads):
        start = time.perf_counter()
        rbm.fit(X)
        return len(X) / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("peer", choices=["torch", "sklearn"])
    ap.add_argument("--cache", required=True)
    ap.add_argument("--hidden", type=int, default=500)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    X = load_mnist_train(args.cache)
    rate = (run_torch if args.peer == "torch" else run_sklearn)(X, args.hidden, args.batch, args.threads)
    print(json.dumps({"peer": args.peer, "threads": args.threads, "examples_per_second": rate, "kernels": kernels()}))


def kernels():
    """The BLAS libraries loaded (threadpoolctl: API, version, the kernel's architecture)."""
    from threadpoolctl import threadpool_info
    return ", ".join(sorted({f"{i['internal_api']} {i.get('version')} {i.get('architecture')}" for i in threadpool_info()
                             if i.get("user_api") == "blas"})) or "unknown"


if __name__ == "__main__":
    main()
