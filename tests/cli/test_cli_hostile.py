"""Hostile input through the command line: malformed, lying, non-finite, out-of-range, empty
or mismatched data and model files, and sizes that do not fit in memory. Every case ends in one
line 'rbmkit: error: ...' naming the file and the place (row and column, or byte offset), a
non-zero exit code, and no output written; nothing is allocated because a file says so.

The same list is tested in the library by tests/core/test_hostile.cpp."""
import gzip
import json
import os
import struct
import zipfile

import numpy as np
import pytest

from conftest import bars_and_stripes, run


def one_line_error(p, code=None):
    lines = p.stderr.strip().splitlines()
    assert p.returncode != 0, p.stdout
    if code is not None:
        assert p.returncode == code, p.stderr
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("rbmkit: error: "), lines[0]
    return lines[0]


def train(data, out, *extra):
    return run("train", "--data", data, "--out", out, "--updates", "5", "--hidden", "4", "--quiet", *extra)


@pytest.fixture(scope="module")
def model16(tmp_path_factory):
    """A trained 16-4 model on 4x4 bars and stripes."""
    d = tmp_path_factory.mktemp("model16")
    np.save(d / "bas.npy", bars_and_stripes(4))
    run("train", "--data", d / "bas.npy", "--out", d / "o", "--updates", "20", "--hidden", "4", "--quiet", check=0)
    return d / "o" / "model.npz"


def idx_bytes(type_code, fmt, dims, values):
    head = bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", n) for n in dims)
    return head + b"".join(struct.pack(">" + fmt, v) for v in values)


def save_model(path, W, a=None, b=None, meta=None, **extra):
    d, h = W.shape if W.ndim == 2 else (W.shape[0], 1)
    a = np.zeros(d, np.float32) if a is None else a
    b = np.zeros(h, np.float32) if b is None else b
    meta = {"n_visible": d, "n_hidden": h} if meta is None else meta
    np.savez(path, W=W, a=a, b=b, meta=np.array(meta if isinstance(meta, str) else json.dumps(meta)), **extra)
    return path


# ---- data files ----------------------------------------------------------------------------

def test_nan_and_inf_in_data_name_row_and_column(tmp_path):
    x = np.zeros((3, 4), np.float32)
    x[2, 1] = np.nan
    np.save(tmp_path / "nan.npy", x)
    msg = one_line_error(train(tmp_path / "nan.npy", tmp_path / "o"), 1)
    assert "nan.npy" in msg and "row 2, column 1" in msg and "not finite" in msg
    (tmp_path / "inf.csv").write_text("0,1\n1,inf\n")
    msg = one_line_error(train(tmp_path / "inf.csv", tmp_path / "o"), 1)
    assert "inf.csv: line 2, column 2: value inf" in msg
    (tmp_path / "inf.idx").write_bytes(idx_bytes(0x0D, "f", [1, 2], [0.0, float("-inf")]))
    msg = one_line_error(train(tmp_path / "inf.idx", tmp_path / "o"), 1)
    assert "inf.idx: value -inf at row 0, column 1" in msg
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("binarize", ["none", "stochastic"])
def test_values_outside_the_unit_interval_are_refused(tmp_path, binarize):
    (tmp_path / "x.csv").write_text("0,0.5,1\n0,1,-0.25\n")
    msg = one_line_error(train(tmp_path / "x.csv", tmp_path / "o", "--binarize", binarize), 1)
    assert "-0.25" in msg and "row 1, column 2" in msg and "[0, 1]" in msg
    assert not (tmp_path / "o" / "model.npz").exists()


def test_csv_garbage_names_line_and_column(tmp_path):
    (tmp_path / "g.csv").write_text("a,b\n0,1\n1,0\n0,1x\n")
    msg = one_line_error(train(tmp_path / "g.csv", tmp_path / "o"), 1)
    assert "g.csv: line 4, column 2: '1x' is not a number" in msg
    (tmp_path / "r.csv").write_text("0,1\n1\n")
    assert "r.csv: line 2 has 1 columns, expected 2" in one_line_error(train(tmp_path / "r.csv", tmp_path / "o"), 1)


