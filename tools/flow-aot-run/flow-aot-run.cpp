//===- flow-aot-run.cpp - Run a library made by flow-compile --------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow-aot-run LIB [-e ENTRY] [--input=a.npy ...] [--random-inputs[=SEED]]
//   [--output=out.npy ...] [--print] [--benchmark=N] [--list]
//
// flow-runner's contract for ahead-of-time libraries: the same options,
// output (--print, the "benchmark: ..." line) and random inputs (the same
// U(-1, 1) stream for a seed), and the same behaviour on bad input: one
// "flow-aot-run: error: ..." line and exit code 1, never a crash, no output
// file unless everything succeeded. For CUDA libraries the benchmark line
// has the kernels' time (CUDA events, as flow-runner's), and a line
// "benchmark-call: ..." the whole calls' (with the host<->GPU copies).
//
// No LLVM: this links only libFlowAOTSupport (manifest, .npy) and libdl.
//
//===----------------------------------------------------------------------===//

#include "RunnerContract.h"

#include "flow/Runtime/Manifest.h"
#include "flow/Runtime/NpyFile.h"

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <sys/stat.h>
#include <vector>

using namespace mlir::flow::aot;
using namespace mlir::flow::tools;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FLOW_AOT_RUN_LSAN 1
#endif
#endif
#if !defined(FLOW_AOT_RUN_LSAN) && defined(__SANITIZE_ADDRESS__)
#define FLOW_AOT_RUN_LSAN 1
#endif
#if FLOW_AOT_RUN_LSAN
#include <sanitizer/lsan_interface.h>
#endif

namespace {

[[noreturn]] void fail(const std::string &msg) {
  std::fflush(stdout);
  std::fprintf(stderr, "flow-aot-run: error: %s\n", msg.c_str());
  std::fflush(stderr);
  std::exit(1);
}

const char *kUsage =
    "USAGE: flow-aot-run LIB [options]\n\n"
    "Runs an entry of a library made by flow-compile.\n\n"
    "OPTIONS:\n"
    "  -e ENTRY, --entry=ENTRY   Entry function (default: main, or the only "
    "one)\n"
    "  --input=FILE.npy          Argument .npy file (in order)\n"
    "  --random-inputs[=SEED]    Fill the arguments with U(-1, 1) numbers\n"
    "  --output=FILE.npy         Result .npy file (in order)\n"
    "  --print                   Print the results (above 1000 elements a\n"
    "                            summary, as NumPy prints)\n"
    "  --print-all               Print the results, every element\n"
    "  --benchmark=N             Time N runs after a warm-up\n"
    "  --list                    List the entries and their types\n";

struct Options {
  std::string library;
  std::string entry;
  bool entryGiven = false;
  std::vector<std::string> inputs, outputs;
  bool random = false;
  std::string seed;
  bool print = false;
  bool printAll = false;
  bool list = false;
  unsigned benchmark = 0;
};

Options parseArgs(int argc, char **argv) {
  Options o;
  auto valueOf = [&](int &i, const std::string &arg, const std::string &name,
                     std::string &value) {
    // --name=value, -name=value, --name value, -name value
    for (const char *dashes : {"--", "-"}) {
      std::string key = std::string(dashes) + name;
      if (arg == key) {
        if (i + 1 >= argc)
          fail("option '" + arg + "' needs a value");
        value = argv[++i];
        return true;
      }
      if (arg.compare(0, key.size() + 1, key + "=") == 0) {
        value = arg.substr(key.size() + 1);
        return true;
      }
    }
    return false;
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    if (arg == "--help" || arg == "-help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (arg.empty() || arg[0] != '-' || arg == "-") {
      if (!o.library.empty())
        fail("more than one library given ('" + o.library + "', '" + arg +
             "')");
      o.library = arg;
    } else if (valueOf(i, arg, "e", value) ||
               valueOf(i, arg, "entry", value)) {
      o.entry = value;
      o.entryGiven = true;
    } else if (valueOf(i, arg, "input", value)) {
      o.inputs.push_back(value);
    } else if (valueOf(i, arg, "output", value)) {
      o.outputs.push_back(value);
    } else if (valueOf(i, arg, "benchmark", value)) {
      char *end = nullptr;
      long n = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end || n < 0 || n > 100000000)
        fail("--benchmark: '" + value + "' is not a run count");
      o.benchmark = static_cast<unsigned>(n);
    } else if (arg == "--random-inputs" || arg == "-random-inputs") {
      o.random = true;
    } else if (arg.rfind("--random-inputs=", 0) == 0 ||
               arg.rfind("-random-inputs=", 0) == 0) {
      o.random = true;
      o.seed = arg.substr(arg.find('=') + 1);
    } else if (arg == "--print" || arg == "-print") {
      o.print = true;
    } else if (arg == "--print-all" || arg == "-print-all") {
      o.print = o.printAll = true;
    } else if (arg == "--list" || arg == "-list") {
      o.list = true;
    } else {
      fail("unknown option '" + arg + "' (see --help)");
    }
  }
  if (o.library.empty())
    fail("no library given (usage: flow-aot-run LIB [options])");
  if (!o.inputs.empty() && o.random)
    fail("--input and --random-inputs cannot be combined");
  return o;
}

