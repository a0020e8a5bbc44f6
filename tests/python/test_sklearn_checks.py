"""scikit-learn's own estimator checks over rbmkit's estimators. The only expected failures are
the two that scikit-learn marks for its BernoulliRBM (score_samples draws one bit per row, so it
depends on the rows' order and on the batch they come in)."""
from sklearn.utils.estimator_checks import parametrize_with_checks

import rbmkit


def test_expected_failures_are_scikit_learns():
    from sklearn.neural_network import BernoulliRBM

    ours = rbmkit.BernoulliRBM()._get_tags()["_xfail_checks"]
    theirs = BernoulliRBM()._get_tags()["_xfail_checks"]
    assert set(ours) == set(theirs)


@parametrize_with_checks([rbmkit.BernoulliRBM()])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
