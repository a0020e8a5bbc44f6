"""rbmkit.RBM: every model and estimator of the library, with the CLI's general defaults."""
from ._base import RBMBase
from ._options import TRAIN_OPTIONS, constraints, parameter_docs

# The training options of the library's table that RBM takes, with their table defaults (the
# data spec excepted: fit takes the data).
_PARAMS = [o for o in TRAIN_OPTIONS if o not in ("data", "random_state")]


class RBM(RBMBase):
    def __init__(self, n_components=100, *, hidden_units="bernoulli", visible_units="bernoulli", method="cd",
                 n_chains=100, n_temperatures=10, beta_min=0.5, k=1, k_ramp=0.0, learning_rate=0.1, lr_schedule="constant",
                 lr_final=0.0001, momentum=0.0, weight_decay=0.0, l1=0.0, centring=False, sparsity_target=0.0,
                 sparsity_cost=0.0, batch_size=100, n_updates=None, n_iter=10.0, average=0.0, visible_bias=True, init_std=0.01,
                 n_threads=0, precision="auto", report_every=0, standardize=False, binarize="auto", random_state=None, verbose=0):
        self.n_components = n_components
        self.hidden_units = hidden_units
        self.visible_units = visible_units
        self.method = method
        self.n_chains = n_chains
        self.n_temperatures = n_temperatures
        self.beta_min = beta_min
        self.k = k
        self.k_ramp = k_ramp
        self.learning_rate = learning_rate
        self.lr_schedule = lr_schedule
        self.lr_final = lr_final
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.l1 = l1
        self.centring = centring
        self.sparsity_target = sparsity_target
        self.sparsity_cost = sparsity_cost
        self.batch_size = batch_size
        self.n_updates = n_updates
        self.n_iter = n_iter
        self.average = average
        self.visible_bias = visible_bias
        self.init_std = init_std
        self.n_threads = n_threads
        self.precision = precision
        self.report_every = report_every
        self.standardize = standardize
        self.binarize = binarize
        self.random_state = random_state
        self.verbose = verbose

    _parameter_constraints: dict = {
        **{name: constraints(name) for name in _PARAMS},
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def _library_options(self, n_samples):
        options = {name: getattr(self, name) for name in _PARAMS}
        if options["n_updates"] is not None:
            options["n_iter"] = None
        return options

    def _accepts_specs(self):
        return True

    @classmethod
    def _params_from_settings(cls, settings, model):
        params = {"n_components": model["W"].shape[1], "hidden_units": model["hidden_units"],
                  "visible_units": model["visible_units"], "visible_bias": model["visible_bias"]}
        by_name = {o["name"]: keyword for keyword, o in TRAIN_OPTIONS.items() if keyword in _PARAMS}
        for name, value in settings.items():
            keyword = by_name.get(name)
            if keyword is None or keyword in params or value is None:
                continue
            params[keyword] = value == "on" if TRAIN_OPTIONS[keyword]["kind"] == "switch" else value
        if isinstance(settings.get("seed"), int):
            params["random_state"] = settings["seed"]
        return params


RBM.__doc__ = f"""Restricted Boltzmann Machine: every unit type and estimator of rbmkit.

Binary (Bernoulli) or Gaussian visible units, Bernoulli or ternary hidden units; CD-k, PCD-k or
parallel tempering; momentum, weight decay, L1, sparsity, centring and learning-rate schedules.
Parameters, defaults, ranges and their help come from the library's option table, the one
`rbmkit train --help` shows, so RBM(**p).fit(X) and `rbmkit train` with the same settings train the
same model bit for bit. fit also takes a data spec ("mnist:train:3", "digits.npy"), read as the
CLI reads it (binarize applies to it); the model file save() writes is then byte-identical to the
CLI's. A scikit-learn estimator: it fits in pipelines, clones and pickles.

Parameters
----------
{parameter_docs({name: TRAIN_OPTIONS[name]["default"] for name in _PARAMS},
                {"n_iter": ("float", "passes over the data (replaces n_updates)"),
                 "binarize": ("str", "binarisation of a data spec given to fit: threshold[:T], stochastic[:SEED], none or auto")})}

random_state : int, RandomState instance or None, default=None
    An int is the library's seed (the CLI's --seed); otherwise a seed is drawn on each fit.

verbose : int, default=0
    When not 0, print the pseudo-likelihood on the training data after each epoch.
"""
