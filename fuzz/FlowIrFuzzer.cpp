//===- FlowIrFuzzer.cpp - libFuzzer target for flow modules ---------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Turns bytes into flow modules and runs them through everything that takes
// IR from users: the parser, the verifier (and the op's type inference),
// flow-infer-shapes, convert-flow-to-linalg with both strategies and, on the
// small valid modules, the whole flow-lower-to-cpu pipeline.
//
// Two input forms:
//  - text: an input whose first byte is printable ASCII is MLIR source as is
//    (the seed corpus holds .mlir files, and every regression input is
//    readable);
//  - structured: any other input drives a generator (FuzzedDataProvider)
//    that writes a function of one to three chained conv_transpose2d ops with
//    random shapes (static, dynamic, zero, huge), attribute values (zero,
//    negative, near INT64_MAX), element types, missing or extra operands and
//    attributes, custom or generic syntax, declared result types right or
//    wrong.
//
// Beyond crashes and sanitizer reports, these are findings (the input is
// printed and the process aborts):
//  - the verifier's verdict on a generated op differs from an independent
//    model of DESIGN.md §2's rules, computed here with 128-bit integers;
//  - flow-infer-shapes failing on a module whose types are consistent once
//    refined (or accepting one where the refinement exposes a mismatch that
//    a dynamic dim hid), by the generator's model; without a model, failing
//    with anything but the op verifier's report of such a mismatch;
//  - convert-flow-to-linalg rejecting a verified op that checkLowerable
//    accepts (or lowering one it rejects), or leaving invalid IR;
//  - flow-lower-to-cpu rejecting a small, consistent, lowerable module.
//
//===----------------------------------------------------------------------===//

#include "flow/Conversion/Passes.h"
#include "flow/Dialect/Flow/IR/FlowDialect.h"
#include "flow/Dialect/Flow/IR/FlowOps.h"
#include "flow/Dialect/Flow/Transforms/Passes.h"
#include "flow/Pipelines/Pipelines.h"
#include "flow/Registration/Registration.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace mlir;

