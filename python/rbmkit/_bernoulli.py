"""rbmkit.BernoulliRBM: a drop-in for sklearn.neural_network.BernoulliRBM."""
from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from ._base import RBMBase
from ._options import constraints, parameter_docs

# The rbmkit options this estimator adds to scikit-learn's, with its defaults: scikit-learn's
# algorithm (PCD-1 with batch_size chains, plain SGD).
_RBMKIT_DEFAULTS = {
    "method": "pcd",
    "k": 1,
    "n_chains": None,
    "n_temperatures": 10,
    "momentum": 0.0,
    "weight_decay": 0.0,
    "l1": 0.0,
    "centring": False,
    "lr_schedule": "constant",
    "hidden_units": "bernoulli",
    "n_threads": 0,
    "precision": "auto",
}


class BernoulliRBM(RBMBase):
    def __init__(self, n_components=256, *, learning_rate=0.1, batch_size=10, n_iter=10, verbose=0,
                 random_state=None, method="pcd", k=1, n_chains=None, n_temperatures=10, momentum=0.0,
                 weight_decay=0.0, l1=0.0, centring=False, lr_schedule="constant", hidden_units="bernoulli",
                 n_threads=0, precision="auto"):
        self.n_components = n_components
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.n_iter = n_iter
        self.verbose = verbose
        self.random_state = random_state
        self.method = method
        self.k = k
        self.n_chains = n_chains
        self.n_temperatures = n_temperatures
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.l1 = l1
        self.centring = centring
        self.lr_schedule = lr_schedule
        self.hidden_units = hidden_units
        self.n_threads = n_threads
        self.precision = precision

    _trains_outside_unit_interval = True

    _parameter_constraints: dict = {
        "n_components": constraints("n_components"),
        "learning_rate": constraints("learning_rate"),
        "batch_size": constraints("batch_size"),
        # scikit-learn allows 0 passes (the initial model).
        "n_iter": [Interval(Integral, 0, None, closed="left")],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        **{name: constraints(name) for name in _RBMKIT_DEFAULTS if name != "n_chains"},
        "n_chains": constraints("n_chains") + [None],
    }

    def _library_options(self, n_samples):
        return {
            "n_components": self.n_components,
            "learning_rate": float(self.learning_rate),
            "batch_size": self.batch_size,
            "n_iter": float(self.n_iter),
            "method": self.method,
            "k": self.k,
            "n_chains": self.batch_size if self.n_chains is None else self.n_chains,
            "n_temperatures": self.n_temperatures,
            "momentum": float(self.momentum),
            "weight_decay": float(self.weight_decay),
            "l1": float(self.l1),
            "centring": bool(self.centring),
            "lr_schedule": self.lr_schedule,
            "hidden_units": self.hidden_units,
            "n_threads": self.n_threads,
            "precision": self.precision,
            "visible_bias": True,
            "init_std": 0.01,
        }

    @classmethod
    def _params_from_settings(cls, settings, model):
        params = {"n_components": model["W"].shape[1], "hidden_units": model["hidden_units"]}
        names = {"learning_rate": "lr", "batch_size": "batch", "method": "method", "k": "cd", "n_chains": "chains",
                 "n_temperatures": "temperatures", "momentum": "momentum", "weight_decay": "weight-decay",
                 "l1": "l1", "centring": "centring", "lr_schedule": "lr-schedule", "n_threads": "threads",
                 "precision": "precision"}
        for keyword, name in names.items():
            if settings.get(name) is not None:
                value = settings[name]
                params[keyword] = value == "on" if keyword == "centring" else value
        if isinstance(settings.get("epochs"), (int, float)) and float(settings["epochs"]).is_integer():
            params["n_iter"] = int(settings["epochs"])
        if isinstance(settings.get("seed"), int):
            params["random_state"] = settings["seed"]
        return params


BernoulliRBM.__doc__ = f"""Bernoulli Restricted Boltzmann Machine: scikit-learn's BernoulliRBM, trained by rbmkit.

A drop-in for ``sklearn.neural_network.BernoulliRBM``: the same constructor arguments with the
same meaning and defaults, the same methods and fitted attributes, and the same validation. By
default it runs scikit-learn's algorithm, persistent contrastive divergence (PCD-1) with
``batch_size`` persistent chains and plain SGD, in rbmkit's library (C++, GIL released).

Differences: minibatches are drawn from a fresh permutation of the data each epoch (scikit-learn
takes fixed consecutive slices); intercept_visible_ starts at the logit of the feature means
(Hinton 2010, section 8.1) rather than zero; the persistent chains hold visible states, and
h_samples_ holds hidden states drawn from them. Random numbers come from rbmkit's counter-based
streams keyed by the seed (random_state when it is an int, as the CLI's --seed), so the same
random_state gives the same model on any thread count.

Beyond scikit-learn: log_likelihood (exact, AIS, RAISE, with a certified bound), log_partition,
free_energy, sample (conditional sampling with clamp), save and load, and more estimators and
unit types through the keyword-only options.

Parameters
----------
{parameter_docs({"n_components": 256, "learning_rate": 0.1, "batch_size": 10, "n_iter": 10}, {"n_iter": ("int", "passes over the training data (0: the initial model)")})}

verbose : int, default=0
    When not 0, print the pseudo-likelihood on the training data after each epoch.

random_state : int, RandomState instance or None, default=None
    An int is the library's seed; otherwise a seed is drawn from the generator on each fit.

{parameter_docs(_RBMKIT_DEFAULTS, {"n_chains": ("int or None", "pcd and pt: persistent chains; None: batch_size, as scikit-learn")})}

Attributes
----------
components_, intercept_hidden_, intercept_visible_, h_samples_, n_features_in_,
feature_names_in_, history_ (one dict per training report, as train.jsonl).
"""
