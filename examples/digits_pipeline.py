"""RBM features for digit classification, with rbmkit's BernoulliRBM in place of scikit-learn's.

scikit-learn's example "Restricted Boltzmann Machine features for digit classification": the
8x8 digits, each also nudged by one pixel in four directions (5x the data), scaled to [0, 1]; an
RBM (100 hidden units, learning rate 0.06, 10 epochs) feeds a logistic regression (C = 6000) in
a Pipeline. The same pipeline runs with each BernoulliRBM; accuracy and fit time side by side,
and the raw-pixel logistic regression (C = 100) as the baseline.

    PYTHONPATH=build/python /usr/bin/python3 examples/digits_pipeline.py
"""
import time

import numpy as np
from scipy.ndimage import convolve
from sklearn import datasets, linear_model
from sklearn.base import clone
from sklearn.model_selection import train_test_split
from sklearn.neural_network import BernoulliRBM as SklearnRBM
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import minmax_scale

import rbmkit


def nudge_dataset(X, Y):
    """X and its copies shifted by one pixel left, right, down and up (scikit-learn's example)."""
    directions = [[[0, 1, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [1, 0, 0], [0, 0, 0]],
                  [[0, 0, 0], [0, 0, 1], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 1, 0]]]
    shift = lambda x, w: convolve(x.reshape((8, 8)), mode="constant", weights=w).ravel()  # noqa: E731
    X = np.concatenate([X] + [np.apply_along_axis(shift, 1, X, np.array(w)) for w in directions])
    return X, np.concatenate([Y for _ in range(5)], axis=0)


def main():
    X, y = datasets.load_digits(return_X_y=True)
    X = np.asarray(X, "float32")
    X, y = nudge_dataset(X, y)
    X = minmax_scale(X, feature_range=(0, 1))
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)

    logistic = linear_model.LogisticRegression(solver="newton-cg", tol=1, C=6000)
    rows = []
    for name, cls in (("scikit-learn", SklearnRBM), ("rbmkit", rbmkit.BernoulliRBM)):
        rbm = cls(random_state=0, learning_rate=0.06, n_iter=10, n_components=100)
        pipeline = Pipeline(steps=[("rbm", rbm), ("logistic", clone(logistic))])
        start = time.perf_counter()
        rbm.fit(X_train)
        rbm_seconds = time.perf_counter() - start
        pipeline.fit(X_train, y_train)
        accuracy = pipeline.score(X_test, y_test)
        pll = rbm.score_samples(X_test).mean()
        rows.append((name, accuracy, rbm_seconds, pll))
    raw = clone(logistic).set_params(C=100.0).fit(X_train, y_train)

    print(f"{X_train.shape[0]} training and {X_test.shape[0]} test digits of {X.shape[1]} pixels")
    print(f"{'RBM':<14}{'accuracy':>10}{'RBM fit (s)':>14}{'pseudo-likelihood':>20}")
    for name, accuracy, seconds, pll in rows:
        print(f"{name:<14}{accuracy:>10.4f}{seconds:>14.2f}{pll:>20.2f}")
    print(f"{'raw pixels':<14}{raw.score(X_test, y_test):>10.4f}")
    print(f"rbmkit's fit is {rows[0][2] / rows[1][2]:.1f}x faster")


if __name__ == "__main__":
    main()