namespace {

constexpr int64_t kDyn = std::numeric_limits<int64_t>::min(); // ShapedType's
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
using i128 = __int128;

//===----------------------------------------------------------------------===//
// The MLIR side
//===----------------------------------------------------------------------===//

/// One context for many inputs (creating one costs more than most runs);
/// replaced now and then so that uniqued types and attributes do not pile up.
class Session {
public:
  MLIRContext &context() {
    if (!ctx || ++uses > 2000) {
      ctx.reset();
      ctx = std::make_unique<MLIRContext>(registry(),
                                          MLIRContext::Threading::DISABLED);
      ctx->loadAllAvailableDialects();
      ctx->printOpOnDiagnostic(false);
      // Quiet, unless FLOW_FUZZ_VERBOSE is set (to triage a finding).
      static const bool verbose = std::getenv("FLOW_FUZZ_VERBOSE");
      ctx->getDiagEngine().registerHandler([](Diagnostic &diag) {
        if (verbose)
          llvm::errs() << diag.getLocation() << ": " << diag << "\n";
        return success();
      });
      uses = 0;
    }
    return *ctx;
  }

private:
  static DialectRegistry &registry() {
    static DialectRegistry *r = [] {
      auto *reg = new DialectRegistry();
      registerAllDialects(*reg);
      registerAllExtensions(*reg);
      flow::registerFlowDialect(*reg);
      return reg;
    }();
    return *r;
  }
  std::unique_ptr<MLIRContext> ctx;
  int uses = 0;
};

Session &session() {
  static Session *s = new Session();
  return *s;
}

[[noreturn]] void finding(const char *what, llvm::StringRef text) {
  llvm::errs() << "flow-fuzz-ir: FINDING: " << what << "\n--- module ---\n"
               << text << "\n--------------\n";
  llvm::errs().flush();
  std::abort();
}

LogicalResult runPasses(ModuleOp module,
                        llvm::function_ref<void(PassManager &)> build) {
  PassManager pm(module.getContext());
  build(pm);
  return pm.run(module);
}

/// What the generator knows about the module it wrote.
struct Expectation {
  bool known = false;    // the generator modelled every op
  bool valid = false;    // the model says the verifier must accept
  /// Still valid once every op's input type is refined by its producer's
  /// inferred type (what flow-infer-shapes does): a dynamic declared dim may
  /// hide a mismatch that the pass must then report.
  bool chainValid = false;
  bool pipeline = false; // try flow-lower-to-cpu when the module is small
};

/// True when `module` holds only functions of flow ops, and every op is
/// small enough for the whole CPU pipeline to be quick: static dims and
/// attributes bounded (dynamic N/H/W allowed).
bool isSmallFlowModule(ModuleOp module) {
  bool small = true;
  module->walk([&](Operation *op) {
    if (isa<ModuleOp, func::FuncOp, func::ReturnOp>(op))
      return;
    auto conv = dyn_cast<flow::ConvTranspose2DOp>(op);
    if (!conv) {
      small = false;
      return;
    }
    auto bounded = [](ArrayRef<int64_t> v, int64_t lim) {
      return llvm::all_of(v, [&](int64_t d) {
        return ShapedType::isDynamic(d) || d <= lim;
      });
    };
    flow::ConvTranspose2dParams p = conv.getParams();
    small &= bounded(conv.getInput().getType().getShape(), 16) &&
             bounded(conv.getWeight().getType().getShape(), 8) &&
             bounded(conv.getType().getShape(), 64) &&
             bounded(p.stride, 4) && bounded(p.dilation, 5) &&
             bounded(p.padding, 4) && p.groups <= 8;
  });
  return small;
}

void check(llvm::StringRef text, const Expectation &expect) {
  MLIRContext &ctx = session().context();
  ParserConfig config(&ctx, /*verifyAfterParse=*/false);
  // Parse the way the tools do (flow-opt, JitModule, AotCompiler): from a
  // null-terminated copy. MLIR's lexer reads the terminator one past the end
  // of the buffer, and libFuzzer's bytes have none.
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz.mlir"), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, config);
  // Some rules are checked while parsing (attribute constraints), the rest
  // by the verifier: the oracle is on both together.
  bool verified = module && succeeded(verify(*module));
  if (expect.known && verified != expect.valid)
    finding(verified ? "an invalid conv_transpose2d is accepted"
                     : "a valid conv_transpose2d is rejected",
            text);
  if (!verified)
    return;

  bool hasFlow = false, lowerable = true;
  module->walk([&](flow::ConvTranspose2DOp op) {
    hasFlow = true;
    std::string reason;
    lowerable &= succeeded(flow::checkLowerable(op, reason));
  });
  if (!hasFlow)
    return; // not ours: the rest is upstream MLIR

  bool consistent; // flow-infer-shapes found no hidden mismatch
  {
    OwningOpRef<ModuleOp> copy = module->clone();
    std::vector<std::string> errors;
    bool &ok = consistent;
    {
      ScopedDiagnosticHandler collect(&ctx, [&](Diagnostic &diag) {
        if (diag.getSeverity() == DiagnosticSeverity::Error)
          errors.push_back(diag.str());
        return success();
      });
      ok = succeeded(runPasses(*copy, [](PassManager &pm) {
        pm.addPass(flow::createFlowInferShapes());
      }));
    }
    if (expect.known && ok != expect.chainValid)
      finding(ok ? "flow-infer-shapes accepts types that contradict each "
                   "other"
                 : "flow-infer-shapes fails on a consistent module",
              text);
    // Without a model: the pass may only fail by exposing a mismatch that a
    // dynamic dim hid, which the op's verifier then reports.
    if (!ok && !expect.known) {
      if (errors.empty())
        finding("flow-infer-shapes fails without a diagnostic", text);
      for (llvm::StringRef e : errors)
        if (!e.starts_with("'flow.conv_transpose2d' op ") ||
            e.contains("failed to infer"))
          finding("flow-infer-shapes fails on a verified module", text);
    }
  }
  for (auto strategy : {flow::ConvTransposeStrategy::Phase,
                        flow::ConvTransposeStrategy::ZeroInsert}) {
    OwningOpRef<ModuleOp> copy = module->clone();
    bool ok = succeeded(runPasses(*copy, [&](PassManager &pm) {
      flow::ConvertFlowToLinalgOptions options;
      options.strategy = strategy;
      pm.addPass(flow::createConvertFlowToLinalg(options));
    }));
    if (ok != lowerable)
      finding(ok ? "convert-flow-to-linalg lowers an op with a dynamic "
                   "weight dim"
                 : "convert-flow-to-linalg fails on a verified, lowerable "
                   "module",
              text);
  }
  if (lowerable && consistent && expect.pipeline &&
      isSmallFlowModule(*module)) {
    OwningOpRef<ModuleOp> copy = module->clone();
    if (failed(runPasses(*copy, [](PassManager &pm) {
          flow::CpuPipelineOptions options;
          flow::buildLowerToCpuPipeline(pm, options);
        })))
      finding("flow-lower-to-cpu fails on a small valid module", text);
  }
}

//===----------------------------------------------------------------------===//
// The generator and its model of the rules
//===----------------------------------------------------------------------===//

/// A tensor type as written: rank, dims (kDyn for '?') and element type.
struct TensorDesc {
  bool unranked = false;
  std::vector<int64_t> dims;
  std::string elem = "f32";

