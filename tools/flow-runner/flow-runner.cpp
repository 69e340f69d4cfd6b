//===- flow-runner.cpp - JIT-compile and run flow modules -----------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow-runner FILE.mlir [--target=cpu|cuda] [-e ENTRY] [--input=a.npy ...]
//   [--random-inputs[=SEED]] [--output=out.npy ...] [--print] [--benchmark=N]
//   [--pipeline=...] [--strategy=phase|zero-insert] [--dump-ir]
//
// Every failure prints one "flow-runner: error: ..." message and exits with
// code 1; output files are written only after everything succeeded.
//
//===----------------------------------------------------------------------===//

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
namespace cl = llvm::cl;

static cl::OptionCategory category("flow-runner options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> targetName("target",
                                       cl::desc("cpu (default) or cuda"),
                                       cl::init("cpu"), cl::cat(category));
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
static cl::opt<bool> print("print", cl::desc("Print the results"),
                           cl::cat(category));
static cl::opt<unsigned> benchmark("benchmark",
                                   cl::desc("Time N runs after a warm-up"),
                                   cl::init(0), cl::cat(category));
static cl::opt<std::string> pipeline(
    "pipeline", cl::desc("Textual pass pipeline replacing the default"),
    cl::cat(category));
static cl::opt<ConvTransposeStrategy> strategy(
    "strategy", cl::desc("conv_transpose2d lowering"),
    cl::init(ConvTransposeStrategy::Phase),
    cl::values(clEnumValN(ConvTransposeStrategy::Phase, "phase",
                          "stride phases, no inserted zeros"),
               clEnumValN(ConvTransposeStrategy::ZeroInsert, "zero-insert",
                          "zero insertion + flipped kernel")),
    cl::cat(category));
static cl::opt<bool> dumpIR("dump-ir",
                            cl::desc("Print the lowered module to stderr"),
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

/// A deterministic U(-1, 1) stream (splitmix64).
class Random {
public:
  explicit Random(uint64_t seed) : state(seed) {}
  double next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53 * 2.0 - 1.0;
  }

private:
  uint64_t state;
};

static std::vector<HostArray> makeRandomInputs(const JitModule &module) {
  uint64_t seed = 0;
  if (!randomInputs.empty() &&
      llvm::StringRef(randomInputs).getAsInteger(10, seed))
    fail("--random-inputs: seed '" + randomInputs + "' is not an integer");
  Random rng(seed);
  std::vector<HostArray> arrays;
  for (auto [i, sig] : llvm::enumerate(module.inputs())) {
    if (llvm::any_of(sig.shape, ShapedType::isDynamic))
      fail("--random-inputs: argument " + llvm::Twine(i) + " has type " +
           sig.str() + " with dynamic dims; pass --input files instead");
    std::optional<HostArray> array = HostArray::allocate(sig.dtype, sig.shape);
    if (!array)
      fail("cannot allocate argument " + llvm::Twine(i) + " (" + sig.str() +
           ")");
    for (int64_t e = 0; e < array->numElements(); ++e)
      array->set(e, rng.next());
    arrays.push_back(std::move(*array));
  }
  return arrays;
}

static void printArray(llvm::raw_ostream &os, const HostArray &array) {
  llvm::ArrayRef<int64_t> shape = array.shape();
  int64_t rank = shape.size();
  if (rank == 0) {
    os << llvm::format("%.6g", array.get(0)) << "\n";
    return;
  }
  std::vector<int64_t> index(rank, 0);
  if (array.numElements() == 0) {
    os << std::string(rank, '[') << std::string(rank, ']') << "\n";
    return;
  }
  for (int64_t linear = 0; linear < array.numElements(); ++linear) {
    int64_t opened = 0;
    for (int64_t d = rank - 1; d >= 0 && index[d] == 0; --d)
      ++opened;
    os << std::string(opened, '[');
    os << llvm::format("%.6g", array.get(linear));
    int64_t closed = 0;
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
      ++closed;
    }
    os << std::string(closed, ']');
    if (linear + 1 < array.numElements())
      os << (closed ? ",\n" : ", ");
  }
  os << "\n";
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "flow-runner: JIT-compile and run a flow module\n");

  std::optional<Target> target = parseTarget(targetName);
  if (!target)
    fail("unknown target '" + targetName + "' (expected cpu or cuda)");
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

  CompileOptions options;
  options.target = *target;
  options.entry = entry;
  options.strategy = strategy;
  options.pipeline = pipeline;
  if (dumpIR)
    options.dumpIR = &llvm::errs();
  auto module = JitModule::compile((*file)->getBuffer(), inputFile, options);
  if (!module)
    failOn(module.takeError());
  compiledModule = &*module;

  if (randomInputs.getNumOccurrences())
    args = makeRandomInputs(**module);
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
    std::sort(times.begin(), times.end());
    double median = times.size() % 2
                        ? times[times.size() / 2]
                        : 0.5 * (times[times.size() / 2 - 1] +
                                 times[times.size() / 2]);
    double gflops = (*module)->flops(argPtrs) / (median * 1e-3) / 1e9;
    llvm::outs() << llvm::format("benchmark: median_ms=%.4f min_ms=%.4f "
                                 "gflops=%.3f runs=%u\n",
                                 median, times.front(), gflops,
                                 static_cast<unsigned>(benchmark));
  }

  if (print) {
    for (auto [i, result] : llvm::enumerate(*results)) {
      llvm::outs() << "result " << i << ": "
                   << (*module)->outputs()[i].str() << " shape (";
      for (auto [d, size] : llvm::enumerate(result.shape()))
        llvm::outs() << (d ? ", " : "") << size;
      llvm::outs() << (result.shape().size() == 1 ? ",)" : ")") << "\n";
      printArray(llvm::outs(), result);
    }
  }
  for (auto [path, result] : llvm::zip(outputs, *results))
    failOn(writeNpy(path, result));
  return 0;
}
