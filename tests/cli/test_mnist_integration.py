"""MNIST integration tests (CTest label 'mnist'): need the cached MNIST files that
scripts/test fetches first. They check the data specs' counts and a short run of the
exercise preset end to end."""
import json

import numpy as np
import pytest

from conftest import run


def n_examples(tmp_path, spec):
    out = tmp_path / spec.replace(":", "_")
    run("train", "--data", spec, "--hidden", "2", "--updates", "1", "--out", out, "--quiet", "--sample-steps", "1",
        check=0)
    with np.load(out / "model.npz") as f:
        return json.loads(str(f["meta"]))["n_examples"]


@pytest.mark.parametrize("spec, count", [("mnist:all:3", 7141), ("mnist:train:3", 6131), ("mnist:test:3", 1010),
                                         ("mnist:test", 10000)])
def test_mnist_specs_have_the_documented_sizes(tmp_path, spec, count):
    assert n_examples(tmp_path, spec) == count


def test_seed_preset_short_run_end_to_end(tmp_path):
    p = run("train", "--preset", "seed", "--updates", "3000", "--sample-steps", "50", check=0, cwd=tmp_path)
    out = tmp_path / "out" / "seed"
    for name in ["model.npz", "weights.png", "samples.png", "train.jsonl"]:
        assert (out / name).exists(), name
        assert name in p.stdout
    with np.load(out / "model.npz") as f:
        assert f["W"].shape == (784, 100)
        assert not f["a"].any()  # the exercise's model has no visible bias
        meta = json.loads(str(f["meta"]))
    s = meta["settings"]
    assert (s["preset"], s["hidden"], s["cd"], s["batch"], s["data"], s["binarize"]) == (
        "seed", 100, 3, 1, "mnist:all:3", "threshold:127.5")
    assert abs(s["lr"] - 0.01) < 1e-9 and abs(s["init-std"] - 0.1) < 1e-9
    log = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    assert log[-1]["update"] == 3000
    assert log[-1]["reconstruction_error"] < log[0]["reconstruction_error"]


def test_bare_train_runs_the_exercise_preset(tmp_path):
    # Flags that are not training settings (--out, --quiet, --sample-steps) keep the preset.
    out = tmp_path / "bare"
    run("train", "--out", out, "--quiet", "--sample-steps", "5", check=0)
    with np.load(out / "model.npz") as f:
        s = json.loads(str(f["meta"]))["settings"]
    assert s["preset"] == "seed" and s["updates"] == 100000 and s["visible-bias"] == "off"


def test_seed_updates_and_threads_keep_the_preset(tmp_path):
    # Settings that do not define a model keep the exercise preset (they once switched to full MNIST).
    out = tmp_path / "kept"
    p = run("train", "--seed", "5", "--updates", "200", "--threads", "1", "--out", out, "--sample-steps", "2", check=0)
    assert "settings: the general defaults" not in p.stderr
    with np.load(out / "model.npz") as f:
        s = json.loads(str(f["meta"]))["settings"]
    assert (s["preset"], s["seed"], s["updates"], s["data"], s["batch"], s["cd"]) == ("seed", 5, 200, "mnist:all:3", 1, 3)
