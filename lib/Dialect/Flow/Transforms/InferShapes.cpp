//===- InferShapes.cpp - Refine flow result types -------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/IR/FlowDialect.h"
#include "flow/Dialect/Flow/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace mlir::flow {
#define GEN_PASS_DEF_FLOWINFERSHAPES
#include "flow/Dialect/Flow/Transforms/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;
using namespace mlir::flow;

namespace {

/// Returns the type holding the static information of both `declared` and
/// `inferred` (which are compatible), or null when they are not both ranked
/// tensors of one element type and rank.
RankedTensorType refine(Type declared, Type inferred) {
  auto lhs = dyn_cast<RankedTensorType>(declared);
  auto rhs = dyn_cast<RankedTensorType>(inferred);
  if (!lhs || !rhs || lhs.getRank() != rhs.getRank() ||
      lhs.getElementType() != rhs.getElementType())
    return nullptr;
  SmallVector<int64_t> shape;
  for (auto [a, b] : llvm::zip_equal(lhs.getShape(), rhs.getShape())) {
    if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b)
      return nullptr;
    shape.push_back(ShapedType::isDynamic(a) ? b : a);
  }
  return RankedTensorType::get(shape, lhs.getElementType(),
                               lhs.getEncoding());
}

/// True when `user` re-derives its types from its operands (flow ops do).
bool acceptsRefinedOperand(Operation *user) {
  return isa<FlowDialect>(user->getDialect()) &&
         isa<InferTypeOpInterface>(user);
}

struct FlowInferShapesPass
    : public flow::impl::FlowInferShapesBase<FlowInferShapesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTableCollection symbolTables;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      bool mayChangeSignature =
          SymbolTable::symbolKnownUseEmpty(func, module);
      func.walk([&](InferTypeOpInterface op) {
        if (!isa<FlowDialect>(op->getDialect()))
          return;
        refineOp(op);
      });
      if (mayChangeSignature)
        updateSignature(func);
      else
        castReturnsToSignature(func);
    }
  }

  /// Re-infers the result types of `op` and refines them in place. Uses that
  /// do not re-derive types see the old type through a tensor.cast.
  void refineOp(InferTypeOpInterface op) {
    SmallVector<Type> inferred;
    if (failed(op.inferReturnTypes(
            op->getContext(), op->getLoc(), op->getOperands(),
            op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
            op->getRegions(), inferred)))
      return;
    OpBuilder builder(op->getContext());
    for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred)) {
      Type oldType = result.getType();
      RankedTensorType newType = refine(oldType, type);
      if (!newType || newType == oldType)
        continue;
      result.setType(newType);
      for (OpOperand &use : llvm::make_early_inc_range(result.getUses())) {
        Operation *user = use.getOwner();
        if (acceptsRefinedOperand(user) || isa<func::ReturnOp>(user))
          continue;
        builder.setInsertionPoint(user);
        use.set(tensor::CastOp::create(builder, op->getLoc(), oldType, result));
      }
    }
  }

  /// Makes the function's result types those of its (single) return.
  void updateSignature(func::FuncOp func) {
    SmallVector<func::ReturnOp> returns;
    func.walk([&](func::ReturnOp ret) { returns.push_back(ret); });
    if (returns.size() != 1) {
      castReturnsToSignature(func);
      return;
    }
    func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                   returns.front().getOperandTypes()));
  }

  /// Inserts tensor.casts so that every return matches the signature.
  void castReturnsToSignature(func::FuncOp func) {
    ArrayRef<Type> resultTypes = func.getResultTypes();
    func.walk([&](func::ReturnOp ret) {
      OpBuilder builder(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Type expected = resultTypes[operand.getOperandNumber()];
        if (operand.get().getType() != expected)
          operand.set(tensor::CastOp::create(builder, ret.getLoc(), expected,
                                             operand.get()));
      }
    });
  }
};

} // namespace