/// The functions every flow-compile library exports.
struct Library {
  void *handle = nullptr;
  const char *(*manifest)(void) = nullptr;
  int (*call)(int, const void *const *, const int64_t *const *, void **,
              int64_t *const *) = nullptr;
  void (*free)(void *) = nullptr;
  const char *(*lastError)(void) = nullptr;
  int (*deviceCheck)(void) = nullptr;
  void (*timingBegin)(void) = nullptr;
  double (*timingEnd)(void) = nullptr;
};

Library openLibrary(const std::string &path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0)
    fail(path + ": cannot open: " + std::strerror(errno));
  if (S_ISDIR(info.st_mode))
    fail(path + ": is a directory, not a library");
  // A name without '/' would make dlopen search the library path.
  std::string name = path.find('/') == std::string::npos ? "./" + path : path;
  Library lib;
  lib.handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib.handle) {
    const char *why = dlerror();
    fail(path + ": cannot load: " + (why ? why : "unknown error"));
  }
  auto symbol = [&](const char *sym, auto &slot) {
    slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(
        dlsym(lib.handle, sym));
    if (!slot)
      fail(path + ": not a flow-compile library (no " + sym + ")");
  };
  symbol("flow_aot_manifest", lib.manifest);
  symbol("flow_aot_call", lib.call);
  symbol("flow_aot_free", lib.free);
  symbol("flow_aot_last_error", lib.lastError);
  symbol("flow_aot_device_check", lib.deviceCheck);
  symbol("flow_aot_timing_begin", lib.timingBegin);
  symbol("flow_aot_timing_end", lib.timingEnd);
  return lib;
}

std::vector<Array> makeRandomInputs(const Entry &entry,
                                    const std::string &seedText) {
  uint64_t seed = 0;
  if (!seedText.empty()) {
    char *end = nullptr;
    errno = 0;
    seed = std::strtoull(seedText.c_str(), &end, 10);
    if (*end || errno || seedText[0] == '-' || seedText[0] == '+')
      fail("--random-inputs: seed '" + seedText + "' is not an integer");
  }
  UniformRandom rng(seed);
  std::vector<Array> arrays;
  for (size_t i = 0; i < entry.args.size(); ++i) {
    const TensorType &t = entry.args[i];
    if (std::any_of(t.dims.begin(), t.dims.end(),
                    [](int64_t d) { return d < 0; }))
      fail("--random-inputs: argument " + std::to_string(i) + " has type " +
           t.str() + " with dynamic dims; pass --input files instead");
    std::optional<Array> array = Array::allocate(t.type, t.dims);
    if (!array)
      fail("cannot allocate argument " + std::to_string(i) + " (" + t.str() +
           ")");
    rng.fill(*array);
    arrays.push_back(std::move(*array));
  }
  return arrays;
}

