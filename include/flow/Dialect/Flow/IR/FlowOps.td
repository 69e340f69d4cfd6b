//===- FlowOps.td - Flow operations ------------------------*- tablegen -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_DIALECT_FLOW_IR_FLOWOPS_TD
#define FLOW_DIALECT_FLOW_IR_FLOWOPS_TD

include "flow/Dialect/Flow/IR/FlowDialect.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Flow_Float : AnyTypeOf<[F16, BF16, F32, F64]>;
def Flow_Tensor4D : TensorRankOf<[Flow_Float], [4]>;
def Flow_Tensor1D : TensorRankOf<[Flow_Float], [1]>;

class Flow_PairAttr<string default>
    : DefaultValuedAttr<ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>,
                        default>;

def Flow_ConvTranspose2DOp : Flow_Op<"conv_transpose2d", [
    Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface,
                              ["refineReturnTypes"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                              ["reifyResultShapes"]>]> {
  let summary = "2-D transposed convolution (oneflow.nn.ConvTranspose2d)";
  let description = [{
    Computes the 2-D transposed convolution ("deconvolution") of an NCHW
    input with exactly the semantics of `oneflow.nn.ConvTranspose2d` and
    `torch.nn.ConvTranspose2d`:

    ```
    y[n, g*Cog + co, oh, ow] = b[g*Cog + co] +
        sum over ci < Cin/groups, kh, kw with
          oh = ih*stride[0] - padding[0] + kh*dilation[0],
          ow = iw*stride[1] - padding[1] + kw*dilation[1]
        of x[n, g*Cin/groups + ci, ih, iw] * w[g*Cin/groups + ci, co, kh, kw]
    ```

    Operands: input `N x Cin x H x W`, weight `Cin x Cout/groups x kH x kW`
    and an optional bias of `Cout` elements, all of one element type (f16,
    bf16, f32 or f64). The result is `N x Cout x Hout x Wout` with
    `Hout = (H-1)*stride[0] - 2*padding[0] + dilation[0]*(kH-1) +
    output_padding[0] + 1` (likewise for W) and `Cout = w.dim1 * groups`.
    N, H and W may be dynamic; the result dims they determine are then
    dynamic too. Every attribute has a default and is elided when it holds
    it: stride [1,1], padding [0,0], output_padding [0,0], dilation [1,1],
    groups 1. Padding is zero padding.

    Example (the seed's `nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1),
    padding=(4, 2))`):

    ```mlir
    %y = flow.conv_transpose2d %x, %w, %b
           {stride = array<i64: 2, 1>, padding = array<i64: 4, 2>}
         : (tensor<20x16x50x100xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>)
         -> tensor<20x33x93x100xf32>
    ```
  }];

  let arguments = (ins
    Flow_Tensor4D:$input,
    Flow_Tensor4D:$weight,
    Optional<Flow_Tensor1D>:$bias,
    Flow_PairAttr<"{1, 1}">:$stride,
    Flow_PairAttr<"{0, 0}">:$padding,
    Flow_PairAttr<"{0, 0}">:$output_padding,
    Flow_PairAttr<"{1, 1}">:$dilation,
    DefaultValuedAttr<I64Attr, "1">:$groups
  );
  let results = (outs Flow_Tensor4D:$output);

  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];

  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Returns the convolution parameters held by the attributes.
    ConvTranspose2dParams getParams();

    /// The output channels that the static types fix (weight dim 1 * groups,
    /// the bias length or the declared result's dim 1), or kDynamic.
    int64_t getStaticOutputChannels();

    /// The operand types (input, weight, bias) with every dynamic dim that
    /// the other operands or the declared result fix made static: the input
    /// channels (weight dim 0), the output channels and the batch. Kernel
    /// sizes and spatial dims stay as they are.
    ::llvm::SmallVector<::mlir::RankedTensorType, 3> getImpliedOperandTypes();

    /// Inserts tensor.casts of the operands to getImpliedOperandTypes()
    /// before the op and makes the op use them.
    void castOperandsToImpliedTypes(::mlir::RewriterBase &rewriter);

    /// Declared and inferred types are compatible when they have one element
    /// type and compatible shapes (a static dim may refine a dynamic one).
    static bool isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                        ::mlir::TypeRange actual);
  }];
}

#endif // FLOW_DIALECT_FLOW_IR_FLOWOPS_TD
