//===- AotCompiler.cpp - Compile flow modules into C-ABI libraries --------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// module -> target pipeline (entries keep a C interface, _mlir_ciface_NAME)
//        -> LLVM IR -> O3 for the chosen CPU -> kernels.o
// entries -> wrapper.c (tables, trampolines, exported functions) + header
// wrapper.c + kernels.o + libFlowAOTRuntime.a [+ libflow_cuda_runtime_static.a]
//        -> libNAME.so, exporting only the flow_aot_* and NAME_* functions.
//
//===----------------------------------------------------------------------===//

#include "flow/AOT/AotCompiler.h"

#include "flow/Runtime/Manifest.h"
#include "flow/Compiler/DiagnosticCollector.h"
#include "flow/Compiler/EntryFunctions.h"
#include "flow/Compiler/Lowering.h"
#include "flow/Compiler/SourceModule.h"
#include "flow/Dialect/Flow/IR/FlowOps.h"
#include "flow/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

#include <set>

using namespace mlir;
using namespace mlir::flow;
using namespace mlir::flow::aot;

namespace {

/// The text of flow/Runtime/AotRuntime.h (kRuntimeHeader), copied into every
/// generated wrapper.
#include "AotRuntimeHeader.inc"

llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

/// Dims as the manifest has them: -1 for a dynamic one.
std::vector<int64_t> manifestDims(llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> dims;
  for (int64_t d : shape)
    dims.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return dims;
}

llvm::Expected<aot::TensorType> toTensorType(Type type, const llvm::Twine &what) {
  llvm::Expected<RankedTensorType> tensor = getEntryTensorType(type, what);
  if (!tensor)
    return tensor.takeError();
  aot::TensorType result;
  result.type = getEntryElementType<ElementType>(*tensor);
  result.dims = manifestDims(tensor->getShape());
  return result;
}

bool isIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

/// A C identifier made from `name` (other characters become '_').
std::string cIdentifier(llvm::StringRef name) {
  std::string s;
  for (char c : name)
    s.push_back(isIdentifierChar(c) ? c : '_');
  if (s.empty() || (s[0] >= '0' && s[0] <= '9'))
    s.insert(s.begin(), '_');
  return s;
}

/// A C string literal holding `text`.
std::string cString(llvm::StringRef text) {
  std::string s = "\"";
  for (char c : text) {
    if (c == '\n')
      s += "\\n\"\n    \"";
    else if (c == '"' || c == '\\')
      s += std::string("\\") + c;
    else if (static_cast<unsigned char>(c) < 32 ||
             static_cast<unsigned char>(c) >= 127) {
      char buffer[8];
      snprintf(buffer, sizeof(buffer), "\\%03o",
               static_cast<unsigned char>(c));
      s += buffer;
    } else
      s.push_back(c);
  }
  return s + "\"";
}

const char *cElementType(ElementType type) {
  switch (type) {
  case ElementType::F16:
  case ElementType::BF16:
    return "uint16_t"; // raw IEEE half / bfloat16 bits
  case ElementType::F32:
    return "float";
  case ElementType::F64:
    return "double";
  }
  return "void";
}

template <typename T>
std::string cArray(const std::vector<T> &values) {
  if (values.empty())
    return "{0}";
  std::string s = "{";
  for (size_t i = 0; i < values.size(); ++i)
    s += (i ? ", " : "") + std::to_string(values[i]);
  return s + "}";
}

/// Typed functions of the header and wrapper that are not entries.
const char *const kReservedSuffixes[] = {
    "free", "last_error", "device_check", "manifest", "timing_begin",
    "timing_end"};

/// The exported C declaration of entry `e`.
std::string typedDeclaration(const std::string &prefix, const Entry &e) {
  std::string s = "int " + prefix + "_" + e.cName + "(";
  std::vector<std::string> params;
  for (size_t i = 0; i < e.args.size(); ++i) {
    std::string n = std::to_string(i);
    params.push_back(std::string("const ") + cElementType(e.args[i].type) +
                     " *arg" + n);
    params.push_back("const int64_t *arg" + n + "_shape");
  }
  for (size_t i = 0; i < e.results.size(); ++i) {
    std::string n = std::to_string(i);
    params.push_back(std::string(cElementType(e.results[i].type)) +
                     " **result" + n);
    params.push_back("int64_t *result" + n + "_shape");
  }
  if (params.empty())
    return s + "void)";
  for (size_t i = 0; i < params.size(); ++i)
    s += (i ? ",\n    " : "") + params[i];
  return s + ")";
}

std::string describe(const aot::TensorType &t) {
  return std::string(elementTypeNumpyName(t.type)) + " " +
         shapeString(t.dims);
}

std::string generateHeader(const Manifest &m, llvm::StringRef libraryName,
                           llvm::StringRef sourceName) {
  std::string guard = "FLOW_AOT_" + llvm::StringRef(m.prefix).upper() + "_H";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* " << libraryName << ": generated by flow-compile from "
     << sourceName << " (target " << m.target
     << (m.cpu.empty() ? "" : ", host code for " + m.cpu)
     << (m.chip.empty() ? "" : ", kernels for " + m.chip) << ").\n"
     << " *\n"
     << " * Each entry function is exported as\n"
     << " *   int " << m.prefix
     << "_ENTRY(const T *arg0, const int64_t *arg0_shape, ...,\n"
     << " *             T **result0, int64_t *result0_shape, ...);\n"
     << " * Arguments: dense, row-major data (only read) and its dims; a "
        "shape\n"
     << " * pointer may be NULL when the argument's type has no dynamic "
        "dims.\n"
     << " * Results: on success the library stores in *resultN a buffer it "
        "allocated\n"
     << " * (dense, row-major; NULL when the result has no elements) and "
        "writes its\n"
     << " * dims to resultN_shape (may be NULL when the result type is "
        "static); release\n"
     << " * it with " << m.prefix << "_free(). Returns 0 on success; "
     << "otherwise non-zero, nothing is\n"
     << " * allocated, and " << m.prefix
     << "_last_error() says why (per thread).\n"
     << " * float16 and bfloat16 data are passed as their raw 16-bit "
        "patterns (uint16_t).\n"
     << " * Calls may run concurrently (CUDA libraries serialise them).\n";
  if (m.target == "cuda")
    os << " *\n"
       << " * CUDA: arguments are copied to the GPU and results back in each "
          "call. The\n"
       << " * driver (libcuda.so.1) is opened when the library is loaded; "
          "without it every\n"
       << " * call fails with \"no CUDA driver (...)\" or \"no CUDA device "
          "(...)\" (see\n"
       << " * " << m.prefix << "_device_check()). " << m.prefix
       << "_timing_begin/_end time the kernels launched in\n"
       << " * between with CUDA events (ms, summed).\n";
  os << " *\n"
     << " * The same library also exports the uniform flow_aot_* functions "
        "that loaders\n"
     << " * use (flow-aot-run, flow_mlir.load); see flow/Runtime/AotRuntime.h.\n"
     << " */\n\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  for (const Entry &e : m.entries) {
    os << "/* " << e.signature() << "\n";
    for (size_t i = 0; i < e.args.size(); ++i)
      os << " *   arg" << i << ": " << describe(e.args[i]) << "\n";
    for (size_t i = 0; i < e.results.size(); ++i)
      os << " *   result" << i << ": " << describe(e.results[i]) << "\n";
    os << " */\n" << typedDeclaration(m.prefix, e) << ";\n\n";
  }
  os << "/* Releases a result buffer (NULL is ignored). */\n"
     << "void " << m.prefix << "_free(void *result);\n"
     << "/* Why this thread's last failing call failed. */\n"
     << "const char *" << m.prefix << "_last_error(void);\n"
     << "/* 0 when the library can run here; else non-zero and "
     << m.prefix << "_last_error()\n"
     << " * says why (\"no CUDA driver (...)\", \"no CUDA device (...)\"). "
        "*/\n"
     << "int " << m.prefix << "_device_check(void);\n"
     << "/* The library's manifest (entries and types, as text). */\n"
     << "const char *" << m.prefix << "_manifest(void);\n";
  if (m.target == "cuda")
    os << "/* Kernel timing (CUDA events): the ms of the kernels launched "
          "between the two. */\n"
       << "void " << m.prefix << "_timing_begin(void);\n"
       << "double " << m.prefix << "_timing_end(void);\n";
  os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return s;
}

