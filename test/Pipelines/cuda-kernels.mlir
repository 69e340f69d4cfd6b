// REQUIRES: cuda-toolkit
// The kernels flow-lower-to-cuda makes: at the NVVM level (just before
// gpu-module-to-binary) and as the PTX that ptxas assembles (format=isa).
// Each thread derives its output element from the block and thread ids,
// accumulates the taps in a register and stores the element once: no
// atomics, no shared state between threads.
// RUN: flow-opt %s --flow-lower-to-cuda="toolkit=%cuda_toolkit" \
// RUN:   --mlir-print-ir-before=gpu-module-to-binary -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NVVM --implicit-check-not=atomic
// RUN: flow-opt %s --flow-lower-to-cuda="toolkit=%cuda_toolkit format=isa" \
// RUN:   | %python %flow_src_root/test/lib/gpubin.py ptx \
// RUN:   | FileCheck %s --check-prefix=PTX --implicit-check-not=atom. \
// RUN:       --implicit-check-not=red.
// Other chips and PTX versions, and the block size, are options.
// RUN: flow-opt %s --flow-lower-to-cuda="toolkit=%cuda_toolkit format=isa chip=sm_80 features=+ptx75 block-size=128" \
// RUN:   | %python %flow_src_root/test/lib/gpubin.py ptx \
// RUN:   | FileCheck %s --check-prefix=SM80
// A cubin alone (format=bin) is an ELF object.
// RUN: flow-opt %s --flow-lower-to-cuda="toolkit=%cuda_toolkit format=bin" \
// RUN:   | FileCheck %s --check-prefix=CUBIN

// The last phase (output rows and columns 1, 3, ...): 2x2 taps over 4 input
// channels, 2 * 8 * 8 * 8 = 1024 outputs = 4 blocks of 256 threads.
// NVVM:      gpu.module @main_kernel_5 [#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">] {
// NVVM:        llvm.func @main_kernel(
// NVVM-SAME:     gpu.kernel
// NVVM-SAME:     gpu.known_block_size = array<i32: 256, 1, 1>
// NVVM-SAME:     gpu.known_grid_size = array<i32: 4, 1, 1>
// NVVM-SAME:     nvvm.kernel
// NVVM:          %[[BID:.*]] = nvvm.read.ptx.sreg.ctaid.x range <i32, 0, 4> : i32
// NVVM:          %[[TID:.*]] = nvvm.read.ptx.sreg.tid.x range <i32, 0, 256> : i32
// NVVM:          %[[INIT:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// NVVM:          llvm.br ^bb{{[0-9]+}}(%{{.*}}, %[[INIT]] : i64, f32)
// NVVM:          llvm.fmul %{{.*}}, %{{.*}} {fastmathFlags = #llvm.fastmath<contract>} : f32
// NVVM:          llvm.fadd %{{.*}}, %{{.*}} {fastmathFlags = #llvm.fastmath<contract>} : f32
// NVVM:          llvm.store %{{.*}}, %{{.*}} : f32, !llvm.ptr
// NVVM:          llvm.return

// PTX-LABEL: == gpu.binary @main_kernel_5
// PTX:       .version 8.0
// PTX:       .target sm_90
// PTX:       .visible .entry main_kernel(
// PTX:       .maxntid 256, 1, 1
// PTX-DAG:   mov.u32 {{.*}}, %tid.x;
// PTX-DAG:   mov.u32 {{.*}}, %ctaid.x;
// PTX:       ld.global.b32 [[ACC:%r[0-9]+]], [
// PTX-COUNT-16: fma.rn.f32
// PTX-NOT:   ld.global
// PTX:       st.global.b32
// PTX-NOT:   st.global
// PTX:       ret;

// SM80-LABEL: == gpu.binary @main_kernel_5
// SM80:       .version 7.5
// SM80:       .target sm_80
// SM80:       .maxntid 128, 1, 1

// CUBIN: gpu.binary @main_kernel_5 [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, properties = {{{.*}}}, bin = "\7FELF
func.func @main(%x: tensor<2x4x8x8xf32>, %w: tensor<4x8x3x3xf32>, %b: tensor<8xf32>)
    -> tensor<2x8x16x16xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
          output_padding = array<i64: 1, 1>}
       : (tensor<2x4x8x8xf32>, tensor<4x8x3x3xf32>, tensor<8xf32>)
       -> tensor<2x8x16x16xf32>
  return %y : tensor<2x8x16x16xf32>
}
