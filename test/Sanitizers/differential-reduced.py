# REQUIRES: asan, torch
# scripts/test.sh --sanitize leaves out test/Integration/CPU/differential.py
# (320 configurations, both lowerings: too slow with an instrumented JIT on
# two cores) and runs it here on its first 40 configurations instead.
# RUN: %python %flow_src_root/test/Integration/CPU/differential.py %flow_tools_dir %flow_src_root/test/lib 40 | FileCheck %s
# CHECK: phase: 40/40 within 0.0001
# CHECK: zero-insert: 40/40 within 0.0001
