//===- AotCompiler.h - Compile flow modules into C-ABI libraries -*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The library behind flow-compile: lowers a module with a target pipeline,
// compiles the result to an object file for a chosen CPU, generates the
// C wrapper and header of its entry functions (flow/Runtime/AotRuntime.h) and
// links a shared library whose only run-time dependencies are libc/libm (and
// libomp when the CPU code is parallel; libcuda.so.1, opened at run time,
// for CUDA).
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_AOT_AOTCOMPILER_H
#define FLOW_AOT_AOTCOMPILER_H

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir::flow::aot {

struct AotOptions {
  /// "cpu" or "cuda".
  std::string target = "cpu";
  /// Entry functions; empty: every public function with a body.
  std::vector<std::string> entries;
  /// The shared library to write.
  std::string output;
  /// The C header to write; empty: `output` with ".h" for ".so".
  std::string header;
  /// Prefix of the typed C functions; empty: from `output` (libNAME.so ->
  /// NAME).
  std::string prefix;
  /// LLVM CPU name of the host code ("host", "x86-64-v3", "skylake-avx512",
  /// ...); empty: "host" for the CPU target, "x86-64-v2" for CUDA (whose
  /// host code then runs on any x86-64 machine of the last 15 years).
  std::string cpu;
  ConvTransposeStrategy strategy = ConvTransposeStrategy::Phase;
  /// CPU: parallel kernels (OpenMP; the library then needs libomp).
  bool parallel = true;
  /// A textual pass pipeline replacing the target's default one.
  std::string pipeline;
  /// CUDA: GPU architecture and PTX features of the kernels.
  std::string chip = "sm_90";
  std::string features = "+ptx80";
  /// C/C++ compiler driver used to compile the wrapper and link.
  std::string compiler;
  /// libFlowAOTRuntime.a and (CUDA) libflow_cuda_runtime_static.a.
  std::string runtimeLibrary;
  std::string cudaRuntimeLibrary;
  /// Directory of libomp.so, for parallel CPU code.
  std::string libompDir;
  /// Link libstdc++ statically (the library then needs only libc, libm,
  /// libgcc_s and, for parallel CPU code, libomp).
  bool staticLibstdcxx = true;
  /// Keep the intermediate files (object, wrapper, LLVM IR) in this
  /// directory.
  std::string saveTemps;
  /// When set, the lowered (LLVM dialect) module is printed here.
  llvm::raw_ostream *dumpIR = nullptr;
  /// When set, the commands run are printed here.
  llvm::raw_ostream *verbose = nullptr;
};

/// Compiles `source` (named `bufferName` in diagnostics) into
/// `options.output` and its header. Nothing is written when it fails.
llvm::Error compileLibrary(llvm::StringRef source, llvm::StringRef bufferName,
                           const AotOptions &options);

} // namespace mlir::flow::aot

#endif // FLOW_AOT_AOTCOMPILER_H
