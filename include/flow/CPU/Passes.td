//===- Passes.td - The CPU kernel generator ----------------*- tablegen -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_CPU_PASSES_TD
#define FLOW_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def FlowCpuConvTransposeKernels
    : Pass<"flow-cpu-conv-transpose-kernels", "func::FuncOp"> {
  let summary = "Rewrite f32/f64 flow.conv_transpose2d into register-tiled, "
                "vectorised, parallel affine loop nests over buffers";
  let description = [{
    The fast CPU path of `flow.conv_transpose2d` (lib/CPU): per stride
    phase, a direct correlation emitted as affine loops with explicit vector
    ops. A register tile of output
    channels x rows x vectors (chosen by a throughput model for the vector
    width and register count) carries its accumulators, initialised from the
    bias, as iter_args of the input-channel loop; the weight is packed per
    phase; a task's input rows are copied into a zero-padded stack buffer;
    width phases are interleaved into the NCHW output. Independent output
    tasks form one `affine.parallel` (serial below `parallel-min-flops`).
    Ops it does not cover (f16/bf16, dynamic channels or H/W, batch 0) are
    left for `convert-flow-to-linalg`.

    ```mlir
    %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>}
         : (tensor<8x128x64x64xf32>, tensor<128x64x2x2xf32>, tensor<64xf32>)
           -> tensor<8x64x128x128xf32>
    // becomes bufferization.to_buffer, memref.alloc, affine.parallel over
    // (batch, group, channel task, row block) with vector.fma tiles inside,
    // bufferization.to_tensor.
    ```
  }];
  let options = [
    Option<"strategy", "strategy", "::mlir::flow::ConvTransposeStrategy",
           "::mlir::flow::ConvTransposeStrategy::Phase",
           "How to lower conv_transpose2d",
           [{::llvm::cl::values(
               clEnumValN(::mlir::flow::ConvTransposeStrategy::Phase, "phase",
                          "stride-phase decomposition, no inserted zeros"),
               clEnumValN(::mlir::flow::ConvTransposeStrategy::ZeroInsert,
                          "zero-insert",
                          "zero insertion + flipped-kernel correlation"))}]>,
    Option<"vectorBits", "vector-bits", "int64_t", "0",
           "Vector width in bits (0: the host's)">,
    Option<"vectorRegisters", "vector-registers", "int64_t", "0",
           "Vector registers (0: the host's, or 32 for 512-bit vectors and "
           "16 otherwise when vector-bits is given)">,
    Option<"parallelMinFlops", "parallel-min-flops", "double", "4.0e6",
           "Convolutions below this many FLOPs run serially">,
    Option<"parallel", "parallel", "bool", "true",
           "Emit affine.parallel loops">,
    ListOption<"tile", "tile", "int64_t",
               "Register tile (channels,rows,vectors) instead of the cost "
               "model's choice (for experiments)">
  ];
  let dependentDialects = [
    "affine::AffineDialect", "arith::ArithDialect",
    "bufferization::BufferizationDialect", "memref::MemRefDialect",
    "tensor::TensorDialect", "vector::VectorDialect"
  ];
}

#endif // FLOW_CPU_PASSES_TD
