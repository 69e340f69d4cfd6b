//===- JitModule.cpp - Compile and run flow modules -----------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Execution/JitModule.h"

#include "flow/Compiler/CompileCache.h"
#include "flow/Compiler/DiagnosticCollector.h"
#include "flow/Compiler/EntryConstraints.h"
#include "flow/Compiler/EntryFunctions.h"
#include "flow/Compiler/Lowering.h"
#include "flow/Compiler/SourceModule.h"
#include "flow/Dialect/Flow/IR/FlowOps.h"
#include "flow/Execution/CudaSupport.h"
#include "flow/Execution/JitObject.h"
#include "flow/Execution/MemoryGuard.h"
#include "flow/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/raw_ostream.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <link.h>
#include <set>

using namespace mlir;
using namespace mlir::flow;

static llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

std::optional<Target> mlir::flow::parseTarget(llvm::StringRef name) {
  if (name == "cpu")
    return Target::CPU;
  if (name == "cuda")
    return Target::CUDA;
  return std::nullopt;
}

std::string TensorSignature::str() const {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d)) +
         "x";
  return s + dtypeMlirName(dtype).str() + ">";
}

void mlir::flow::initializeJit() { initializeCompiler(); }

std::string mlir::flow::findLibOmp() {
  std::string found;
  dl_iterate_phdr(
      [](dl_phdr_info *info, size_t, void *data) {
        llvm::StringRef name(info->dlpi_name ? info->dlpi_name : "");
        if (!llvm::sys::path::filename(name).starts_with("libLLVM"))
          return 0;
        llvm::SmallString<256> path(name);
        llvm::sys::path::remove_filename(path);
        llvm::sys::path::append(path, "libomp.so");
        if (!llvm::sys::fs::exists(path))
          return 0;
        *static_cast<std::string *>(data) = std::string(path);
        return 1;
      },
      &found);
  return found.empty() ? "libomp.so.5" : found;
}

namespace {

/// A conv_transpose2d whose FLOPs the benchmark counts: its static shapes,
/// and the entry argument its input is (to learn dynamic dims at run time).
struct ConvRecord {
  SmallVector<int64_t> input, weight, result;
  int inputArg = -1;
  ConvTranspose2dParams params;
  size_t elemBytes = 4;

  /// The input's shape in a call with `args` (an entry argument's shape
  /// comes from the call), or nothing when it or the weight's has an
  /// unknown dim.
  std::optional<SmallVector<int64_t>>
  staticInputShape(llvm::ArrayRef<const HostArray *> args) const {
    SmallVector<int64_t> shape = input;
    if (inputArg >= 0 && inputArg < static_cast<int>(args.size()))
      shape.assign(args[inputArg]->shape().begin(),
                   args[inputArg]->shape().end());
    if (llvm::any_of(shape, ShapedType::isDynamic) ||
        llvm::any_of(weight, ShapedType::isDynamic))
      return std::nullopt;
    return shape;
  }
};

/// Reads the signature of one argument or result type.
llvm::Expected<TensorSignature> toSignature(Type type,
                                            const llvm::Twine &what) {
  llvm::Expected<RankedTensorType> tensor = getEntryTensorType(type, what);
  if (!tensor)
    return tensor.takeError();
  return TensorSignature{getEntryElementType<DType>(*tensor),
                         std::vector<int64_t>(tensor->getShape().begin(),
                                              tensor->getShape().end())};
}

} // namespace

struct JitModule::Impl {
  MLIRContext context;
  std::unique_ptr<LoadedObject> object;
  std::string entry;
  std::vector<ConvRecord> convs;
  /// What the entry's ops require of its arguments' dynamic dims.
  std::vector<EntryDimConstraint> dimConstraints;
  /// The entry's packed wrapper (called under the memory guard).
  void (*entryFn)(void **) = nullptr;
  /// Compiled for CUDA: runs report libflow_cuda_runtime's errors.
  bool cuda = false;

  explicit Impl(const DialectRegistry &registry)
      : context(registry, MLIRContext::Threading::DISABLED) {}

