# -*- Python -*- lit configuration for flow-mlir.
import os
import shutil

import lit.formats

config.name = "FLOW"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".mlir", ".py"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs", "lib"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.flow_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.flow_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%python", config.python_executable))
# Tests never touch the user's compile cache (compile-cache.mlir sets its own).
config.environment["FLOW_CACHE_DIR"] = "off"
config.substitutions.append(("%flow_src_root", config.flow_src_root))
config.substitutions.append(("%flow_tools_dir", config.flow_tools_dir))

# Python-based tests need Debian's torch/numpy.
try:
    import subprocess
    subprocess.run([config.python_executable, "-c", "import torch, numpy"],
                   check=True, capture_output=True)
    config.available_features.add("torch")
except Exception:
    lit_config.note("python3-torch not importable: torch-based tests are unsupported")

# CUDA back end (runtime/CUDA, flow-lower-to-cuda).
#   cuda-toolkit: ptxas is there, so flow-lower-to-cuda can make binaries.
#   cuda-runtime: libflow_cuda_runtime was built.
#   cuda-device:  that runtime finds a usable GPU (its own probe).
def _cuda_toolkit():
    roots = [os.environ.get(v) for v in ("CUDA_HOME", "CUDA_PATH")]
    roots.append("/usr/local/cuda")
    for root in roots:
        if root and os.access(os.path.join(root, "bin", "ptxas"), os.X_OK):
            return root
    ptxas = shutil.which("ptxas")
    return os.path.dirname(os.path.dirname(ptxas)) if ptxas else None


_toolkit = _cuda_toolkit()
if _toolkit:
    config.available_features.add("cuda-toolkit")
    config.substitutions.append(("%cuda_toolkit", _toolkit))
    for _stub in ("lib64/stubs/libcuda.so",
                  "targets/x86_64-linux/lib/stubs/libcuda.so"):
        if os.path.exists(os.path.join(_toolkit, _stub)):
            config.available_features.add("cuda-driver-stub")
            config.substitutions.append(
                ("%cuda_driver_stub", os.path.join(_toolkit, _stub)))
            break
else:
    lit_config.note("no CUDA toolkit (ptxas): CUDA compile tests are unsupported")

_cuda_runtime = os.path.join(config.flow_obj_root, "lib", "libflow_cuda_runtime.so")
if os.path.exists(_cuda_runtime):
    config.available_features.add("cuda-runtime")
    config.substitutions.append(("%cuda_runtime", _cuda_runtime))
    try:
        _probe = subprocess.run(
            [config.python_executable, "-c",
             "import ctypes, sys; lib = ctypes.CDLL(sys.argv[1]); "
             "m = ctypes.create_string_buffer(1024); "
             "r = lib.flowCudaProbe(m, 1024); "
             "print(m.value.decode()); sys.exit(r)", _cuda_runtime],
            capture_output=True, text=True, timeout=60)
        if _probe.returncode == 0:
            config.available_features.add("cuda-device")
        else:
            lit_config.note("CUDA execution tests are unsupported: " +
                            _probe.stdout.strip())
    except Exception as e:
        lit_config.note(f"CUDA device probe failed: {e}")

# A C compiler, for tests that build small helpers (the mock CUDA driver).
_cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
if _cc:
    config.available_features.add("c-compiler")
    config.substitutions.append(("%cc", _cc))

# The sanitizer build (scripts/test.sh --sanitize): its tools link the shared
# ASan runtime (feature "asan"). A program that is not instrumented (stock
# mlir-opt, python3) can load its libraries only with that runtime
# preloaded: %asan_host prefixes such a program (nothing in other builds),
# with leak checking off in it (its own exit-time objects are not ours), as
# scripts/sanitize-env.sh does for the Python suite.
_asan_host = ""
try:
    import re
    import subprocess
    _m = re.search(r"=> (\S*libclang_rt\.asan[^ ]*\.so)", subprocess.run(
        ["ldd", os.path.join(config.flow_tools_dir, "flow-aot-run")],
        capture_output=True, text=True, timeout=30).stdout)
    if _m:
        config.available_features.add("asan")
        _opts = os.environ.get("ASAN_OPTIONS", "")
        _asan_host = "env LD_PRELOAD=%s ASAN_OPTIONS=%sdetect_leaks=0" % (
            _m.group(1), _opts + ":" if _opts else "")
except Exception:
    pass
config.asan_host = _asan_host
config.substitutions.append(("%asan_host", _asan_host))
