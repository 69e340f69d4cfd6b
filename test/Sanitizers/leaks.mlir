// REQUIRES: asan
// LeakSanitizer on flow-runner running the JIT entry many times in one
// process (--benchmark: every run's results, intermediate buffers and the
// refused calls' buffers must be freed), with static and dynamic shapes and
// with the memory guard ending calls. LeakSanitizer exits non-zero on a leak.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((2, 2, 9, 7), np.float32)); np.save('%t/w.npy', np.ones((2, 3, 3, 3), np.float32)); np.save('%t/big.npy', np.ones((1, 2, 100, 100), np.float32)); np.save('%t/w22.npy', np.ones((2, 2, 3, 3), np.float32))"
// RUN: env ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=%lsan_supp flow-runner %s -e static --random-inputs --benchmark=300 | FileCheck %s
// RUN: env ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=%lsan_supp flow-runner %s -e dynamic --input=%t/x.npy --input=%t/w.npy --benchmark=300 | FileCheck %s
// RUN: env ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=%lsan_supp flow-runner %s -e dynamic --input=%t/x.npy --input=%t/w.npy --strategy=zero-insert --benchmark=300 | FileCheck %s
// CHECK: benchmark: median_ms={{.*}} runs=300
// A call that the memory guard ends, in a process that leak-checks at exit.
// RUN: env ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=%lsan_supp FLOW_JIT_MEMORY_LIMIT=1000000 not flow-runner %s -e chain --input=%t/big.npy --input=%t/w22.npy 2>&1 | FileCheck %s --check-prefix=GUARD
// GUARD: flow-runner: error: @chain needs a buffer of
// GUARD-NOT: LeakSanitizer

func.func @static(%x: tensor<2x2x9x7xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<2x3x19x15xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>} : (tensor<2x2x9x7xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>) -> tensor<2x3x19x15xf32>
  return %y : tensor<2x3x19x15xf32>
}

func.func @dynamic(%x: tensor<?x2x?x?xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x3x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 3, 2>, padding = array<i64: 1, 0>, dilation = array<i64: 1, 2>} : (tensor<?x2x?x?xf32>, tensor<2x3x3x3xf32>) -> tensor<?x3x?x?xf32>
  return %y : tensor<?x3x?x?xf32>
}

func.func @chain(%x: tensor<?x2x?x?xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<?x2x?x?xf32> {
  %a = flow.conv_transpose2d %x, %w : (tensor<?x2x?x?xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x?x?xf32>
  %b = flow.conv_transpose2d %a, %w {stride = array<i64: 4, 4>} : (tensor<?x2x?x?xf32>, tensor<2x2x3x3xf32>) -> tensor<?x2x?x?xf32>
  return %b : tensor<?x2x?x?xf32>
}