  /// Loads a compiled payload: a flag byte (1: the code uses OpenMP) and
  /// the object (see JitObject.h), and finds the entry.
  llvm::Error load(llvm::StringRef payload, const std::string &cudaRuntime) {
    if (payload.empty() || static_cast<unsigned char>(payload[0]) > 1)
      return makeError("invalid compiled payload");
    std::vector<std::string> libs;
    if (payload[0] == 1)
      libs.push_back(findLibOmp());
    if (cuda)
      libs.push_back(cudaRuntime); // the mgpu* functions
    auto loaded = LoadedObject::load(payload.drop_front(), libs);
    if (!loaded)
      return loaded.takeError();
    object = std::move(*loaded);
    // The constructors loaded the CUDA kernels: a GPU that cannot run them
    // fails the compilation, not a later call.
    if (cuda)
      if (llvm::Error err = cuda::takeRuntimeError())
        return err;
    auto fn = object->lookupPacked(entry);
    if (!fn)
      return fn.takeError();
    entryFn = *fn;
    return llvm::Error::success();
  }
};

/// Everything the compiled code depends on besides the build of flow-mlir
/// (which makeKey adds): the source, the options and the target.
static std::string cacheKey(llvm::StringRef source,
                            const CompileOptions &options) {
  static const std::string host = compile_cache::hostIdentity();
  std::string target = "cpu";
  if (options.target == Target::CUDA) {
    target = "cuda";
    for (const char *var : {"CUDA_HOME", "CUDA_PATH"})
      if (const char *value = std::getenv(var))
        target += std::string(" ") + var + "=" + value;
  }
  std::string strategy = std::to_string(static_cast<int>(options.strategy));
  return compile_cache::makeKey({"jit object 1", source, options.entry,
                                 strategy, options.pipeline, target, host});
}

JitModule::JitModule() = default;
JitModule::~JitModule() = default;

namespace {
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}
} // namespace

llvm::Expected<std::unique_ptr<JitModule>>
JitModule::compile(llvm::StringRef source, llvm::StringRef bufferName,
                   const CompileOptions &options) {
  Clock::time_point start = Clock::now();
  initializeJit();
  // CUDA: fail before compiling when no device is usable.
  std::string cudaRuntime;
  if (options.target == Target::CUDA && !options.compileOnly) {
    llvm::Expected<std::string> path = cuda::loadRuntime();
    if (!path)
      return path.takeError();
    cudaRuntime = *path;
  }
  std::unique_ptr<JitModule> module(new JitModule());
  module->impl = std::make_unique<Impl>(getCompilerRegistry());
  Impl &impl = *module->impl;
  impl.entry = options.entry;
  impl.cuda = options.target == Target::CUDA;
  DiagnosticCollector diags(impl.context);
  llvm::Expected<OwningOpRef<ModuleOp>> parsed =
      parseSourceModule(source, bufferName, impl.context, diags);
  if (!parsed)
    return parsed.takeError();

  llvm::Expected<func::FuncOp> entry =
      lookupEntryFunction(**parsed, options.entry, bufferName);
  if (!entry)
    return entry.takeError();
  func::FuncOp func = *entry;
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto sig = toSignature(type, "argument " + llvm::Twine(i) + " of @" +
                                     options.entry);
    if (!sig)
      return sig.takeError();
    module->argTypes.push_back(*sig);
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto sig = toSignature(type, "result " + llvm::Twine(i) + " of @" +
                                     options.entry);
    if (!sig)
      return sig.takeError();
    module->resultTypes.push_back(*sig);
  }
  func.walk([&](ConvTranspose2DOp op) {
    ConvRecord rec;
    rec.input.assign(op.getInput().getType().getShape().begin(),
                     op.getInput().getType().getShape().end());
    rec.weight.assign(op.getWeight().getType().getShape().begin(),
                      op.getWeight().getType().getShape().end());
    rec.result.assign(op.getType().getShape().begin(),
                      op.getType().getShape().end());
    rec.inputArg = getEntryArgumentNumber(func, op.getInput());
    rec.params = op.getParams();
    rec.elemBytes = op.getType().getElementTypeBitWidth() / 8;
    impl.convs.push_back(std::move(rec));
  });
  impl.dimConstraints = collectEntryDimConstraints(func);
  markArgumentsReadOnly(func);
  module->stats.frontMs = msSince(start);
  llvm::Error err = module->build(source, bufferName, options, **parsed,
                                  diags, cudaRuntime);
  module->stats.totalMs = msSince(start);
  if (err)
    return std::move(err);
  return std::move(module);
}