std::string generateWrapper(const Manifest &m,
                            const std::vector<std::string> &cifaceNames) {
  std::string s;
  llvm::raw_string_ostream os(s);
  bool cuda = m.target == "cuda";
  os << "/* Generated by flow-compile: the C interface of the library. */\n"
     << kRuntimeHeader << "\n"
     << "#define FLOW_EXPORT __attribute__((visibility(\"default\")))\n\n";
  for (size_t i = 0; i < m.entries.size(); ++i) {
    const Entry &e = m.entries[i];
    size_t params = e.args.size() + (e.results.empty() ? 0 : 1);
    os << "extern void " << cifaceNames[i] << "(";
    for (size_t p = 0; p < params; ++p)
      os << (p ? ", " : "") << "void *";
    os << (params ? "" : "void") << ");\n";
    os << "static void flow_invoke_" << i
       << "(void *results, void **args) {\n  (void)results;\n  (void)args;\n"
       << "  " << cifaceNames[i] << "(";
    bool first = true;
    if (!e.results.empty()) {
      os << "results";
      first = false;
    }
    for (size_t a = 0; a < e.args.size(); ++a) {
      os << (first ? "" : ", ") << "args[" << a << "]";
      first = false;
    }
    os << ");\n}\n";
    auto tables = [&](const char *kind, const std::vector<aot::TensorType> &ts) {
      std::vector<int32_t> ranks, types;
      std::vector<int64_t> dims;
      for (const aot::TensorType &t : ts) {
        ranks.push_back(t.dims.size());
        types.push_back(static_cast<int32_t>(t.type));
        dims.insert(dims.end(), t.dims.begin(), t.dims.end());
      }
      os << "static const int32_t flow_" << kind << "_ranks_" << i
         << "[] = " << cArray(ranks) << ";\n"
         << "static const int32_t flow_" << kind << "_types_" << i
         << "[] = " << cArray(types) << ";\n"
         << "static const int64_t flow_" << kind << "_dims_" << i
         << "[] = " << cArray(dims) << ";\n";
    };
    tables("arg", e.args);
    tables("result", e.results);
  }
  os << "\nstatic const FlowAotEntry flow_entries[] = {\n";
  for (size_t i = 0; i < m.entries.size(); ++i) {
    const Entry &e = m.entries[i];
    os << "  {" << cString(e.name) << ", " << e.args.size() << ", flow_arg_ranks_"
       << i << ", flow_arg_types_" << i << ", flow_arg_dims_" << i << ", "
       << e.results.size() << ", flow_result_ranks_" << i
       << ", flow_result_types_" << i << ", flow_result_dims_" << i
       << ", flow_invoke_" << i << "},\n";
  }
  os << "};\n\nstatic const char flow_manifest[] =\n    "
     << cString(m.print()) << ";\n\n";
  if (cuda) {
    os << "extern int flowCudaProbe(char *, size_t);\n"
       << "extern int flowCudaTakeError(char *, size_t);\n"
       << "extern void flowCudaSetErrorMode(int);\n"
       << "extern void flowCudaTimingBegin(void);\n"
       << "extern double flowCudaTimingEnd(void);\n"
       << "/* Driver errors are recorded and become return codes instead "
          "of ending\n * the process. */\n"
       << "__attribute__((constructor)) static void "
          "flow_record_cuda_errors(void) {\n"
       << "  flowCudaSetErrorMode(1 /* FLOW_CUDA_ERRORS_RECORD */);\n}\n"
       << "#define FLOW_CUDA_HOOKS {flowCudaProbe, flowCudaTakeError, "
          "flowCudaTimingBegin, flowCudaTimingEnd}\n";
  } else {
    os << "#define FLOW_CUDA_HOOKS {0, 0, 0, 0}\n";
  }
  os << "/* The module's constructors and destructors (flow-compile moved "
        "them out of\n * .init_array / .fini_array). */\n"
     << "extern void flow_aot_module_init(void);\n"
     << "extern void flow_aot_module_fini(void);\n"
     << "static const FlowAotLibrary flow_library = {FLOW_AOT_ABI_VERSION, "
        "flow_manifest, "
     << m.entries.size()
     << ", flow_entries, FLOW_CUDA_HOOKS,\n    flow_aot_module_init, "
        "flow_aot_module_fini};\n"
     << "__attribute__((destructor)) static void flow_unload(void) {\n"
     << "  flowAotRuntimeUnload(&flow_library);\n}\n\n";
  // The uniform functions, then the prefixed ones.
  os << "FLOW_EXPORT const char *flow_aot_manifest(void) { return "
        "flow_manifest; }\n"
     << "FLOW_EXPORT int flow_aot_call(int entry, const void *const *args,\n"
     << "    const int64_t *const *arg_shapes, void **results,\n"
     << "    int64_t *const *result_shapes) {\n"
     << "  return flowAotRuntimeCall(&flow_library, entry, args, arg_shapes, "
        "results,\n"
     << "                            result_shapes);\n}\n"
     << "FLOW_EXPORT void flow_aot_free(void *result) { "
        "flowAotRuntimeFree(result); }\n"
     << "FLOW_EXPORT const char *flow_aot_last_error(void) { return "
        "flowAotRuntimeLastError(); }\n"
     << "FLOW_EXPORT int flow_aot_device_check(void) { return "
        "flowAotRuntimeDeviceCheck(&flow_library); }\n"
     << "FLOW_EXPORT void flow_aot_timing_begin(void) { "
        "flowAotRuntimeTimingBegin(&flow_library); }\n"
     << "FLOW_EXPORT double flow_aot_timing_end(void) { return "
        "flowAotRuntimeTimingEnd(&flow_library); }\n\n";
  const std::string &p = m.prefix;
  os << "FLOW_EXPORT void " << p
     << "_free(void *result) { flowAotRuntimeFree(result); }\n"
     << "FLOW_EXPORT const char *" << p
     << "_last_error(void) { return flowAotRuntimeLastError(); }\n"
     << "FLOW_EXPORT int " << p
     << "_device_check(void) { return "
        "flowAotRuntimeDeviceCheck(&flow_library); }\n"
     << "FLOW_EXPORT const char *" << p
     << "_manifest(void) { return flow_manifest; }\n";
  if (cuda)
    os << "FLOW_EXPORT void " << p
       << "_timing_begin(void) { flowAotRuntimeTimingBegin(&flow_library); }\n"
       << "FLOW_EXPORT double " << p
       << "_timing_end(void) { return "
          "flowAotRuntimeTimingEnd(&flow_library); }\n";
  for (size_t i = 0; i < m.entries.size(); ++i) {
    const Entry &e = m.entries[i];
    size_t na = e.args.size(), nr = e.results.size();
    os << "\nFLOW_EXPORT " << typedDeclaration(p, e) << " {\n";
    os << "  const void *args[" << std::max<size_t>(na, 1) << "] = {";
    for (size_t a = 0; a < na; ++a)
      os << (a ? ", " : "") << "arg" << a;
    os << (na ? "" : "0") << "};\n";
    os << "  const int64_t *shapes[" << std::max<size_t>(na, 1) << "] = {";
    for (size_t a = 0; a < na; ++a)
      os << (a ? ", " : "") << "arg" << a << "_shape";
    os << (na ? "" : "0") << "};\n";
    os << "  void *results[" << std::max<size_t>(nr, 1) << "] = {0};\n";
    for (size_t r = 0; r < nr; ++r)
      os << "  int64_t scratch" << r << "["
         << std::max<size_t>(e.results[r].dims.size(), 1) << "];\n";
    os << "  int64_t *result_shapes[" << std::max<size_t>(nr, 1) << "] = {";
    for (size_t r = 0; r < nr; ++r)
      os << (r ? ", " : "") << "result" << r << "_shape ? result" << r
         << "_shape : scratch" << r;
    os << (nr ? "" : "0") << "};\n";
    os << "  int rc = flowAotRuntimeCall(&flow_library, " << i
       << ", args, shapes, results, result_shapes);\n";
    for (size_t r = 0; r < nr; ++r)
      os << "  if (result" << r << ")\n    *result" << r << " = ("
         << cElementType(e.results[r].type) << " *)results[" << r
         << "];\n  else\n    flowAotRuntimeFree(results[" << r << "]);\n";
    os << "  return rc;\n}\n";
  }
  return s;
}

