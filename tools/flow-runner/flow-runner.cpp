//===- flow-runner.cpp - JIT-compile and run flow modules -----------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow-runner FILE.mlir [--target=cpu|cuda] [-e ENTRY] [--input=a.npy ...]
//   [--random-inputs[=SEED]] [--output=out.npy ...] [--print | --print-all]
//   [--benchmark=N]
//   [--pipeline=...] [--strategy=phase|zero-insert] [--dump-ir]
//
// Every failure prints one "flow-runner: error: ..." message and exits with
// code 1; output files are written only after everything succeeded.
//
//===----------------------------------------------------------------------===//

#include "LoweringOptions.h"
#include "RunnerContract.h"

#include "flow/Compiler/CompileCache.h"
#include "flow/Execution/CudaSupport.h"
#include "flow/Execution/JitModule.h"
#include "flow/Execution/Npy.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
using namespace mlir::flow;
using namespace mlir::flow::tools;
namespace cl = llvm::cl;

static cl::OptionCategory category("flow-runner options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::Required, cl::cat(category));
static LoweringOptions lowering(category);
static cl::opt<std::string> entry("e", cl::desc("Entry function"),
                                  cl::init("main"), cl::cat(category));
static cl::alias entryAlias("entry", cl::aliasopt(entry));
static cl::list<std::string> inputs("input",
                                    cl::desc("Argument .npy file (in order)"),
                                    cl::cat(category));
static cl::opt<std::string> randomInputs(
    "random-inputs", cl::ValueOptional,
    cl::desc("Fill the arguments with U(-1, 1) numbers (optional seed)"),
    cl::cat(category));
static cl::list<std::string> outputs("output",
                                     cl::desc("Result .npy file (in order)"),
                                     cl::cat(category));
static cl::opt<bool> print(
    "print",
    cl::desc("Print the results (above 1000 elements a summary, as NumPy "
             "prints)"),
    cl::cat(category));
static cl::opt<bool> printAll("print-all",
                              cl::desc("Print the results, every element"),
                              cl::cat(category));
static cl::opt<unsigned> benchmark("benchmark",
                                   cl::desc("Time N runs after a warm-up"),
                                   cl::init(0), cl::cat(category));
static cl::opt<bool> noCache(
    "no-cache",
    cl::desc("Compile without the persistent compile cache (FLOW_CACHE_DIR)"),
    cl::cat(category));
static cl::opt<bool> compileStats(
    "compile-stats",
    cl::desc("Print where the compilation's time went (one 'compile:' line)"),
    cl::cat(category));
static cl::opt<bool> compileOnly(
    "compile-only",
    cl::desc("Compile (CUDA: without a GPU), do not load or run"),
    cl::cat(category));

/// The compiled module once there is one: an error exit releases it first
/// (std::exit skips main's locals), so that its GPU modules are unloaded as
/// after a successful run.
static std::unique_ptr<JitModule> *compiledModule = nullptr;

[[noreturn]] static void fail(const llvm::Twine &msg) {
  llvm::errs() << "flow-runner: error: " << msg << "\n";
  llvm::errs().flush();
  if (compiledModule)
    compiledModule->reset();
  std::exit(1);
}

static void failOn(llvm::Error err) {
  if (err)
    fail(llvm::toString(std::move(err)));
}

static std::vector<HostArray> makeRandomInputs(const JitModule &module) {
  uint64_t seed = 0;
  if (!randomInputs.empty() &&
      llvm::StringRef(randomInputs).getAsInteger(10, seed))
    fail("--random-inputs: seed '" + randomInputs + "' is not an integer");
  UniformRandom rng(seed);
  std::vector<HostArray> arrays;
  for (auto [i, sig] : llvm::enumerate(module.inputs())) {
    if (llvm::any_of(sig.shape, ShapedType::isDynamic))
      fail("--random-inputs: argument " + llvm::Twine(i) + " has type " +
           sig.str() + " with dynamic dims; pass --input files instead");
    std::optional<HostArray> array = HostArray::allocate(sig.dtype, sig.shape);
    if (!array)
      fail("cannot allocate argument " + llvm::Twine(i) + " (" + sig.str() +
           ")");
    rng.fill(*array);
    arrays.push_back(std::move(*array));
  }
  return arrays;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "flow-runner: JIT-compile and run a flow module\n");

  std::optional<Target> target = parseTarget(lowering.targetName);
  if (!target)
    fail("unknown target '" + lowering.targetName + "' (expected cpu or cuda)");
  if (!inputs.empty() && randomInputs.getNumOccurrences())
    fail("--input and --random-inputs cannot be combined");

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(inputFile, /*IsText=*/true);
  if (std::error_code ec = file.getError())
    fail(inputFile + ": cannot open: " + ec.message());

  // Read the arguments before compiling: a bad file fails fast.
  std::vector<HostArray> args;
  for (const std::string &path : inputs) {
    llvm::Expected<HostArray> array = readNpy(path);
    if (!array)
      failOn(array.takeError());
    args.push_back(std::move(*array));
  }

  if (noCache)
    compile_cache::setEnabled(false);
  CompileOptions options;
  options.target = *target;
  options.entry = entry;
  options.strategy = lowering.strategy;
  options.pipeline = lowering.pipeline;
  if (lowering.dumpIR)
    options.dumpIR = &llvm::errs();
  options.compileOnly = compileOnly;
  auto module = JitModule::compile((*file)->getBuffer(), inputFile, options);
  if (!module)
    failOn(module.takeError());
  compiledModule = &*module;
  if (compileStats) {
    const CompileStats &s = (*module)->compileStats();
    llvm::outs() << llvm::format(
        "compile: cache=%s front_ms=%.2f lower_ms=%.2f device_binary_ms=%.2f "
        "llvm_ms=%.2f cache_ms=%.2f load_ms=%.2f total_ms=%.2f\n",
        s.cacheHit ? "hit" : "miss", s.frontMs, s.lowerMs, s.deviceBinaryMs,
        s.llvmMs, s.cacheMs, s.loadMs, s.totalMs);
  }
  if (compileOnly)
    return 0;

  if (randomInputs.getNumOccurrences())
    args = makeRandomInputs(**module);
  else if (args.size() != (*module)->inputs().size())
    fail("@" + entry + " takes " + llvm::Twine((*module)->inputs().size()) +
         " argument(s), got " + llvm::Twine(args.size()) +
         " (pass one --input=FILE.npy per argument, or --random-inputs)");
  std::vector<const HostArray *> argPtrs;
  for (const HostArray &a : args)
    argPtrs.push_back(&a);
  failOn((*module)->checkArguments(argPtrs));
  if (outputs.size() > (*module)->outputs().size())
    fail(llvm::Twine(outputs.size()) + " --output files given but @" + entry +
         " returns " + llvm::Twine((*module)->outputs().size()) +
         " result(s)");
  for (auto [path, sig] : llvm::zip(outputs, (*module)->outputs()))
    if (sig.dtype == DType::BF16)
      fail(path + ": bfloat16 results cannot be written as .npy");

  auto results = (*module)->run(argPtrs);
  if (!results)
    failOn(results.takeError());

  if (benchmark > 0) {
    std::vector<double> times;
    // On the GPU, the time of the kernels (CUDA events), without the copies
    // between host and GPU.
    bool kernelTime = *target == Target::CUDA;
    for (unsigned i = 0; i < benchmark; ++i) {
      if (kernelTime)
        cuda::beginKernelTiming();
      auto start = std::chrono::steady_clock::now();
      auto again = (*module)->run(argPtrs);
      auto stop = std::chrono::steady_clock::now();
      if (!again)
        failOn(again.takeError());
      double ms =
          std::chrono::duration<double, std::milli>(stop - start).count();
      if (kernelTime) {
        llvm::Expected<double> kernels = cuda::endKernelTiming();
        if (!kernels)
          failOn(kernels.takeError());
        ms = *kernels;
      }
      times.push_back(ms);
    }
    double medianMs = median(times);
    double gflops = (*module)->flops(argPtrs) / (medianMs * 1e-3) / 1e9;
    llvm::outs() << llvm::format("benchmark: median_ms=%.4f min_ms=%.4f "
                                 "gflops=%.3f runs=%u\n",
                                 medianMs,
                                 *std::min_element(times.begin(), times.end()),
                                 gflops, static_cast<unsigned>(benchmark));
  }

  if (print || printAll) {
    for (auto [i, result] : llvm::enumerate(*results)) {
      llvm::outs() << "result " << i << ": "
                   << (*module)->outputs()[i].str() << " shape (";
      for (auto [d, size] : llvm::enumerate(result.shape()))
        llvm::outs() << (d ? ", " : "") << size;
      llvm::outs() << (result.shape().size() == 1 ? ",)" : ")") << "\n";
      printArray(
          result, [](const char *text) { llvm::outs() << text; }, printAll);
    }
  }
  for (auto [path, result] : llvm::zip(outputs, *results))
    failOn(writeNpy(path, result));
  return 0;
}
