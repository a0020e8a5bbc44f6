"""rbmkit: restricted Boltzmann machines, fast and with log-likelihoods you can trust.

    from rbmkit import BernoulliRBM      # a drop-in for sklearn.neural_network.BernoulliRBM
    rbm = BernoulliRBM(n_components=100, random_state=0).fit(X)
    rbm.log_likelihood(X)                # exact, AIS or RAISE, with a certified upper bound

rbmkit.RBM is the general estimator (Gaussian visible units, ternary hidden units, PCD, parallel
tempering, ...); rbmkit.load reads model files of the rbmkit command; rbmkit.from_sklearn takes
over a fitted scikit-learn model; rbmkit.datasets and rbmkit.plot give data and pictures.
"""
from ._rbmkit import __version__
from ._bernoulli import BernoulliRBM
from ._rbm import RBM
from ._likelihood import LikelihoodResult
from ._files import from_sklearn, load
from ._mixture import mixture
from . import datasets, plot

__all__ = ["BernoulliRBM", "RBM", "LikelihoodResult", "load", "from_sklearn", "mixture", "datasets", "plot",
           "__version__"]