/// Runs `program` with `args`; on failure returns an error with its output.
llvm::Error runTool(llvm::StringRef program, llvm::ArrayRef<std::string> args,
                    llvm::StringRef logPath, llvm::raw_ostream *verbose) {
  std::vector<llvm::StringRef> argv = {program};
  for (const std::string &a : args)
    argv.push_back(a);
  if (verbose) {
    for (llvm::StringRef a : argv)
      *verbose << a << " ";
    *verbose << "\n";
  }
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, logPath,
                                                logPath};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(program, argv, std::nullopt, redirects,
                                     0, 0, &message);
  if (rc == 0)
    return llvm::Error::success();
  std::string log;
  if (auto buffer = llvm::MemoryBuffer::getFile(logPath))
    log = (*buffer)->getBuffer().trim().str();
  std::string command;
  for (llvm::StringRef a : argv)
    command += (command.empty() ? "" : " ") + a.str();
  return makeError("linking the library failed (" +
                   (message.empty() ? "exit code " + std::to_string(rc)
                                    : message) +
                   "): " + command + (log.empty() ? "" : "\n" + log));
}

llvm::Error writeFile(llvm::StringRef path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return makeError(path + ": cannot write: " + ec.message());
  os << text;
  os.close();
  if (os.has_error()) {
    std::string msg = os.error().message();
    os.clear_error();
    return makeError(path + ": cannot write: " + msg);
  }
  return llvm::Error::success();
}

