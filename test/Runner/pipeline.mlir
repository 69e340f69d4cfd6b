// --pipeline takes the bare form ("flow-lower-to-cpu") and the anchored one
// mlir-opt's --pass-pipeline requires ("builtin.module(flow-lower-to-cpu)"):
// both lower the module (the anchored text is not nested in a second module
// pass manager, which would run nothing).
// RUN: flow-runner %s --pipeline='flow-lower-to-cpu' --print | FileCheck %s
// RUN: flow-runner %s --pipeline='builtin.module(flow-lower-to-cpu)' --print | FileCheck %s
// RUN: flow-runner %s --pipeline=' builtin.module( flow-lower-to-cpu{parallel=false} ) ' --print | FileCheck %s
// RUN: flow-runner %s --pipeline='builtin.module(func.func(canonicalize),flow-lower-to-cpu)' --print | FileCheck %s
// CHECK: result 0: tensor<1x1x3x3xf32> shape (1, 1, 3, 3)
// CHECK-NEXT: {{\[\[\[\[}}1, 3, 2],
// CHECK-NEXT: [4, 10, 6],
// CHECK-NEXT: [3, 7, 4]]]]

// flow-compile shares the front end.
// RUN: rm -rf %t && mkdir -p %t
// RUN: flow-compile %s --pipeline='builtin.module(flow-lower-to-cpu)' -o %t/libanchored.so
// RUN: flow-aot-run %t/libanchored.so --print | FileCheck %s

// Errors in either form name the pipeline.
// RUN: not flow-runner %s --pipeline='builtin.module(no-such-pass)' 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: flow-runner: error: invalid --pipeline: {{.*}}no-such-pass
// RUN: not flow-runner %s --pipeline='builtin.module(flow-lower-to-cpu' 2>&1 | FileCheck %s --check-prefix=UNBALANCED
// UNBALANCED: flow-runner: error: invalid --pipeline:

func.func @main() -> tensor<1x1x3x3xf32> {
  %x = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}
