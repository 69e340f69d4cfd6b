// The CPU kernels of flow.conv_transpose2d (lib/CPU)
// and what flow-lower-to-cpu makes of them. Vector width pinned to AVX2's
// 256 bits (8 x f32, 16 registers) so that the output does not depend on
// the host.
// RUN: flow-opt %s -split-input-file \
// RUN:   --flow-cpu-conv-transpose-kernels="vector-bits=256" \
// RUN:   | FileCheck %s --check-prefix=KERNEL
// RUN: flow-opt %s -split-input-file \
// RUN:   --flow-lower-to-cpu="vector-bits=256" \
// RUN:   | FileCheck %s --check-prefix=LLVM
// RUN: flow-opt %s -split-input-file \
// RUN:   --flow-lower-to-cpu="vector-bits=256 parallel=false" \
// RUN:   | FileCheck %s --check-prefix=SERIAL
// RUN: flow-opt %s -split-input-file \
// RUN:   --flow-lower-to-cpu="vector-bits=256 kernels=false" \
// RUN:   | FileCheck %s --check-prefix=NAIVE

// A U-Net up-sampling layer (D_unet of bench/shapes.json at batch 2):
// kernel 2, stride 2, so each of the 4 stride phases is a 1x1 correlation.
// Large enough for the parallel path: one affine.parallel over (batch,
// group, channel task, row block) tasks, each copying its input rows into a
// stack buffer [row][ci][col] and running register tiles whose reduction
// loops (taps, then input channels) carry the accumulators (initialised
// from the bias) as iter_args. The loads and stores are plain vector/memref
// ops (no affine analysis of the pipeline looks at the kernels).
// KERNEL-LABEL: func.func @unet
// KERNEL-SAME:    (%[[X:.*]]: tensor<2x128x64x64xf32>, %[[W:.*]]: tensor<128x64x2x2xf32>, %[[B:.*]]: tensor<64xf32>)
// KERNEL-DAG:   %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only
// KERNEL-DAG:   %[[WB:.*]] = bufferization.to_buffer %[[W]] read_only
// KERNEL-DAG:   %[[BB:.*]] = bufferization.to_buffer %[[B]] read_only
// KERNEL:       %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x64x128x128xf32>
// The weight, packed per phase: [co/Tco][tap][ci][Tco].
// KERNEL:       %[[PACKED:.*]] = memref.alloc() {alignment = 64 : i64} : memref<{{[0-9]+}}xf32>
// KERNEL:       affine.parallel
// KERNEL:       affine.parallel (%[[N:.*]], %[[G:.*]], %{{.*}}, %[[RT:.*]]) = (0, 0, 0, 0) to (2, 1, 1, {{[0-9]+}})
// KERNEL:         %[[IN:.*]] = memref.alloca() {alignment = 64 : i64} : memref<{{[0-9]+}}x128x64xf32>
// KERNEL:         %[[SCRATCH:.*]] = memref.alloca() {alignment = 64 : i64} : memref<2x{{[0-9]+}}x1x64xf32>
// KERNEL:         vector.load %[[XB]]
// KERNEL:         memref.load %[[BB]]
// KERNEL:         vector.broadcast %{{.*}} : f32 to vector<8xf32>
// KERNEL:         affine.for %{{.*}} = 0 to 128 iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>{{.*}})
// KERNEL:           vector.load %[[IN]]
// KERNEL:           memref.load %[[PACKED]]
// KERNEL:           vector.fma
// Width phases meet in the scratch rows, interleaved into the output rows.
// KERNEL:         vector.store %{{.*}}, %[[SCRATCH]]
// KERNEL:         vector.interleave %{{.*}}, %{{.*}} : vector<8xf32> -> vector<16xf32>
// KERNEL:         vector.store %{{.*}}, %[[OUT]]
// KERNEL:       bufferization.to_tensor %[[OUT]] restrict writable
// KERNEL-NOT:   flow.conv_transpose2d

// The tasks run as an OpenMP worksharing loop; the stack buffers are freed
// per iteration; the FMAs are 8-wide.
// LLVM-LABEL: llvm.func @unet
// LLVM:         omp.parallel
// LLVM:           omp.wsloop
// LLVM:             llvm.intr.stacksave
// LLVM:             llvm.alloca
// LLVM:             llvm.intr.fmuladd{{.*}} : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// LLVM:             llvm.shufflevector {{.*}} [0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15] : vector<8xf32>
// LLVM:             llvm.intr.stackrestore

