"""rbmkit reproduce (CTest label 'mnist': needs the cached MNIST files): the recipe list, bad
names, and --quick runs of the pipeline, whose figures must equal what rbmkit eval reports for
the same model and data."""
import json
import os
import signal
import subprocess
import time

import numpy as np
import pytest

from conftest import RBMKIT, run

RECIPES = {"mnist-h500-cd25": -86.34, "mnist-h500": -85.65, "mnist-h25": -129.76, "mnist-h20": -150.11,
           "mnist-threshold-h16": -142.56, "mnist-h500-pcd": -101.28, "mnist-h500-cd1": -124.09,
           "exercise-digit3": None, "exercise-digit3-best": None}
SANITIZER = bool(os.environ.get("RBMKIT_SANITIZER"))


def test_list_shows_every_recipe_with_its_published_figure():
    p = run("reproduce", "--list", check=0)
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in p.stdout.splitlines()[2:]}
    assert rows == {name: "-" if v is None else f"{v:.2f}" for name, v in RECIPES.items()}


def test_unknown_or_missing_recipe_is_refused():
    p = run("reproduce", "mnist-h9", check=2)
    assert "no recipe named 'mnist-h9'" in p.stderr and "mnist-h20" in p.stderr
    p = run("reproduce", check=2)
    assert "name a recipe" in p.stderr


def reproduce(tmp_path, name):
    out = tmp_path / name
    p = run("reproduce", name, "--quick", "--json", "--out", out, check=0)
    return json.loads(p.stdout), out


def test_quick_exact_recipe_equals_eval_of_its_model(tmp_path):
    j, out = reproduce(tmp_path, "mnist-h20")
    assert j["quick"] and j["published"] == -150.11
    with np.load(out / "model.npz") as f:
        settings = json.loads(str(f["meta"]))["settings"]
        assert f["W"].shape == (784, 20)
    assert (settings["data"], settings["binarize"], settings["method"], settings["updates"]) == (
        "mnist:train", "stochastic:1", "pcd", 600)
    assert j["eval"]["method"] == "exact" and j["eval"]["binarize"] == "stochastic:2"
    e = json.loads(run("eval", out / "model.npz", "--data", "mnist:test", "--binarize", "stochastic:2", "--json",
                       check=0).stdout)
    assert j["log_likelihood"] == e["log_likelihood"]
    assert j["log_likelihood"] == pytest.approx(-e["mean_free_energy"] - e["log_z"], abs=1e-9)
    assert j["log_likelihood"] <= j["log_likelihood_upper_bound"] + 1e-9 < 0


def test_quick_annealed_recipe_reports_ais_raise_and_the_bound(tmp_path):
    j, out = reproduce(tmp_path, "exercise-digit3")
    e = j["eval"]
    assert e["method"] == "both" and e["n_examples"] == 1010 and e["schedule"]["betas"] == 500
    assert {"ais", "raise", "bound"} <= set(e)
    assert j["log_likelihood"] <= j["log_likelihood_upper_bound"] + 1e-9
    with np.load(out / "model.npz") as f:
        assert not f["a"].any()  # the exercise's model has no visible bias


@pytest.mark.skipif(SANITIZER, reason="the 500-unit recipes take minutes under the sanitizers")
@pytest.mark.parametrize("name", [n for n in RECIPES if n not in ("mnist-h20", "exercise-digit3")])
def test_every_recipe_runs_quickly_end_to_end(tmp_path, name):
    j, out = reproduce(tmp_path, name)
    assert j["recipe"] == name and j["published"] == RECIPES[name]
    assert np.isfinite(j["log_likelihood"]) and j["log_likelihood"] < 0
    assert (out / "model.npz").exists() and (out / "weights.png").exists()


@pytest.mark.skipif(SANITIZER, reason="the 500-unit recipes take minutes under the sanitizers")
def test_interrupted_recipe_resumes_to_the_uninterrupted_model(tmp_path):
    name, out = "mnist-h500-cd25", tmp_path / "stopped"
    p = subprocess.Popen([RBMKIT, "reproduce", name, "--quick", "--out", str(out), "--quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log, deadline = out / "train.jsonl", time.time() + 120
    while p.poll() is None and time.time() < deadline and not (log.exists() and log.read_text().count("\n") >= 2):
        time.sleep(0.02)
    p.send_signal(signal.SIGTERM)  # during training: its first reports are written
    _, err = p.communicate(timeout=120)
    assert p.returncode == 3, err
    assert f"rbmkit reproduce {name} --quick --out {out} --resume" in err
    with np.load(out / "checkpoint.npz") as f:
        assert 0 < json.loads(str(f["meta"]))["progress"]["update"] < 100
    j = json.loads(run("reproduce", name, "--quick", "--out", out, "--resume", "--json", check=0).stdout)
    assert j["resumed"] and np.isfinite(j["log_likelihood"])
    fresh, _ = reproduce(tmp_path, name)
    with np.load(out / "model.npz") as a, np.load(tmp_path / name / "model.npz") as b:
        for key in ("W", "a", "b"):
            assert np.array_equal(a[key], b[key]), key
    assert j["log_likelihood"] == fresh["log_likelihood"]
    # A directory holding another recipe's run is refused on --resume, naming the setting.
    p = run("reproduce", "mnist-h500-cd1", "--quick", "--out", out, "--resume")
    assert p.returncode == 2 and "disagrees with the checkpoint" in p.stderr, p.stderr
