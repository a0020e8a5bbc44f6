"""pip install . in a virtual environment that sees Debian's packages (offline, no build
isolation), as the README says; it builds in the existing build directory (RBMKIT_BUILD_DIR), so
the test costs no second compilation. The installed module then imports from elsewhere."""
import os
import shutil
import subprocess

from conftest import RBMKIT

SOURCE = os.environ.get("RBMKIT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../.."))


def test_pip_install_into_a_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)], check=True)
    # pip copies nothing back, but setuptools writes its egg-info beside the sources: work on a copy.
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns("build", "build-*", ".git", "out", "*.egg-info"))
    env = dict(os.environ, RBMKIT_BUILD_DIR=os.path.dirname(os.path.abspath(RBMKIT)), PYTHONPATH="")
    p = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index", str(source)],
                       capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    check = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import rbmkit, numpy; print(rbmkit.__file__); "
                            "print(rbmkit.BernoulliRBM(n_components=2, n_iter=1).fit(numpy.eye(3)).components_.shape)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert check.returncode == 0, check.stderr
    path, shape = check.stdout.strip().splitlines()
    assert path.startswith(str(venv)) and shape == "(2, 3)"
