// REQUIRES: cuda-toolkit
// flow-lower-to-cuda down to the binary: host code in the LLVM dialect that
// stages the buffers through the GPU and launches one kernel per linalg op
// over blocks AND threads, and one gpu.binary (a fat binary holding an sm_90
// cubin and its PTX) per kernel. ptxas and fatbinary come from the toolkit.
// RUN: flow-opt %s --flow-lower-to-cuda="toolkit=%cuda_toolkit" \
// RUN:   | FileCheck %s --implicit-check-not=atomic
// RUN: flow-opt %s --flow-lower-to-cuda="toolkit=%cuda_toolkit" \
// RUN:   | %python %flow_src_root/test/lib/gpubin.py fatbin \
// RUN:   | FileCheck %s --check-prefix=FATBIN
// The seed's example (dynamic result type) compiles too.
// RUN: flow-opt %flow_src_root/examples/seed.mlir --flow-lower-to-cuda \
// RUN:   | %python %flow_src_root/test/lib/gpubin.py fatbin \
// RUN:   | FileCheck %s --check-prefix=SEED
// SEED:     == gpu.binary @main_kernel: elf sm_90 ({{[0-9]+}} bytes), ptx sm_90 ({{[0-9]+}} bytes)
// SEED:     == gpu.binary @main_kernel_3: elf sm_90 ({{[0-9]+}} bytes), ptx sm_90 ({{[0-9]+}} bytes)
// SEED-NOT: gpu.binary

// 2x4x8x8 input, stride 2: the output 2x8x16x16 splits into four 2x8x8x8
// phases (1024 outputs = 4 blocks of 256 threads each); the bias fills 4096
// outputs (16 blocks); padding the input: 648 (3 blocks), copying it: 512.
// CHECK-LABEL: llvm.func @main(
// CHECK-DAG:  %[[C1:.*]] = llvm.mlir.constant(1 : index) : i64
// CHECK-DAG:  %[[C2:.*]] = llvm.mlir.constant(2 : index) : i64
// CHECK-DAG:  %[[C3:.*]] = llvm.mlir.constant(3 : index) : i64
// CHECK-DAG:  %[[C4:.*]] = llvm.mlir.constant(4 : index) : i64
// CHECK-DAG:  %[[C16:.*]] = llvm.mlir.constant(16 : index) : i64
// CHECK-DAG:  %[[C256:.*]] = llvm.mlir.constant(256 : index) : i64
// The arguments are copied to the GPU...
// CHECK:      %[[S:.*]] = llvm.call @mgpuStreamCreate() : () -> !llvm.ptr
// CHECK:      %[[DX:.*]] = llvm.call @mgpuMemAlloc(%{{.*}}, %[[S]], %{{.*}}) : (i64, !llvm.ptr, i8) -> !llvm.ptr
// CHECK:      llvm.call @mgpuMemcpy(%[[DX]], %arg1, %{{.*}}, %[[S]])
// CHECK:      llvm.call @mgpuMemcpy(%{{.*}}, %arg12, %{{.*}}, %[[S]])
// CHECK:      llvm.call @mgpuMemcpy(%{{.*}}, %arg23, %{{.*}}, %[[S]])
// ... every linalg op is a kernel over (blocks) x (256 threads) ...
// CHECK:      gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel::@main_kernel blocks in (%[[C3]], %[[C1]], %[[C1]]) threads in (%[[C256]], %[[C1]], %[[C1]])
// CHECK-NEXT: gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel_0::@main_kernel blocks in (%[[C2]], %[[C1]], %[[C1]]) threads in (%[[C256]], %[[C1]], %[[C1]])
// CHECK:      gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel_1::@main_kernel blocks in (%[[C16]], %[[C1]], %[[C1]]) threads in (%[[C256]], %[[C1]], %[[C1]])
// CHECK-NEXT: gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel_2::@main_kernel blocks in (%[[C4]], %[[C1]], %[[C1]]) threads in (%[[C256]], %[[C1]], %[[C1]])
// CHECK-NEXT: gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel_3::@main_kernel blocks in (%[[C4]], %[[C1]], %[[C1]]) threads in (%[[C256]], %[[C1]], %[[C1]])
// CHECK-NEXT: gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel_4::@main_kernel blocks in (%[[C4]], %[[C1]], %[[C1]]) threads in (%[[C256]], %[[C1]], %[[C1]])
// CHECK-NEXT: gpu.launch_func <%[[S]] : !llvm.ptr> @main_kernel_5::@main_kernel blocks in (%[[C4]], %[[C1]], %[[C1]]) threads in (%[[C256]], %[[C1]], %[[C1]])
// CHECK-NOT:  gpu.launch_func
// CHECK:      llvm.call @mgpuStreamSynchronize(%[[S]])
// CHECK:      llvm.call @mgpuStreamDestroy(%[[S]])
// ... and the result comes back into a host buffer (malloc) the caller owns.
// CHECK:      %[[HOST:.*]] = llvm.call @malloc(
// CHECK:      %[[S2:.*]] = llvm.call @mgpuStreamCreate()
// CHECK:      llvm.call @mgpuMemcpy(%{{.*}}, %{{.*}}, %{{.*}}, %[[S2]])
// CHECK-COUNT-5: llvm.call @mgpuMemFree(%{{.*}}, %[[S2]])
// CHECK:      llvm.call @mgpuStreamSynchronize(%[[S2]])
// CHECK:      llvm.call @mgpuStreamDestroy(%[[S2]])
// CHECK:      llvm.return
// CHECK:      gpu.binary @main_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// CHECK-COUNT-6: gpu.binary @main_kernel_{{[0-5]}} [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// CHECK-NOT:  gpu.binary
// CHECK-NOT:  gpu.module

// FATBIN: == gpu.binary @main_kernel: elf sm_90 ({{[0-9]+}} bytes), ptx sm_90 ({{[0-9]+}} bytes)
// FATBIN: == gpu.binary @main_kernel_5: elf sm_90 ({{[0-9]+}} bytes), ptx sm_90 ({{[0-9]+}} bytes)
func.func @main(%x: tensor<2x4x8x8xf32>, %w: tensor<4x8x3x3xf32>, %b: tensor<8xf32>)
    -> tensor<2x8x16x16xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
          output_padding = array<i64: 1, 1>}
       : (tensor<2x4x8x8xf32>, tensor<4x8x3x3xf32>, tensor<8xf32>)
       -> tensor<2x8x16x16xf32>
  return %y : tensor<2x8x16x16xf32>
}
