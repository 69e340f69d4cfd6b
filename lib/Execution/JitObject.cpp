//===- JitObject.cpp - JIT code as a relocatable object -------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Execution/JitObject.h"

#include "flow/Execution/MemoryGuard.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::flow;

static constexpr llvm::StringLiteral kConstructors = "__flow_jit_constructors";
static constexpr llvm::StringLiteral kDestructors = "__flow_jit_destructors";

static llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

/// Defines `void _mlir_<entry>(ptr args)`: loads argument i from *args[i],
/// calls the entry and stores its result (if any) through args[n].
static llvm::Error addPackedWrapper(llvm::Module &module,
                                    llvm::StringRef entry) {
  llvm::Function *fn = module.getFunction(entry);
  if (!fn || fn->isDeclaration())
    return makeError("no function @" + entry + " in the lowered module");
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *type = llvm::FunctionType::get(b.getVoidTy(), {b.getPtrTy()}, false);
  auto *wrapper = llvm::Function::Create(
      type, llvm::GlobalValue::ExternalLinkage, "_mlir_" + entry, module);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  llvm::Value *slots = wrapper->getArg(0);
  auto slot = [&](unsigned i) {
    llvm::Value *at = b.CreateConstGEP1_64(b.getPtrTy(), slots, i);
    return b.CreateLoad(b.getPtrTy(), at);
  };
  llvm::SmallVector<llvm::Value *> args;
  for (llvm::Argument &arg : fn->args())
    args.push_back(b.CreateLoad(arg.getType(), slot(arg.getArgNo())));
  llvm::CallInst *call = b.CreateCall(fn, args);
  if (!call->getType()->isVoidTy())
    b.CreateStore(call, slot(fn->arg_size()));
  b.CreateRetVoid();
  return llvm::Error::success();
}

/// Replaces the global array `name` (llvm.global_ctors or _dtors) by a
/// function `into` that calls its entries in priority order.
static void gatherStructors(llvm::Module &module,
                            llvm::iterator_range<llvm::orc::CtorDtorIterator>
                                structors,
                            llvm::StringRef name, llvm::StringRef into) {
  std::vector<llvm::orc::CtorDtorIterator::Element> list;
  for (auto element : structors)
    list.push_back(element);
  std::stable_sort(list.begin(), list.end(), [](const auto &a, const auto &b) {
    return a.Priority < b.Priority;
  });
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *fn = llvm::Function::Create(
      llvm::FunctionType::get(b.getVoidTy(), false),
      llvm::GlobalValue::ExternalLinkage, into, module);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", fn));
  for (const auto &element : list)
    if (element.Func)
      b.CreateCall(element.Func->getFunctionType(), element.Func);
  b.CreateRetVoid();
  if (llvm::GlobalVariable *array = module.getNamedGlobal(name))
    array->eraseFromParent();
}

llvm::Expected<std::string> mlir::flow::emitHostObject(ModuleOp module,
                                                      llvm::StringRef entry) {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto machine = builder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, ctx);
  if (!llvmModule)
    return makeError("cannot translate the lowered module to LLVM IR");
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  if (llvm::Error err = addPackedWrapper(*llvmModule, entry))
    return std::move(err);
  if (llvm::Error err =
          makeOptimizingTransformer(3, 0, nullptr)(llvmModule.get()))
    return std::move(err);
  // After optimisation (which may turn malloc + memset into calloc).
  redirectAllocations(*llvmModule);
  gatherStructors(*llvmModule, llvm::orc::getConstructors(*llvmModule),
                  "llvm.global_ctors", kConstructors);
  gatherStructors(*llvmModule, llvm::orc::getDestructors(*llvmModule),
                  "llvm.global_dtors", kDestructors);
  llvm::orc::SimpleCompiler compiler(**machine);
  auto object = compiler(*llvmModule);
  if (!object)
    return object.takeError();
  return (*object)->getBuffer().str();
}

LoadedObject::LoadedObject() = default;

LoadedObject::~LoadedObject() {
  if (destructors)
    destructors();
}

llvm::Expected<std::unique_ptr<LoadedObject>>
LoadedObject::load(llvm::StringRef object,
                   llvm::ArrayRef<std::string> sharedLibs) {
  auto machine = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machine)
    return machine.takeError();
  auto jit =
      llvm::orc::LLJITBuilder()
          .setJITTargetMachineBuilder(std::move(*machine))
          .setObjectLinkingLayerCreator([](llvm::orc::ExecutionSession &es)
                                            -> llvm::Expected<std::unique_ptr<
                                                llvm::orc::ObjectLayer>> {
            return std::make_unique<llvm::orc::RTDyldObjectLinkingLayer>(
                es, [](const llvm::MemoryBuffer &) {
                  return std::make_unique<llvm::SectionMemoryManager>();
                });
          })
          .create();
  if (!jit)
    return jit.takeError();
  std::unique_ptr<LoadedObject> loaded(new LoadedObject());
  loaded->jit = std::move(*jit);
  llvm::orc::LLJIT &lljit = *loaded->jit;
  llvm::orc::JITDylib &main = lljit.getMainJITDylib();
  char prefix = lljit.getDataLayout().getGlobalPrefix();

  llvm::orc::SymbolMap guard;
  for (const auto &[name, address] : allocationGuardSymbols())
    guard[lljit.mangleAndIntern(name)] = {
        llvm::orc::ExecutorAddr::fromPtr(address),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  if (llvm::Error err = main.define(llvm::orc::absoluteSymbols(guard)))
    return std::move(err);
  for (const std::string &lib : sharedLibs) {
    auto generator = llvm::orc::DynamicLibrarySearchGenerator::Load(
        lib.c_str(), prefix);
    if (!generator)
      return generator.takeError();
    main.addGenerator(std::move(*generator));
  }
  auto process =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(prefix);
  if (!process)
    return process.takeError();
  main.addGenerator(std::move(*process));

  if (llvm::Error err = lljit.addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(object, "flow-jit-object")))
    return std::move(err);
  auto ctors = lljit.lookup(kConstructors);
  if (!ctors)
    return ctors.takeError();
  auto dtors = lljit.lookup(kDestructors);
  if (!dtors)
    return dtors.takeError();
  ctors->toPtr<void (*)()>()();
  loaded->destructors = dtors->toPtr<void (*)()>();
  return std::move(loaded);
}

llvm::Expected<void (*)(void **)>
LoadedObject::lookupPacked(llvm::StringRef entry) {
  auto symbol = jit->lookup(("_mlir_" + entry).str());
  if (!symbol)
    return symbol.takeError();
  return symbol->toPtr<void (*)(void **)>();
}
