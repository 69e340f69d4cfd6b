//===- flow-compile.cpp - Compile flow modules into C-ABI libraries -------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow-compile FILE.mlir [--target=cpu|cuda] -o libNAME.so [--header=H]
//   [--prefix=NAME] [-e ENTRY ...] [--mcpu=host|x86-64-v3|...]
//   [--strategy=phase|zero-insert] [--parallel=false] [--pipeline=...]
//   [--chip=sm_90] [--features=+ptx80] [--cc=COMPILER] [--save-temps=DIR]
//   [--dump-ir] [-v]
//
// Writes libNAME.so and its C header (libNAME.h unless --header is given);
// see flow/AOT/AotCompiler.h. Every failure prints one
// "flow-compile: error: ..." message and exits with code 1, writing nothing.
//
//===----------------------------------------------------------------------===//

#include "LoweringOptions.h"

#include "flow/AOT/AotCompiler.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir::flow;
using namespace mlir::flow::tools;
namespace cl = llvm::cl;

static cl::OptionCategory category("flow-compile options");
static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<input.mlir | ->"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> output("o", cl::desc("Shared library to write"),
                                   cl::value_desc("libNAME.so"), cl::Required,
                                   cl::cat(category));
static LoweringOptions lowering(category);
static cl::opt<std::string>
    header("header", cl::desc("C header to write (default: libNAME.h)"),
           cl::cat(category));
static cl::opt<std::string>
    prefix("prefix",
           cl::desc("Prefix of the exported C functions (default: NAME)"),
           cl::cat(category));
static cl::list<std::string>
    entries("e", cl::desc("Entry function to export (repeatable; default: "
                          "every public function)"),
            cl::cat(category));
static cl::alias entriesAlias("entry", cl::aliasopt(entries));
static cl::opt<std::string>
    mcpu("mcpu",
         cl::desc("CPU of the host code: an LLVM CPU name (x86-64-v3, "
                  "skylake-avx512, ...) or host (default for --target=cpu; "
                  "x86-64-v2 for cuda)"),
         cl::cat(category));
static cl::opt<bool> parallel(
    "parallel",
    cl::desc("CPU: parallel kernels (OpenMP: the library needs libomp); "
             "--parallel=false makes it depend on libc/libm only"),
    cl::init(true), cl::cat(category));
static cl::opt<std::string> chip("chip",
                                 cl::desc("CUDA: GPU architecture (sm_90)"),
                                 cl::init("sm_90"), cl::cat(category));
static cl::opt<std::string>
    features("features", cl::desc("CUDA: PTX features (+ptx80)"),
             cl::init("+ptx80"), cl::cat(category));
static cl::opt<std::string>
    compiler("cc",
             cl::desc("C++ compiler driver that compiles the wrapper and "
                      "links (default: $FLOW_CC, else the one that built "
                      "flow-mlir)"),
             cl::cat(category));
static cl::opt<bool> staticLibstdcxx(
    "static-libstdc++",
    cl::desc("Link libstdc++ statically (default true)"),
    cl::init(true), cl::cat(category));
static cl::opt<std::string>
    saveTemps("save-temps",
              cl::desc("Keep kernels.ll, kernels.o, wrapper.c in DIR"),
              cl::value_desc("DIR"), cl::cat(category));
static cl::opt<bool> verbose("v", cl::desc("Print the link command"),
                             cl::cat(category));

[[noreturn]] static void fail(const llvm::Twine &msg) {
  llvm::errs() << "flow-compile: error: " << msg << "\n";
  llvm::errs().flush();
  std::exit(1);
}

/// `name` in <dir of this executable>/../lib, else `fallback`.
static std::string findLibrary(const char *argv0, llvm::StringRef name,
                               llvm::StringRef fallback) {
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&findLibrary));
  if (!exe.empty()) {
    llvm::SmallString<256> path(llvm::sys::path::parent_path(exe));
    llvm::sys::path::append(path, "..", "lib", name);
    if (llvm::sys::fs::exists(path))
      return std::string(path);
  }
  return fallback.str();
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "flow-compile: compile a flow module ahead of time into a shared "
      "library with a C interface\n");

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFileOrSTDIN(inputFile, /*IsText=*/true);
  if (std::error_code ec = file.getError())
    fail(inputFile + ": cannot open: " + ec.message());

  aot::AotOptions options;
  options.target = lowering.targetName;
  options.entries.assign(entries.begin(), entries.end());
  options.output = output;
  options.header = header;
  options.prefix = prefix;
  options.cpu = mcpu;
  options.strategy = lowering.strategy;
  options.parallel = parallel;
  options.pipeline = lowering.pipeline;
  options.chip = chip;
  options.features = features;
  options.staticLibstdcxx = staticLibstdcxx;
  options.saveTemps = saveTemps;
  if (lowering.dumpIR)
    options.dumpIR = &llvm::errs();
  if (verbose)
    options.verbose = &llvm::errs();
  options.compiler = compiler;
  if (options.compiler.empty())
    if (const char *env = std::getenv("FLOW_CC"); env && *env)
      options.compiler = env;
#ifdef FLOW_CXX_COMPILER
  if (options.compiler.empty())
    options.compiler = FLOW_CXX_COMPILER;
#endif
  if (options.compiler.empty())
    options.compiler = "c++";
  options.runtimeLibrary =
      findLibrary(argv[0], "libFlowAOTRuntime.a", FLOW_AOT_RUNTIME_LIB);
#ifdef FLOW_CUDA_RUNTIME_STATIC_LIB
  options.cudaRuntimeLibrary = findLibrary(
      argv[0], "libflow_cuda_runtime_static.a", FLOW_CUDA_RUNTIME_STATIC_LIB);
#endif
#ifdef FLOW_LIBOMP_DIR
  options.libompDir = FLOW_LIBOMP_DIR;
#endif

  llvm::StringRef bufferName =
      inputFile == "-" ? llvm::StringRef("<stdin>") : inputFile;
  if (llvm::Error err =
          aot::compileLibrary((*file)->getBuffer(), bufferName, options))
    fail(llvm::toString(std::move(err)));
  return 0;
}
