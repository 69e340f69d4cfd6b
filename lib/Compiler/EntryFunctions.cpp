//===- EntryFunctions.cpp - The functions a caller runs -------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Compiler/EntryFunctions.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"

using namespace mlir;
using namespace mlir::flow;

static llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

llvm::Expected<func::FuncOp>
mlir::flow::lookupEntryFunction(ModuleOp module, llvm::StringRef name,
                                llvm::StringRef bufferName) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (func && !func.isExternal())
    return func;
  std::string names;
  for (auto candidate : module.getOps<func::FuncOp>())
    if (!candidate.isExternal())
      names += (names.empty() ? "@" : ", @") + candidate.getName().str();
  return makeError(bufferName + ": no function '" + name +
                   "' with a body in the module (" +
                   (names.empty() ? std::string("it has none")
                                  : "functions: " + names) +
                   ")");
}

llvm::Expected<RankedTensorType>
mlir::flow::getEntryTensorType(Type type, const llvm::Twine &what) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (tensor &&
      (tensor.getElementType().isF16() || tensor.getElementType().isBF16() ||
       tensor.getElementType().isF32() || tensor.getElementType().isF64()))
    return tensor;
  std::string typeText;
  llvm::raw_string_ostream os(typeText);
  os << type;
  return makeError(what + " has type " + typeText +
                   "; entry functions take and return ranked tensors of "
                   "f16, bf16, f32 or f64");
}

void mlir::flow::markArgumentsReadOnly(func::FuncOp func) {
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    BoolAttr::get(func.getContext(), false));
}

int mlir::flow::getEntryArgumentNumber(func::FuncOp func, Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value))
    if (arg.getOwner()->getParentOp() == func.getOperation())
      return arg.getArgNumber();
  return -1;
}
