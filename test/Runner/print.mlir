// --print summarises results of more than 1000 elements as NumPy does
// (threshold 1000, edgeitems 3, "..."); --print-all prints every element;
// small results print in full (test/Integration/CPU/small.mlir).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((1, 1, 39, 39), np.float32)); np.save('%t/w.npy', np.ones((1, 1, 2, 2), np.float32))"

// An all-ones 39x39 input spread by an all-ones 2x2 kernel: 1 in the
// corners, 2 on the edges, 4 inside (1600 elements).
// RUN: flow-runner %s --input=%t/x.npy --input=%t/w.npy --print | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: result 0: tensor<1x1x40x40xf32> shape (1, 1, 40, 40)
// SUMMARY-NEXT: {{^\[\[\[\[}}1, 2, 2, ..., 2, 2, 1],
// SUMMARY-NEXT: {{^}}[2, 4, 4, ..., 4, 4, 2],
// SUMMARY-NEXT: {{^}}[2, 4, 4, ..., 4, 4, 2],
// SUMMARY-NEXT: {{^}}...,
// SUMMARY-NEXT: {{^}}[2, 4, 4, ..., 4, 4, 2],
// SUMMARY-NEXT: {{^}}[2, 4, 4, ..., 4, 4, 2],
// SUMMARY-NEXT: {{^}}[1, 2, 2, ..., 2, 2, 1]]]]
// SUMMARY-NOT: {{.}}
// RUN: flow-runner %s --input=%t/x.npy --input=%t/w.npy --print-all | FileCheck %s --check-prefix=ALL
// ALL: result 0: tensor<1x1x40x40xf32> shape (1, 1, 40, 40)
// ALL-NEXT: {{^\[\[\[\[}}1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1],
// ALL-NOT: ...
// RUN: flow-runner %s --input=%t/x.npy --input=%t/w.npy --print-all | count 41

// The same element sequence as NumPy's own summary, on random numbers and
// several summarised dimensions (2 x 8 x 20 x 20 = 6400 elements), for
// flow-runner and for flow-aot-run (same contract).
// RUN: flow-runner %s -e random --random-inputs=3 --print --output=%t/y.npy > %t/print.txt
// RUN: %python %S/Inputs/compare_print.py %t/print.txt %t/y.npy
// RUN: flow-runner %s -e random --random-inputs=3 --print-all > %t/print-all.txt
// RUN: %python %S/Inputs/compare_print.py %t/print-all.txt %t/y.npy --all
// RUN: flow-compile %s -o %t/libprint.so
// RUN: flow-aot-run %t/libprint.so -e random --random-inputs=3 --print > %t/aot.txt
// RUN: diff %t/print.txt %t/aot.txt
// RUN: flow-aot-run %t/libprint.so -e random --random-inputs=3 --print-all > %t/aot-all.txt
// RUN: diff %t/print-all.txt %t/aot-all.txt

func.func @main(%x: tensor<1x1x39x39xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x40x40xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x39x39xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x40x40xf32>
  return %y : tensor<1x1x40x40xf32>
}

func.func @random(%x: tensor<2x3x10x10xf64>, %w: tensor<3x8x2x2xf64>) -> tensor<2x8x20x20xf64> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>} : (tensor<2x3x10x10xf64>, tensor<3x8x2x2xf64>) -> tensor<2x8x20x20xf64>
  return %y : tensor<2x8x20x20xf64>
}
