// REQUIRES: cuda-device
// The CPU suite's hand-checked convolutions (../CPU/small.mlir: stride 1,
// stride 2 with bias, padding with dilation, groups in f64, f16), run on the
// GPU through flow-runner --target=cuda, with both lowerings.
// RUN: flow-runner %S/../CPU/small.mlir --target=cuda -e stride1 --print | FileCheck %S/../CPU/small.mlir --check-prefix=S1
// RUN: flow-runner %S/../CPU/small.mlir --target=cuda -e stride1 --print --strategy=zero-insert | FileCheck %S/../CPU/small.mlir --check-prefix=S1
// RUN: flow-runner %S/../CPU/small.mlir --target=cuda -e stride2_bias --print | FileCheck %S/../CPU/small.mlir --check-prefix=S2
// RUN: flow-runner %S/../CPU/small.mlir --target=cuda -e stride2_bias --print --strategy=zero-insert | FileCheck %S/../CPU/small.mlir --check-prefix=S2
// RUN: flow-runner %S/../CPU/small.mlir --target=cuda -e padded_dilated --print | FileCheck %S/../CPU/small.mlir --check-prefix=PD
// RUN: flow-runner %S/../CPU/small.mlir --target=cuda -e padded_dilated --print --strategy=zero-insert | FileCheck %S/../CPU/small.mlir --check-prefix=PD
// RUN: flow-runner %S/../CPU/small.mlir --target=cuda -e grouped_f64 --print | FileCheck %S/../CPU/small.mlir --check-prefix=GR
// RUN: flow-runner %S/../CPU/small.mlir --target=cuda -e half --print | FileCheck %S/../CPU/small.mlir --check-prefix=HALF