def test_a_header_claiming_a_trillion_values_is_refused_without_allocating(tmp_path):
    # 10^6 x 10^6 float64 = 8 TB claimed by a 20-byte file.
    (tmp_path / "big.idx").write_bytes(idx_bytes(0x0E, "d", [1000000, 1000000], [0.5]))
    msg = one_line_error(train(tmp_path / "big.idx", tmp_path / "o"), 1)
    assert "big.idx: truncated" in msg and "expected 8000000000012 bytes" in msg and "found 20" in msg
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }"
    header += b" " * (64 - 10 - len(header) % 64 - 1) + b"\n"
    (tmp_path / "big.npy").write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header)
    msg = one_line_error(train(tmp_path / "big.npy", tmp_path / "o"), 1)
    assert "big.npy: truncated" in msg and "1000000 x 1000000 float32 values" in msg


def test_trailing_garbage_is_refused(tmp_path):
    np.save(tmp_path / "t.npy", bars_and_stripes(4))
    with open(tmp_path / "t.npy", "ab") as f:
        f.write(b"junk")
    msg = one_line_error(train(tmp_path / "t.npy", tmp_path / "o"), 1)
    assert "t.npy: 4 bytes of trailing data" in msg
    (tmp_path / "t.gz.csv").write_bytes(gzip.compress(b"0,1\n1,0\n") + b"garbage")
    msg = one_line_error(train(tmp_path / "t.gz.csv", tmp_path / "o"), 1)
    assert "t.gz.csv" in msg and "gzip" in msg


