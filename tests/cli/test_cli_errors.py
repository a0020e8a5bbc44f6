"""Bad flags, values and files: a one-line message naming the problem and a non-zero exit."""
import numpy as np
import pytest

from conftest import run


def one_line_error(p):
    lines = p.stderr.strip().splitlines()
    assert p.returncode != 0
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("rbmkit: error: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("args, names", [
    (["--hidden", "0"], "--hidden"),
    (["--lr", "-1"], "--lr"),
    (["--lr", "abc"], "--lr"),
    (["--cd", "0"], "--cd"),
    (["--batch", "0"], "--batch"),
    (["--momentum", "1.5"], "--momentum"),
    (["--visible-bias", "maybe"], "--visible-bias"),
    (["--binarize", "sometimes"], "sometimes"),
    (["--updates", "10", "--epochs", "2"], "--epochs"),
    (["--preset", "nosuch"], "nosuch"),
    (["--no-such-flag"], "--no-such-flag"),
    (["--tile", "7y3"], "--tile"),
])
def test_bad_train_flags(args, names, bas_npy, tmp_path):
    length = [] if "--updates" in args else ["--updates", "5"]
    p = run("train", "--data", bas_npy, "--out", tmp_path / "o", "--quiet", *length, *args)
    assert names in one_line_error(p)
    assert not (tmp_path / "o" / "model.npz").exists()


def test_missing_data_file_is_named(tmp_path):
    p = run("train", "--data", tmp_path / "nope.npy", "--out", tmp_path / "o", "--quiet")
    assert "nope.npy" in one_line_error(p)


def test_data_outside_unit_interval_names_row_and_column(tmp_path):
    x = np.zeros((3, 4), dtype=np.float32)
    x[1, 2] = 1.5
    np.save(tmp_path / "x.npy", x)
    msg = one_line_error(run("train", "--data", tmp_path / "x.npy", "--binarize", "none", "--out", tmp_path / "o",
                             "--updates", "5", "--quiet"))
    assert "row" in msg and "column" in msg and "1.5" in msg


def test_tile_that_does_not_fit_is_refused(bas_npy, tmp_path):
    msg = one_line_error(run("train", "--data", bas_npy, "--out", tmp_path / "o", "--updates", "5", "--tile", "3x3",
                             "--quiet"))
    assert "--tile" in msg and "16" in msg


def test_unknown_command_and_missing_model(tmp_path):
    assert one_line_error(run("frobnicate"))
    msg = one_line_error(run("show", tmp_path / "missing.npz", "--out", tmp_path / "w.png"))
    assert "missing.npz" in msg


def test_corrupt_model_is_refused_and_output_untouched(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a zip file")
    out = tmp_path / "w.png"
    out.write_bytes(b"keep me")
    msg = one_line_error(run("show", bad, "--out", out))
    assert "bad.npz" in msg
    assert out.read_bytes() == b"keep me"


def test_fetch_refuses_files_with_the_wrong_hash(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                 "t10k-labels-idx1-ubyte"]:
        (src / name).write_bytes(b"not mnist")
    msg = one_line_error(run("data", "fetch", "mnist", "--dir", tmp_path / "cache", "--from", src))
    assert "SHA-256" in msg or "sha256" in msg.lower()


def test_help_documents_every_training_flag_with_its_default():
    p = run("train", "--help", check=0)
    for flag in ["--hidden", "--cd", "--lr", "--batch", "--updates", "--epochs", "--visible-bias", "--init-std",
                 "--seed", "--threads", "--data", "--binarize", "--out", "--preset", "--quiet", "--momentum",
                 "--weight-decay", "--tile"]:
        assert flag in p.stdout, flag
    assert p.stdout.count("default") >= 15
    top = run("--help", check=0)
    for cmd in ["train", "sample", "show", "data"]:
        assert cmd in top.stdout
