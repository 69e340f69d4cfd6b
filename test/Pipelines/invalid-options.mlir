// Pipeline option values the pipelines cannot run with are errors naming the
// option, whichever way the pipeline is given (flow-opt flag, anchored
// --pass-pipeline, flow-runner --pipeline), never silently used.
// RUN: not flow-opt %s --pass-pipeline='builtin.module(flow-lower-to-cpu{vector-bits=7})' 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not flow-opt %s --flow-lower-to-cpu=vector-bits=7 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not flow-runner %s --random-inputs --pipeline='flow-lower-to-cpu{vector-bits=7}' 2>&1 | FileCheck %s --check-prefix=BITS
// BITS: flow-lower-to-cpu: vector-bits=7 is not a vector width: give 0 (the host's) or a power of two from 128 to 2048
// RUN: not flow-opt %s --flow-lower-to-cpu=vector-bits=-256 2>&1 | FileCheck %s --check-prefix=NEG
// NEG: flow-lower-to-cpu: vector-bits=-256 is not a vector width
// RUN: not flow-opt %s --flow-lower-to-cpu=vector-bits=384 2>&1 | FileCheck %s --check-prefix=ODD
// ODD: flow-lower-to-cpu: vector-bits=384 is not a vector width
// RUN: not flow-opt %s --flow-lower-to-cpu=vector-bits=abc 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: vector-bits

// Valid widths still lower.
// RUN: flow-opt %s --flow-lower-to-cpu=vector-bits=256 | FileCheck %s --check-prefix=OK
// RUN: flow-opt %s --flow-lower-to-cpu=vector-bits=0 | FileCheck %s --check-prefix=OK
// OK: llvm.func @main

// Every invalid option of flow-lower-to-cuda is named (option parsing only:
// no toolkit is needed to reject them).
// RUN: not flow-opt %s '--flow-lower-to-cuda=block-size=0 register-tile=-1 min-threads=0 opt-level=7 format=cubin chip=gfx90a' 2>&1 | FileCheck %s --check-prefix=CUDA
// CUDA-DAG: flow-lower-to-cuda: block-size=0 is not a thread count: give 1 to 1024
// CUDA-DAG: flow-lower-to-cuda: register-tile=-1 must be at least 1
// CUDA-DAG: flow-lower-to-cuda: min-threads=0 must be at least 1
// CUDA-DAG: flow-lower-to-cuda: opt-level=7 must be 0 to 3
// CUDA-DAG: flow-lower-to-cuda: format='cubin' is not a kernel binary format: give fatbin, bin, isa or llvm
// CUDA-DAG: flow-lower-to-cuda: chip='gfx90a' is not an NVIDIA GPU architecture: give sm_XY (sm_90, sm_90a, ...)
// RUN: not flow-opt %s --flow-lower-to-cuda=block-size=2048 2>&1 | FileCheck %s --check-prefix=BLOCK
// BLOCK: flow-lower-to-cuda: block-size=2048 is not a thread count

func.func @main(%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}
