# REQUIRES: torch, cuda-toolkit, cuda-runtime
# UNSUPPORTED: cuda-device
# The sanitizer build's flow-aot-run needs the ASan runtime of this machine,
# so gpu-check.sh rightly refuses to bundle it for a GPU machine.
# UNSUPPORTED: asan
# RUN: rm -rf %t && mkdir -p %t
# RUN: env FLOW_BUILD_DIR=%flow_tools_dir/.. %flow_src_root/scripts/gpu-check.sh --out %t/gc --count 3 --chunk 2 --shapes %S/Inputs/shapes-small.json --dry-run > %t/log 2>&1
# RUN: FileCheck %s < %t/log
# RUN: %python %s %t/gc
"""scripts/gpu-check.sh on a machine without a GPU: it builds the folder
(CUDA libraries for 3 differential configurations in 2 libraries and the 2
CUDA shapes of a small shapes file), and its dry run shows the CUDA side
refusing cleanly and check.py's CPU fallback passing every comparison."""

# CHECK: == gpu-check: building {{.*}}gc (3 differential configurations, chunks of 2;
# CHECK: 3 CUDA libraries, {{[0-9]+}} KiB in {{.*}}gc, {{[0-9]+}} KiB as {{.*}}gc.tar.gz; needs glibc >= 2.34
# CHECK: @tiny_seed(tensor<2x4x6x8xf32>, tensor<4x5x3x5xf32>, tensor<5xf32>) -> (tensor<2x5x11x8xf32>)
# CHECK-NEXT: @tiny_grouped(tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> (tensor<1x4x12x12xf32>)
# CHECK-NEXT: flow-aot-run: error: no CUDA {{driver|device}} (
# CHECK-NEXT: exit code 1
# CHECK: check.py: error: torch sees no CUDA device; on a machine without a GPU run 'check.py --cpu' (the CPU fallback)
# CHECK-NEXT: exit code 2
# CHECK: differential: 3/3 passed
# CHECK-NEXT: shapes: 2/2 passed
# CHECK: | tiny_seed | yes |
# CHECK-NEXT: | tiny_grouped | yes |
# CHECK: 5 passed, 0 failed

import json
import os
import sys

folder = sys.argv[1]
for name in ("check.py", "flow_aot.py", "flow-aot-run", "configs.json",
             "README.txt", "run.sh", "cuda/libdiff_00.so", "cuda/libdiff_01.so",
             "cuda/libshapes.so", "cpu/libshapes.so", "results.md"):
    assert os.path.exists(os.path.join(folder, name)), name
entries = json.load(open(os.path.join(folder, "configs.json")))["entries"]
assert [e["entry"] for e in entries] == ["d000", "d001", "d002", "tiny_seed",
                                        "tiny_grouped"], entries
assert os.path.exists(folder + ".tar.gz")
print("folder ok")