llvm::Error JitModule::build(llvm::StringRef source,
                             llvm::StringRef bufferName,
                             const CompileOptions &options, ModuleOp parsed,
                             DiagnosticCollector &diags,
                             const std::string &cudaRuntime) {
  Impl &impl = *this->impl;
  Clock::time_point start = Clock::now();
  std::optional<std::string> key;
  if (!options.dumpIR && compile_cache::directory())
    key = cacheKey(source, options);
  std::optional<std::string> payload;
  if (key)
    payload = compile_cache::load(*key);
  stats.cacheMs = msSince(start);
  if (payload) {
    stats.cacheHit = true;
    if (options.compileOnly)
      return llvm::Error::success();
    start = Clock::now();
    llvm::Error err = impl.load(*payload, cudaRuntime);
    stats.loadMs = msSince(start);
    if (!err || impl.cuda)
      return err; // CUDA: the GPU, not the entry, failed
    compile_cache::reject(*key, llvm::toString(std::move(err)));
    stats.cacheHit = false;
  }

  auto buildDefault = [&](OpPassManager &pm) {
    if (impl.cuda) {
      CudaPipelineOptions gpu;
      gpu.strategy = options.strategy;
      buildLowerToCudaPipeline(pm, gpu);
    } else {
      CpuPipelineOptions cpu;
      cpu.strategy = options.strategy;
      buildLowerToCpuPipeline(pm, cpu);
    }
  };
  LoweringTimes times;
  if (llvm::Error err = lowerModule(parsed, options.pipeline, buildDefault,
                                    diags, bufferName, options.dumpIR,
                                    &times))
    return err;
  stats.lowerMs = times.passesMs;
  stats.deviceBinaryMs = times.deviceBinaryMs;

  // Parallel CPU kernels (OpenMP dialect) call into LLVM's libomp.
  bool usesOpenMP = false;
  parsed->walk([&](Operation *op) {
    usesOpenMP |= op->getDialect() &&
                  op->getDialect()->getNamespace() == "omp";
  });
  start = Clock::now();
  llvm::Expected<std::string> object = emitHostObject(parsed, impl.entry);
  stats.llvmMs = msSince(start);
  if (!object)
    return makeError(diags.take(bufferName.str() +
                                ": JIT compilation failed: " +
                                llvm::toString(object.takeError())));
  std::string compiled(1, usesOpenMP ? '\1' : '\0');
  compiled += *object;
  start = Clock::now();
  if (key)
    compile_cache::store(*key, compiled);
  stats.cacheMs += msSince(start);
  if (options.compileOnly)
    return llvm::Error::success();
  start = Clock::now();
  llvm::Error err = impl.load(compiled, cudaRuntime);
  stats.loadMs = msSince(start);
  if (err)
    return makeError(bufferName + ": JIT compilation failed: " +
                     llvm::toString(std::move(err)));
  return llvm::Error::success();
}

double JitModule::flops(llvm::ArrayRef<const HostArray *> args) const {
  double total = 0;
  for (const ConvRecord &rec : impl->convs)
    if (std::optional<SmallVector<int64_t>> input = rec.staticInputShape(args))
      total += convTranspose2dFlops(*input, rec.weight);
  return total;
}

static std::string shapeString(llvm::ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") +
         (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d));
  return s + (shape.size() == 1 ? ",)" : ")");
}