/// Vector width for the CPU kernels of `cpu`: 512 with AVX-512, 256 with AVX,
/// else 128.
int64_t vectorBitsOf(const llvm::MCSubtargetInfo &sti) {
  if (sti.checkFeatures("+avx512f"))
    return 512;
  if (sti.checkFeatures("+avx"))
    return 256;
  return 128;
}

/// Replaces the module's global constructors or destructors (`globalName`:
/// llvm.global_ctors or llvm.global_dtors) by one hidden function `fnName`
/// that calls them in the order they would have run. For CUDA they load and
/// unload the GPU modules: run from .init_array they would talk to the
/// driver while the library is being loaded, before the static initialisers
/// of the runtime they call (whose default priority comes later).
void takeStructors(llvm::Module &module, llvm::StringRef globalName,
                   llvm::StringRef fnName, bool reverse) {
  llvm::LLVMContext &ctx = module.getContext();
  std::vector<std::pair<uint64_t, llvm::Function *>> calls;
  if (llvm::GlobalVariable *gv = module.getNamedGlobal(globalName)) {
    if (auto *array =
            llvm::dyn_cast_or_null<llvm::ConstantArray>(gv->getInitializer()))
      for (llvm::Use &op : array->operands()) {
        auto *entry = llvm::dyn_cast<llvm::ConstantStruct>(op.get());
        if (!entry)
          continue;
        auto *priority =
            llvm::dyn_cast<llvm::ConstantInt>(entry->getOperand(0));
        auto *fn = llvm::dyn_cast<llvm::Function>(
            entry->getOperand(1)->stripPointerCasts());
        if (priority && fn)
          calls.emplace_back(priority->getZExtValue(), fn);
      }
    gv->eraseFromParent();
  }
  // Lower priorities first; within one, array order for constructors and
  // the reverse for destructors (as .init_array / .fini_array run them).
  std::stable_sort(calls.begin(), calls.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  if (reverse)
    std::reverse(calls.begin(), calls.end());
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), false);
  auto *fn = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                                    fnName, module);
  fn->setVisibility(llvm::GlobalValue::HiddenVisibility);
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(ctx, "entry", fn));
  for (auto &[priority, callee] : calls)
    builder.CreateCall(callee);
  builder.CreateRetVoid();
}

