"""Models from files and from scikit-learn."""
import numpy as np

from . import _rbmkit
from ._bernoulli import BernoulliRBM
from ._rbm import RBM


def load(path):
    """The model in a model.npz (written by `rbmkit train`, RBM.save or numpy.savez with W, a
    and b) as a fitted rbmkit.RBM with the parameters its file records."""
    return RBM.load(path)


def from_sklearn(estimator):
    """A fitted rbmkit.BernoulliRBM holding a fitted scikit-learn BernoulliRBM's model: the same
    parameters, components_, intercepts, h_samples_ and feature names (copies, in their dtype).
    fit refits from scratch; partial_fit continues from the model."""
    for name in ("components_", "intercept_hidden_", "intercept_visible_"):
        if not hasattr(estimator, name):
            raise ValueError(f"from_sklearn needs a fitted BernoulliRBM: {type(estimator).__name__} has no {name}")
    _rbmkit.sklearn_model(estimator.components_, estimator.intercept_hidden_, estimator.intercept_visible_)
    params = {k: v for k, v in estimator.get_params().items()
              if k in ("n_components", "learning_rate", "batch_size", "n_iter", "verbose", "random_state")}
    out = BernoulliRBM(**params)
    dtype = estimator.components_.dtype
    out.components_ = np.array(estimator.components_, dtype=dtype, order="C")
    out.intercept_hidden_ = np.array(estimator.intercept_hidden_, dtype=dtype)
    out.intercept_visible_ = np.array(estimator.intercept_visible_, dtype=dtype)
    out._n_features_out = out.components_.shape[0]
    out.n_features_in_ = out.components_.shape[1]
    if hasattr(estimator, "feature_names_in_"):
        out.feature_names_in_ = np.array(estimator.feature_names_in_)
    out.h_samples_ = np.array(estimator.h_samples_) if hasattr(estimator, "h_samples_") else None
    out.history_ = []
    out.standardization_ = None
    out._meta = {"imported_from": "sklearn", "rbmkit_version": _rbmkit.__version__}
    out._train_state = {"arrays": {}}
    return out
