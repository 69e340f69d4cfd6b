//===- FlowModule.cpp - The flow_mlir._flow extension -------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// A thin pybind11 layer over mlir::flow::JitModule: compile MLIR text into a
// Kernel, call it with NumPy arrays, get NumPy arrays back. Argument
// normalisation, caching and the nn API live in Python (flow_mlir/).
//
//===----------------------------------------------------------------------===//

#include "flow/Compiler/CompileCache.h"
#include "flow/Execution/JitModule.h"

#include "llvm/Support/raw_ostream.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstring>
#include <optional>

namespace py = pybind11;
using namespace mlir::flow;

namespace {

/// Number of successful and failed JitModule::compile calls in this process.
std::atomic<uint64_t> compileCount{0};

/// flow_mlir.CompileError (a RuntimeError): parsing, verification, lowering
/// or JIT compilation failed; the message carries the diagnostics.
PyObject *compileErrorType = nullptr;

[[noreturn]] void throwCompileError(const std::string &msg) {
  PyErr_SetString(compileErrorType, msg.c_str());
  throw py::error_already_set();
}

std::optional<DType> dtypeOf(const py::dtype &dt) {
  if (dt.kind() != 'f')
    return std::nullopt;
  switch (dt.itemsize()) {
  case 2:
    return DType::F16;
  case 4:
    return DType::F32;
  case 8:
    return DType::F64;
  default:
    return std::nullopt;
  }
}

py::dtype numpyDType(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return py::dtype("float16");
  case DType::F32:
    return py::dtype("float32");
  case DType::F64:
    return py::dtype("float64");
  case DType::BF16:
    break;
  }
  throw py::value_error("bfloat16 results cannot be returned: NumPy has no "
                        "bfloat16 type");
}

py::tuple shapeTuple(const std::vector<int64_t> &shape) {
  py::tuple t(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0) // ShapedType::kDynamic
      t[i] = py::none();
    else
      t[i] = py::int_(shape[i]);
  }
  return t;
}

py::list signatureList(const std::vector<TensorSignature> &sigs) {
  py::list list;
  for (const TensorSignature &sig : sigs)
    list.append(py::make_tuple(shapeTuple(sig.shape),
                               std::string(dtypeName(sig.dtype)), sig.str()));
  return list;
}

/// A compiled entry function.
class Kernel {
public:
  Kernel(std::unique_ptr<JitModule> module, std::string loweredIR)
      : module(std::move(module)), loweredIR(std::move(loweredIR)) {}

  const JitModule &jit() const { return *module; }
  const std::string &lowered() const { return loweredIR; }

  /// Calls the entry with C-contiguous, native-endian float arrays.
  py::list call(const py::sequence &args) {
    // Copy the arguments into HostArrays while holding the GIL.
    std::vector<HostArray> hostArgs;
    hostArgs.reserve(args.size());
    for (size_t i = 0; i < args.size(); ++i) {
      py::object obj = args[i];
      if (!py::isinstance<py::array>(obj))
        throw py::value_error("argument " + std::to_string(i) +
                              ": expected a numpy.ndarray");
      auto arr = py::reinterpret_borrow<py::array>(obj);
      std::optional<DType> dtype = dtypeOf(arr.dtype());
      if (!dtype)
        throw py::value_error(
            "argument " + std::to_string(i) + ": unsupported dtype " +
            py::str(arr.dtype()).cast<std::string>() +
            "; flow_mlir takes float16, float32 or float64 arrays");
      if (!(arr.flags() & py::array::c_style) ||
          arr.dtype().byteorder() == '>')
        throw py::value_error("argument " + std::to_string(i) +
                              ": expected a C-contiguous, native-endian array");
      std::vector<int64_t> shape(arr.shape(), arr.shape() + arr.ndim());
      std::optional<HostArray> host = HostArray::allocate(*dtype, shape);
      if (!host)
        throw py::value_error("argument " + std::to_string(i) +
                              ": cannot allocate an array of this shape");
      if (host->sizeInBytes())
        std::memcpy(host->data(), arr.data(), host->sizeInBytes());
      hostArgs.push_back(std::move(*host));
    }
    std::vector<const HostArray *> pointers;
    for (const HostArray &a : hostArgs)
      pointers.push_back(&a);
    if (llvm::Error err = module->checkArguments(pointers))
      throw py::value_error(llvm::toString(std::move(err)));

    std::optional<llvm::Expected<std::vector<HostArray>>> results;
    {
      py::gil_scoped_release release;
      results.emplace(module->run(pointers));
    }
    if (!*results)
      throw std::runtime_error(llvm::toString(results->takeError()));

    // Hand each result's storage to NumPy without copying it.
    py::list out;
    for (HostArray &result : **results) {
      py::dtype dt = numpyDType(result.dtype());
      std::vector<py::ssize_t> shape(result.shape().begin(),
                                     result.shape().end());
      auto *owned = new HostArray(std::move(result));
      py::capsule base(owned, [](void *p) {
        delete static_cast<HostArray *>(p);
      });
      void *data = owned->numElements() ? owned->data() : nullptr;
      out.append(py::array(dt, shape, {}, data, base));
    }
    return out;
  }

private:
  std::unique_ptr<JitModule> module;
  std::string loweredIR;
};

