//===- Jit.cpp - Compile and run flow modules from C ----------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow-c/Jit.h"

#include "flow/Execution/JitModule.h"
#include "llvm/Support/Error.h"

#include <cstring>
#include <string>
#include <type_traits>

using namespace mlir;
using namespace mlir::flow;

namespace {

/// What a FlowJitResults handle points to.
struct Results {
  std::vector<HostArray> arrays;
};

JitModule *unwrap(FlowJitModule module) {
  return static_cast<JitModule *>(module.ptr);
}
Results *unwrap(FlowJitResults results) {
  return static_cast<Results *>(results.ptr);
}

void report(MlirStringCallback onError, void *userData,
            llvm::StringRef message) {
  if (onError)
    onError(mlirStringRefCreate(message.data(), message.size()), userData);
}

void report(MlirStringCallback onError, void *userData, llvm::Error error) {
  report(onError, userData, llvm::toString(std::move(error)));
}

/// A FlowDType's value as C passed it: any int may come from C, and loading
/// a value outside the enum's range as a FlowDType is undefined in C++.
std::underlying_type_t<FlowDType> rawDType(const FlowDType &dtype) {
  std::underlying_type_t<FlowDType> raw;
  std::memcpy(&raw, &dtype, sizeof(raw));
  return raw;
}

std::optional<DType> toDType(std::underlying_type_t<FlowDType> dtype) {
  switch (dtype) {
  case FLOW_DTYPE_F16:
    return DType::F16;
  case FLOW_DTYPE_BF16:
    return DType::BF16;
  case FLOW_DTYPE_F32:
    return DType::F32;
  case FLOW_DTYPE_F64:
    return DType::F64;
  }
  return std::nullopt;
}

FlowDType fromDType(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return FLOW_DTYPE_F16;
  case DType::BF16:
    return FLOW_DTYPE_BF16;
  case DType::F32:
    return FLOW_DTYPE_F32;
  case DType::F64:
    return FLOW_DTYPE_F64;
  }
  llvm_unreachable("unknown dtype");
}

/// `s` as a StringRef; a null pointer is the empty string.
llvm::StringRef toStringRef(MlirStringRef s) {
  return s.data ? llvm::StringRef(s.data, s.length) : llvm::StringRef();
}

/// A HostArray of the caller's array `pos`'s dtype and shape (its data is
/// not read yet: copyData does that once the shape is known to be right).
llvm::Expected<HostArray> allocateFor(const FlowArray &in, intptr_t pos) {
  auto fail = [&](const llvm::Twine &what) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "input #" + llvm::Twine(pos) + ": " + what);
  };
  std::optional<DType> dtype = toDType(rawDType(in.dtype));
  if (!dtype)
    return fail("unknown dtype " + llvm::Twine(rawDType(in.dtype)));
  if (in.rank < 0)
    return fail("negative rank " + llvm::Twine(in.rank));
  if (in.rank > 0 && !in.shape)
    return fail("null shape");
  llvm::ArrayRef<int64_t> shape(in.shape, in.rank);
  std::optional<int64_t> count = checkedElementCount(shape);
  if (!count)
    return fail("invalid shape (a negative dim or too many elements)");
  if (*count > 0 && !in.data)
    return fail("null data");
  std::optional<HostArray> array = HostArray::allocate(*dtype, shape);
  if (!array)
    return fail("cannot allocate " + llvm::Twine(*count) + " elements");
  return std::move(*array);
}

/// Copies the caller's data into `array` (allocated by allocateFor).
void copyData(const FlowArray &in, HostArray &array) {
  if (array.sizeInBytes() > 0)
    std::memcpy(array.data(), in.data, array.sizeInBytes());
}

void printType(const std::vector<TensorSignature> &types, intptr_t pos,
               MlirStringCallback callback, void *userData) {
  if (!callback || pos < 0 || pos >= static_cast<intptr_t>(types.size()))
    return;
  std::string text = types[pos].str();
  callback(mlirStringRefCreate(text.data(), text.size()), userData);
}

} // namespace

size_t flowDTypeGetSize(FlowDType dtype) {
  std::optional<DType> d = toDType(rawDType(dtype));
  return d ? dtypeSize(*d) : 0;
}

