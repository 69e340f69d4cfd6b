//===- Registration.h - Register flow dialects and passes -------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_REGISTRATION_REGISTRATION_H
#define FLOW_REGISTRATION_REGISTRATION_H

namespace mlir {
class DialectRegistry;
namespace flow {

/// Adds the flow dialect to `registry`.
void registerFlowDialect(DialectRegistry &registry);

/// Registers flow's passes (flow-infer-shapes, convert-flow-to-linalg) and
/// pipelines (flow-lower-to-cpu, ...) with the global pass registry.
void registerFlowPassesAndPipelines();

/// Everything a tool needs to run flow-lower-to-cpu and flow-lower-to-cuda,
/// in one call: adds the flow dialect and the upstream dialects, extensions
/// and interfaces the pipelines create ops of, and the translations to LLVM
/// IR (LLVM, NVVM, GPU, OpenMP, ...) to `registry`, and registers flow's
/// passes and pipelines (registerFlowPassesAndPipelines). For example:
///
///   mlir::DialectRegistry registry;
///   mlir::flow::registerFlowCompiler(registry);
///   return mlir::asMainReturnCode(
///       mlir::MlirOptMain(argc, argv, "my-opt\n", registry));
void registerFlowCompiler(DialectRegistry &registry);

} // namespace flow
} // namespace mlir

#endif // FLOW_REGISTRATION_REGISTRATION_H