void checkArguments(const Entry &entry, const std::vector<Array> &args) {
  if (args.size() != entry.args.size())
    fail("@" + entry.name + " takes " + std::to_string(entry.args.size()) +
         " argument(s), got " + std::to_string(args.size()) +
         " (pass one --input=FILE.npy per argument, or --random-inputs)");
  for (size_t i = 0; i < args.size(); ++i) {
    const TensorType &sig = entry.args[i];
    if (args[i].type() != sig.type)
      fail("argument " + std::to_string(i) + ": expected dtype " +
           elementTypeNumpyName(sig.type) + " (" + sig.str() + "), got " +
           elementTypeNumpyName(args[i].type()));
    const std::vector<int64_t> &shape = args[i].shape();
    bool matches = shape.size() == sig.dims.size();
    for (size_t d = 0; matches && d < shape.size(); ++d)
      matches = sig.dims[d] < 0 || sig.dims[d] == shape[d];
    if (!matches)
      fail("argument " + std::to_string(i) + ": expected shape " +
           shapeString(sig.dims) + " (" + sig.str() + "), got " +
           shapeString(shape));
  }
}

std::vector<Array> run(const Library &lib, int index, const Entry &entry,
                       const std::vector<Array> &args) {
  std::vector<const void *> data;
  std::vector<const int64_t *> shapes;
  for (const Array &a : args) {
    data.push_back(a.data());
    shapes.push_back(a.shape().data());
  }
  std::vector<void *> results(entry.results.size() + 1, nullptr);
  std::vector<std::vector<int64_t>> resultDims;
  std::vector<int64_t *> resultShapes;
  for (const TensorType &t : entry.results)
    resultDims.emplace_back(std::max<size_t>(t.dims.size(), 1), 0);
  for (auto &d : resultDims)
    resultShapes.push_back(d.data());
  if (lib.call(index, data.data(), shapes.data(), results.data(),
               resultShapes.data()) != 0)
    fail(lib.lastError());
  std::vector<Array> out;
  for (size_t r = 0; r < entry.results.size(); ++r) {
    std::vector<int64_t> dims(resultDims[r].begin(),
                              resultDims[r].begin() +
                                  entry.results[r].dims.size());
    if (results[r]) {
      out.push_back(
          Array::adopt(entry.results[r].type, dims, results[r], lib.free));
    } else {
      std::optional<Array> empty =
          Array::allocate(entry.results[r].type, dims);
      if (!empty)
        fail("cannot allocate result " + std::to_string(r));
      out.push_back(std::move(*empty));
    }
  }
  return out;
}

