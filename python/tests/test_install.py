"""The package installs with `cmake --install` and works from there in a
fresh interpreter (the extension finds libMLIR/libLLVM through its RPATH)."""

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import flow_mlir

PACKAGES = os.path.dirname(os.path.dirname(os.path.abspath(
    flow_mlir.__file__)))
BUILD = os.path.dirname(PACKAGES)


@pytest.mark.skipif(
    not os.path.exists(os.path.join(BUILD, "CMakeCache.txt")) or
    shutil.which("cmake") is None,
    reason="flow_mlir is not imported from a CMake build tree")
def test_cmake_install_into_a_prefix(tmp_path):
    prefix = tmp_path / "prefix"
    proc = subprocess.run(
        ["cmake", "--install", BUILD, "--component", "flow_mlir_python",
         "--prefix", str(prefix)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = prefix / "lib" / "python3" / "dist-packages"
    assert (site / "flow_mlir" / "nn" / "functional.py").exists()
    proc = _import_from(site, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "(1, 3, 9, 5)"


def _import_from(site, tmp_path):
    code = textwrap.dedent("""
        import numpy as np, flow_mlir as flow, flow_mlir.nn as nn
        assert flow.__file__.startswith(%r), flow.__file__
        m = nn.ConvTranspose2d(2, 3, (3, 2), stride=(2, 1))
        print(m(np.ones((1, 2, 4, 4), np.float32)).shape)
    """ % str(site))
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "LD_LIBRARY_PATH")}
    env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, env=env, cwd=str(tmp_path))


@pytest.mark.skipif(
    not os.path.exists(os.path.join(PACKAGES, "pyproject.toml")),
    reason="no generated pyproject.toml next to flow_mlir")
def test_pip_install_of_the_built_package(tmp_path):
    for module in ("pip", "setuptools", "wheel"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed")
    # pip builds in its source directory: give it a copy.
    src = tmp_path / "src"
    shutil.copytree(PACKAGES, src,
                    ignore=shutil.ignore_patterns("__pycache__", "build",
                                                  "*.egg-info"))
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation",
         "--no-deps", "--no-index", "--target", str(site), str(src)],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = _import_from(site, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "(1, 3, 9, 5)"