  std::string str() const {
    std::string s = "tensor<";
    if (unranked)
      return s + "*x" + elem + ">";
    for (int64_t d : dims)
      s += (d == kDyn ? std::string("?") : std::to_string(d)) + "x";
    return s + elem + ">";
  }
};

bool isFloat(const std::string &e) {
  return e == "f16" || e == "bf16" || e == "f32" || e == "f64";
}

/// One generated conv_transpose2d.
struct ConvDesc {
  TensorDesc input, weight, bias, result;
  bool hasBias = false;
  int extraOperands = 0; // >0: operands beyond bias; <0: missing weight
  // Each attribute: absent (default), or the values written.
  std::optional<std::vector<int64_t>> stride, padding, outputPadding, dilation;
  std::optional<int64_t> groups;
  bool oddAttr = false; // an attribute of the wrong kind
  bool generic = false;
};

class Generator {
public:
  explicit Generator(FuzzedDataProvider &p) : p(p) {}

  std::string run(Expectation &expect);

private:
  int64_t dim(bool allowHuge = true);
  int64_t attrValue();
  std::string elemType(const std::string &common);
  std::vector<int64_t> pair(int64_t lo, int64_t hi);
  void randomAttrs(ConvDesc &c);
  void validAttrs(ConvDesc &c);
  std::optional<TensorDesc> model(const ConvDesc &c, bool &valid);
  std::string attrText(const ConvDesc &c);

