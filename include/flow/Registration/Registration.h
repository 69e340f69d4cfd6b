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

} // namespace flow
} // namespace mlir

#endif // FLOW_REGISTRATION_REGISTRATION_H
