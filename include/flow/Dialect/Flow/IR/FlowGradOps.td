//===- FlowGradOps.td - Gradients of flow operations -------*- tablegen -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_DIALECT_FLOW_IR_FLOWGRADOPS_TD
#define FLOW_DIALECT_FLOW_IR_FLOWGRADOPS_TD

include "flow/Dialect/Flow/IR/FlowDialect.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// As in FlowOps.td (not included: its ops would be generated here too).
def Flow_GradFloat : AnyTypeOf<[F16, BF16, F32, F64]>;
def Flow_GradTensor4D : TensorRankOf<[Flow_GradFloat], [4]>;

class Flow_GradPairAttr<string default>
    : DefaultValuedAttr<ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>,
                        default>;

class Flow_ConvTranspose2DGradOp<string mnemonic, string lhs, string rhs>
    : Flow_Op<mnemonic, [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let arguments = (ins
    Flow_GradTensor4D:$lhs,
    Flow_GradTensor4D:$rhs,
    Flow_GradPairAttr<"{1, 1}">:$stride,
    Flow_GradPairAttr<"{0, 0}">:$padding,
    Flow_GradPairAttr<"{0, 0}">:$output_padding,
    Flow_GradPairAttr<"{1, 1}">:$dilation,
    DefaultValuedAttr<I64Attr, "1">:$groups
  );
  let results = (outs Flow_GradTensor4D:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    static bool isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                        ::mlir::TypeRange actual) {
      return ConvTranspose2DOp::isCompatibleReturnTypes(inferred, actual);
    }
  }];
}

def Flow_ConvTranspose2DGradInputOp
    : Flow_ConvTranspose2DGradOp<"conv_transpose2d_grad_input", "grad_output",
                                 "weight"> {
  let summary = "gradient of flow.conv_transpose2d with respect to its input";
  let description = [{
    `%gi = flow.conv_transpose2d_grad_input %grad_output, %weight {attrs}`
    is the gradient of `flow.conv_transpose2d %x, %weight {attrs}` with
    respect to `%x`: the strided, dilated, grouped convolution of
    grad_output (`N x Cout x Hout x Wout`) with the weight
    (`Cin x Cout/groups x kH x kW`),

    ```
    gi[n, g*Cig + i, h, v] = sum over o < Cout/groups, kh, kw of
        grad_output[n, g*Cog + o, h*stride0 - padding0 + kh*dilation0,
                                  v*stride1 - padding1 + kw*dilation1]
        * weight[g*Cig + i, o, kh, kw]      (out-of-range reads are 0)
    ```

    The attributes are those of the forward op; output_padding makes the
    input size `H = (Hout - 1 - output_padding0 + 2*padding0 -
    dilation0*(kH-1)) / stride0 + 1` exact.

    ```mlir
    %gi = flow.conv_transpose2d_grad_input %go, %w
            {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>}
          : (tensor<1x8x7x7xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x4x4xf32>
    ```
  }];
}

def Flow_ConvTranspose2DGradWeightOp
    : Flow_ConvTranspose2DGradOp<"conv_transpose2d_grad_weight", "input",
                                 "grad_output"> {
  let summary = "gradient of flow.conv_transpose2d with respect to its weight";
  let description = [{
    `%gw = flow.conv_transpose2d_grad_weight %input, %grad_output {attrs}`
    is the gradient of `flow.conv_transpose2d %input, %w {attrs}` with
    respect to `%w` (`Cin x Cout/groups x kH x kW`):

    ```
    gw[g*Cig + i, o, kh, kw] = sum over n, h, v of input[n, g*Cig + i, h, v]
        * grad_output[n, g*Cog + o, h*stride0 - padding0 + kh*dilation0,
                                    v*stride1 - padding1 + kw*dilation1]
    ```

    The kernel size follows from the shapes: `kH = (Hout - 1 -
    output_padding0 + 2*padding0 - stride0*(H-1)) / dilation0 + 1` (exact).
    The gradient of the bias is grad_output summed over N, Hout and Wout.

    ```mlir
    %gw = flow.conv_transpose2d_grad_weight %x, %go
            {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>}
          : (tensor<1x4x4x4xf32>, tensor<1x8x7x7xf32>) -> tensor<4x8x3x3xf32>
    ```
  }];
}

#endif // FLOW_DIALECT_FLOW_IR_FLOWGRADOPS_TD