def test_empty_and_zero_example_data(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    assert "empty.csv: file is empty" in one_line_error(train(tmp_path / "empty.csv", tmp_path / "o"), 1)
    np.save(tmp_path / "none.npy", np.zeros((0, 16), np.uint8))
    msg = one_line_error(train(tmp_path / "none.npy", tmp_path / "o"), 1)
    assert "none.npy" in msg and "no examples" in msg
    np.save(tmp_path / "flat.npy", np.zeros((5, 0), np.float32))
    msg = one_line_error(train(tmp_path / "flat.npy", tmp_path / "o"), 1)
    assert "flat.npy: dimensions 5 x 0 give 5 examples of 0 values each" in msg
    assert not (tmp_path / "o").exists()
    os.mkdir(tmp_path / "dir.npy")
    assert "is a directory" in one_line_error(train(tmp_path / "dir.npy", tmp_path / "o"), 1)


def test_unsupported_and_pickled_data_are_refused(tmp_path):
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    msg = one_line_error(train(tmp_path / "obj.npy", tmp_path / "o"), 1)
    assert "obj.npy" in msg and "pickle" in msg
    np.save(tmp_path / "c.npy", np.zeros((2, 2), np.complex64))
    assert "c.npy: unsupported NPY dtype '<c8'" in one_line_error(train(tmp_path / "c.npy", tmp_path / "o"), 1)


# ---- model size --------------------------------------------------------------------------

def test_enormous_hidden_layer_is_refused_with_the_memory_it_needs(tmp_path):
    np.save(tmp_path / "d784.npy", (np.arange(2 * 784).reshape(2, 784) % 2).astype(np.uint8))
    p = run("train", "--data", tmp_path / "d784.npy", "--out", tmp_path / "o", "--hidden", "10000000",
            "--updates", "1", "--quiet")
    msg = one_line_error(p, 2)
    assert "--hidden: number of hidden units 10000000" in msg and "784 x 10000000 weights would need 31.4 GB" in msg
    assert "limit is 8.6 GB" in msg
    # Above 2^24 the range itself says so, with its real limit.
    msg = one_line_error(run("train", "--data", tmp_path / "d784.npy", "--out", tmp_path / "o", "--hidden", "100000000",
                             "--quiet"), 2)
    assert "must be an integer in [1, 16777216] (got 100000000)" in msg
    assert not (tmp_path / "o").exists()
    msg = one_line_error(run("train", "--data", tmp_path / "d784.npy", "--out", tmp_path / "o", "--hidden",
                             "99999999999999999999999", "--quiet"), 2)
    assert "--hidden" in msg
    assert "--hidden" in one_line_error(run("train", "--data", tmp_path / "d784.npy", "--hidden", "0"), 2)


def test_too_many_chains_for_the_model_are_refused(tmp_path):
    path = save_model(tmp_path / "wide.npz", np.zeros((1, 4000), np.float32))
    msg = one_line_error(run("sample", path, "--from", "noise", "--chains", "1000000", "--steps", "1",
                             "--out", tmp_path / "s.png"), 2)
    assert "--chains: number of chains 1000000" in msg and "GB" in msg
    assert not (tmp_path / "s.png").exists()


# ---- model and data that do not fit together ----------------------------------------------

def test_sample_data_of_another_width_is_refused(model16, tmp_path):
    np.save(tmp_path / "nine.npy", np.ones((3, 9), np.uint8))
    msg = one_line_error(run("sample", model16, "--data", tmp_path / "nine.npy", "--out", tmp_path / "s.png",
                             "--steps", "1"), 1)
    assert "has 9 columns but the model" in msg and "has 16 visible units" in msg
    assert not (tmp_path / "s.png").exists()


def test_sample_data_with_no_examples_or_bad_values_is_refused(model16, tmp_path):
    np.save(tmp_path / "none.npy", np.zeros((0, 16), np.uint8))
    msg = one_line_error(run("sample", model16, "--data", tmp_path / "none.npy", "--out", tmp_path / "s.png"), 1)
    assert "none.npy has no examples" in msg
    x = np.zeros((2, 16), np.float32)
    x[1, 3] = 7
    np.save(tmp_path / "seven.npy", x)
    msg = one_line_error(run("sample", model16, "--data", tmp_path / "seven.npy", "--binarize", "none",
                             "--out", tmp_path / "s.png"), 1)
    assert "value 7 at row 1, column 3" in msg
    assert not (tmp_path / "s.png").exists()


def test_eval_data_of_another_width_or_with_no_examples_is_refused(model16, tmp_path):
    np.save(tmp_path / "nine.npy", np.ones((3, 9), np.uint8))
    msg = one_line_error(run("eval", model16, "--data", tmp_path / "nine.npy"), 1)
    assert "9 columns but the model" in msg and "16 visible units" in msg
    np.save(tmp_path / "none.npy", np.zeros((0, 16), np.uint8))
    assert "none.npy has no examples" in one_line_error(run("eval", model16, "--data", tmp_path / "none.npy"), 1)


def test_heldout_data_of_another_width_is_refused(tmp_path):
    np.save(tmp_path / "bas.npy", bars_and_stripes(4))
    np.save(tmp_path / "held.npy", np.ones((2, 9), np.uint8))
    msg = one_line_error(train(tmp_path / "bas.npy", tmp_path / "o", "--heldout", tmp_path / "held.npy"), 1)
    assert "held-out data has 9 columns but the training data has 16" in msg


# ---- model.npz -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind, needle", [
    ("a_length", "the length of a is 5 but W has 4 rows"),
    ("b_length", "the length of b is 2 but W has 3 columns"),
    ("meta_hidden", "meta n_hidden is 30 but W has 3 columns"),
    ("W_1d", "member 'W' must be 2-D"),
    ("W_int", "member 'W.npy': bad .npy header (unsupported dtype '<i4'"),
    ("W_nan", "member 'W' holds a non-finite value at flat index 5"),
    ("meta_json", "member 'meta' is not valid JSON"),
    ("meta_deep", "member 'meta' must be a JSON object, not array"),
    ("missing_b", "missing member 'b'"),
])
def test_models_that_do_not_add_up_are_refused(tmp_path, kind, needle):
    W = np.ones((4, 3), np.float32)
    path = tmp_path / "m.npz"
    if kind == "a_length":
        save_model(path, W, a=np.zeros(5, np.float32))
    elif kind == "b_length":
        save_model(path, W, b=np.zeros(2, np.float32))
    elif kind == "meta_hidden":
        save_model(path, W, meta={"n_visible": 4, "n_hidden": 30})
    elif kind == "W_1d":
        save_model(path, np.ones(4, np.float32), b=np.zeros(3, np.float32), meta={})
    elif kind == "W_int":
        save_model(path, np.ones((4, 3), np.int32))
    elif kind == "W_nan":
        W[1, 2] = np.nan
        save_model(path, W)
    elif kind == "meta_json":
        save_model(path, W, meta="{'single': 'quotes'}")
    elif kind == "meta_deep":
        save_model(path, W, meta="[" * 100000 + "]" * 100000)
    elif kind == "missing_b":
        np.savez(path, W=W, a=np.zeros(4, np.float32), meta=np.array("{}"))
    out = tmp_path / "w.png"
    out.write_bytes(b"keep me")
    msg = one_line_error(run("show", path, "--out", out), 1)
    assert "m.npz" in msg and needle in msg
    assert out.read_bytes() == b"keep me"


