"""The command as users meet it: data read one way by every command, no silent wrong answers,
checkpoints that belong to their run, presets and messages that say what runs, and the
conventions every command shares (--json, --quiet, did-you-mean, output names)."""
import json
import os

import numpy as np
import pytest

from conftest import bars_and_stripes, run


def softplus(x):
    return np.logaddexp(0.0, x)


def exact_log_likelihood(W, a, b, X):
    """Mean log p(x) of the rows of X by enumerating the hidden layer (float64)."""
    H = W.shape[1]
    hs = ((np.arange(2 ** H)[:, None] >> np.arange(H)) & 1).astype(np.float64)
    log_z = np.logaddexp.reduce(hs @ b + softplus(hs @ W.T + a).sum(axis=1))
    return (X @ a + softplus(X @ W + b).sum(axis=1)).mean() - log_z


def save_model(path, W, a, b, meta=None):
    arrays = {"W": W.astype(np.float32), "a": a.astype(np.float32), "b": b.astype(np.float32)}
    if meta is not None:
        arrays["meta"] = np.array(json.dumps(meta))
    np.savez(path, **arrays)
    return path


def one_line_error(p, code):
    lines = p.stderr.strip().splitlines()
    assert p.returncode == code, p.stderr
    assert len(lines) == 1 and lines[0].startswith("rbmkit: error: "), p.stderr
    return lines[0]


@pytest.fixture
def mnist_style_model(tmp_path):
    """A 16-6 model whose meta says it was trained on thresholded MNIST, as the seed preset's is."""
    rng = np.random.RandomState(0)
    W, a, b = rng.randn(16, 6) * 0.5, rng.randn(16) * 0.3, rng.randn(6) * 0.3
    meta = {"settings": {"data": "mnist:all:3", "binarize": "threshold:127.5"}, "visible_bias": True}
    return save_model(tmp_path / "m.npz", W, a, b, meta), (W.astype(np.float32).astype(np.float64),
                                                          a.astype(np.float32).astype(np.float64),
                                                          b.astype(np.float32).astype(np.float64))


# ---- one way to read data -------------------------------------------------------------------

def test_a_file_is_read_by_its_own_default_not_the_models_mnist_rule(tmp_path, mnist_style_model):
    path, (W, a, b) = mnist_style_model
    X = (np.random.RandomState(1).rand(40, 16) > 0.6).astype(np.float64)
    np.save(tmp_path / "f64.npy", X)
    j = json.loads(run("eval", path, "--data", tmp_path / "f64.npy", "--json", check=0).stdout)
    assert j["binarize"] == "none"
    assert j["log_likelihood"] == pytest.approx(exact_log_likelihood(W, a, b, X), abs=1e-4)
    assert j["log_likelihood"] < 0 and not j["impossible"]


def test_a_rule_that_makes_every_value_the_same_is_refused(tmp_path, mnist_style_model):
    path, _ = mnist_style_model
    np.save(tmp_path / "f64.npy", (np.random.RandomState(1).rand(40, 16) > 0.6).astype(np.float64))
    msg = one_line_error(run("eval", path, "--data", tmp_path / "f64.npy", "--binarize", "threshold:127.5"), 1)
    assert "turns every value of data" in msg and "into 0" in msg and "from 0 to 1" in msg


def test_train_and_eval_read_a_0_255_byte_file_the_same_way(tmp_path):
    X = (bars_and_stripes(4) * 255).astype(np.uint8)
    np.save(tmp_path / "u8.npy", X)
    run("train", "--data", tmp_path / "u8.npy", "--hidden", "5", "--updates", "50", "--out", tmp_path / "o", "-q",
        check=0)
    j = json.loads(run("eval", tmp_path / "o" / "model.npz", "--data", tmp_path / "u8.npy", "--json", check=0).stdout)
    with np.load(tmp_path / "o" / "model.npz") as f:
        W, a, b = (f[k].astype(np.float64) for k in ("W", "a", "b"))
    assert j["binarize"] == "none"
    assert j["log_likelihood"] == pytest.approx(exact_log_likelihood(W, a, b, X / 255.0), abs=1e-4)


