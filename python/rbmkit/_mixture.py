"""The mixture-of-Gaussians view of a Gaussian-visible RBM (docs/exercise.md part 2(c))."""
from . import _rbmkit


def mixture(model, top=0):
    """p(x) of a fitted Gaussian-visible rbmkit.RBM as the mixture of Gaussians it is: one
    component per hidden state h, centre a + W h, weight p(h), covariance I. Returns a dict
    (dim, variance, n_components, log_normaliser, components: rank, weight, log_weight, state,
    centre), the `top` heaviest components (0: all), as `rbmkit mixture --json` prints it."""
    return _rbmkit.mixture(model._model(), int(top), type(model).__name__)
