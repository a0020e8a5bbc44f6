"""rbmkit.datasets.load_mnist reads the CLI's MNIST cache (scripts/test fetches it first) as the
CLI reads it: the same thresholded pixels and the labels of the same rows."""

import numpy as np

import rbmkit


def test_load_mnist_matches_the_cli():
    X, y = rbmkit.datasets.load_mnist("test", digits=[3, 8])
    assert X.dtype == np.uint8 and X.shape[1] == 784 and set(np.unique(X)) == {0, 1}
    assert set(np.unique(y)) == {3, 8} and len(y) == len(X)
    grey, y2 = rbmkit.datasets.load_mnist("test", digits="38", binarize="none")
    assert grey.dtype == np.float32 and grey.min() == 0 and grey.max() == 1
    np.testing.assert_array_equal(y, y2)
    np.testing.assert_array_equal(X, grey * 255 > 127.5)
    # A data spec and the array of the same data train the same model.
    rbm = rbmkit.RBM(n_components=5, n_updates=20, random_state=0).fit("mnist:test:38")
    again = rbmkit.RBM(n_components=5, n_updates=20, random_state=0).fit(X)
    np.testing.assert_array_equal(rbm.components_, again.components_.astype(np.float32))
    everything, labels = rbmkit.datasets.load_mnist("train")
    assert everything.shape == (60000, 784) and np.bincount(labels).sum() == 60000
