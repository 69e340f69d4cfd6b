//===- Passes.td - Flow conversion passes ------------------*- tablegen -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_CONVERSION_PASSES_TD
#define FLOW_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertFlowToLinalg : Pass<"convert-flow-to-linalg"> {
  let summary = "Lower flow ops to linalg, tensor and arith ops";
  let description = [{
    Lowers `flow.conv_transpose2d` to tensor-level linalg.

    With the default `strategy=phase`, the output is split into stride
    phases: for each pair (cy, cx) of output residues modulo the stride, the
    outputs `(s*q + c)` receive contributions only from the kernel taps `k`
    with `k*d = c + p (mod s)`, which read the input at `q + off - m*D`. Each
    phase is one `linalg.generic` correlation with affine indexing maps over a
    once-padded input, accumulated into a strided slice of the bias-initialised
    output. No multiply involves an inserted zero: the multiply count is
    N*Cin*(Cout/groups)*H*W*kH*kW up to border padding.

    With `strategy=zero-insert`, the textbook form: stride-1 zeros are inserted
    between input pixels, the result is padded, and a single correlation with
    the flipped kernel runs over it (about stride^2 of its multiplies are by
    zero). It is kept as an independent path for differential testing and
    benchmarking.

    Channel and kernel dims must be static; N, H and W may be dynamic.
    f16/bf16 accumulate in f32.
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
                          "zero insertion + flipped-kernel correlation"))}]>
  ];
  let dependentDialects = [
    "affine::AffineDialect", "arith::ArithDialect", "linalg::LinalgDialect",
    "tensor::TensorDialect"
  ];
}

#endif // FLOW_CONVERSION_PASSES_TD
