# REQUIRES: cuda-device, torch
# The seed's example at full size on the GPU (examples/seed.mlir through
# flow-runner --target=cuda) against torch in float64, then --benchmark (the
# kernels' time, measured with CUDA events).
# RUN: %python %flow_src_root/test/Integration/CPU/seed.py %flow_tools_dir %flow_src_root --target=cuda --benchmark=5 | FileCheck %s
# CHECK: seed output shape (20, 33, 93, 100)
# CHECK: seed max error vs torch float64 within 2e-05: yes
# CHECK: benchmark: median_ms={{[0-9.]+}} min_ms={{[0-9.]+}} gflops={{[0-9.]+}} runs=5