def test_a_positive_log_likelihood_of_binary_data_is_never_printed_without_saying_so(tmp_path):
    # One sharp mode at x* that the 100-step AIS misses: its log Z is far too small.
    x = np.zeros(64)
    x[:32] = 1
    sign = np.where(x > 0, 1.0, -1.0)
    W, a, b = (20 * sign)[:, None], 5 * sign, np.array([-20 * 31.5])
    path = save_model(tmp_path / "m.npz", W, a, b)
    np.save(tmp_path / "x.npy", np.tile(x, (20, 1)))
    exact = exact_log_likelihood(W, a, b, np.tile(x, (20, 1)))
    assert exact < 0
    p = run("eval", path, "--data", tmp_path / "x.npy", "--method", "ais", "--betas", "100", "--json", check=0)
    j = json.loads(p.stdout)
    assert j["ais"]["log_likelihood"] > 0
    assert any("the AIS log-likelihood" in w and "positive, which binary data cannot have" in w for w in j["warnings"])
    assert "rbmkit: warning: the AIS log-likelihood" in p.stderr
    # The headline does not use it: the certified bound and the other AIS start give a possible figure.
    assert j["log_likelihood"] <= 0 and not j["impossible"]
    assert j["log_likelihood"] <= j["bound"]["log_likelihood_upper"] + 1e-9
    text = run("eval", path, "--data", tmp_path / "x.npy", "--method", "ais", "--betas", "100", check=0).stdout
    assert "IMPOSSIBLE" in text


def test_recorded_data_paths_work_from_another_directory(tmp_path, bas_npy):
    (tmp_path / "work").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.replace(bas_npy, tmp_path / "work" / "bas.npy")
    run("train", "--data", "bas.npy", "--hidden", "4", "--updates", "20", "--out", "o", "-q", cwd=tmp_path / "work",
        check=0)
    run("sample", tmp_path / "work" / "o" / "model.npz", "--chains", "3", "--steps", "2", "--out", "s.png",
        cwd=tmp_path / "elsewhere", check=0)
    assert (tmp_path / "elsewhere" / "s.png").exists()


def test_int64_and_3d_npy_files_train(tmp_path):
    np.save(tmp_path / "i64.npy", bars_and_stripes(4).astype(np.int64))  # numpy's default integer
    run("train", "--data", tmp_path / "i64.npy", "--hidden", "4", "--updates", "10", "--out", tmp_path / "a", "-q",
        check=0)
    np.save(tmp_path / "img.npy", bars_and_stripes(4).reshape(-1, 2, 8))  # examples of 2 x 8 images
    run("train", "--data", tmp_path / "img.npy", "--hidden", "4", "--updates", "10", "--out", tmp_path / "b", "-q",
        check=0)
    with np.load(tmp_path / "b" / "model.npz") as f:
        meta = json.loads(str(f["meta"]))
    assert (meta["image_width"], meta["image_height"]) == (8, 2)


# ---- checkpoints belong to their run --------------------------------------------------------

def test_a_fresh_run_replaces_an_earlier_runs_checkpoint(tmp_path, bas_npy):
    out = tmp_path / "run"
    run("train", "--data", bas_npy, "--hidden", "8", "--updates", "40", "--checkpoint-every", "10", "--out", out, "-q",
        check=0)
    p = run("train", "--data", bas_npy, "--hidden", "3", "--updates", "20", "--out", out, check=0)
    assert "replaced" in p.stderr and "checkpoint.npz" in p.stderr
    assert not (out / "checkpoint.npz").exists()
    assert "checkpoint.npz" in one_line_error(run("train", "--resume", out, "-q"), 1)
    with np.load(out / "model.npz") as f:
        assert f["W"].shape == (16, 3)


def test_a_finished_run_says_so_and_can_be_extended(tmp_path, bas_npy):
    out, longer = tmp_path / "run", tmp_path / "longer"
    common = ["--data", bas_npy, "--hidden", "5", "--batch", "4", "--checkpoint-every", "10", "--threads", "1", "-q"]
    run("train", *common, "--updates", "30", "--out", out, check=0)
    with np.load(out / "checkpoint.npz") as f:
        progress = json.loads(str(f["meta"]))["progress"]
    assert progress["finished"] and progress["update"] == progress["total_updates"] == 30
    before = (out / "model.npz").read_bytes()
    p = run("train", "--resume", out, check=0)
    assert "already complete" in p.stderr
    assert (out / "model.npz").read_bytes() == before
    # Extended to 50 updates: the same model as a run of 50 from the start.
    run("train", "--resume", out, "--updates", "50", "-q", check=0)
    run("train", *common, "--updates", "50", "--out", longer, check=0)
    with np.load(out / "model.npz") as f, np.load(longer / "model.npz") as g:
        assert np.array_equal(f["W"], g["W"]) and np.array_equal(f["b"], g["b"])
    assert "shortened" in one_line_error(run("train", "--resume", out, "--updates", "20", "-q"), 2)