llvm::Error
JitModule::checkArguments(llvm::ArrayRef<const HostArray *> args) const {
  if (args.size() != argTypes.size())
    return makeError("@" + impl->entry + " takes " +
                     llvm::Twine(argTypes.size()) + " argument(s), got " +
                     llvm::Twine(args.size()));
  for (auto [i, pair] : llvm::enumerate(llvm::zip_equal(args, argTypes))) {
    auto [arg, sig] = pair;
    if (arg->dtype() != sig.dtype)
      return makeError("argument " + llvm::Twine(i) + ": expected dtype " +
                       dtypeName(sig.dtype) + " (" + sig.str() + "), got " +
                       dtypeName(arg->dtype()));
    bool matches = arg->shape().size() == sig.shape.size();
    for (size_t d = 0; matches && d < sig.shape.size(); ++d)
      matches = ShapedType::isDynamic(sig.shape[d]) ||
                sig.shape[d] == arg->shape()[d];
    if (!matches)
      return makeError("argument " + llvm::Twine(i) + ": expected shape " +
                       shapeString(sig.shape) + " (" + sig.str() +
                       "), got " + shapeString(arg->shape()));
  }
  std::vector<std::vector<int64_t>> shapes;
  for (const HostArray *arg : args)
    shapes.emplace_back(arg->shape().begin(), arg->shape().end());
  if (std::optional<std::string> broken =
          checkEntryDimConstraints(impl->dimConstraints, shapes))
    return makeError("@" + impl->entry + ": " + *broken);
  return llvm::Error::success();
}

/// Sentinel that finalize-memref-to-llvm puts in the allocated pointer of
/// memrefs backed by globals.
static constexpr uintptr_t kGlobalSentinel = 0xdeadbeef;

/// Fails when a buffer the call needs cannot exist: a static result, or the
/// output of a conv_transpose2d whose input is an argument, over the memory
/// limit or beyond int64 elements; or when the arguments' dynamic dims give a
/// conv_transpose2d an output size below 1 (as the verifier does for static
/// ones). The JIT code could not allocate it, or would compute a wrapped size.
llvm::Error JitModule::checkBufferSizes(
    llvm::ArrayRef<const HostArray *> args) const {
  llvm::Expected<uint64_t> memoryLimit = jitMemoryLimit();
  if (!memoryLimit)
    return memoryLimit.takeError();
  uint64_t limit = *memoryLimit;
  auto tooLarge = [&](const llvm::Twine &what, ArrayRef<int64_t> shape,
                      size_t elemBytes) -> llvm::Error {
    std::optional<int64_t> count = checkedElementCount(shape);
    std::optional<int64_t> bytes =
        count ? llvm::checkedMul(*count, static_cast<int64_t>(elemBytes))
              : std::nullopt;
    if (!bytes)
      return makeError(what + " of shape " + shapeString(shape) +
                       " has more bytes than int64 can count");
    if (static_cast<uint64_t>(*bytes) > limit)
      return makeError(what + " of shape " + shapeString(shape) + " needs " +
                       formatBytes(*bytes) + ", more than the memory limit "
                       "of " + memoryLimitText(limit));
    return llvm::Error::success();
  };
  for (auto [i, sig] : llvm::enumerate(resultTypes))
    if (llvm::none_of(sig.shape, ShapedType::isDynamic))
      if (llvm::Error err = tooLarge("result " + llvm::Twine(i) + " of @" +
                                         impl->entry,
                                     sig.shape, dtypeSize(sig.dtype)))
        return err;
  for (const ConvRecord &rec : impl->convs) {
    std::optional<SmallVector<int64_t>> staticInput =
        rec.staticInputShape(args);
    if (!staticInput)
      continue;
    const SmallVector<int64_t> &input = *staticInput;
    SmallVector<int64_t, 4> output;
    if (failed(inferConvTranspose2dShape(nullptr, input, rec.weight,
                                         std::nullopt, rec.params, output))) {
      // Again, to collect the message.
      DiagnosticCollector diags(impl->context);
      (void)inferConvTranspose2dShape(
          [&] { return emitError(UnknownLoc::get(&impl->context)); }, input,
          rec.weight, std::nullopt, rec.params, output);
      return makeError("@" + impl->entry + ": conv_transpose2d on an input "
                       "of shape " + shapeString(input) + ": " +
                       diags.take("invalid configuration"));
    }
    for (auto [declared, size] : llvm::zip_equal(rec.result, output))
      if (!ShapedType::isDynamic(declared) && declared != size)
        return makeError("@" + impl->entry + ": conv_transpose2d on an input "
                         "of shape " + shapeString(input) + " gives shape " +
                         shapeString(output) + ", not its declared " +
                         shapeString(rec.result));
    if (llvm::Error err = tooLarge("@" + impl->entry + ": the conv_transpose2d "
                                   "output",
                                   output, rec.elemBytes))
      return err;
  }
  return llvm::Error::success();
}

