"""Pictures of models as image arrays (and on screen with matplotlib)."""
import numpy as np

from . import _rbmkit


def _tile(d, tile):
    return tuple(tile) if tile is not None else _rbmkit.default_tile(d)


def _show(img, show):
    if show is False:
        return
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        if show:
            raise
        return
    plt.imshow(img, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    plt.axis("off")


def mosaic(W, tile=None, scale=1, show=None):
    """The weight mosaic of W: one tile per row of W (n_tiles, d), e.g. a fitted estimator's
    components_ (an estimator may be passed itself), each scaled around zero by its own largest
    magnitude (0 mid grey, + white, - black), tiles separated by dark lines. tile: (width,
    height), default (28, 28) for 784 values, (s, s) for d = s^2. Returns the uint8 image
    (height, width); draws it with matplotlib when it is installed (show=None), or as asked."""
    if hasattr(W, "components_"):
        W = W.components_
    W = np.asarray(W)
    width, height = _tile(W.shape[1] if W.ndim == 2 else 0, tile)
    img = _rbmkit.weight_mosaic(W, width, height, int(scale))
    _show(img, show)
    return img


def samples(X, tile=None, columns=0, scale=1, show=None):
    """A mosaic of the rows of X (n, d), values in [0, 1] (0 black): samples or data."""
    X = np.asarray(X, dtype=np.float32)
    width, height = _tile(X.shape[1] if X.ndim == 2 else 0, tile)
    img = _rbmkit.sample_mosaic(X, width, height, int(columns), int(scale))
    _show(img, show)
    return img
