//===- CompileCacheTest.cpp - the persistent compile cache ----------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Compiler/CompileCache.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <unistd.h>
#include <gtest/gtest.h>

using namespace mlir::flow;
namespace fs = llvm::sys::fs;

namespace {

class CompileCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(fs::createUniqueDirectory("flow-cache-test", dir));
    ::setenv("FLOW_CACHE_DIR", dir.c_str(), 1);
    ::unsetenv("FLOW_CACHE_MAX_BYTES");
    compile_cache::setEnabled(true);
  }
  void TearDown() override {
    (void)fs::remove_directories(dir);
    ::unsetenv("FLOW_CACHE_DIR");
  }
  std::string entryFile(llvm::StringRef key) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, key + ".flowcache");
    return std::string(path);
  }
  void overwrite(llvm::StringRef key, llvm::StringRef data) {
    std::error_code ec;
    llvm::raw_fd_ostream os(entryFile(key), ec);
    ASSERT_FALSE(ec);
    os << data;
  }
  std::string contents(llvm::StringRef key) {
    auto buffer = llvm::MemoryBuffer::getFile(entryFile(key));
    return buffer ? (*buffer)->getBuffer().str() : "";
  }
  llvm::SmallString<256> dir;
};

TEST_F(CompileCacheTest, KeysDependOnEveryPart) {
  std::string a = compile_cache::makeKey({"source", "options"});
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, compile_cache::makeKey({"source", "options"}));
  EXPECT_NE(a, compile_cache::makeKey({"source", "options2"}));
  // Parts are length-delimited: moving a boundary changes the key.
  EXPECT_NE(a, compile_cache::makeKey({"sourceo", "ptions"}));
  EXPECT_FALSE(compile_cache::buildIdentity().empty());
  EXPECT_FALSE(compile_cache::hostIdentity().empty());
}

TEST_F(CompileCacheTest, StoreThenLoad) {
  std::string key = compile_cache::makeKey({"store then load"});
  EXPECT_EQ(compile_cache::load(key), std::nullopt);
  std::string payload("object\0bytes", 12);
  compile_cache::store(key, payload);
  EXPECT_EQ(compile_cache::load(key), payload);
  compile_cache::setEnabled(false);
  EXPECT_EQ(compile_cache::load(key), std::nullopt);
  EXPECT_EQ(compile_cache::directory(), std::nullopt);
}

TEST_F(CompileCacheTest, DamagedEntriesAreRejectedAndRemoved) {
  std::string key = compile_cache::makeKey({"damaged"});
  std::string other = compile_cache::makeKey({"other"});
  compile_cache::store(key, "payload of the entry");
  compile_cache::store(other, "payload of the other entry");
  std::string good = contents(key);
  ASSERT_FALSE(good.empty());
  std::string flipped = good;
  flipped.back() ^= 1;
  for (const std::string &bad :
       {flipped, good.substr(0, good.size() - 1), good.substr(0, 10),
        contents(other), std::string("garbage")}) {
    overwrite(key, bad);
    uint64_t rejected = compile_cache::stats().rejected;
    EXPECT_EQ(compile_cache::load(key), std::nullopt);
    EXPECT_EQ(compile_cache::stats().rejected, rejected + 1);
    EXPECT_FALSE(fs::exists(entryFile(key)));
  }
}

TEST_F(CompileCacheTest, CapEvictsOldestEntries) {
  std::string payload(1000, 'x');
  std::string a = compile_cache::makeKey({"a"});
  std::string b = compile_cache::makeKey({"b"});
  std::string c = compile_cache::makeKey({"c"});
  compile_cache::store(a, payload);
  compile_cache::store(b, payload);
  // a is older than b.
  {
    int fd;
    ASSERT_FALSE(fs::openFileForWrite(entryFile(a), fd, fs::CD_OpenExisting));
    ASSERT_FALSE(fs::setLastAccessAndModificationTime(
        fd, llvm::sys::toTimePoint(1)));
    ::close(fd);
  }
  ::setenv("FLOW_CACHE_MAX_BYTES", "2500", 1);
  compile_cache::store(c, payload);
  EXPECT_FALSE(fs::exists(entryFile(a)));
  EXPECT_TRUE(fs::exists(entryFile(b)));
  EXPECT_TRUE(fs::exists(entryFile(c)));
}

TEST_F(CompileCacheTest, UnwritableDirectoryIsNoCache) {
  llvm::SmallString<256> file(dir);
  llvm::sys::path::append(file, "file");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
  }
  llvm::sys::path::append(file, "sub");
  ::setenv("FLOW_CACHE_DIR", file.c_str(), 1);
  std::string key = compile_cache::makeKey({"unwritable"});
  uint64_t stores = compile_cache::stats().stores;
  compile_cache::store(key, "payload");
  EXPECT_EQ(compile_cache::stats().stores, stores);
  EXPECT_EQ(compile_cache::load(key), std::nullopt);
}

} // namespace
