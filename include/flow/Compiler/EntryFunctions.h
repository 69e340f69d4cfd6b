//===- EntryFunctions.h - The functions a caller runs -----------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Entry functions, as the JIT and flow-compile see them: func.func ops with
// a body whose arguments and results are ranked tensors of f16, bf16, f32 or
// f64, called with dense arrays that they only read.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_COMPILER_ENTRYFUNCTIONS_H
#define FLOW_COMPILER_ENTRYFUNCTIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Error.h"

namespace mlir::flow {

/// The function `name` of `module`, or the error "<bufferName>: no function
/// 'NAME' with a body in the module".
llvm::Expected<func::FuncOp> lookupEntryFunction(ModuleOp module,
                                                 llvm::StringRef name,
                                                 llvm::StringRef bufferName);

/// `type` (of the argument or result `what`, e.g. "argument 0 of @main") as
/// a ranked tensor of f16, bf16, f32 or f64, or an error naming it.
llvm::Expected<RankedTensorType> getEntryTensorType(Type type,
                                                    const llvm::Twine &what);

/// The element type of an entry tensor (see getEntryTensorType) as an
/// `ElementEnum`: any enum with the enumerators F16, BF16, F32 and F64.
template <typename ElementEnum>
ElementEnum getEntryElementType(RankedTensorType type) {
  Type element = type.getElementType();
  if (element.isF16())
    return ElementEnum::F16;
  if (element.isBF16())
    return ElementEnum::BF16;
  if (element.isF32())
    return ElementEnum::F32;
  return ElementEnum::F64;
}

/// Marks the arguments of `func` not writable: bufferization must not write
/// into the caller's arrays in place.
void markArgumentsReadOnly(func::FuncOp func);

/// The number of the argument of `func` that `value` is, or -1.
int getEntryArgumentNumber(func::FuncOp func, Value value);

} // namespace mlir::flow

#endif // FLOW_COMPILER_ENTRYFUNCTIONS_H