def test_another_thread_count_on_resume_is_allowed_and_said(tmp_path, bas_npy):
    out = tmp_path / "run"
    run("train", "--data", bas_npy, "--hidden", "5", "--batch", "4", "--updates", "30", "--checkpoint-every", "10",
        "--threads", "2", "--out", out, "-q", check=0)
    p = run("train", "--resume", out, "--threads", "1", "--updates", "40", check=0)
    assert "threads 2 -> 1" in p.stderr and "last bits" in p.stderr


# ---- what runs is what the header says -------------------------------------------------------

def test_settings_that_do_not_define_a_model_keep_the_preset():
    p = run("train", "--help", check=0)
    assert "[default: 100; seed preset: 1]" in p.stdout  # --batch still shows both


def test_the_header_names_the_estimator_units_binarisation_and_threads(tmp_path, bas_npy):
    p = run("train", "--data", bas_npy, "--hidden", "4", "--method", "pcd", "--chains", "7", "--batch", "4",
            "--updates", "5", "--out", tmp_path / "o", check=0)
    assert "settings: the general defaults, since model settings were given" in p.stderr
    assert "PCD-1 with 7 persistent chains" in p.stderr
    assert "16 bernoulli visible units, 4 bernoulli hidden" in p.stderr
    assert "binarize none" in p.stderr and "thread" in p.stderr


def test_options_that_do_nothing_are_warned_about(tmp_path, bas_npy):
    p = run("train", "--data", bas_npy, "--hidden", "4", "--updates", "5", "--chains", "50", "--lr-final", "0.001",
            "--sparsity-target", "0.1", "--out", tmp_path / "o", "-q", check=0)
    assert "rbmkit: warning: --chains is ignored with the cd method" in p.stderr
    assert "rbmkit: warning: --lr-final is ignored unless the learning-rate schedule is exp" in p.stderr
    assert "rbmkit: warning: --sparsity-target is ignored while the sparsity cost is 0" in p.stderr


def cpu_flags():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def test_bf16_without_hardware_is_emulated_and_said_so(tmp_path, bas_npy):
    p = run("train", "--data", bas_npy, "--hidden", "4", "--updates", "5", "--precision", "bf16",
            "--out", tmp_path / "o", "-q", check=0)
    hardware = bool(cpu_flags() & {"amx_bf16", "avx512_bf16"})
    assert ("--precision bf16 runs in emulation on this CPU" in p.stderr) != hardware, p.stderr
    with np.load(tmp_path / "o" / "model.npz") as f:
        assert json.loads(str(f["meta"]))["settings"]["precision"] == "bf16"


def test_absurd_growth_is_divergence(tmp_path, bas_npy):
    msg = one_line_error(run("train", "--data", bas_npy, "--hidden", "4", "--updates", "200", "--lr", "1e30",
                             "--out", tmp_path / "o", "-q"), 1)
    assert "training diverged at update" in msg and "lower the learning rate" in msg
    assert not (tmp_path / "o" / "model.npz").exists()


# ---- CSV first lines ----------------------------------------------------------------------------

@pytest.mark.parametrize("first, needle", [
    ("a,,c", "column 2 is empty"),
    ("1e400,1,0", "value 1e400 is not a number a 32-bit float can hold"),
    ("x,1,0", "column 2 is a number"),
])
def test_ambiguous_csv_first_lines_are_refused(tmp_path, first, needle):
    (tmp_path / "d.csv").write_text(first + "\n0,1,0\n1,0,1\n")
    msg = one_line_error(run("train", "--data", tmp_path / "d.csv", "--hidden", "2", "--updates", "2",
                             "--out", tmp_path / "o", "-q"), 1)
    assert needle in msg and "line 1" in msg


