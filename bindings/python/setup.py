"""The build step behind pyproject.toml: builds libconf._libconf with the
project's CMake (the repository two folders up) and copies the extension into
the package being built. Environment: LIBCONF_CMAKE_ARGS adds CMake options,
LIBCONF_BUILD_JOBS sets the parallel jobs (default 2)."""

import os
import pathlib
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        if not (ROOT / "CMakeLists.txt").exists():
            raise RuntimeError(f"libconf's CMakeLists.txt not found in {ROOT}: build from a checkout of the repository")
        build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
            "-DLIBCONF_BUILD_PYTHON=ON", "-DLIBCONF_BUILD_TESTS=OFF", "-DLIBCONF_BUILD_BENCH=OFF",
            "-DLIBCONF_BUILD_EXAMPLES=OFF", f"-DLIBCONF_PYTHON_EXECUTABLE={sys.executable}",
        ]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("LIBCONF_CMAKE_ARGS", ""))
        subprocess.run(configure, check=True)
        jobs = os.environ.get("LIBCONF_BUILD_JOBS", "2")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "libconf_python", "-j", jobs], check=True)
        built = sorted((build_dir / "bindings" / "python" / "libconf").glob("_libconf*.so"))
        if not built:
            raise RuntimeError("the CMake build produced no _libconf extension")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[0], target)


setup(ext_modules=[Extension("libconf._libconf", sources=[])], cmdclass={"build_ext": CMakeBuild})
