//===- EntryConstraints.cpp - Argument sizes the ops require --------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Compiler/EntryConstraints.h"

#include "flow/Dialect/Flow/IR/FlowOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::flow;

namespace {

/// A dim as the entry's arguments determine it, or nothing when it is
/// computed some other way (spatial sizes) or overflows.
using Term = std::optional<DimTerm>;

/// "file:line:col" of the first file location in `loc`, else its text.
std::string locationText(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      os << file.getFilename().getValue() << ":" << file.getLine() << ":"
         << file.getColumn();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (text.empty())
    os << loc;
  return text;
}

Term constant(int64_t value) { return DimTerm{-1, 0, 1, value}; }

Term scaled(Term t, int64_t factor) {
  if (!t)
    return t;
  std::optional<int64_t> f =
      llvm::checkedMul(t->arg < 0 ? t->value : t->factor, factor);
  if (!f)
    return std::nullopt;
  (t->arg < 0 ? t->value : t->factor) = *f;
  return t;
}

class Collector {
public:
  explicit Collector(func::FuncOp func) : func(func) {}

  /// Dim `d` of `v` on a call.
  Term resolve(Value v, int64_t d) {
    auto type = cast<RankedTensorType>(v.getType());
    if (!type.isDynamicDim(d))
      return constant(type.getDimSize(d));
    return computed(v, d);
  }

  /// Dim `d` of `v` as its producer computes it (ignoring its static type).
  Term computed(Value v, int64_t d) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner()->getParentOp() != func.getOperation())
        return std::nullopt;
      return DimTerm{static_cast<int>(arg.getArgNumber()),
                     static_cast<int>(d), 1, 0};
    }
    if (auto cast = v.getDefiningOp<tensor::CastOp>())
      return resolve(cast.getSource(), d);
    if (auto conv = v.getDefiningOp<ConvTranspose2DOp>()) {
      if (d == 0)
        return resolve(conv.getInput(), 0);
      if (d == 1)
        return scaled(resolve(conv.getWeight(), 1), conv.getGroups());
    }
    return std::nullopt;
  }

  /// One side of a constraint: its term, the operand it is (for messages
  /// on the argument it is) and what it is (for messages on the other side).
  struct Side {
    Term term;
    std::string operand, rule;
  };

  /// Records `a` == `b` when it involves an argument's dim.
  void require(Side a, Side b) {
    if (!a.term || !b.term)
      return;
    if (a.term->arg < 0 && b.term->arg < 0)
      return; // both static: the verifier checked them
    if (a.term->arg < 0)
      std::swap(a, b);
    out.push_back({*a.term, *b.term, a.operand, b.rule});
  }

  void visit(ConvTranspose2DOp op) {
    std::string at = " of the conv_transpose2d at " + locationText(op.getLoc());
    std::string groups = op.getGroups() == 1
                             ? ""
                             : " * groups " + std::to_string(op.getGroups());
    Value x = op.getInput(), w = op.getWeight();
    Side cout{scaled(resolve(w, 1), op.getGroups()), "the weight" + at,
              "the output channels (weight dim 1" + groups + ")"};
    require({resolve(x, 1), "the input" + at, "the input channels"},
            {resolve(w, 0), "the weight" + at, "the weight's dim 0"});
    if (Value bias = op.getBias())
      require({resolve(bias, 0), "the bias" + at, "the bias length"}, cout);
    RankedTensorType result = op.getType();
    if (!result.isDynamicDim(0))
      require({resolve(x, 0), "the input" + at, "the input's batch"},
              {constant(result.getDimSize(0)), "", "the result type's batch"});
    if (!result.isDynamicDim(1))
      require(cout, {constant(result.getDimSize(1)), "",
                     "the result type's channels"});
  }

  void visit(tensor::CastOp op) {
    auto to = dyn_cast<RankedTensorType>(op.getType());
    auto from = dyn_cast<RankedTensorType>(op.getSource().getType());
    if (!to || !from || to.getRank() != from.getRank())
      return;
    std::string at = "the source of the tensor.cast at " + locationText(op.getLoc());
    for (int64_t d = 0; d < to.getRank(); ++d)
      if (!to.isDynamicDim(d) && from.isDynamicDim(d))
        require({computed(op.getSource(), d), at, ""},
                {constant(to.getDimSize(d)), "", "the cast's target type"});
  }

  std::vector<EntryDimConstraint> out;

private:
  func::FuncOp func;
};

std::string describe(const DimTerm &t) {
  if (t.arg < 0)
    return std::to_string(t.value);
  return "argument " + std::to_string(t.arg) + " dim " +
         std::to_string(t.dim) +
         (t.factor == 1 ? "" : " * " + std::to_string(t.factor));
}

} // namespace

std::vector<EntryDimConstraint>
mlir::flow::collectEntryDimConstraints(func::FuncOp func) {
  Collector c(func);
  func.walk([&](Operation *op) {
    if (auto conv = dyn_cast<ConvTranspose2DOp>(op))
      c.visit(conv);
    else if (auto cast = dyn_cast<tensor::CastOp>(op))
      c.visit(cast);
  });
  return std::move(c.out);
}

std::optional<std::string> mlir::flow::checkEntryDimConstraints(
    const std::vector<EntryDimConstraint> &constraints,
    const std::vector<std::vector<int64_t>> &shapes) {
  auto valid = [&](const DimTerm &t) {
    return t.arg < 0 || (static_cast<size_t>(t.arg) < shapes.size() &&
                         t.dim >= 0 &&
                         static_cast<size_t>(t.dim) < shapes[t.arg].size());
  };
  for (const EntryDimConstraint &c : constraints) {
    if (!valid(c.lhs) || !valid(c.rhs))
      continue; // checked elsewhere: the argument count and ranks
    // Dims are at most 2^63 / element size; factors are groups (and their
    // products): compare in 128 bits.
    __int128 lhs = __int128(c.lhs.factor) * shapes[c.lhs.arg][c.lhs.dim];
    __int128 rhs = c.rhs.arg < 0
                       ? __int128(c.rhs.value)
                       : __int128(c.rhs.factor) * shapes[c.rhs.arg][c.rhs.dim];
    if (lhs == rhs)
      continue;
    auto text = [](__int128 v) {
      return std::to_string(static_cast<long long>(v));
    };
    std::string msg = "argument " + std::to_string(c.lhs.arg) + " (" +
                      c.operand + "): dim " + std::to_string(c.lhs.dim) +
                      " is " + text(shapes[c.lhs.arg][c.lhs.dim]);
    if (c.lhs.factor != 1)
      msg += " (times " + std::to_string(c.lhs.factor) + ": " + text(lhs) + ")";
    msg += ", expected " + text(rhs) + " (" + c.rule;
    if (c.rhs.arg >= 0)
      msg += ": " + describe(c.rhs);
    return msg + ")";
  }
  return std::nullopt;
}
