"""model.npz and other .npz files exchanged between rbmkit and numpy.

The C++ side runs as two filtered tests of the core test binary (tests/core/test_npz.cpp):
NpzInterop.WriteFixture writes files to $RBMKIT_NPZ_OUT for numpy to check, and
NpzInterop.ReadFixture loads the file at $RBMKIT_NPZ_IN, written here by numpy.savez and
numpy.savez_compressed, and checks the values. Both sides fill the model deterministically:
W[i, j] = i - 0.5 j, a[i] = -0.25 i, b[j] = 0.125 j with n_visible = 6, n_hidden = 4.

The binary is $RBMKIT_CORE_TESTS, else <directory of $RBMKIT_BIN>/tests/rbmkit_core_tests.
"""

import io
import json
import os
import subprocess
import zipfile

import numpy as np
import pytest

D, H = 6, 4


def core_tests_binary():
    path = os.environ.get("RBMKIT_CORE_TESTS")
    if not path:
        rbmkit_bin = os.environ.get("RBMKIT_BIN")
        if not rbmkit_bin:
            pytest.skip("set RBMKIT_CORE_TESTS or RBMKIT_BIN to locate rbmkit_core_tests")
        path = os.path.join(os.path.dirname(rbmkit_bin), "tests", "rbmkit_core_tests")
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build the rbmkit_core_tests target first")
    return path


def run_gtest(test_name, **env):
    result = subprocess.run(
        [core_tests_binary(), f"--gtest_filter={test_name}"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def assert_gtest_passed(test_name, **env):
    code, out = run_gtest(test_name, **env)
    assert code == 0, out
    assert "[  PASSED  ] 1 test." in out, out
    assert "[  SKIPPED ]" not in out, out


def fixture_params():
    i = np.arange(D, dtype=np.float32)
    j = np.arange(H, dtype=np.float32)
    W = i[:, None] - np.float32(0.5) * j[None, :]
    return W, np.float32(-0.25) * i, np.float32(0.125) * j


def expected_arrays():
    """The arrays of NpzInterop.WriteFixture's .arrays-*.npz (sample_members in test_npz.cpp)."""
    return {
        "cube": (np.float32(0.5) * np.arange(30, dtype=np.float32) - np.float32(1)).reshape(2, 3, 5),
        "empty": np.zeros((0,), np.float32),
        "empty2d": np.zeros((4, 0), np.float32),
        "scalar": np.array(2.5, np.float32),
        "deep": np.full((1,) * 15, 3.0, np.float32),
        "f64": np.array([1.0 / 3.0, -1e300, 0.0], np.float64),
        "u8": np.array([[0, 1], [2, 255]], np.uint8),
        "text": np.array("h\u00e9llo \u2713 \U0001d11e"),
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    path = tmp_path_factory.mktemp("from_rbmkit") / "model.npz"
    assert_gtest_passed("NpzInterop.WriteFixture", RBMKIT_NPZ_OUT=str(path))
    return path


def test_numpy_loads_model_written_by_rbmkit(written):
    W, a, b = fixture_params()
    with np.load(written) as d:  # allow_pickle=False: nothing in model.npz needs pickle
        assert sorted(d.files) == ["W", "a", "b", "meta"]
        assert d["W"].dtype == np.float32 and d["W"].shape == (D, H)
        assert d["a"].dtype == np.float32 and d["a"].shape == (D,)
        assert d["b"].dtype == np.float32 and d["b"].shape == (H,)
        np.testing.assert_array_equal(d["W"], W)
        np.testing.assert_array_equal(d["a"], a)
        np.testing.assert_array_equal(d["b"], b)
        assert d["meta"].shape == () and d["meta"].dtype.kind == "U"
        meta = json.loads(str(d["meta"]))
    assert meta["note"] == "fixture \u2713"
    assert meta["epochs"] == 3
    assert meta["visible_units"] == "gaussian"
    assert meta["hidden_units"] == "bernoulli"
    assert meta["visible_bias"] is True
    assert (meta["n_visible"], meta["n_hidden"]) == (D, H)


def test_model_file_is_a_valid_stored_zip(written):
    with zipfile.ZipFile(written) as z:
        assert z.testzip() is None  # every CRC checks out
        assert sorted(z.namelist()) == ["W.npy", "a.npy", "b.npy", "meta.npy"]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in z.infolist())


@pytest.mark.parametrize("kind,compress_type", [("stored", zipfile.ZIP_STORED), ("deflate", zipfile.ZIP_DEFLATED)])
def test_arrays_written_by_rbmkit_match_numpy_byte_for_byte(written, kind, compress_type):
    path = f"{written}.arrays-{kind}.npz"
    expected = expected_arrays()
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert all(info.compress_type == compress_type for info in z.infolist())
        for name, want in expected.items():
            buf = io.BytesIO()
            np.save(buf, want)
            assert z.read(name + ".npy") == buf.getvalue(), name
    with np.load(path) as d:
        assert sorted(d.files) == sorted(expected)
        for name, want in expected.items():
            assert d[name].dtype == want.dtype, name
            assert d[name].shape == want.shape, name
            np.testing.assert_array_equal(d[name], want, err_msg=name)


def meta_text(ensure_ascii=True):
    meta = {"note": "from numpy \u2713", "visible_units": "gaussian", "hidden_units": "bernoulli"}
    return np.array(json.dumps(meta, ensure_ascii=ensure_ascii))


def save_fixture(path, compressed=False, **overrides):
    W, a, b = fixture_params()
    arrays = {"W": W, "a": a, "b": b, "meta": meta_text(), **overrides}
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    return path


VARIANTS = {
    "savez": dict(),
    "savez_compressed": dict(compressed=True),
    "float64_fortran_W": dict(W=np.asfortranarray(fixture_params()[0].astype(np.float64))),
    "compressed_utf8_meta": dict(compressed=True, meta=meta_text(ensure_ascii=False)),
    "extra_members_ignored": dict(compressed=True, history=np.arange(5.0)),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_rbmkit_loads_model_written_by_numpy(tmp_path, variant):
    path = save_fixture(tmp_path / f"{variant}.npz", **VARIANTS[variant])
    assert_gtest_passed("NpzInterop.ReadFixture", RBMKIT_NPZ_IN=str(path))


def test_reader_check_fails_on_wrong_values(tmp_path):
    W = fixture_params()[0].copy()
    W[2, 3] += 1
    code, out = run_gtest("NpzInterop.ReadFixture", RBMKIT_NPZ_IN=str(save_fixture(tmp_path / "m.npz", W=W)))
    assert code != 0, out


@pytest.mark.parametrize(
    "overrides,message",
    [
        (dict(a=np.zeros(D + 1, np.float32)), "the length of a is 7 but W has 6 rows"),
        (dict(meta=np.array({"x": 1}, dtype=object)), "needs pickle"),
        (dict(W=np.zeros((D, H), np.int64)), "unsupported dtype '<i8'"),
    ],
)
def test_rbmkit_refuses_bad_numpy_files(tmp_path, overrides, message):
    path = save_fixture(tmp_path / "bad.npz", **overrides)
    code, out = run_gtest("NpzInterop.ReadFixture", RBMKIT_NPZ_IN=str(path))
    assert code != 0, out
    assert message in out, out