/// Removes a directory tree when it goes out of scope (unless kept).
struct TempDir {
  std::string path;
  bool keep = false;
  ~TempDir() {
    if (!path.empty() && !keep)
      llvm::sys::fs::remove_directories(path);
  }
};

} // namespace

llvm::Error mlir::flow::aot::compileLibrary(llvm::StringRef source,
                                            llvm::StringRef bufferName,
                                            const AotOptions &options) {
  initializeCompiler();
  bool cuda = options.target == "cuda";
  if (!cuda && options.target != "cpu")
    return makeError("unknown target '" + options.target +
                     "' (expected cpu or cuda)");
  if (options.output.empty())
    return makeError("no output library given (-o libNAME.so)");
  if (cuda && options.cudaRuntimeLibrary.empty())
    return makeError("this build has no CUDA back end (libflow_cuda_runtime "
                     "was not built: no CUDA toolkit at configure time)");
  if (options.runtimeLibrary.empty() ||
      !llvm::sys::fs::exists(options.runtimeLibrary))
    return makeError("cannot find libFlowAOTRuntime.a ('" +
                     options.runtimeLibrary + "')");
  if (cuda && !llvm::sys::fs::exists(options.cudaRuntimeLibrary))
    return makeError("cannot find libflow_cuda_runtime_static.a ('" +
                     options.cudaRuntimeLibrary + "')");

  // Names: libNAME.so -> prefix NAME, header libNAME.h.
  llvm::StringRef fileName = llvm::sys::path::filename(options.output);
  std::string prefix = options.prefix;
  if (prefix.empty()) {
    llvm::StringRef stem = fileName;
    stem.consume_front("lib");
    stem = stem.take_until([](char c) { return c == '.'; });
    prefix = stem.str();
  }
  if (prefix.empty() || prefix != cIdentifier(prefix))
    return makeError("prefix '" + prefix +
                     "' is not a C identifier; choose one with --prefix");
  std::string headerPath = options.header;
  if (headerPath.empty()) {
    llvm::SmallString<256> h(options.output);
    if (llvm::sys::path::extension(h) == ".so")
      llvm::sys::path::replace_extension(h, ".h");
    else
      h.append(".h");
    headerPath = std::string(h);
  }

  // Target machine for the host code.
  std::string cpu = options.cpu;
  if (cpu.empty())
    cpu = cuda ? "x86-64-v2" : "host";
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string targetError;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, targetError);
  if (!llvmTarget)
    return makeError("no LLVM target for " + triple.str() + ": " +
                     targetError);
  std::string cpuName = cpu, cpuFeatures;
  if (cpu == "host") {
    cpuName = llvm::sys::getHostCPUName().str();
    std::vector<std::string> features;
    for (const auto &f : llvm::sys::getHostCPUFeatures())
      features.push_back((f.second ? "+" : "-") + f.first().str());
    cpuFeatures = llvm::join(features, ",");
  }
  // Ask a generic subtarget first: one made for an unknown CPU warns on
  // stderr.
  std::unique_ptr<llvm::MCSubtargetInfo> generic(
      llvmTarget->createMCSubtargetInfo(triple, "", ""));
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget;
  if (generic && generic->isCPUStringValid(cpuName))
    subtarget.reset(
        llvmTarget->createMCSubtargetInfo(triple, cpuName, cpuFeatures));
  if (!subtarget)
    return makeError("unknown CPU '" + cpu +
                     "' (use an LLVM CPU name such as x86-64-v3, "
                     "skylake-avx512, znver4, or host)");
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(
      llvmTarget->createTargetMachine(triple, cpuName, cpuFeatures,
                                      targetOptions, llvm::Reloc::PIC_,
                                      std::nullopt,
                                      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return makeError("cannot create an LLVM target machine for " + cpuName);

  // Parse and record the entries.
  MLIRContext context(getCompilerRegistry(), MLIRContext::Threading::DISABLED);
  DiagnosticCollector diags(context);
  llvm::Expected<OwningOpRef<ModuleOp>> parsed =
      parseSourceModule(source, bufferName, context, diags);
  if (!parsed)
    return parsed.takeError();
  ModuleOp module = **parsed;

  std::vector<func::FuncOp> funcs;
  if (options.entries.empty()) {
    for (auto f : module.getOps<func::FuncOp>())
      if (f.isPublic() && !f.isExternal())
        funcs.push_back(f);
    if (funcs.empty())
      return makeError(bufferName +
                       ": no public function with a body to export");
  } else {
    for (const std::string &name : options.entries) {
      llvm::Expected<func::FuncOp> f =
          lookupEntryFunction(module, name, bufferName);
      if (!f)
        return f.takeError();
      funcs.push_back(*f);
    }
  }

  Manifest manifest;
  manifest.prefix = prefix;
  manifest.target = options.target;
  manifest.cpu = cpuName;
  if (cuda)
    manifest.chip = options.chip;
  std::set<std::string> cNames;
  for (func::FuncOp f : funcs) {
    Entry e;
    e.name = f.getSymName().str();
    // The manifest is space-separated and the header quotes names in
    // comments: bare MLIR identifiers only.
    if (!llvm::all_of(e.name, [](char c) {
          return isIdentifierChar(c) || c == '$' || c == '.' || c == '-';
        }))
      return makeError("entry @\"" + e.name +
                       "\": only names made of letters, digits and _$.- can "
                       "be exported");
    e.cName = cIdentifier(e.name);
    for (const char *reserved : kReservedSuffixes)
      if (e.cName == reserved)
        return makeError("entry @" + e.name + " would clash with " + prefix +
                         "_" + reserved + "; rename it");
    if (!cNames.insert(e.cName).second)
      return makeError("entries @" + e.name +
                       " and another one have the same C name " + prefix +
                       "_" + e.cName + "; rename one");
    for (auto [i, type] : llvm::enumerate(f.getArgumentTypes())) {
      auto t = toTensorType(type, "argument " + llvm::Twine(i) + " of @" +
                                      e.name);
      if (!t)
        return t.takeError();
      e.args.push_back(*t);
    }
    for (auto [i, type] : llvm::enumerate(f.getResultTypes())) {
      auto t =
          toTensorType(type, "result " + llvm::Twine(i) + " of @" + e.name);
      if (!t)
        return t.takeError();
      e.results.push_back(*t);
    }
    f.walk([&](ConvTranspose2DOp op) {
      ConvInfo conv;
      conv.input = manifestDims(op.getInput().getType().getShape());
      auto weight = op.getWeight().getType().getShape();
      conv.weightFactor = 1;
      for (size_t d = 1; d < weight.size(); ++d)
        conv.weightFactor = ShapedType::isDynamic(weight[d])
                                ? 0
                                : conv.weightFactor * weight[d];
      conv.inputArg = getEntryArgumentNumber(f, op.getInput());
      e.convs.push_back(conv);
    });
    // The caller's arrays are only read; the C interface is what the
    // wrapper calls.
    markArgumentsReadOnly(f);
    f->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
               UnitAttr::get(&context));
    manifest.entries.push_back(std::move(e));
  }

  // Lower.
  auto buildDefault = [&](OpPassManager &pm) {
    if (cuda) {
      CudaPipelineOptions gpu;
      gpu.strategy = options.strategy;
      gpu.chip = options.chip;
      gpu.features = options.features;
      buildLowerToCudaPipeline(pm, gpu);
      return;
    }
    CpuPipelineOptions cpuOptions;
    cpuOptions.strategy = options.strategy;
    // Not for the host: the kernels' vector width follows the chosen CPU
    // (otherwise LLVM splits the host's wider vectors for it).
    if (cpu != "host")
      cpuOptions.vectorBits = vectorBitsOf(*subtarget);
    // Serial kernels emit no OpenMP, so the library needs no libomp.
    cpuOptions.parallel = options.parallel;
    buildLowerToCpuPipeline(pm, cpuOptions);
  };
  if (llvm::Error err = lowerModule(module, options.pipeline, buildDefault,
                                    diags, bufferName, options.dumpIR))
    return err;

  std::vector<std::string> cifaceNames;
  for (const Entry &e : manifest.entries) {
    std::string name = "_mlir_ciface_" + e.name;
    auto wrapper = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
    size_t expected = e.args.size() + (e.results.empty() ? 0 : 1);
    if (!wrapper)
      return makeError("@" + e.name + ": the lowered module has no C "
                       "interface " + name +
                       " (the pipeline must end in the LLVM dialect and "
                       "keep the entry's llvm.emit_c_interface)");
    if (wrapper.getNumArguments() != expected)
      return makeError("@" + e.name + ": its C interface takes " +
                       llvm::Twine(wrapper.getNumArguments()) +
                       " pointers, expected " + llvm::Twine(expected));
    cifaceNames.push_back(name);
  }

  // LLVM IR -> object.
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, bufferName);
  if (!llvmModule)
    return makeError(
        diags.take(bufferName.str() + ": translation to LLVM IR failed"));
  takeStructors(*llvmModule, "llvm.global_ctors", "flow_aot_module_init",
                /*reverse=*/false);
  takeStructors(*llvmModule, "llvm.global_dtors", "flow_aot_module_fini",
                /*reverse=*/true);
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());
  auto optimize = makeOptimizingTransformer(3, 0, machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return makeError("LLVM optimisation failed: " +
                     llvm::toString(std::move(err)));
  bool usesOpenMP = false;
  for (const llvm::Function &fn : *llvmModule)
    usesOpenMP |= fn.isDeclaration() && (fn.getName().starts_with("__kmpc_") ||
                                         fn.getName().starts_with("omp_"));

  TempDir temp;
  if (!options.saveTemps.empty()) {
    if (std::error_code ec =
            llvm::sys::fs::create_directories(options.saveTemps))
      return makeError(options.saveTemps + ": " + ec.message());
    temp.path = options.saveTemps;
    temp.keep = true;
  } else {
    llvm::SmallString<256> dir;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("flow-compile", dir))
      return makeError("cannot create a temporary directory: " +
                       ec.message());
    temp.path = std::string(dir);
  }
  auto tempFile = [&](llvm::StringRef name) {
    llvm::SmallString<256> p(temp.path);
    llvm::sys::path::append(p, name);
    return std::string(p);
  };
  std::string objectPath = tempFile("kernels.o");
  if (!options.saveTemps.empty()) {
    std::string ir;
    llvm::raw_string_ostream os(ir);
    llvmModule->print(os, nullptr);
    if (llvm::Error err = writeFile(tempFile("kernels.ll"), ir))
      return err;
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(objectPath, ec, llvm::sys::fs::OF_None);
    if (ec)
      return makeError(objectPath + ": " + ec.message());
    llvm::legacy::PassManager codegen;
    if (machine->addPassesToEmitFile(codegen, os, nullptr,
                                     llvm::CodeGenFileType::ObjectFile))
      return makeError("LLVM cannot emit an object file for " + cpuName);
    codegen.run(*llvmModule);
    os.close();
    if (os.has_error()) {
      std::string msg = os.error().message();
      os.clear_error();
      return makeError(objectPath + ": " + msg);
    }
  }

  // Wrapper, export list, header.
  std::string wrapperPath = tempFile("wrapper.c");
  std::string mapPath = tempFile("exports.map");
  if (llvm::Error err =
          writeFile(wrapperPath, generateWrapper(manifest, cifaceNames)))
    return err;
  std::string map = "{\n  global:\n";
  for (const char *fn :
       {"manifest", "call", "free", "last_error", "device_check",
        "timing_begin", "timing_end"})
    map += std::string("    flow_aot_") + fn + ";\n";
  for (const char *suffix : kReservedSuffixes)
    if (cuda || !llvm::StringRef(suffix).starts_with("timing"))
      map += "    " + prefix + "_" + suffix + ";\n";
  for (const Entry &e : manifest.entries)
    map += "    " + prefix + "_" + e.cName + ";\n";
  map += "  local:\n    *;\n};\n";
  if (llvm::Error err = writeFile(mapPath, map))
    return err;

  // Link into temporary files next to the outputs, then rename them.
  auto temporaryNear = [](llvm::StringRef path) {
    return (path + ".tmp-" + llvm::Twine(llvm::sys::Process::getProcessId()))
        .str();
  };
  std::string libraryTemp = temporaryNear(options.output);
  std::string headerTemp = temporaryNear(headerPath);
  std::vector<std::string> args = {
      "-shared", "-o", libraryTemp, "-O2", "-fPIC", "-fvisibility=hidden",
      "-Wl,-soname," + fileName.str(), "-x", "c", wrapperPath, "-x", "none",
      objectPath, options.runtimeLibrary};
  if (cuda)
    args.push_back(options.cudaRuntimeLibrary);
  if (usesOpenMP) {
    if (options.libompDir.empty())
      return makeError("the lowered code is parallel (OpenMP) but no libomp "
                       "was found; compile with --parallel=false");
    args.push_back("-L" + options.libompDir);
    args.push_back("-Wl,-rpath," + options.libompDir);
    args.push_back("-lomp");
  }
  args.insert(args.end(), {"-Wl,--version-script=" + mapPath, "-Wl,-Bsymbolic",
                           "-Wl,-z,defs", "-Wl,-z,noexecstack",
                           "-Wl,--gc-sections", "-Wl,--as-needed", "-lm",
                           "-ldl", "-lpthread"});
  // libstdc++ in the library, so that it runs next to an older one. libgcc
  // stays shared: its static unwinder would need a newer glibc
  // (_dl_find_object, 2.35) than the rest (2.32 for the CPU; 2.34 with the
  // CUDA runtime's dlopen).
  if (options.staticLibstdcxx)
    args.push_back("-static-libstdc++");
  std::string compiler = options.compiler;
  if (compiler.empty())
    return makeError("no C++ compiler driver to link with (--cc)");
  if (!llvm::sys::path::is_absolute(compiler)) {
    auto found = llvm::sys::findProgramByName(compiler);
    if (!found)
      return makeError("cannot find the compiler driver '" + compiler + "'");
    compiler = *found;
  }
  if (llvm::Error err =
          writeFile(headerTemp, generateHeader(manifest, fileName, bufferName)))
    return err;
  if (llvm::Error err =
          runTool(compiler, args, tempFile("link.log"), options.verbose)) {
    llvm::sys::fs::remove(headerTemp);
    llvm::sys::fs::remove(libraryTemp);
    return err;
  }
  if (std::error_code ec = llvm::sys::fs::rename(libraryTemp, options.output)) {
    llvm::sys::fs::remove(headerTemp);
    llvm::sys::fs::remove(libraryTemp);
    return makeError(options.output + ": cannot write: " + ec.message());
  }
  if (std::error_code ec = llvm::sys::fs::rename(headerTemp, headerPath)) {
    llvm::sys::fs::remove(headerTemp);
    llvm::sys::fs::remove(options.output);
    return makeError(headerPath + ": cannot write: " + ec.message());
  }
  return llvm::Error::success();
}
