//===- MemoryGuard.h - Bounded, recoverable JIT allocations -----*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// JIT-compiled code allocates its buffers (memref.alloc) with malloc. A
// buffer that cannot exist (1e12 elements) would make malloc return null, and
// the code would write through it; a buffer larger than the machine's memory
// but accepted by an overcommitting kernel gets the process OOM-killed. The
// guard prevents both:
//
//  - redirectAllocations() points the module's calls to malloc, calloc,
//    aligned_alloc, realloc and free at the guard's versions, which refuse a
//    request that would take the run's live buffers over the memory limit
//    (or that malloc cannot satisfy);
//  - runGuarded() calls the entry; a refused request ends the call (longjmp
//    out of the JIT frames, which hold no C++ objects), frees the buffers the
//    call had allocated and returns an error naming the size.
//
// Only allocations on the calling thread are guarded this way; one made by
// another thread (none is, with today's pipelines) that cannot be satisfied
// returns null as malloc would.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_EXECUTION_MEMORYGUARD_H
#define FLOW_EXECUTION_MEMORYGUARD_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class Module;
} // namespace llvm

namespace mlir::flow {

/// Bytes that the buffers of one JIT call may take together: the
/// FLOW_JIT_MEMORY_LIMIT environment variable (bytes) when set, else the
/// machine's physical memory or the cgroup's memory limit, whichever is
/// smaller. A set variable that is not a positive decimal number is an
/// error naming it.
llvm::Expected<uint64_t> jitMemoryLimit();

/// "1.5 GiB (1610612736 bytes)"-style text for messages.
std::string formatBytes(uint64_t bytes);

/// The limit and where it comes from, for messages.
std::string memoryLimitText(uint64_t limit);

/// Points the calls of `module` to the C allocation functions at the guard.
/// Run it after the LLVM optimisation pipeline (which may turn malloc+memset
/// into calloc).
void redirectAllocations(llvm::Module &module);

/// The names that redirectAllocations() makes the module call, with their
/// addresses in this process (for the JIT's symbol resolution).
std::vector<std::pair<const char *, void *>> allocationGuardSymbols();

/// Calls `packed(args)` (an ExecutionEngine packed entry point) with the
/// guard armed. `what` names the call in the error ("@main").
llvm::Error runGuarded(void (*packed)(void **), void **args,
                       llvm::StringRef what);

/// Frees a buffer that JIT code allocated (a result the caller copied out).
void freeJitBuffer(void *ptr);

} // namespace mlir::flow

#endif // FLOW_EXECUTION_MEMORYGUARD_H