std::unique_ptr<Kernel> compile(const std::string &source,
                                const std::string &name,
                                const std::string &target,
                                const std::string &entry,
                                const std::string &strategy,
                                const std::string &pipeline, bool dumpIR) {
  CompileOptions options;
  std::optional<Target> parsedTarget = parseTarget(target);
  if (!parsedTarget)
    throw py::value_error("unknown target '" + target +
                          "' (expected 'cpu' or 'cuda')");
  options.target = *parsedTarget;
  if (strategy == "phase")
    options.strategy = ConvTransposeStrategy::Phase;
  else if (strategy == "zero-insert")
    options.strategy = ConvTransposeStrategy::ZeroInsert;
  else
    throw py::value_error("unknown strategy '" + strategy +
                          "' (expected 'phase' or 'zero-insert')");
  options.entry = entry;
  options.pipeline = pipeline;
  std::string lowered;
  llvm::raw_string_ostream loweredStream(lowered);
  if (dumpIR)
    options.dumpIR = &loweredStream;

  std::optional<llvm::Expected<std::unique_ptr<JitModule>>> module;
  {
    py::gil_scoped_release release;
    module.emplace(JitModule::compile(source, name, options));
    ++compileCount;
  }
  if (!*module)
    throwCompileError(llvm::toString(module->takeError()));
  return std::make_unique<Kernel>(std::move(**module), std::move(lowered));
}

} // namespace

PYBIND11_MODULE(_flow, m) {
  m.doc() = "flow-mlir JIT (internal; use the flow_mlir package)";

  compileErrorType = PyErr_NewExceptionWithDoc(
      "flow_mlir.CompileError",
      "MLIR parsing, verification, lowering or JIT compilation failed; the "
      "message carries the located diagnostics.",
      PyExc_RuntimeError, nullptr);
  m.attr("CompileError") = py::handle(compileErrorType);

  py::class_<Kernel>(m, "Kernel")
      .def_property_readonly(
          "inputs",
          [](const Kernel &k) { return signatureList(k.jit().inputs()); },
          "[(shape with None for dynamic dims, dtype name, MLIR type)]")
      .def_property_readonly(
          "outputs",
          [](const Kernel &k) { return signatureList(k.jit().outputs()); })
      .def_property_readonly("lowered_ir", &Kernel::lowered,
                             "The lowered module (empty unless compiled "
                             "with dump_ir=True)")
      .def("__call__", &Kernel::call, py::arg("args"),
           "Runs the entry on a list of C-contiguous float arrays; returns "
           "the list of results.");

  m.def("compile", &compile, py::arg("source"), py::arg("name"),
        py::arg("target") = "cpu", py::arg("entry") = "main",
        py::arg("strategy") = "phase", py::arg("pipeline") = "",
        py::arg("dump_ir") = false,
        "Parses, lowers and JIT-compiles MLIR text; raises CompileError with "
        "the diagnostics on failure.");
  m.def(
      "compile_count", [] { return compileCount.load(); },
      "How many times this process ran the MLIR compiler (JitModule::compile).");
  m.def(
      "set_disk_cache",
      [](bool enabled) { compile_cache::setEnabled(enabled); },
      py::arg("enabled"),
      "Turns the persistent compile cache on or off for this process.");
  m.def(
      "disk_cache_info",
      [] {
        CompileCacheStats s = compile_cache::stats();
        return py::make_tuple(compile_cache::directory(), s.hits, s.misses,
                              s.stores, s.rejected, s.evictions);
      },
      "(directory or None, hits, misses, stores, rejected, evictions)");
}