// SERIAL-LABEL: llvm.func @unet
// SERIAL-NOT:   omp.
// SERIAL:       llvm.intr.fmuladd{{.*}} -> vector<8xf32>

// NAIVE-LABEL: llvm.func @unet
// NAIVE-NOT:   omp.
// NAIVE-NOT:   vector<8xf32>
func.func @unet(%x: tensor<2x128x64x64xf32>, %w: tensor<128x64x2x2xf32>, %b: tensor<64xf32>) -> tensor<2x64x128x128xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>}
       : (tensor<2x128x64x64xf32>, tensor<128x64x2x2xf32>, tensor<64xf32>) -> tensor<2x64x128x128xf32>
  return %y : tensor<2x64x128x128xf32>
}

// -----

// Small (36864 FLOPs): serial loops, no fork/join; the buffers are made once
// before the nest. Output width 15 = 8 + 7 per interleaved pair of phases:
// a masked store for the partial 16-wide vector. Without a bias the
// accumulators start from zero. Padding 1: the copied input rows carry the
// zero columns.
// KERNEL-LABEL: func.func @small_padded
// KERNEL-NOT:   affine.parallel
// KERNEL:       memref.alloca() {alignment = 64 : i64} : memref<4x4x9xf32>
// KERNEL:       affine.for
// KERNEL:       arith.constant dense<0.000000e+00> : vector<8xf32>
// KERNEL:       vector.constant_mask [15] : vector<16xi1>
// KERNEL:       vector.maskedstore
// KERNEL-NOT:   affine.parallel
// LLVM-LABEL: llvm.func @small_padded
// LLVM-NOT:   omp.
// LLVM:       llvm.intr.masked.store
func.func @small_padded(%x: tensor<2x4x8x8xf32>, %w: tensor<4x8x3x3xf32>) -> tensor<2x8x15x15xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>}
       : (tensor<2x4x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<2x8x15x15xf32>
  return %y : tensor<2x8x15x15xf32>
}

// -----

// Element types without a kernel (f16 here) and dynamic spatial sizes stay
// for the linalg lowering.
// KERNEL-LABEL: func.func @f16
// KERNEL:       flow.conv_transpose2d
// KERNEL-LABEL: func.func @dynamic_hw
// KERNEL:       flow.conv_transpose2d
func.func @f16(%x: tensor<1x2x4x4xf16>, %w: tensor<2x2x3x3xf16>) -> tensor<1x2x9x9xf16> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>}
       : (tensor<1x2x4x4xf16>, tensor<2x2x3x3xf16>) -> tensor<1x2x9x9xf16>
  return %y : tensor<1x2x9x9xf16>
}
func.func @dynamic_hw(%x: tensor<1x2x?x?xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<1x2x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>}
       : (tensor<1x2x?x?xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x?x?xf32>
  return %y : tensor<1x2x?x?xf32>
}

// -----

// A dynamic batch: the tasks' upper bound is the batch size read from the
// input buffer (always parallel: the size is unknown at compile time).
// KERNEL-LABEL: func.func @dynamic_batch
// KERNEL:       %[[XB:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<?x4x8x8xf32> to memref<?x4x8x8xf32>
// KERNEL:       %[[N:.*]] = memref.dim %[[XB]], %{{.*}} : memref<?x4x8x8xf32>
// KERNEL:       memref.alloc(%[[N]]) {alignment = 64 : i64} : memref<?x8x16x16xf32>
// KERNEL:       affine.parallel ({{.*}}) = (0, 0, 0, 0) to (symbol(%[[N]]), 1, 1, {{[0-9]+}})
// KERNEL:       tensor.cast %{{.*}} : tensor<?x8x16x16xf32> to tensor<?x?x?x?xf32>
func.func @dynamic_batch(%x: tensor<?x4x8x8xf32>, %w: tensor<4x8x2x2xf32>, %b: tensor<8xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>}
       : (tensor<?x4x8x8xf32>, tensor<4x8x2x2xf32>, tensor<8xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