/// Everything after loading the library; returns the exit code.
int runLibrary(const Options &o, const Library &lib) {
  Manifest manifest;
  std::string error;
  if (!Manifest::parse(lib.manifest(), manifest, error))
    fail(o.library + ": " + error);

  if (o.list) {
    std::printf("%s: target %s", o.library.c_str(), manifest.target.c_str());
    if (!manifest.chip.empty())
      std::printf(" (%s)", manifest.chip.c_str());
    std::printf(", host code for %s\n", manifest.cpu.c_str());
    for (const Entry &e : manifest.entries)
      std::printf("%s\n", e.signature().c_str());
    return 0;
  }

  // The entry: -e, else main, else the only one.
  int index = -1;
  std::string entryName = o.entryGiven ? o.entry : "main";
  for (size_t i = 0; i < manifest.entries.size(); ++i)
    if (manifest.entries[i].name == entryName)
      index = static_cast<int>(i);
  if (index < 0 && !o.entryGiven && manifest.entries.size() == 1)
    index = 0;
  if (index < 0) {
    std::string names;
    for (const Entry &e : manifest.entries)
      names += (names.empty() ? "" : ", ") + e.name;
    fail(o.library + ": no entry '" + entryName + "' (entries: " + names +
         ")");
  }
  const Entry &entry = manifest.entries[index];

  // Read the arguments before running: a bad file fails fast.
  std::vector<Array> args;
  for (const std::string &path : o.inputs) {
    std::optional<Array> array = readNpy(path, error);
    if (!array)
      fail(error);
    args.push_back(std::move(*array));
  }
  if (lib.deviceCheck() != 0)
    fail(lib.lastError());
  if (o.random)
    args = makeRandomInputs(entry, o.seed);
  checkArguments(entry, args);
  if (o.outputs.size() > entry.results.size())
    fail(std::to_string(o.outputs.size()) + " --output files given but @" +
         entry.name + " returns " + std::to_string(entry.results.size()) +
         " result(s)");
  for (size_t i = 0; i < o.outputs.size(); ++i)
    if (entry.results[i].type == ElementType::BF16)
      fail(o.outputs[i] + ": bfloat16 results cannot be written as .npy");

  std::vector<Array> results = run(lib, index, entry, args);

  if (o.benchmark > 0) {
    bool cuda = manifest.target == "cuda";
    std::vector<double> times, kernelTimes;
    for (unsigned i = 0; i < o.benchmark; ++i) {
      if (cuda)
        lib.timingBegin();
      auto start = std::chrono::steady_clock::now();
      std::vector<Array> again = run(lib, index, entry, args);
      auto stop = std::chrono::steady_clock::now();
      if (cuda)
        kernelTimes.push_back(lib.timingEnd());
      times.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::vector<std::vector<int64_t>> shapes;
    for (const Array &a : args)
      shapes.push_back(a.shape());
    double flops = entry.flops(shapes);
    // As flow-runner: on the GPU the benchmark line has the kernels' time
    // (CUDA events), without the copies between host and GPU; the whole
    // call's time follows on its own line.
    auto report = [&](const char *label, const std::vector<double> &t) {
      double m = median(t);
      std::printf("%s: median_ms=%.4f min_ms=%.4f gflops=%.3f runs=%u\n",
                  label, m, *std::min_element(t.begin(), t.end()),
                  m > 0 ? flops / (m * 1e-3) / 1e9 : 0.0, o.benchmark);
    };
    if (cuda) {
      if (std::any_of(kernelTimes.begin(), kernelTimes.end(),
                      [](double ms) { return ms < 0; }))
        fail("timing the kernels with CUDA events failed");
      report("benchmark", kernelTimes);
      report("benchmark-call", times);
    } else {
      report("benchmark", times);
    }
  }

  if (o.print) {
    for (size_t i = 0; i < results.size(); ++i) {
      std::printf("result %zu: %s shape ", i, entry.results[i].str().c_str());
      std::string shape = shapeString(results[i].shape());
      std::printf("%s\n", shape.c_str());
      printArray(
          results[i], [](const char *text) { std::fputs(text, stdout); },
          o.printAll);
    }
  }

  // All outputs or none.
  std::vector<std::string> temporaries;
  for (size_t i = 0; i < o.outputs.size(); ++i) {
    std::string temporary = writeNpyTemporary(o.outputs[i], results[i], error);
    if (temporary.empty()) {
      for (const std::string &t : temporaries)
        std::remove(t.c_str());
      fail(error);
    }
    temporaries.push_back(temporary);
  }
  for (size_t i = 0; i < temporaries.size(); ++i)
    if (!commitNpy(temporaries[i], o.outputs[i], error)) {
      for (size_t j = i + 1; j < temporaries.size(); ++j)
        std::remove(temporaries[j].c_str());
      fail(error);
    }
  std::fflush(stdout);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options o = parseArgs(argc, argv);
  Library lib = openLibrary(o.library);
  int rc = runLibrary(o, lib);
#if FLOW_AOT_RUN_LSAN
  // LeakSanitizer (scripts/test.sh --sanitize) checks here, not at exit:
  // dlclose unmaps what holds the library's process-lifetime objects (its
  // runtime's state, libstdc++'s exception pool), and they would read as
  // leaks. Everything this program allocated is freed by now.
  __lsan_do_leak_check();
#endif
  // Unload the library (its destructors release its GPU modules) while the
  // libraries it opened itself, such as the CUDA driver, are still there.
  dlclose(lib.handle);
  return rc;
}
