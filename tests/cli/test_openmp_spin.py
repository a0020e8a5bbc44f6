"""The command bounds OpenMP's spinning (cli/openmp_spin.hpp): run without GOMP_SPINCOUNT and
OMP_WAIT_POLICY, it executes itself again with GOMP_SPINCOUNT=1000 (the same process, read from
/proc/PID/environ while it trains); a policy the user set is left as it is; the arguments and the
exit status survive the new execution."""
import os
import subprocess
import time

import pytest

from conftest import RBMKIT, run

SETTINGS = ("GOMP_SPINCOUNT", "OMP_WAIT_POLICY")


def without_settings(env=None):
    """This process's environment without either OpenMP setting, plus env."""
    return {**{k: v for k, v in os.environ.items() if k not in SETTINGS}, **(env or {})}


def environment_of_running_train(bas_npy, tmp_path, env):
    """GOMP_SPINCOUNT and OMP_WAIT_POLICY of a training run, from its /proc environ."""
    p = subprocess.Popen([RBMKIT, "train", "--data", str(bas_npy), "--hidden", "8", "--updates", "100000000",
                          "--quiet", "--out", str(tmp_path / "m")], env=without_settings(env), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        # Once the output folder exists the command is training, after any new execution.
        deadline = time.time() + 60
        while not (tmp_path / "m").exists() and time.time() < deadline:
            time.sleep(0.05)
        entries = open(f"/proc/{p.pid}/environ", "rb").read().split(b"\0")
        seen = dict(e.decode().split("=", 1) for e in entries if b"=" in e)
        return {k: seen.get(k) for k in SETTINGS}
    finally:
        p.kill()
        p.wait(timeout=60)


def test_unset_policy_gets_a_bounded_spin(bas_npy, tmp_path):
    assert environment_of_running_train(bas_npy, tmp_path, {}) == {"GOMP_SPINCOUNT": "1000", "OMP_WAIT_POLICY": None}


@pytest.mark.parametrize("env", [{"GOMP_SPINCOUNT": "50"}, {"OMP_WAIT_POLICY": "ACTIVE"}])
def test_a_chosen_policy_is_kept(bas_npy, tmp_path, env):
    expected = {"GOMP_SPINCOUNT": None, "OMP_WAIT_POLICY": None, **env}
    assert environment_of_running_train(bas_npy, tmp_path, env) == expected


def test_arguments_and_exit_status_survive_the_new_execution(tmp_path):
    p = subprocess.run([RBMKIT, "--version"], env=without_settings(), capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.startswith("rbmkit ")
    assert p.stdout == run("--version", check=0).stdout  # the same as without a new execution
    p = subprocess.run([RBMKIT, "train", "--hidden", "0"], env=without_settings(), capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 2 and "--hidden" in p.stderr
