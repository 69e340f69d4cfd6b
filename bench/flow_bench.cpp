//===- flow_bench.cpp - Time the JIT-compiled code of a flow module -------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow-bench FILE.mlir [--runs=R] [--warmup=W] [--strategy=phase|zero-insert]
//            [--pipeline=PIPELINE]
//
// Lowers FILE.mlir (static shapes, entry @main) with the CPU pipeline,
// JIT-compiles it like flow's JitModule (ExecutionEngine, -O3, host CPU,
// libomp), fills the arguments with U(-1, 1) numbers and times R calls of
// the compiled function after W warm-up calls. A call is what a caller of
// the compiled code pays: the function allocates and computes its result,
// which is then freed. (flow-runner --benchmark also copies every result
// into a fresh host array; that copy is the runner's, not the compiled
// code's.) Prints
//   flowjit: median_ms=M min_ms=M cpu_ms_per_run=C runs=R
// where C is the process CPU time (all threads) per call: on a shared,
// loaded machine the wall time measures the share of the machine the process
// got, the CPU time the work (with OMP_WAIT_POLICY=passive).
//
// --pipeline replaces the CPU pipeline by a textual one (module-level
// passes), for experiments, e.g.
//   --pipeline='func.func(flow-cpu-conv-transpose-kernels{tile=4,3,1}),
//               flow-lower-to-cpu'
//
//===----------------------------------------------------------------------===//

#include "Timing.h"

#include "flow/Execution/JitModule.h"
#include "flow/Pipelines/Pipelines.h"
#include "flow/Registration/Registration.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

using namespace mlir;


[[noreturn]] static void fail(const llvm::Twine &msg) {
  llvm::errs() << "flow-bench: error: " << msg << "\n";
  std::exit(1);
}

int main(int argc, char **argv) {
  std::string file;
  int runs = 10, warmup = 2;
  flow::CpuPipelineOptions options;
  std::string pipeline;
  for (int i = 1; i < argc; ++i) {
    if (!std::strncmp(argv[i], "--runs=", 7))
      runs = std::atoi(argv[i] + 7);
    else if (!std::strncmp(argv[i], "--warmup=", 9))
      warmup = std::atoi(argv[i] + 9);
    else if (!std::strcmp(argv[i], "--strategy=zero-insert"))
      options.strategy = flow::ConvTransposeStrategy::ZeroInsert;
    else if (!std::strcmp(argv[i], "--strategy=phase"))
      options.strategy = flow::ConvTransposeStrategy::Phase;
    else if (!std::strncmp(argv[i], "--pipeline=", 11))
      pipeline = argv[i] + 11;
    else if (argv[i][0] != '-')
      file = argv[i];
    else
      fail(llvm::Twine("unknown option ") + argv[i]);
  }
  if (file.empty() || runs < 1)
    fail("usage: flow-bench FILE.mlir [--runs=R] [--warmup=W] "
         "[--strategy=phase|zero-insert]");

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  registerAllPasses();
  flow::registerFlowPassesAndPipelines();
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  flow::registerFlowDialect(registry);
  MLIRContext ctx(registry, MLIRContext::Threading::DISABLED);
  ctx.loadAllAvailableDialects();

  llvm::SourceMgr sourceMgr;
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(file, sourceMgr,
                                                           &ctx);
  if (!module)
    fail("cannot parse " + file);
  auto func = module->lookupSymbol<func::FuncOp>("main");
  if (!func)
    fail("no @main");
  // Shapes of the arguments and the rank of each result.
  std::vector<std::vector<int64_t>> argShapes;
  for (Type t : func.getArgumentTypes()) {
    auto tt = dyn_cast<RankedTensorType>(t);
    if (!tt || !tt.hasStaticShape() || !tt.getElementType().isF32())
      fail("@main must take static f32 tensors");
    argShapes.emplace_back(tt.getShape().begin(), tt.getShape().end());
  }
  size_t resultWords = 0;
  std::vector<size_t> resultAt; // descriptor offset of each result
  for (Type t : func.getResultTypes()) {
    resultAt.push_back(resultWords);
    resultWords += 3 + 2 * cast<RankedTensorType>(t).getRank();
  }
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    BoolAttr::get(&ctx, false));

  PassManager pm(&ctx);
  if (pipeline.empty())
    flow::buildLowerToCpuPipeline(pm, options);
  else if (failed(parsePassPipeline(pipeline, pm)))
    fail("bad --pipeline " + pipeline);
  if (failed(pm.run(*module)))
    fail("lowering failed");

  ExecutionEngineOptions engineOptions;
  std::string libomp = flow::findLibOmp();
  SmallVector<StringRef, 1> libs = {libomp};
  engineOptions.sharedLibPaths = libs;
  auto transformer = makeOptimizingTransformer(3, 0, nullptr);
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    fail("JIT: " + llvm::toString(engine.takeError()));
  auto entry = (*engine)->lookupPacked("main");
  if (!entry)
    fail("JIT: " + llvm::toString(entry.takeError()));

  // Arguments: U(-1, 1), 64-byte aligned, as exploded memref descriptors.
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<std::vector<float>> storage;
  std::vector<std::vector<int64_t>> descriptors;
  for (const std::vector<int64_t> &shape : argShapes) {
    int64_t count = 1;
    for (int64_t d : shape)
      count *= d;
    storage.emplace_back(count + 16);
    float *p = storage.back().data();
    while (reinterpret_cast<uintptr_t>(p) % 64)
      ++p;
    for (int64_t e = 0; e < count; ++e)
      p[e] = u(rng);
    std::vector<int64_t> desc = {reinterpret_cast<int64_t>(p),
                                 reinterpret_cast<int64_t>(p), 0};
    desc.insert(desc.end(), shape.begin(), shape.end());
    std::vector<int64_t> strides(shape.size(), 1);
    for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * shape[d + 1];
    desc.insert(desc.end(), strides.begin(), strides.end());
    descriptors.push_back(std::move(desc));
  }
  std::vector<void *> packed;
  for (std::vector<int64_t> &desc : descriptors)
    for (int64_t &field : desc)
      packed.push_back(&field);
  std::vector<int64_t> results(std::max<size_t>(resultWords, 1));
  packed.push_back(results.data());

  auto once = [&] {
    (*entry)(packed.data());
    // Free each result buffer (the allocated pointer of its descriptor).
    for (size_t at : resultAt)
      std::free(reinterpret_cast<void *>(results[at]));
  };
  flow_bench::Timing t = flow_bench::timeCalls(once, warmup, runs);
  std::printf("flowjit: median_ms=%.4f min_ms=%.4f cpu_ms_per_run=%.4f "
              "runs=%d\n",
              t.medianMs, t.minMs, t.cpuMsPerRun, runs);
  return 0;
}