FlowJitModule flowJitCompile(MlirStringRef source, MlirStringRef entry,
                             MlirStringRef target, MlirStringCallback onError,
                             void *userData) {
  FlowJitModule null = {nullptr};
  llvm::StringRef targetName = toStringRef(target);
  std::optional<Target> parsedTarget = parseTarget(targetName);
  if (!parsedTarget) {
    report(onError, userData,
           "unknown target '" + targetName.str() + "' (expected cpu or cuda)");
    return null;
  }
  CompileOptions options;
  options.target = *parsedTarget;
  options.entry = toStringRef(entry).str();
  if (options.entry.empty())
    options.entry = "main";
  llvm::Expected<std::unique_ptr<JitModule>> module =
      JitModule::compile(toStringRef(source), "<source>", options);
  if (!module) {
    report(onError, userData, module.takeError());
    return null;
  }
  return FlowJitModule{module->release()};
}

void flowJitModuleDestroy(FlowJitModule module) { delete unwrap(module); }

intptr_t flowJitModuleGetNumInputs(FlowJitModule module) {
  return module.ptr ? unwrap(module)->inputs().size() : 0;
}

intptr_t flowJitModuleGetNumResults(FlowJitModule module) {
  return module.ptr ? unwrap(module)->outputs().size() : 0;
}

void flowJitModulePrintInputType(FlowJitModule module, intptr_t pos,
                                 MlirStringCallback callback, void *userData) {
  if (module.ptr)
    printType(unwrap(module)->inputs(), pos, callback, userData);
}

void flowJitModulePrintResultType(FlowJitModule module, intptr_t pos,
                                  MlirStringCallback callback,
                                  void *userData) {
  if (module.ptr)
    printType(unwrap(module)->outputs(), pos, callback, userData);
}

FlowJitResults flowJitRun(FlowJitModule module, intptr_t numInputs,
                          const FlowArray *inputs, MlirStringCallback onError,
                          void *userData) {
  FlowJitResults null = {nullptr};
  if (!module.ptr) {
    report(onError, userData, "flowJitRun: null module");
    return null;
  }
  if (numInputs < 0 || (numInputs > 0 && !inputs)) {
    report(onError, userData, "flowJitRun: no input array");
    return null;
  }
  std::vector<HostArray> copies;
  copies.reserve(numInputs);
  for (intptr_t i = 0; i < numInputs; ++i) {
    llvm::Expected<HostArray> copy = allocateFor(inputs[i], i);
    if (!copy) {
      report(onError, userData, copy.takeError());
      return null;
    }
    copies.push_back(std::move(*copy));
  }
  std::vector<const HostArray *> args;
  for (const HostArray &copy : copies)
    args.push_back(&copy);
  // The caller's buffers hold the elements of their shapes: read them only
  // once those shapes are the signature's (a mismatched shape says nothing
  // about a buffer's size).
  if (llvm::Error err = unwrap(module)->checkArguments(args)) {
    report(onError, userData, std::move(err));
    return null;
  }
  for (intptr_t i = 0; i < numInputs; ++i)
    copyData(inputs[i], copies[i]);
  llvm::Expected<std::vector<HostArray>> outputs = unwrap(module)->run(args);
  if (!outputs) {
    report(onError, userData, outputs.takeError());
    return null;
  }
  auto *results = new Results{std::move(*outputs)};
  return FlowJitResults{results};
}

intptr_t flowJitResultsGetNumResults(FlowJitResults results) {
  return results.ptr ? unwrap(results)->arrays.size() : 0;
}

FlowArray flowJitResultsGetResult(FlowJitResults results, intptr_t pos) {
  if (!results.ptr || pos < 0 ||
      pos >= static_cast<intptr_t>(unwrap(results)->arrays.size()))
    return FlowArray{FLOW_DTYPE_F32, 0, nullptr, nullptr};
  HostArray &array = unwrap(results)->arrays[pos];
  return FlowArray{fromDType(array.dtype()),
                   static_cast<intptr_t>(array.shape().size()),
                   array.shape().data(), array.data()};
}

void flowJitResultsDestroy(FlowJitResults results) { delete unwrap(results); }
