//===- FlowDialect.td - Flow dialect definition ------------*- tablegen -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_DIALECT_FLOW_IR_FLOWDIALECT_TD
#define FLOW_DIALECT_FLOW_IR_FLOWDIALECT_TD

include "mlir/IR/OpBase.td"

def Flow_Dialect : Dialect {
  let name = "flow";
  let summary = "Deep-learning operators with OneFlow/PyTorch semantics";
  let description = [{
    The `flow` dialect models neural-network operators with exactly the
    semantics of their `oneflow.nn` (equivalently `torch.nn`) counterparts.
    Its centre is `flow.conv_transpose2d`, which lowers to linalg without
    multiplying by inserted zeros (see `convert-flow-to-linalg`).

    Note: IREE also has a dialect named `flow`; the two cannot be loaded into
    the same MLIRContext.
  }];
  let cppNamespace = "::mlir::flow";
  let dependentDialects = ["arith::ArithDialect", "tensor::TensorDialect"];
}

class Flow_Op<string mnemonic, list<Trait> traits = []>
    : Op<Flow_Dialect, mnemonic, traits>;

#endif // FLOW_DIALECT_FLOW_IR_FLOWDIALECT_TD
