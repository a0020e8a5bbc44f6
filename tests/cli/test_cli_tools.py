"""The features users reach for after training: hidden features for a classifier (transform),
inpainting (sample --clamp), per-example log-likelihoods, models made elsewhere (import, the
minimal model file, warm starts), and the pictures' conventions."""
import json
import struct
import zlib

import numpy as np
import pytest

from conftest import bars_and_stripes, run


def softplus(x):
    return np.logaddexp(0.0, x)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def model_arrays(path):
    with np.load(path) as f:
        return tuple(f[k].astype(np.float64) for k in ("W", "a", "b"))


def png_gray(path):
    """(width, height, pixels) of an 8-bit grayscale, non-interlaced PNG."""
    data = open(path, "rb").read()
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    rows, prev = [], bytearray(width)
    for y in range(height):
        f, line = raw[y * (width + 1)], bytearray(raw[y * (width + 1) + 1:(y + 1) * (width + 1)])
        for x in range(width):
            left = line[x - 1] if x else 0
            up, up_left = prev[x], prev[x - 1] if x else 0
            pred = [0, left, up, (left + up) // 2][f] if f < 4 else \
                min((left, up, up_left), key=lambda c: abs(left + up - up_left - c))
            line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(height, width)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("tools")
    np.save(d / "bas.npy", bars_and_stripes(4))
    run("train", "--data", d / "bas.npy", "--hidden", "6", "--updates", "400", "--batch", "10", "--seed", "2",
        "--out", d / "m", "-q", check=0)
    return d / "m" / "model.npz", d / "bas.npy"


def test_transform_writes_the_hidden_means_or_states(trained, tmp_path):
    model, data = trained
    W, a, b = model_arrays(model)
    X = bars_and_stripes(4).astype(np.float64)
    run("transform", model, "--data", data, "--out", tmp_path / "h.npy", "-q", check=0)
    H = np.load(tmp_path / "h.npy")
    assert H.dtype == np.float32 and H.shape == (X.shape[0], 6)
    assert np.abs(H - sigmoid(X @ W + b)).max() < 1e-5
    run("transform", model, "--data", data, "--out", tmp_path / "s.npy", "--sample", "--seed", "3", "-q", check=0)
    S = np.load(tmp_path / "s.npy")
    assert set(np.unique(S)) <= {0.0, 1.0} and 0 < S.mean() < 1


def test_per_example_log_likelihoods_sum_to_the_mean(trained, tmp_path):
    model, data = trained
    W, a, b = model_arrays(model)
    X = bars_and_stripes(4).astype(np.float64)
    j = json.loads(run("eval", model, "--data", data, "--per-example", tmp_path / "ll.npy", "--json", check=0).stdout)
    ll = np.load(tmp_path / "ll.npy")
    assert ll.dtype == np.float64 and ll.shape == (X.shape[0],)
    expected = X @ a + softplus(X @ W + b).sum(axis=1) - j["log_z"]
    assert np.abs(ll - expected).max() < 1e-4
    assert ll.mean() == pytest.approx(j["log_likelihood"], abs=1e-6)


def test_inpainting_keeps_the_clamped_half_and_draws_the_picture(trained, tmp_path):
    model, data = trained
    run("sample", model, "--data", data, "--clamp", "top-half", "--chains", "4", "--steps", "30", "--seed", "1",
        "--out", tmp_path / "inpaint.png", "--npy", tmp_path / "s.npy", "-q", check=0)
    S = np.load(tmp_path / "s.npy")
    X = bars_and_stripes(4)
    # Each chain starts at a training example; its top two rows (pixels 0..7) stay as they were.
    assert all(any(np.array_equal(s[:8], x[:8]) for x in X) for s in S)
    width, height, _ = png_gray(tmp_path / "inpaint.png")
    assert (width, height) == (3 * 4 * 5 + 1, 5 + 1)  # 4 chains of 3 tiles (4 x 4 pixels) in a row
    mask = np.zeros(16, np.uint8)
    mask[[0, 5, 10, 15]] = 1
    np.save(tmp_path / "mask.npy", mask)
    run("sample", model, "--data", data, "--clamp", tmp_path / "mask.npy", "--chains", "3", "--steps", "5",
        "--out", tmp_path / "m.png", "--npy", tmp_path / "m.npy", "-q", check=0)
    assert all(any(np.array_equal(s[[0, 5, 10, 15]], x[[0, 5, 10, 15]]) for x in X) for s in np.load(tmp_path / "m.npy"))
    np.save(tmp_path / "bad.npy", np.ones(7))
    p = run("sample", model, "--data", data, "--clamp", tmp_path / "bad.npy", "--out", tmp_path / "x.png")
    assert p.returncode == 2 and "has 7 values but the model has 16" in p.stderr


def test_sklearn_models_import_and_the_minimal_model_file_loads(tmp_path):
    rng = np.random.RandomState(3)
    components, ih, iv = rng.randn(5, 16), rng.randn(5), rng.randn(16)
    np.savez(tmp_path / "sk.npz", components_=components, intercept_hidden_=ih, intercept_visible_=iv)
    run("import", "sklearn", tmp_path / "sk.npz", "--out", tmp_path / "m.npz", "-q", check=0)
    W, a, b = model_arrays(tmp_path / "m.npz")
    assert np.allclose(W, components.T, atol=1e-6) and np.allclose(a, iv, atol=1e-6) and np.allclose(b, ih, atol=1e-6)
    X = bars_and_stripes(4).astype(np.float64)
    np.save(tmp_path / "x.npy", X)
    # scikit-learn's free energy -c_v.v - sum softplus(C v + c_h) gives the same log p.
    f_sk = -(X @ iv) - softplus(X @ components.T + ih).sum(axis=1)
    hs = ((np.arange(32)[:, None] >> np.arange(5)) & 1).astype(np.float64)
    log_z = np.logaddexp.reduce(hs @ ih + softplus(hs @ components + iv).sum(axis=1))
    j = json.loads(run("eval", tmp_path / "m.npz", "--data", tmp_path / "x.npy", "--json", check=0).stdout)
    assert j["log_likelihood"] == pytest.approx(-f_sk.mean() - log_z, abs=1e-4)
    np.savez(tmp_path / "minimal.npz", W=W.astype(np.float32), a=a.astype(np.float32), b=b.astype(np.float32))
    j2 = json.loads(run("eval", tmp_path / "minimal.npz", "--data", tmp_path / "x.npy", "--json", check=0).stdout)
    assert j2["log_likelihood"] == pytest.approx(j["log_likelihood"], abs=1e-9)
    np.savez(tmp_path / "broken.npz", components_=components, intercept_hidden_=ih)
    p = run("import", "sklearn", tmp_path / "broken.npz", "--out", tmp_path / "b.npz")
    assert p.returncode == 1 and "intercept_visible_" in p.stderr and not (tmp_path / "b.npz").exists()


def test_warm_start_begins_at_the_given_model(trained, tmp_path):
    model, data = trained
    W0, a0, b0 = model_arrays(model)
    run("train", "--data", data, "--init", model, "--updates", "1", "--batch", "2", "--lr", "1e-9",
        "--out", tmp_path / "w", "-q", check=0)
    W, a, b = model_arrays(tmp_path / "w" / "model.npz")
    assert np.abs(W - W0).max() < 1e-6 and np.abs(b - b0).max() < 1e-6
    assert np.abs(W0).max() > 0.1  # not a fresh model by chance
    p = run("train", "--data", data, "--init", model, "--hidden", "7", "--updates", "1", "--out", tmp_path / "x", "-q")
    assert p.returncode == 2 and "the initial model is 16 x 6" in p.stderr


def test_pictures_have_grey_separators_scale_and_need_an_image_shape(trained, tmp_path):
    model, data = trained
    run("show", model, "--out", tmp_path / "w.png", "-q", check=0)
    width, height, px = png_gray(tmp_path / "w.png")
    assert (width, height) == (3 * 5 + 1, 2 * 5 + 1)  # 6 units: 3 x 2 tiles of 4 x 4
    assert px[0, 0] == 64 and px[5, 3] == 64  # the weights' separator grey
    run("sample", model, "--chains", "5", "--steps", "2", "--out", tmp_path / "s.png", "-q", check=0)
    _, _, sp = png_gray(tmp_path / "s.png")
    assert sp[0, 0] == 128  # the samples' separator grey, also filling the unused sixth cell
    assert (sp[6:10, 11:15] == 128).all()
    run("show", model, "--out", tmp_path / "w2.png", "--scale", "2", "-q", check=0)
    assert png_gray(tmp_path / "w2.png")[:2] == (2 * width, 2 * height)
    np.save(tmp_path / "odd.npy", (np.random.RandomState(0).rand(20, 13) > 0.5).astype(np.uint8))
    p = run("train", "--data", tmp_path / "odd.npy", "--hidden", "3", "--updates", "5", "--out", tmp_path / "odd", check=0)
    assert "no weights.png or samples.png: the data has no image shape" in p.stderr
    assert not (tmp_path / "odd" / "weights.png").exists() and (tmp_path / "odd" / "model.npz").exists()
    p = run("show", tmp_path / "odd" / "model.npz", "--out", tmp_path / "odd.png")
    assert p.returncode == 2 and "no image shape" in p.stderr
    run("show", tmp_path / "odd" / "model.npz", "--out", tmp_path / "odd.png", "--tile", "13x1", "-q", check=0)