llvm::Expected<std::vector<HostArray>>
JitModule::run(llvm::ArrayRef<const HostArray *> args) {
  if (!impl->entryFn)
    return makeError("@" + impl->entry + " was compiled without loading "
                     "(compile-only) and cannot run");
  if (llvm::Error err = checkArguments(args))
    return std::move(err);
  if (llvm::Error err = checkBufferSizes(args))
    return std::move(err);

  // Exploded memref descriptors: allocated, aligned, offset, sizes, strides.
  std::vector<std::vector<int64_t>> descriptors;
  std::vector<void *> packed;
  for (const HostArray *arg : args) {
    std::vector<int64_t> desc;
    int64_t rank = arg->shape().size();
    auto ptr = reinterpret_cast<int64_t>(arg->data());
    desc.push_back(ptr);
    desc.push_back(ptr);
    desc.push_back(0);
    desc.insert(desc.end(), arg->shape().begin(), arg->shape().end());
    std::vector<int64_t> strides(rank, 1);
    for (int64_t d = rank - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * arg->shape()[d + 1];
    desc.insert(desc.end(), strides.begin(), strides.end());
    descriptors.push_back(std::move(desc));
  }
  for (std::vector<int64_t> &desc : descriptors)
    for (int64_t &field : desc)
      packed.push_back(&field);
  size_t resultWords = 0;
  for (const TensorSignature &sig : resultTypes)
    resultWords += 3 + 2 * sig.shape.size();
  std::vector<int64_t> resultStorage(std::max<size_t>(resultWords, 1), 0);
  packed.push_back(resultStorage.data());

  if (llvm::Error err = runGuarded(impl->entryFn, packed.data(),
                                   "@" + impl->entry))
    return std::move(err);

  // Copy the results out, then free their buffers (once each, and never one
  // that belongs to an argument or a global).
  std::set<int64_t> owned;
  for (const HostArray *arg : args)
    owned.insert(reinterpret_cast<int64_t>(arg->data()));
  std::vector<HostArray> results;
  llvm::Error failure = llvm::Error::success();
  size_t at = 0;
  for (const TensorSignature &sig : resultTypes) {
    int64_t rank = sig.shape.size();
    const int64_t *desc = resultStorage.data() + at;
    at += 3 + 2 * rank;
    int64_t allocated = desc[0], aligned = desc[1], offset = desc[2];
    llvm::ArrayRef<int64_t> sizes(desc + 3, rank), strides(desc + 3 + rank,
                                                          rank);
    std::optional<HostArray> out = HostArray::allocate(sig.dtype, sizes);
    if (!out) {
      if (!failure)
        failure = makeError("cannot allocate a result of shape " +
                            shapeString(sizes));
    } else {
      size_t elem = dtypeSize(sig.dtype);
      const char *base = reinterpret_cast<const char *>(aligned);
      char *dst = static_cast<char *>(out->data());
      bool contiguous = true;
      for (int64_t d = rank - 1, expect = 1; d >= 0; expect *= sizes[d--])
        contiguous &= sizes[d] == 1 || strides[d] == expect;
      std::vector<int64_t> indexVec(rank, 0);
      if (contiguous && out->numElements() > 0)
        std::memcpy(dst, base + offset * elem, out->sizeInBytes());
      for (int64_t linear = 0; !contiguous && linear < out->numElements();
           ++linear) {
        int64_t src = offset;
        for (int64_t d = 0; d < rank; ++d)
          src += indexVec[d] * strides[d];
        std::memcpy(dst + linear * elem, base + src * elem, elem);
        for (int64_t d = rank - 1; d >= 0; --d) {
          if (++indexVec[d] < sizes[d])
            break;
          indexVec[d] = 0;
        }
      }
      results.push_back(std::move(*out));
    }
    if (allocated && static_cast<uintptr_t>(allocated) != kGlobalSentinel &&
        owned.insert(allocated).second)
      std::free(reinterpret_cast<void *>(allocated));
  }
  if (impl->cuda)
    if (llvm::Error err = cuda::takeRuntimeError()) {
      llvm::consumeError(std::move(failure));
      return std::move(err);
    }
  if (failure)
    return std::move(failure);
  return std::move(results);
}
