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
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace mlir::flow {
class DiagnosticCollector;

enum class Target { CPU, CUDA };

/// Parses "cpu" or "cuda".
std::optional<Target> parseTarget(llvm::StringRef name);

struct CompileOptions {
  Target target = Target::CPU;
  std::string entry = "main";
  ConvTransposeStrategy strategy = ConvTransposeStrategy::Phase;
  /// A textual pass pipeline replacing the target's default one.
  std::string pipeline;
  /// When set, the lowered (LLVM dialect) module is printed here (and the
  /// compile cache is not used).
  llvm::raw_ostream *dumpIR = nullptr;
  /// Compile (or find in the compile cache) without loading the code: the
  /// module cannot run; CUDA needs no device. For compile-time figures.
  bool compileOnly = false;
};

/// Where a compilation's time went (milliseconds).
struct CompileStats {
  /// The code came from the persistent compile cache.
  bool cacheHit = false;
  /// Parsing and reading the entry's signature.
  double frontMs = 0;
  /// The MLIR pass pipeline, of which device binaries (CUDA: NVPTX code
  /// generation, ptxas, fatbinary) took deviceBinaryMs.
  double lowerMs = 0;
  double deviceBinaryMs = 0;
  /// LLVM IR translation, optimisation and host code generation.
  double llvmMs = 0;
  /// Cache lookup and store (key, read, checksum, write).
  double cacheMs = 0;
  /// Linking the object into the process and running its constructors.
  double loadMs = 0;
  double totalMs = 0;
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
  const CompileStats &compileStats() const { return stats; }
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
  /// Finds the compiled code in the cache, or lowers and compiles `parsed`;
  /// then loads it (unless compile-only).
  llvm::Error build(llvm::StringRef source, llvm::StringRef bufferName,
                    const CompileOptions &options, ModuleOp parsed,
                    DiagnosticCollector &diags,
                    const std::string &cudaRuntime);
  struct Impl;
  std::unique_ptr<Impl> impl;
  std::vector<TensorSignature> argTypes, resultTypes;
  CompileStats stats;
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
