"""Crash-safe training: runs killed at random moments (SIGKILL) and resumed end with a model
bit-identical to an uninterrupted run; SIGTERM ends a run with a checkpoint and exit status 3;
the files in the output folder are always complete (numpy opens them whenever they exist)."""
import itertools
import json
import os
import random
import signal
import subprocess
import time

import numpy as np
import pytest

from conftest import RBMKIT, run

# A checkpoint every 1000 updates: 100 of them in a CD run and 20 in a PT run. Under the
# sanitizers (scripts/sanitize sets RBMKIT_SANITIZER=1) training runs 10 to 30 times slower, and
# the runs are shorter: 20 and 3 checkpoints.
SANITIZER = bool(os.environ.get("RBMKIT_SANITIZER"))
CD_UPDATES = 20000 if SANITIZER else 100000
PT_UPDATES = 3000 if SANITIZER else 20000
# The run that SIGTERM stops after 0.5 s: long enough to be still running then on a fast machine
# (60,000 PT updates take about 3.7 s on this 2-core one).
SIGTERM_UPDATES = 3 * PT_UPDATES
MAX_KILLS = 8

# Per-example CD (the fused path) and minibatch PT with momentum (estimator and optimiser state).
SETTINGS = {
    "cd": ["--hidden", "64", "--batch", "1", "--cd", "2", "--updates", str(CD_UPDATES), "--threads", "2"],
    "pt": ["--hidden", "64", "--method", "pt", "--temperatures", "3", "--chains", "20", "--momentum", "0.5",
           "--batch", "10", "--updates", str(PT_UPDATES), "--threads", "2"],
}


def command(bas_npy, out, name, updates=None):
    settings = list(SETTINGS[name])
    if updates is not None:
        settings[settings.index("--updates") + 1] = str(updates)
    return [RBMKIT, "train", "--data", str(bas_npy), *settings, "--checkpoint-every", "1000", "--quiet",
            "--sample-steps", "2", "--out", str(out)]


def arrays(path):
    with np.load(path) as f:
        return {k: f[k].copy() for k in ["W", "a", "b"]}, json.loads(str(f["meta"]))


def files_are_complete(out):
    for name in ["checkpoint.npz", "model.npz"]:
        if (out / name).exists():
            arrays(out / name)  # raises on a half-written file


@pytest.mark.parametrize("name", ["cd", "pt"])
def test_kill_and_resume_gives_the_uninterrupted_model(bas_npy, tmp_path, name):
    start = time.perf_counter()
    subprocess.run(command(bas_npy, tmp_path / "full", name), check=True, timeout=300)
    duration = time.perf_counter() - start
    full, full_meta = arrays(tmp_path / "full" / "model.npz")
    rng = random.Random(1234)
    kills = 0
    # Four trials, and more (up to ten) until at least two runs were killed: when the machine gets
    # faster than it was for the full run, a fresh run can finish before its kill, and the kill
    # times then shrink by half.
    trial = 0
    while trial < 4 or (kills < 2 and trial < 10):
        out = tmp_path / f"trial{trial}"
        trial += 1
        args = command(bas_npy, out, name)
        # The first MAX_KILLS attempts of a trial may be killed, then the run may finish: kills
        # that keep coming before the next checkpoint would otherwise restart it for ever.
        for attempt in itertools.count():
            p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if attempt < MAX_KILLS:
                time.sleep(rng.uniform(0.02, 0.5) * duration)
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    kills += 1
                elif "--resume" not in args:
                    duration /= 2
            p.wait(timeout=300)
            files_are_complete(out)
            if p.returncode == 0:
                break
            if (out / "checkpoint.npz").exists():
                args = [RBMKIT, "train", "--resume", str(out), "--quiet", "--sample-steps", "2"]
        got, meta = arrays(out / "model.npz")
        for k in full:
            assert np.array_equal(got[k], full[k]), f"trial {trial}: {k} differs"
        assert meta["settings"] == full_meta["settings"]
        log = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
        updates = [entry["update"] for entry in log]
        assert updates == sorted(set(updates)) and updates[-1] == full_meta["settings"]["updates"]
    assert kills >= 2  # the trials really interrupted training


def test_sigterm_writes_checkpoint_and_exits_3(bas_npy, tmp_path):
    out = tmp_path / "t"
    p = subprocess.Popen(command(bas_npy, out, "pt", SIGTERM_UPDATES), stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 3, err
    assert "--resume" in err
    _, meta = arrays(out / "checkpoint.npz")
    assert 0 < meta["progress"]["update"] < SIGTERM_UPDATES
    arrays(out / "model.npz")
    run("train", "--resume", out, "--quiet", "--sample-steps", "2", check=0)
    assert arrays(out / "checkpoint.npz")[1]["progress"]["update"] == SIGTERM_UPDATES


def test_resume_refuses_changed_settings_and_missing_checkpoint(bas_npy, tmp_path):
    out = tmp_path / "r"
    run("train", "--data", bas_npy, "--hidden", "4", "--updates", "100", "--checkpoint-every", "50", "--out", out,
        "--quiet", "--sample-steps", "1", check=0)
    p = run("train", "--resume", out, "--hidden", "5")
    assert p.returncode != 0 and "--hidden" in p.stderr and "checkpoint" in p.stderr
    p = run("train", "--resume", tmp_path / "nowhere")
    assert p.returncode != 0 and "checkpoint.npz" in p.stderr
