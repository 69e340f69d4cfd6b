//===- Passes.td - Flow dialect passes ---------------------*- tablegen -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_DIALECT_FLOW_TRANSFORMS_PASSES_TD
#define FLOW_DIALECT_FLOW_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FlowInferShapes : Pass<"flow-infer-shapes", "ModuleOp"> {
  let summary = "Refine flow op result types from their operand types";
  let description = [{
    Walks every `func.func` in program order and re-infers the result type of
    each op implementing `InferTypeOpInterface` (all flow ops) from its
    current operand types. Where the inferred type is more static than the
    declared one, the result type is refined, so that a function whose
    argument types became more static gets static result types throughout.

    The IR stays valid: uses by ops that infer their own types see the new
    type; uses by `func.return` update the function's result types when the
    function has no symbol uses in the module (otherwise, like all other
    uses, they get a `tensor.cast` back to the type they saw before).

    Example:

    ```mlir
    func.func @f(%x: tensor<1x2x3x3xf32>, %w: tensor<2x4x3x3xf32>)
        -> tensor<?x?x?x?xf32> {
      %y = flow.conv_transpose2d %x, %w
           : (tensor<1x2x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<?x?x?x?xf32>
      return %y : tensor<?x?x?x?xf32>
    }
    ```

    becomes a function returning `tensor<1x4x5x5xf32>`.
  }];
  let dependentDialects = ["tensor::TensorDialect"];
}

def FlowStaticOperands : Pass<"flow-static-operands"> {
  let summary = "Cast conv_transpose2d operands to the static sizes the op implies";
  let description = [{
    A dim of one operand of `flow.conv_transpose2d` may be dynamic where the
    other operands fix it: the input channels are the weight's dim 0, the
    bias length is the output channels (weight dim 1 * groups, or the
    declared result's dim 1), and weight dim 1 is the output channels /
    groups. This pass casts each such operand (`tensor.cast`) to the type
    with those dims static, so that lowerings that need static channel
    counts (the CPU kernels) see them. A run-time size contradicting the
    cast is caught by the entry's argument checks, before the call.

    ```mlir
    %y = flow.conv_transpose2d %x, %w, %b
        : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<?xf32>) -> ...
    ```

    gets `%b` cast to `tensor<3xf32>`.
  }];
  let dependentDialects = ["tensor::TensorDialect"];
}

#endif // FLOW_DIALECT_FLOW_TRANSFORMS_PASSES_TD
