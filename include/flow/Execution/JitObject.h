//===- JitObject.h - JIT code as a relocatable object -----------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The JIT compiles a lowered module to one relocatable object for the host
// and loads that object into the process, so that the object can be kept in
// the compile cache and loaded by a later process without compiling again.
// Nothing in the object is specific to one process: the memory guard is
// called by name, and the global constructors and destructors (the CUDA
// module's load and unload) are gathered into two named functions that the
// loader calls, whatever the JIT platform does with object files.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_EXECUTION_JITOBJECT_H
#define FLOW_EXECUTION_JITOBJECT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace mlir::flow {

/// Translates `module` (LLVM dialect) to LLVM IR, adds the packed wrapper
/// `_mlir_<entry>` (void(void **args): the entry's arguments, then a pointer
/// to its result, as ExecutionEngine::invokePacked takes them), optimises
/// it (O3), redirects its allocations to the memory guard and compiles it
/// for the host. Returns the object file's bytes.
llvm::Expected<std::string> emitHostObject(ModuleOp module,
                                           llvm::StringRef entry);

/// An object loaded into this process, its constructors run.
class LoadedObject {
public:
  /// Links `object` against this process, the memory guard and
  /// `sharedLibs`, then runs its constructors.
  static llvm::Expected<std::unique_ptr<LoadedObject>>
  load(llvm::StringRef object, llvm::ArrayRef<std::string> sharedLibs);
  /// Runs the destructors.
  ~LoadedObject();

  /// The address of the packed wrapper of `entry`.
  llvm::Expected<void (*)(void **)> lookupPacked(llvm::StringRef entry);

private:
  LoadedObject();
  std::unique_ptr<llvm::orc::LLJIT> jit;
  void (*destructors)() = nullptr;
};

} // namespace mlir::flow

#endif // FLOW_EXECUTION_JITOBJECT_H