def test_pickled_model_members_are_never_run(tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "evil.npz"
    np.savez(path, W=np.ones((4, 3), np.float32), a=np.zeros(4, np.float32), b=np.zeros(3, np.float32),
             meta=np.array([Exploit()], dtype=object))
    assert not marker.exists()
    for args in (["show", path, "--out", tmp_path / "w.png"], ["sample", path, "--from", "noise", "--out",
                                                                tmp_path / "s.png"]):
        msg = one_line_error(run(*args), 1)
        assert "evil.npz: member 'meta.npy'" in msg and "pickle, which rbmkit never runs" in msg
    assert not marker.exists()


def test_truncated_and_padded_model_files_name_the_problem(model16, tmp_path):
    good = model16.read_bytes()
    (tmp_path / "cut.npz").write_bytes(good[: len(good) // 2])
    msg = one_line_error(run("show", tmp_path / "cut.npz", "--out", tmp_path / "w.png"), 1)
    assert "cut.npz" in msg and "end-of-central-directory" in msg
    (tmp_path / "pad.npz").write_bytes(good + b"\0" * 10)
    assert "pad.npz" in one_line_error(run("show", tmp_path / "pad.npz", "--out", tmp_path / "w.png"), 1)
    bad_crc = bytearray(good)
    bad_crc[200] ^= 0xFF
    (tmp_path / "crc.npz").write_bytes(bytes(bad_crc))
    msg = one_line_error(run("show", tmp_path / "crc.npz", "--out", tmp_path / "w.png"), 1)
    assert "crc.npz: member" in msg and "offset" in msg
    assert not (tmp_path / "w.png").exists()


def test_central_entries_pointing_at_another_member_are_refused(tmp_path):
    """a.npy's central directory entry redirected to W.npy's local header (the overlapping-member
    trick of zip bombs; tests/core/test_hostile.cpp covers a true overlap)."""
    path = tmp_path / "m.npz"
    save_model(path, np.ones((4, 3), np.float32))
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        w_offset = z.getinfo("W.npy").header_offset
    entry = raw.find(b"PK\x01\x02")
    while raw[entry + 46: entry + 51] != b"a.npy":
        entry = raw.find(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", raw, entry + 42, w_offset)
    (tmp_path / "o.npz").write_bytes(bytes(raw))
    msg = one_line_error(run("show", tmp_path / "o.npz", "--out", tmp_path / "w.png"), 1)
    assert "o.npz: member 'a.npy'" in msg and f"local header at offset {w_offset}" in msg


def test_a_meta_image_shape_that_wraps_around_is_ignored(tmp_path):
    # (2^60 + 1) * 16 = 16 modulo 2^64: a 64-bit product would accept it and draw a tile 2^60
    # pixels wide. The shape is not used; the default 4x4 tile is.
    path = save_model(tmp_path / "m.npz", np.ones((16, 2), np.float32),
                      meta={"n_visible": 16, "n_hidden": 2, "image_width": 2**60 + 1, "image_height": 16})
    run("show", path, "--out", tmp_path / "w.png", check=0)
    msg = one_line_error(run("show", path, "--out", tmp_path / "w2.png", "--tile", f"{2**60 + 1}x16"), 2)
    assert "--tile" in msg and "more than 2^64" in msg
