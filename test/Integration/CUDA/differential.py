# REQUIRES: cuda-device, torch
# The CPU suite's differential test on the GPU: the same random
# conv_transpose2d configurations through flow-runner --target=cuda with both
# lowerings, against torch's conv_transpose2d in float64 (on the CPU).
# RUN: %python %flow_src_root/test/Integration/CPU/differential.py %flow_tools_dir %flow_src_root/test/lib 320 --target=cuda | FileCheck %s
# CHECK: cuda phase: 320/320 within 0.0001
# CHECK: cuda zero-insert: 320/320 within 0.0001
