"""bench/python_vs_sklearn: rbmkit.BernoulliRBM against scikit-learn's BernoulliRBM, the same
constructor arguments, in one run, on full MNIST (60,000 training images thresholded at 127.5,
as float64 0/1 arrays, the form scikit-learn takes).

For each configuration: fit time (scikit-learn at its faster BLAS thread count, chosen by a
one-epoch probe of 1 and 2 threads; rbmkit with its default n_threads=0), the pseudo-likelihood
on the first 10,000 training images (score_samples, the same flipped bits for both), and the
held-out log-likelihood of both models on the 10,000 test images, each estimated by rbmkit's
evaluator (AIS from the data's base rates and from the model with its weights off, 14,500
inverse temperatures, 100 chains; with its certified upper bound).
    bench/python_vs_sklearn.py [--quick]   (--quick: one epoch, for a smoke run)
Prints a Markdown table and one JSON line per configuration."""
import argparse
import json
import time

import numpy as np
from sklearn.neural_network import BernoulliRBM as SklearnRBM
from threadpoolctl import threadpool_info, threadpool_limits

import rbmkit

CONFIGS = [
    ("scikit-learn's defaults", dict(n_components=256, batch_size=10, learning_rate=0.1, n_iter=10)),
    ("H = 500, batch 100", dict(n_components=500, batch_size=100, learning_rate=0.1, n_iter=10)),
]


def timed_fit(estimator, X):
    start = time.perf_counter()
    estimator.fit(X)
    return time.perf_counter() - start


def sklearn_threads(params, X):
    """The faster BLAS thread count for scikit-learn, from one epoch each."""
    seconds = {}
    for threads in (1, 2):
        with threadpool_limits(limits=threads):
            seconds[threads] = timed_fit(SklearnRBM(**dict(params, n_iter=1), random_state=0), X)
    return min(seconds, key=seconds.get), seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    X, _ = rbmkit.datasets.load_mnist("train")
    X_test, _ = rbmkit.datasets.load_mnist("test")
    X = X.astype(np.float64)
    blas = [(i["internal_api"], i.get("architecture"), i["num_threads"]) for i in threadpool_info()]
    print(f"numpy BLAS: {blas}")
    print("| configuration | scikit-learn fit | rbmkit fit | speed-up | PLL sklearn | PLL rbmkit "
          "| held-out LL sklearn | held-out LL rbmkit |")
    print("|---|---|---|---|---|---|---|---|")
    for label, params in CONFIGS:
        if args.quick:
            params = dict(params, n_iter=1)
        threads, probe = sklearn_threads(params, X)
        theirs = SklearnRBM(**params, random_state=0)
        with threadpool_limits(limits=threads):
            sklearn_seconds = timed_fit(theirs, X)
        ours = rbmkit.BernoulliRBM(**params, random_state=0)
        rbmkit_seconds = timed_fit(ours, X)
        pll = {name: float(m.score_samples(X[:10000]).mean()) for name, m in (("sklearn", theirs), ("rbmkit", ours))}
        heldout = {}
        for name, model in (("sklearn", rbmkit.from_sklearn(theirs)), ("rbmkit", ours)):
            r = model.log_likelihood(X_test, method="ais", random_state=1)
            heldout[name] = {"estimate": r.estimate, "std_error": r.std_error, "upper_bound": r.upper_bound,
                             "headline": r.method, "warnings": r.warnings}
        print(f"| {label} | {sklearn_seconds:.1f} s ({threads} thread{'s' if threads > 1 else ''}) "
              f"| {rbmkit_seconds:.1f} s | {sklearn_seconds / rbmkit_seconds:.1f}x | {pll['sklearn']:.2f} "
              f"| {pll['rbmkit']:.2f} | {heldout['sklearn']['estimate']:.2f} | {heldout['rbmkit']['estimate']:.2f} |",
              flush=True)
        print(json.dumps({"configuration": label, "params": params, "sklearn_seconds": sklearn_seconds,
                          "sklearn_threads": threads, "sklearn_probe_seconds": probe, "rbmkit_seconds": rbmkit_seconds,
                          "pseudo_likelihood": pll, "heldout_log_likelihood": heldout}), flush=True)


if __name__ == "__main__":
    main()