def test_another_delimiter_gets_a_hint_and_a_header_is_reported(tmp_path):
    (tmp_path / "semi.csv").write_text("0;1;0\n1;0;1\n")
    assert "no commas but ';'" in one_line_error(run("train", "--data", tmp_path / "semi.csv", "--hidden", "2",
                                                     "--updates", "2", "--out", tmp_path / "o", "-q"), 1)
    (tmp_path / "h.csv").write_text("left,middle,right\n0,1,0\n1,0,1\n")
    p = run("train", "--data", tmp_path / "h.csv", "--hidden", "2", "--updates", "2", "--out", tmp_path / "h", check=0)
    assert "header detected in" in p.stderr and "left, middle, right" in p.stderr


# ---- shared conventions ---------------------------------------------------------------------------

def test_unknown_commands_and_flags_get_a_suggestion_and_the_commands_help():
    msg = one_line_error(run("sampel", "m.npz"), 2)
    assert "unknown command 'sampel'; did you mean 'sample'?" in msg
    msg = one_line_error(run("train", "--lrr", "0.1"), 2)
    assert "unknown flag '--lrr' for rbmkit train; did you mean '--lr'?" in msg and "(see rbmkit train --help)" in msg
    msg = one_line_error(run("train", "--hidden", "100000000"), 2)
    assert "[1, 16777216]" in msg and "(see rbmkit train --help)" in msg


def test_mnist_specs_that_are_almost_right_get_a_hint(tmp_path):
    assert "name a split: mnist:train" in one_line_error(run("train", "--data", "mnist", "--out", tmp_path / "o",
                                                             "-q"), 2)
    assert "lower case: mnist:train:3" in one_line_error(run("train", "--data", "MNIST:train:3", "--out",
                                                             tmp_path / "o", "-q"), 2)


def test_every_command_speaks_json_and_errors_do_too(tmp_path, bas_npy):
    out = tmp_path / "o"
    j = json.loads(run("train", "--data", bas_npy, "--hidden", "4", "--updates", "10", "--out", out, "--json",
                       check=0).stdout)
    assert j["files"]["model"] == str(out / "model.npz") and j["settings"]["hidden"] == 4
    model = out / "model.npz"
    for args in (["sample", model, "--chains", "2", "--steps", "2", "--out", tmp_path / "s.png"],
                 ["show", model, "--out", tmp_path / "w.png"],
                 ["eval", model, "--data", bas_npy],
                 ["transform", model, "--data", bas_npy, "--out", tmp_path / "h.npy"]):
        json.loads(run(*args, "--json", check=0).stdout)
    p = run("eval", tmp_path / "missing.npz", "--data", bas_npy, "--json")
    assert p.returncode == 1
    err = json.loads(p.stdout)
    assert "missing.npz" in err["error"] and err["exit_status"] == 1
    p = run("train", "--lr", "-1", "--json")
    assert p.returncode == 2 and json.loads(p.stdout)["parameter"] == "--lr"


def test_quiet_means_no_notes(tmp_path, bas_npy):
    p = run("train", "--data", bas_npy, "--hidden", "4", "--updates", "10", "--out", tmp_path / "o", "--quiet",
            check=0)
    assert p.stderr == "" and p.stdout == ""
    p = run("sample", tmp_path / "o" / "model.npz", "--chains", "2", "--steps", "2", "--out", tmp_path / "s.png", "-q",
            check=0)
    assert p.stdout == ""


def test_output_names_must_have_the_extension_that_is_written(tmp_path, bas_npy):
    run("train", "--data", bas_npy, "--hidden", "4", "--updates", "10", "--out", tmp_path / "o", "-q", check=0)
    model = tmp_path / "o" / "model.npz"
    assert "ending in .png" in one_line_error(run("sample", model, "--out", tmp_path / "s.jpg"), 2)
    assert "ending in .npy" in one_line_error(run("sample", model, "--npy", tmp_path / "s.txt"), 2)
    assert "ending in .png" in one_line_error(run("show", model, "--out", tmp_path / "w.gif"), 2)
    assert not list(tmp_path.glob("s.*")) and not (tmp_path / "w.gif").exists()