  FuzzedDataProvider &p;
};

int64_t Generator::dim(bool allowHuge) {
  static const int64_t huge[] = {int64_t(1) << 20, int64_t(1) << 31,
                                 int64_t(1) << 32, int64_t(1) << 40,
                                 int64_t(1) << 62, kMax - 1, kMax};
  switch (p.ConsumeIntegralInRange<int>(0, 15)) {
  case 0:
    return 0;
  case 1:
  case 2:
    return kDyn;
  case 3:
    if (allowHuge)
      return huge[p.ConsumeIntegralInRange<int>(0, 6)];
    [[fallthrough]];
  case 4:
    return p.ConsumeIntegralInRange<int64_t>(1, 100);
  default:
    return p.ConsumeIntegralInRange<int64_t>(1, 5);
  }
}

int64_t Generator::attrValue() {
  static const int64_t odd[] = {0,
                                -1,
                                -2,
                                std::numeric_limits<int64_t>::min(),
                                -kMax,
                                kMax,
                                kMax - 1,
                                kMax / 2,
                                kMax / 2 + 1,
                                int64_t(1) << 31,
                                int64_t(1) << 32,
                                int64_t(1) << 62,
                                3037000499,
                                3037000500};
  if (p.ConsumeIntegralInRange<int>(0, 7) == 0)
    return odd[p.ConsumeIntegralInRange<int>(0, 13)];
  return p.ConsumeIntegralInRange<int64_t>(0, 6);
}

std::string Generator::elemType(const std::string &common) {
  static const char *const types[] = {"f16",   "bf16",        "f32",
                                      "f64",   "i32",         "f8E4M3FN",
                                      "index", "complex<f32>"};
  if (p.ConsumeIntegralInRange<int>(0, 31) != 0)
    return common;
  return types[p.ConsumeIntegralInRange<int>(0, 7)];
}

std::vector<int64_t> Generator::pair(int64_t lo, int64_t hi) {
  return {p.ConsumeIntegralInRange<int64_t>(lo, hi),
          p.ConsumeIntegralInRange<int64_t>(lo, hi)};
}

void Generator::randomAttrs(ConvDesc &c) {
  auto values = [&]() -> std::optional<std::vector<int64_t>> {
    switch (p.ConsumeIntegralInRange<int>(0, 9)) {
    case 0:
      return std::nullopt;
    case 1: { // wrong count
      std::vector<int64_t> v(p.ConsumeIntegralInRange<int>(0, 3) == 2
                                 ? 3
                                 : p.ConsumeIntegralInRange<int>(0, 1));
      for (int64_t &x : v)
        x = attrValue();
      return v;
    }
    default:
      return std::vector<int64_t>{attrValue(), attrValue()};
    }
  };
  c.stride = values();
  c.padding = values();
  c.outputPadding = values();
  c.dilation = values();
  if (p.ConsumeBool())
    c.groups = p.ConsumeBool() ? attrValue()
                               : p.ConsumeIntegralInRange<int64_t>(1, 4);
}

/// Attributes that the rules accept (mostly small; sometimes near the limits
/// of int64 where the shape arithmetic must still be exact).
void Generator::validAttrs(ConvDesc &c) {
  bool big = p.ConsumeIntegralInRange<int>(0, 7) == 0;
  c.stride = big ? std::vector<int64_t>{p.ConsumeIntegralInRange<int64_t>(
                                            1, kMax),
                                        p.ConsumeIntegralInRange<int64_t>(
                                            1, kMax)}
                 : pair(1, 4);
  c.dilation = big ? std::vector<int64_t>{p.ConsumeIntegralInRange<int64_t>(
                                              1, kMax / 8),
                                          p.ConsumeIntegralInRange<int64_t>(
                                              1, 6)}
                   : pair(1, 5);
  c.padding = big ? std::vector<int64_t>{p.ConsumeIntegralInRange<int64_t>(
                                             0, kMax / 2),
                                         p.ConsumeIntegralInRange<int64_t>(
                                             0, 4)}
                  : pair(0, 3);
  std::vector<int64_t> op(2);
  for (int i = 0; i < 2; ++i)
    op[i] = p.ConsumeIntegralInRange<int64_t>(
        0, std::max((*c.stride)[i], (*c.dilation)[i]) - 1);
  c.outputPadding = op;
}

/// The result type DESIGN.md §2 infers for `c`, or nullopt when the op is
/// invalid (`valid` false). Mirrors the rules independently of the
/// dialect's code, in 128-bit arithmetic.
std::optional<TensorDesc> Generator::model(const ConvDesc &c, bool &valid) {
  valid = false;
  if (c.extraOperands != 0 || c.oddAttr)
    return std::nullopt;
  const TensorDesc &x = c.input, &w = c.weight;
  if (x.unranked || w.unranked || (c.hasBias && c.bias.unranked))
    return std::nullopt;
  if (x.dims.size() != 4 || w.dims.size() != 4 ||
      (c.hasBias && c.bias.dims.size() != 1))
    return std::nullopt;
  if (!isFloat(x.elem) || w.elem != x.elem ||
      (c.hasBias && c.bias.elem != x.elem))
    return std::nullopt;
  auto get = [](const std::optional<std::vector<int64_t>> &v,
                std::vector<int64_t> dflt) { return v ? *v : dflt; };
  std::vector<int64_t> s = get(c.stride, {1, 1}), pd = get(c.padding, {0, 0}),
                       op = get(c.outputPadding, {0, 0}),
                       d = get(c.dilation, {1, 1});
  int64_t g = c.groups.value_or(1);
  for (auto *v : {&s, &pd, &op, &d})
    if (v->size() != 2)
      return std::nullopt;
  for (int i = 0; i < 2; ++i) {
    if (s[i] < 1 || d[i] < 1 || pd[i] < 0 || op[i] < 0)
      return std::nullopt;
    if (op[i] >= s[i] && op[i] >= d[i])
      return std::nullopt;
  }
  if (g < 1)
    return std::nullopt;
  for (int i = 1; i < 4; ++i)
    if (x.dims[i] == 0)
      return std::nullopt;
  for (int i = 0; i < 4; ++i)
    if (w.dims[i] == 0)
      return std::nullopt;
  if (x.dims[1] != kDyn && w.dims[0] != kDyn && x.dims[1] != w.dims[0])
    return std::nullopt;
  int64_t cin = x.dims[1] != kDyn ? x.dims[1] : w.dims[0];
  if (cin != kDyn && cin % g != 0)
    return std::nullopt;
  int64_t cout = kDyn;
  if (w.dims[1] != kDyn) {
    i128 v = i128(w.dims[1]) * g;
    if (v > kMax)
      return std::nullopt;
    cout = int64_t(v);
  }
  if (c.hasBias && c.bias.dims[0] != kDyn && cout != kDyn &&
      c.bias.dims[0] != cout)
    return std::nullopt;
  TensorDesc result;
  result.elem = x.elem;
  result.dims = {x.dims[0], cout, kDyn, kDyn};
  for (int i = 0; i < 2; ++i) {
    int64_t in = x.dims[2 + i], k = w.dims[2 + i];
    if (in == kDyn || k == kDyn)
      continue;
    // Every intermediate of (in-1)*s - 2p + d*(k-1) + op + 1 must fit in
    // int64 (the verifier promises "no int64 overflow in the arithmetic").
    i128 scaled = i128(in - 1) * s[i], twoPad = i128(pd[i]) * 2,
         reach = i128(d[i]) * (k - 1);
    auto fits = [](i128 v) { return v >= -i128(kMax) - 1 && v <= kMax; };
    if (!fits(scaled) || !fits(twoPad) || !fits(reach))
      return std::nullopt;
    i128 size = scaled - twoPad;
    if (!fits(size) || !fits(size += reach) || !fits(size += op[i]) ||
        !fits(size += 1))
      return std::nullopt;
    if (size < 1)
      return std::nullopt;
    result.dims[2 + i] = int64_t(size);
  }
  // The declared result: one element type, compatible rank-4 shape.
  if (c.result.unranked || c.result.dims.size() != 4 ||
      c.result.elem != x.elem)
    return std::nullopt;
  for (int i = 0; i < 4; ++i)
    if (c.result.dims[i] != kDyn && result.dims[i] != kDyn &&
        c.result.dims[i] != result.dims[i])
      return std::nullopt;
  valid = true;
  return result;
}

std::string Generator::attrText(const ConvDesc &c) {
  std::vector<std::string> parts;
  auto arr = [&](const char *name,
                 const std::optional<std::vector<int64_t>> &v) {
    if (!v)
      return;
    std::string s = std::string(name) + " = array<i64";
    for (size_t i = 0; i < v->size(); ++i)
      s += (i ? ", " : ": ") + std::to_string((*v)[i]);
    parts.push_back(s + ">");
  };
  arr("stride", c.stride);
  arr("padding", c.padding);
  arr("output_padding", c.outputPadding);
  arr("dilation", c.dilation);
  if (c.groups)
    parts.push_back("groups = " + std::to_string(*c.groups) + " : i64");
  if (c.oddAttr) {
    static const char *const odd[] = {
        "stride = dense<[1, 1]> : tensor<2xi64>", "groups = 1 : i32",
        "padding = array<i32: 0, 0>", "dilation = \"1\"", "groups = 2.0 : f32",
        "unknown_attr = 7"};
    parts.push_back(odd[p.ConsumeIntegralInRange<int>(0, 5)]);
  }
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i)
    s += (i ? ", " : "") + parts[i];
  return s;
}

