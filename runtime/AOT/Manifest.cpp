//===- Manifest.cpp - What an AOT library contains ------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Runtime/Manifest.h"

#include <sstream>

using namespace mlir::flow::aot;

std::string TensorType::str() const {
  std::string s = "tensor<";
  for (int64_t d : dims)
    s += (d < 0 ? std::string("?") : std::to_string(d)) + "x";
  return s + elementTypeName(type) + ">";
}

std::string Entry::signature() const {
  std::string s = "@" + name + "(";
  for (size_t i = 0; i < args.size(); ++i)
    s += (i ? ", " : "") + args[i].str();
  s += ") -> (";
  for (size_t i = 0; i < results.size(); ++i)
    s += (i ? ", " : "") + results[i].str();
  return s + ")";
}

double
Entry::flops(const std::vector<std::vector<int64_t>> &argShapes) const {
  double total = 0;
  for (const ConvInfo &conv : convs) {
    std::vector<int64_t> input = conv.input;
    if (conv.inputArg >= 0 &&
        conv.inputArg < static_cast<int>(argShapes.size()))
      input = argShapes[conv.inputArg];
    double count = 1;
    bool known = conv.weightFactor > 0;
    for (int64_t d : input) {
      known &= d >= 0;
      count *= static_cast<double>(d);
    }
    if (known)
      total += 2.0 * count * static_cast<double>(conv.weightFactor);
  }
  return total;
}

static void printDims(std::ostringstream &os, const std::vector<int64_t> &d) {
  os << d.size();
  for (int64_t v : d)
    os << " " << (v < 0 ? -1 : v);
}

std::string Manifest::print() const {
  std::ostringstream os;
  os << "flow-aot " << kVersion << "\n";
  os << "prefix " << prefix << "\n";
  os << "target " << target << "\n";
  if (!cpu.empty())
    os << "cpu " << cpu << "\n";
  if (!chip.empty())
    os << "chip " << chip << "\n";
  for (const Entry &e : entries) {
    os << "entry " << e.name << " " << e.cName << "\n";
    for (const TensorType &t : e.args) {
      os << "arg " << elementTypeName(t.type) << " ";
      printDims(os, t.dims);
      os << "\n";
    }
    for (const TensorType &t : e.results) {
      os << "result " << elementTypeName(t.type) << " ";
      printDims(os, t.dims);
      os << "\n";
    }
    for (const ConvInfo &c : e.convs) {
      os << "conv " << c.inputArg << " ";
      printDims(os, c.input);
      os << " " << c.weightFactor << "\n";
    }
    os << "end\n";
  }
  return os.str();
}

namespace {

/// Reads "RANK D0 D1 ..." from `in`.
bool readDims(std::istringstream &in, std::vector<int64_t> &dims) {
  int64_t rank;
  if (!(in >> rank) || rank < 0 || rank > 64)
    return false;
  dims.resize(rank);
  for (int64_t &d : dims)
    if (!(in >> d) || d < -1)
      return false;
  return true;
}

} // namespace

bool Manifest::parse(const std::string &text, Manifest &manifest,
                     std::string &error) {
  manifest = Manifest();
  std::istringstream lines(text);
  std::string line;
  int lineNo = 0;
  Entry *entry = nullptr;
  bool sawHeader = false;
  auto bad = [&](const std::string &why) {
    error = "malformed manifest (line " + std::to_string(lineNo) + ": " + why +
            ")";
    return false;
  };
  while (std::getline(lines, line)) {
    ++lineNo;
    if (line.empty())
      continue;
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (!sawHeader) {
      int version = 0;
      if (key != "flow-aot" || !(in >> version))
        return bad("expected 'flow-aot VERSION'");
      if (version != kVersion) {
        error = "manifest version " + std::to_string(version) +
                " is not supported (this loader reads version " +
                std::to_string(kVersion) + ")";
        return false;
      }
      sawHeader = true;
      continue;
    }
    if (key == "prefix" || key == "target" || key == "cpu" || key == "chip") {
      std::string value;
      if (!(in >> value))
        return bad("no value for '" + key + "'");
      (key == "prefix"   ? manifest.prefix
       : key == "target" ? manifest.target
       : key == "cpu"    ? manifest.cpu
                         : manifest.chip) = value;
    } else if (key == "entry") {
      if (entry)
        return bad("'entry' inside an entry");
      manifest.entries.emplace_back();
      entry = &manifest.entries.back();
      if (!(in >> entry->name >> entry->cName))
        return bad("expected 'entry NAME CNAME'");
    } else if (key == "arg" || key == "result") {
      if (!entry)
        return bad("'" + key + "' outside an entry");
      std::string typeName;
      TensorType type;
      if (!(in >> typeName) || !parseElementType(typeName, type.type) ||
          !readDims(in, type.dims))
        return bad("bad tensor type");
      (key == "arg" ? entry->args : entry->results).push_back(type);
    } else if (key == "conv") {
      if (!entry)
        return bad("'conv' outside an entry");
      ConvInfo conv;
      if (!(in >> conv.inputArg) || !readDims(in, conv.input) ||
          !(in >> conv.weightFactor))
        return bad("bad conv record");
      entry->convs.push_back(conv);
    } else if (key == "end") {
      if (!entry)
        return bad("'end' outside an entry");
      entry = nullptr;
    } else {
      return bad("unknown record '" + key + "'");
    }
  }
  if (!sawHeader)
    return bad("empty");
  if (entry)
    return bad("unterminated entry");
  if (manifest.target != "cpu" && manifest.target != "cuda")
    return bad("unknown target '" + manifest.target + "'");
  return true;
}

const Entry *Manifest::find(const std::string &name) const {
  for (const Entry &e : entries)
    if (e.name == name)
      return &e;
  return nullptr;
}
