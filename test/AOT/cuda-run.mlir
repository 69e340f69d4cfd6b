// On a machine with a GPU: the AOT CUDA library computes what the JIT does.
// REQUIRES: cuda-toolkit, cuda-runtime, cuda-device
// RUN: rm -rf %t && mkdir -p %t
// RUN: flow-compile %s --target=cuda -o %t/libgpurun.so
// RUN: flow-aot-run %t/libgpurun.so --print | FileCheck %s
// RUN: flow-aot-run %t/libgpurun.so -e seed --random-inputs=1 --output=%t/aot.npy --benchmark=3 | FileCheck %s --check-prefix=BENCH
// RUN: flow-runner %s -e seed --random-inputs=1 --output=%t/jit.npy
// RUN: %python -c "import numpy as np; a = np.load('%t/aot.npy'); j = np.load('%t/jit.npy'); assert a.shape == j.shape == (2, 33, 23, 20), a.shape; d = float(abs(a - j).max()); assert d <= 1e-5, d"

// CHECK: result 0: tensor<1x1x3x3xf32> shape (1, 1, 3, 3)
// CHECK-NEXT: {{\[\[\[\[}}1, 3, 2],
// CHECK-NEXT: [4, 10, 6],
// CHECK-NEXT: [3, 7, 4]]]]
// BENCH: benchmark: median_ms={{[0-9.]+}} min_ms={{[0-9.]+}} gflops={{[0-9.]+}} runs=3
// BENCH-NEXT: benchmark-call: median_ms={{[0-9.]+}} min_ms={{[0-9.]+}} gflops={{[0-9.]+}} runs=3

func.func @main() -> tensor<1x1x3x3xf32> {
  %x = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// The seed's configuration on a small input.
func.func @seed(%x: tensor<2x16x12x20xf32>, %w: tensor<16x33x3x5xf32>, %b: tensor<33xf32>) -> tensor<2x33x23x20xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 1>, padding = array<i64: 1, 2>}
       : (tensor<2x16x12x20xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>) -> tensor<2x33x23x20xf32>
  return %y : tensor<2x33x23x20xf32>
}
