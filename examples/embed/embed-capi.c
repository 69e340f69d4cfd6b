/*===- embed-capi.c - A C client of the installed flow C API ------*- C -*-===*\
|*                                                                            *|
|* Part of the flow-mlir project.                                             *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * Usage: embed-capi FILE.mlir
 * Parses FILE with the upstream dialects and flow, prints it, lowers flow to
 * linalg and prints the result (separated by a line "---").
 */

#include "flow-c/Dialect.h"
#include "flow-c/Passes.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/RegisterEverything.h"

#include <stdio.h>
#include <stdlib.h>

static void print(MlirStringRef s, void *userData) {
  fwrite(s.data, 1, s.length, (FILE *)userData);
}

static char *readFile(const char *path, long *size) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *text = NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (*size = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (text = malloc(*size + 1)) &&
      fread(text, 1, *size, f) != (size_t)*size) {
    free(text);
    text = NULL;
  }
  fclose(f);
  return text;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: embed-capi FILE.mlir\n");
    return 1;
  }
  long size = 0;
  char *text = readFile(argv[1], &size);
  if (!text) {
    fprintf(stderr, "embed-capi: cannot read %s\n", argv[1]);
    return 1;
  }

  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirRegisterAllDialects(registry);
  mlirDialectHandleInsertDialect(mlirGetDialectHandle__flow__(), registry);
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);
  mlirRegisterFlowPassesAndPipelines();

  int rc = 1;
  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreate(text, (size_t)size));
  if (!mlirModuleIsNull(module)) {
    MlirOperation op = mlirModuleGetOperation(module);
    mlirOperationPrint(op, print, stdout);
    printf("\n---\n");
    MlirPassManager pm = mlirPassManagerCreate(ctx);
    MlirLogicalResult parsed = mlirParsePassPipeline(
        mlirPassManagerGetAsOpPassManager(pm),
        mlirStringRefCreateFromCString(
            "builtin.module(func.func(convert-flow-to-linalg))"),
        print, stderr);
    if (mlirLogicalResultIsSuccess(parsed) &&
        mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(pm, op))) {
      mlirOperationPrint(op, print, stdout);
      printf("\n");
      rc = 0;
    }
    mlirPassManagerDestroy(pm);
    mlirModuleDestroy(module);
  }
  mlirContextDestroy(ctx);
  free(text);
  return rc;
}
