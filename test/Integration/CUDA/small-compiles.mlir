// REQUIRES: cuda-toolkit
// Every entry of the CPU suite's hand-checked file (constants as
// memref.get_global, f32/f64/f16, groups, dilation) compiles for the GPU down
// to fat binaries; executing them needs a GPU (small.mlir, cuda-device).
// RUN: flow-opt %S/../CPU/small.mlir --flow-lower-to-cuda \
// RUN:   | FileCheck %s --implicit-check-not=atomic
// CHECK-DAG: llvm.func @stride1(
// CHECK-DAG: llvm.func @stride2_bias(
// CHECK-DAG: llvm.func @padded_dilated(
// CHECK-DAG: llvm.func @grouped_f64(
// CHECK-DAG: llvm.func @half(
// The constants are copied to the GPU like arguments.
// CHECK-DAG: llvm.mlir.global private constant @__constant_1x1x2x2xf32
// CHECK-DAG: llvm.call @mgpuMemcpy
// CHECK-DAG: gpu.binary @stride1_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// CHECK-DAG: gpu.binary @half_kernel{{.*}} [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
