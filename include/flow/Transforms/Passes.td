//===- Passes.td - Passes that touch no flow op ------------*- tablegen -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Passes over upstream dialects that the flow pipelines need (the generic
// counterpart of mlir/Transforms); flow-level passes are in
// flow/Dialect/Flow/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_TRANSFORMS_PASSES_TD
#define FLOW_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FlowMemRefCopyToLinalg : Pass<"flow-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` lowers a `memref.copy` between non-identity
    layouts to a call of `memrefCopy` from libmlir_c_runner_utils. Rewriting
    the copies as `linalg.copy` lets them become (affine) loops instead, so
    compiled code needs no runtime library.
  }];
  let dependentDialects = ["linalg::LinalgDialect"];
}

def FlowLowerAllocaScopes : Pass<"flow-lower-alloca-scopes"> {
  let summary = "Inline memref.alloca_scope between stacksave and "
                "stackrestore";
  let description = [{
    Replaces each `memref.alloca_scope` (without results) by its body between
    `llvm.intr.stacksave` and `llvm.intr.stackrestore`, while the body is
    still structured: run after SCF to OpenMP, before SCF to ControlFlow
    (which would split the body into blocks, which alloca_scope forbids).
  }];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

#endif // FLOW_TRANSFORMS_PASSES_TD