std::string Generator::run(Expectation &expect) {
  int numOps = p.ConsumeIntegralInRange<int>(1, 3);
  bool wantValid = p.ConsumeIntegralInRange<int>(0, 3) != 0;
  static const char *const floats[] = {"f16", "bf16", "f32", "f64"};
  std::string common = floats[p.ConsumeIntegralInRange<int>(0, 3)];
  std::vector<std::string> args, body;
  bool known = true, valid = true, chainValid = true;
  std::optional<TensorDesc> refinedPrev; // previous result, refined
  std::string prev; // SSA name of the previous result
  TensorDesc prevType;
  for (int n = 0; n < numOps; ++n) {
    ConvDesc c;
    c.generic = p.ConsumeIntegralInRange<int>(0, 4) == 0;
    if (n > 0) {
      c.input = prevType;
    } else if (wantValid) {
      int64_t groups = p.ConsumeIntegralInRange<int64_t>(1, 3);
      c.groups = groups;
      c.input.dims = {p.ConsumeBool() ? kDyn
                                      : p.ConsumeIntegralInRange<int64_t>(0, 3),
                      groups * p.ConsumeIntegralInRange<int64_t>(1, 3),
                      p.ConsumeBool() ? kDyn : dim(false),
                      p.ConsumeBool() ? kDyn : dim(false)};
      for (int i = 2; i < 4; ++i)
        if (c.input.dims[i] == 0)
          c.input.dims[i] = 1;
    } else {
      int rank = p.ConsumeIntegralInRange<int>(0, 9) == 0
                     ? p.ConsumeIntegralInRange<int>(0, 6)
                     : 4;
      for (int i = 0; i < rank; ++i)
        c.input.dims.push_back(dim());
      c.input.unranked = p.ConsumeIntegralInRange<int>(0, 31) == 0;
    }
    if (n == 0)
      c.input.elem = elemType(common);
    // Weight: Cin x Cout/groups x kH x kW.
    if (wantValid && c.input.dims.size() == 4) {
      int64_t cin = c.input.dims[1];
      if (!c.groups)
        c.groups = 1;
      if (cin != kDyn && cin % *c.groups)
        c.groups = 1;
      c.weight.dims = {cin == kDyn ? *c.groups : cin,
                       p.ConsumeIntegralInRange<int64_t>(1, 3),
                       p.ConsumeIntegralInRange<int64_t>(1, 4),
                       p.ConsumeIntegralInRange<int64_t>(1, 4)};
      if (p.ConsumeIntegralInRange<int>(0, 15) == 0)
        c.weight.dims[p.ConsumeIntegralInRange<int>(0, 3)] = dim();
      validAttrs(c);
      if (p.ConsumeIntegralInRange<int>(0, 7) == 0)
        randomAttrs(c); // break something
    } else {
      int rank = p.ConsumeIntegralInRange<int>(0, 9) == 0
                     ? p.ConsumeIntegralInRange<int>(0, 6)
                     : 4;
      for (int i = 0; i < rank; ++i)
        c.weight.dims.push_back(dim());
      randomAttrs(c);
    }
    c.weight.elem = elemType(c.input.elem);
    c.hasBias = p.ConsumeBool();
    if (c.hasBias) {
      c.bias.elem = elemType(c.input.elem);
      i128 cout = c.weight.dims.size() == 4 && c.weight.dims[1] != kDyn
                      ? i128(c.weight.dims[1]) *
                            std::max<int64_t>(1, c.groups.value_or(1))
                      : 1;
      c.bias.dims = {p.ConsumeIntegralInRange<int>(0, 7) == 0 || cout > kMax
                         ? dim()
                         : int64_t(cout)};
      if (p.ConsumeIntegralInRange<int>(0, 31) == 0)
        c.bias.dims.push_back(1);
    }
    switch (p.ConsumeIntegralInRange<int>(0, 31)) {
    case 0:
      c.extraOperands = 1;
      break;
    case 1:
      c.extraOperands = -1;
      break;
    default:
      break;
    }
    c.oddAttr = p.ConsumeIntegralInRange<int>(0, 31) == 0;
    // The declared result: usually the inferred type, with some dims made
    // dynamic; sometimes anything.
    bool opValid = false;
    c.result = TensorDesc{false, {kDyn, kDyn, kDyn, kDyn}, c.input.elem};
    std::optional<TensorDesc> inferred = model(c, opValid);
    int resultKind = p.ConsumeIntegralInRange<int>(0, 7);
    if (inferred && resultKind < 5) {
      c.result = *inferred;
      for (int64_t &d : c.result.dims)
        if (p.ConsumeIntegralInRange<int>(0, 3) == 0)
          d = kDyn;
    } else if (resultKind == 7) {
      c.result.dims.clear();
      int rank = p.ConsumeIntegralInRange<int>(0, 9) == 0
                     ? p.ConsumeIntegralInRange<int>(0, 6)
                     : 4;
      for (int i = 0; i < rank; ++i)
        c.result.dims.push_back(dim());
      c.result.elem = elemType(c.input.elem);
    }
    inferred = model(c, opValid);
    // The same op on its producer's refined type.
    std::optional<TensorDesc> refined;
    if (opValid) {
      ConvDesc r = c;
      if (n > 0 && refinedPrev)
        r.input = *refinedPrev;
      bool rValid = false;
      std::optional<TensorDesc> rInferred = model(r, rValid);
      chainValid &= rValid;
      if (rValid) {
        refined = c.result;
        for (int i = 0; i < 4; ++i)
          if (refined->dims[i] == kDyn)
            refined->dims[i] = rInferred->dims[i];
      }
    }
    refinedPrev = refined;
    // An unparseable type (a negative-looking dim) is the parser's business.
    valid &= opValid;
    // Not modelled: extra or missing operands in the custom syntax (parse
    // errors, or operands shifted into other roles) and attributes of the
    // wrong kind (some are parse errors, some discardable).
    known &= (c.extraOperands == 0 || c.generic) && !c.oddAttr;

    // Text.
    std::string id = std::to_string(n);
    std::vector<std::string> operands;
    if (n == 0) {
      args.push_back("%x0: " + c.input.str());
      operands.push_back("%x0");
    } else {
      operands.push_back(prev);
    }
    std::vector<std::string> types = {c.input.str()};
    if (c.extraOperands >= 0) {
      args.push_back("%w" + id + ": " + c.weight.str());
      operands.push_back("%w" + id);
      types.push_back(c.weight.str());
    }
    if (c.hasBias) {
      args.push_back("%b" + id + ": " + c.bias.str());
      operands.push_back("%b" + id);
      types.push_back(c.bias.str());
    }
    if (c.extraOperands > 0) {
      args.push_back("%e" + id + ": " + c.weight.str());
      operands.push_back("%e" + id);
      types.push_back(c.weight.str());
    }
    std::string ops, tys;
    for (size_t i = 0; i < operands.size(); ++i) {
      ops += (i ? ", " : "") + operands[i];
      tys += (i ? ", " : "") + types[i];
    }
    std::string attrs = attrText(c);
    std::string res = "%y" + id;
    if (c.generic)
      body.push_back("  " + res + " = \"flow.conv_transpose2d\"(" + ops +
                     ")" + (attrs.empty() ? "" : " <{" + attrs + "}>") +
                     " : (" + tys + ") -> " + c.result.str());
    else
      body.push_back("  " + res + " = flow.conv_transpose2d " + ops +
                     (attrs.empty() ? "" : " {" + attrs + "}") + " : (" +
                     tys + ") -> " + c.result.str());
    prev = res;
    prevType = c.result;
    if (!opValid)
      break; // later ops would be modelled on an invalid input

  }
  std::string text = "func.func @main(";
  for (size_t i = 0; i < args.size(); ++i)
    text += (i ? ", " : "") + args[i];
  text += ") -> " + prevType.str() + " {\n";
  for (const std::string &line : body)
    text += line + "\n";
  text += "  return " + prev + " : " + prevType.str() + "\n}\n";

  expect.known = known;
  expect.valid = valid;
  expect.chainValid = valid && chainValid;
  expect.pipeline = p.ConsumeIntegralInRange<int>(0, 3) == 0;
  return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  if (data[0] >= 0x20 && data[0] < 0x7f) {
    // MLIR text as is.
    Expectation expect;
    expect.pipeline = true;
    check(llvm::StringRef(reinterpret_cast<const char *>(data), size),
          expect);
    return 0;
  }
  FuzzedDataProvider provider(data + 1, size - 1);
  Expectation expect;
  std::string text = Generator(provider).run(expect);
  if (std::getenv("FLOW_FUZZ_PRINT"))
    llvm::errs() << text << "\n";
  check(text, expect);
  return 0;
}
