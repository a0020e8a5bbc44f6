"""What rbmkit.RBM and rbmkit.BernoulliRBM share: fitting through the library, the fitted
attributes in scikit-learn's layout, and everything a fitted model can do.

Fitted attributes (scikit-learn's names and shapes):
    components_         (n_components, n_features)  W^T, in the dtype of the training data
                                                     (float64 or float32)
    intercept_hidden_   (n_components,)              b
    intercept_visible_  (n_features,)                a
    h_samples_          (n_chains, n_components)     hidden states drawn from the persistent
                                                     chains (pcd and pt; None for cd)
    n_features_in_, feature_names_in_ (when X had string column names)
    history_            train.jsonl's records: one dict per report
    standardization_    (mean, std) of Gaussian visible units trained with standardize, else None
The library trains in float32; the attributes hold its numbers exactly, cast to X's dtype.
"""
import numbers
import os
import time

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from . import _rbmkit
from ._likelihood import LikelihoodResult

# Data of these dtypes goes to the library as it is, without a copy.
_DIRECT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.uint8), np.dtype(np.bool_))


def seed_from(random_state):
    """A library seed from scikit-learn's random_state: the int itself (so the CLI's --seed N and
    random_state=N train the same model), else a draw from the generator (None: numpy's global
    one)."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state)
    return int(check_random_state(random_state).randint(0, 2**31 - 1))


class RBMBase(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Shared implementation; see rbmkit.RBM and rbmkit.BernoulliRBM."""

    # Subclasses: visible and hidden unit types, and the library options of a fit.
    def _library_options(self, n_samples):
        raise NotImplementedError

    def _visible_units(self):
        return getattr(self, "visible_units", "bernoulli")

    # --- input ------------------------------------------------------------------------------

    def _check_X(self, X, reset):
        """X validated as scikit-learn validates it (messages included); float32, float64, uint8
        and bool arrays pass unchanged, anything else becomes float64; sparse input becomes
        dense."""
        direct = isinstance(X, np.ndarray) and any(X.dtype == t for t in _DIRECT_DTYPES)
        dtype = X.dtype if direct else (np.float64, np.float32)
        X = self._validate_data(X, accept_sparse=["csr", "csc"], dtype=dtype, reset=reset)
        if sp.issparse(X):
            X = X.toarray()
        return X

    @staticmethod
    def _out_dtype(X):
        return X.dtype if X.dtype in (np.float32, np.float64) else np.dtype(np.float64)

    def _to_model_units(self, X):
        stats = getattr(self, "standardization_", None)
        if stats is None:
            return X
        return (np.asarray(X, dtype=np.float64) - stats[0]) / stats[1]

    def _from_model_units(self, V):
        stats = getattr(self, "standardization_", None)
        if stats is None:
            return V
        return V * stats[1] + stats[0]

    # --- the model ----------------------------------------------------------------------------

    def _model(self):
        check_is_fitted(self)
        return {
            "W": self.components_.T,
            "a": self.intercept_visible_,
            "b": self.intercept_hidden_,
            "visible_units": self._visible_units(),
            "hidden_units": self.hidden_units,
            "visible_bias": getattr(self, "visible_bias", True),
        }

    def _set_model(self, model, dtype):
        self.components_ = np.ascontiguousarray(model["W"].T, dtype=dtype)
        self.intercept_hidden_ = model["b"].astype(dtype)
        self.intercept_visible_ = model["a"].astype(dtype)
        self._n_features_out = self.components_.shape[0]

    def _set_fitted(self, result, dtype, seed):
        self._set_model(result["model"], dtype)
        state = dict(result["state"])
        state.pop("model", None)
        self._train_state = state
        self._meta = result["meta"]
        self.history_ = result["history"]
        self.standardization_ = result["standardization"]
        chains = self._chains()
        if chains is None:
            self.h_samples_ = None
        else:
            P = _rbmkit.hidden_means(self._model(), chains)
            rng = np.random.RandomState((seed + state.get("update", 0)) % 2**32)
            self.h_samples_ = (rng.uniform(size=P.shape) < P).astype(dtype)

    def _chains(self):
        """The persistent chains at the end of training (beta = 1 for pt), or None."""
        arrays = getattr(self, "_train_state", {}).get("arrays", {})
        if "pcd.chains" in arrays:
            return arrays["pcd.chains"]
        ladder = sorted((k for k in arrays if k.startswith("pt.ladder.")), key=lambda k: int(k.rsplit(".", 1)[1]))
        return arrays[ladder[-1]] if ladder else None

    # --- training -----------------------------------------------------------------------------

    def _fit_library(self, X, options, seed, dtype, any_finite):
        """Runs the library's fit; with verbose, one epoch at a time (bit-identical to one run),
        printing scikit-learn's progress line after each."""
        if not self.verbose:
            return _rbmkit.fit(options, X, any_finite=any_finite)
        n_epochs = options.get("n_iter")
        if options.get("n_updates") or n_epochs is None or int(n_epochs) != n_epochs:
            return _rbmkit.fit(options, X, any_finite=any_finite)
        per_epoch = X.shape[0] if options["batch_size"] == 1 else -(-X.shape[0] // options["batch_size"])
        result, begin = None, time.time()
        for epoch in range(1, int(n_epochs) + 1):
            resume = result["state"] if result else None
            result = _rbmkit.fit(options, X, resume=resume, until=epoch * per_epoch, any_finite=any_finite,
                                 standardization=result["standardization"] if result else None)
            self._set_fitted(result, dtype, seed)
            end = time.time()
            pll = self.score_samples(X).mean() if self._visible_units() == "bernoulli" else float("nan")
            print("[%s] Iteration %d, pseudo-likelihood = %.2f, time = %.2fs"
                  % (type(self).__name__, epoch, pll, end - begin))
            begin = end
        return result

    def fit(self, X, y=None):
        """Fit the model to the data X (n_samples, n_features); returns self.

        The estimator is changed only when the fit completes: Ctrl-C (KeyboardInterrupt, seen
        within about 50 ms, between updates) leaves it as it was.
        """
        self._validate_params()
        spec = isinstance(X, (str, os.PathLike))
        if spec and not self._accepts_specs():
            raise TypeError(f"{type(self).__name__}.fit expects an array, not a data spec ({X!r})")
        if spec:
            X_arr, dtype = None, np.dtype(np.float32)
        else:
            X_arr = self._check_X(X, reset=True)
            dtype = self._out_dtype(X_arr)
        seed = seed_from(self.random_state)
        options = self._library_options(None if spec else X_arr.shape[0])
        options["random_state"] = seed
        if spec:
            options["data"] = os.fspath(X)
        any_finite = self._warn_outside_unit_interval(X_arr) if X_arr is not None else False
        if options.get("n_iter") == 0:
            model = _rbmkit.initial_model(options, X_arr)
            result = {"model": model, "state": {"arrays": {}, "update": 0, "total_updates": 0,
                                                "examples_seen": 0, "seconds": 0.0},
                      "meta": {}, "history": [], "standardization": None}
        else:
            result = self._fit_library(X_arr, options, seed, dtype, any_finite)
        if spec:
            self.n_features_in_ = result["model"]["W"].shape[0]
        self._set_fitted(result, dtype, seed)
        return self

    def partial_fit(self, X, y=None):
        """One update with X as the minibatch, continuing the chains and optimiser state of
        earlier fits (as scikit-learn's partial_fit, one gradient step per call); returns self."""
        self._validate_params()
        first = not hasattr(self, "components_")
        X = self._check_X(X, reset=first)
        if not hasattr(self, "random_state_"):
            self.random_state_ = check_random_state(self.random_state)
        if not hasattr(self, "_partial_seed"):
            self._partial_seed = seed_from(self.random_state)
        seed = self._partial_seed
        options = self._library_options(X.shape[0])
        options.update(random_state=seed, batch_size=X.shape[0], n_iter=None)
        resume = None
        if not first:
            state = getattr(self, "_train_state", None) or {"arrays": {}}
            resume = {"update": 0, "total_updates": 0, "examples_seen": 0, "seconds": 0.0, **state,
                      "model": self._model()}
        options["n_updates"] = (resume["update"] if resume else 0) + 1
        any_finite = self._warn_outside_unit_interval(X)
        result = _rbmkit.fit(options, X, resume=resume, any_finite=any_finite,
                             standardization=getattr(self, "standardization_", None))
        self._set_fitted(result, self._out_dtype(X) if first else self.components_.dtype, seed)
        return self

    def _accepts_specs(self):
        return False

    # Bernoulli visible units model values in [0, 1]. The library refuses others (as the CLI
    # does); BernoulliRBM trains on them as scikit-learn does, with a warning.
    _trains_outside_unit_interval = False

    def _warn_outside_unit_interval(self, X):
        """Returns whether the library is to accept values outside [0, 1], warning when X has
        them."""
        if (not self._trains_outside_unit_interval or self._visible_units() != "bernoulli"
                or X.dtype in (np.uint8, np.bool_) or X.size == 0):
            return False
        lo, hi = float(X.min()), float(X.max())
        if lo >= 0.0 and hi <= 1.0:
            return False
        import warnings

        warnings.warn(f"{type(self).__name__}: X has values in [{lo:.4g}, {hi:.4g}], outside [0, 1]; binary "
                      "units model binary data or probabilities", UserWarning, stacklevel=3)
        return True

    # --- scikit-learn's methods ------------------------------------------------------------------

    def transform(self, X):
        """E[h | x] for each row of X: (n_samples, n_components), in X's float dtype."""
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        return _rbmkit.hidden_means(self._model(), self._to_model_units(X)).astype(self._out_dtype(X), copy=False)

    def score_samples(self, X):
        """The pseudo-likelihood of each row of X, as scikit-learn's BernoulliRBM computes it:
        d log sigm(F(x~) - F(x)) with one bit per row flipped (x~_i = 1 - x_i), the bits drawn
        from a fresh generator from random_state. Bernoulli visible units only."""
        check_is_fitted(self)
        v = self._check_X(X, reset=False)
        rng = check_random_state(self.random_state)
        flipped = rng.randint(0, v.shape[1], v.shape[0])
        return _rbmkit.pseudo_log_likelihood_at(self._model(), v, flipped)

    def gibbs(self, v):
        """One Gibbs step v -> h -> v' from each row of v (bool for binary units), drawn from
        random_state_ (made from random_state on first use)."""
        check_is_fitted(self)
        v = self._check_X(v, reset=False)
        if not hasattr(self, "random_state_"):
            self.random_state_ = check_random_state(self.random_state)
        seed = int(self.random_state_.randint(0, 2**31 - 1))
        states, _ = _rbmkit.chains(self._model(), self._to_model_units(v), 1, seed)
        if self._visible_units() == "bernoulli":
            return states.astype(bool)
        return self._from_model_units(states)

    def _more_tags(self):
        return {
            "_xfail_checks": {
                "check_methods_subset_invariance": "fails for the decision_function method",
                "check_methods_sample_order_invariance": "fails for the score_samples method",
            },
            "preserves_dtype": [np.float64, np.float32],
        }

    # --- beyond scikit-learn ---------------------------------------------------------------------

    def free_energy(self, X):
        """F(x) = -log sum_h exp(-E(x, h)) for each row of X (float64)."""
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        return _rbmkit.free_energy(self._model(), self._to_model_units(X))

    def log_likelihood(self, X, method="auto", *, n_chains=None, n_examples=None, betas=None, random_state=0,
                       per_example=False):
        """The mean log-likelihood of X (binary for binary units), with its certified upper bound.

        method: "auto" (exact when enumeration is cheap, else AIS and RAISE), "exact", "ais",
        "raise" or "both"; n_chains AIS chains, n_examples RAISE examples, betas the annealing
        schedule length (defaults: the library's, as `rbmkit eval`). per_example adds log p(x)
        of each row. Returns a LikelihoodResult.
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        options = {"method": method, "random_state": seed_from(random_state)}
        for key, value in (("n_chains", n_chains), ("n_examples", n_examples), ("betas", betas)):
            if value is not None:
                options[key] = value
        report = _rbmkit.log_likelihood(self._model(), self._to_model_units(X), options, per_example)
        return LikelihoodResult.from_report(report)

    def log_partition(self, X=None, method="auto", **kwargs):
        """log Z: exact, or estimated by AIS from data X (whose base rates start the annealing).
        Returns the LikelihoodResult; its log_z and log_z_std_error are the figures."""
        check_is_fitted(self)
        if X is None:
            X = np.zeros((1, self.n_features_in_), dtype=np.uint8)
        return self.log_likelihood(X, method, **kwargs)

    def sample(self, n_samples=100, n_steps=1000, init="data", clamp=None, *, X=None, random_state=0,
               return_means=False):
        """Samples of the model from alternating Gibbs chains.

        init: "data" (rows of X drawn at random; X required), "noise" (coin flips; N(a, I) for
        Gaussian units), or an array (n, n_features) of starting states (n_samples is then n).
        clamp: a mask (n_features,) of 0/1; units marked 1 keep their starting values (conditional
        sampling, inpainting). Returns the final states (n, n_features), or (states, means) with
        return_means (the means E[v | h] of the last step).
        """
        check_is_fitted(self)
        seed = seed_from(random_state)
        if isinstance(init, str):
            if init == "noise":
                start = _rbmkit.noise(self._model(), int(n_samples), seed)
            elif init == "data":
                if X is None:
                    raise ValueError("init='data' needs the data to start from: pass X (or init='noise')")
                X = self._check_X(X, reset=False)
                rows = np.random.RandomState(seed % 2**32).choice(X.shape[0], int(n_samples), replace=X.shape[0] < n_samples)
                start = self._to_model_units(X[rows])
            else:
                raise ValueError(f"init must be 'data', 'noise' or an array (got {init!r})")
        else:
            start = self._to_model_units(self._check_X(init, reset=False))
        if clamp is not None:
            clamp = np.asarray(clamp)
            if clamp.shape != (self.n_features_in_,):
                raise ValueError(f"clamp must have shape ({self.n_features_in_},) (got {clamp.shape})")
        states, means = _rbmkit.chains(self._model(), np.ascontiguousarray(start, dtype=np.float32), int(n_steps), seed,
                                       None if clamp is None else clamp.astype(np.float32))
        states, means = self._from_model_units(states), self._from_model_units(means)
        return (states, means) if return_means else states

    def save(self, path):
        """Writes the model to path (model.npz, atomically), as `rbmkit train` writes it; the
        CLI's eval, sample, show and mixture commands read it."""
        check_is_fitted(self)
        _rbmkit.save_model(os.fspath(path), self._model(), getattr(self, "_meta", {}) or {},
                           getattr(self, "standardization_", None))

    @classmethod
    def load(cls, path):
        """The model in path (a model.npz), fitted, with the parameters its file records."""
        loaded = _rbmkit.load_model(os.fspath(path))
        model, meta = loaded["model"], loaded["meta"] or {}
        est = cls(**cls._params_from_settings(meta.get("settings") or {}, model))
        est._set_model(model, np.float32)
        est.n_features_in_ = model["W"].shape[0]
        est._meta = meta
        est.history_ = []
        est.standardization_ = loaded["standardization"]
        est.h_samples_ = None
        est._train_state = {"arrays": {}}
        return est

    @classmethod
    def _params_from_settings(cls, settings, model):
        raise NotImplementedError
