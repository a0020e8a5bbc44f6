"""Builds the extension rbmkit._rbmkit with the project's CMake build (python/CMakeLists.txt)
and installs it with the pure-Python package python/rbmkit.

RBMKIT_BUILD_DIR names a CMake build directory to build in (e.g. build/, so an installed copy
reuses what scripts/build made); by default a fresh one under setuptools' build_temp."""
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("RBMKIT_BUILD_DIR") or os.path.join(os.path.abspath(self.build_temp), "cmake")
        if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release", "-DRBMKIT_TESTS=OFF",
                            f"-DPython_EXECUTABLE={sys.executable}"], check=True)
        subprocess.run(["cmake", "--build", build_dir, "--target", "_rbmkit", "--", f"-j{os.cpu_count() or 1}"],
                       check=True)
        built = os.path.join(build_dir, "python", "rbmkit")
        names = [n for n in os.listdir(built) if n.startswith("_rbmkit") and n.endswith(".so")]
        if len(names) != 1:
            raise RuntimeError(f"expected one _rbmkit extension in {built}, found {names}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(built, names[0]), target)


setup(
    packages=["rbmkit"],
    package_dir={"": "python"},
    ext_modules=[Extension("rbmkit._rbmkit", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
)
