//===- JitModule.h - Compile and run flow modules ---------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The JIT shared by flow-runner, the Python package and the C API: parses a
// module, lowers it with a target pipeline, JIT-compiles it with MLIR's
// ExecutionEngine and calls an entry function whose arguments and results
// are ranked tensors, handling the memref calling convention.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_EXECUTION_JITMODULE_H
#define FLOW_EXECUTION_JITMODULE_H

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "flow/Execution/HostArray.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace mlir::flow {

enum class Target { CPU, CUDA };

/// Parses "cpu" or "cuda".
std::optional<Target> parseTarget(llvm::StringRef name);

struct CompileOptions {
  Target target = Target::CPU;
  std::string entry = "main";
  ConvTransposeStrategy strategy = ConvTransposeStrategy::Phase;
  /// A textual pass pipeline replacing the target's default one.
  std::string pipeline;
  /// When set, the lowered (LLVM dialect) module is printed here.
  llvm::raw_ostream *dumpIR = nullptr;
};

/// Type of one argument or result of the entry: its shape (kDynamic for
/// unknown dims) and element type.
struct TensorSignature {
  DType dtype;
  std::vector<int64_t> shape;
  /// "tensor<2x?xf32>"
  std::string str() const;
};

class JitModule {
public:
  ~JitModule();
  /// Parses `source` (named `bufferName` in diagnostics), lowers and JIT
  /// compiles it. Errors carry the located diagnostics.
  static llvm::Expected<std::unique_ptr<JitModule>>
  compile(llvm::StringRef source, llvm::StringRef bufferName,
          const CompileOptions &options);

  const std::vector<TensorSignature> &inputs() const { return argTypes; }
  const std::vector<TensorSignature> &outputs() const { return resultTypes; }
  /// Useful FLOPs of one call with these input shapes (conv_transpose2d ops
  /// whose operand shapes are known), 0 when unknown.
  double flops(llvm::ArrayRef<const HostArray *> args) const;

  /// Checks `args` against the signature (count, dtype, shape).
  llvm::Error checkArguments(llvm::ArrayRef<const HostArray *> args) const;
  /// Checks that the buffers a call with `args` needs can exist (see
  /// MemoryGuard.h); run() does this before calling the entry.
  llvm::Error checkBufferSizes(llvm::ArrayRef<const HostArray *> args) const;
  /// Calls the entry function. The arguments are only read.
  llvm::Expected<std::vector<HostArray>>
  run(llvm::ArrayRef<const HostArray *> args);

private:
  JitModule();
  struct Impl;
  std::unique_ptr<Impl> impl;
  std::vector<TensorSignature> argTypes, resultTypes;
};

/// Registers the dialects, passes, pipelines and LLVM translations that the
/// JIT needs in a registry (idempotent global initialisation included).
void initializeJit();

/// LLVM's OpenMP runtime next to the libLLVM this process loaded (Debian:
/// /usr/lib/llvm-22/lib/libomp.so), else "libomp.so.5" for the loader to
/// find. Modules using the OpenMP dialect need it as a shared library.
std::string findLibOmp();

} // namespace mlir::flow

#endif // FLOW_EXECUTION_JITMODULE_H
