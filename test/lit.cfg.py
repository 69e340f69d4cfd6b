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
