//===- CompileCache.cpp - Compiled code kept on disk ----------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Compiler/CompileCache.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <link.h>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace mlir::flow;
namespace fs = llvm::sys::fs;

namespace {

constexpr char kMagic[8] = {'F', 'L', 'O', 'W', 'C', 'C', '0', '1'};
constexpr size_t kKeySize = 64;
/// magic, key, payload size, payload checksum.
constexpr size_t kHeaderSize = sizeof(kMagic) + kKeySize + 8 + 8;
constexpr llvm::StringLiteral kSuffix = ".flowcache";
constexpr uint64_t kDefaultMaxBytes = 512ull << 20;

std::atomic<bool> enabledFlag{true};

struct Counters {
  std::atomic<uint64_t> hits{0}, misses{0}, stores{0}, rejected{0},
      evictions{0};
} counters;

bool debugEnabled() {
  const char *env = std::getenv("FLOW_CACHE_DEBUG");
  return env && *env && std::strcmp(env, "0") != 0;
}

void debugLine(const llvm::Twine &line) {
  if (debugEnabled())
    llvm::errs() << "flow-mlir cache: " << line << "\n";
}

std::string entryPath(llvm::StringRef dir, llvm::StringRef key) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, key + kSuffix);
  return std::string(path);
}

uint64_t checksum(llvm::StringRef payload) {
  return llvm::xxh3_64bits(llvm::arrayRefFromStringRef(payload));
}

/// The header and payload of an entry, or why it is not valid.
std::string checkEntry(llvm::StringRef data, llvm::StringRef key,
                       llvm::StringRef &payload) {
  if (data.size() < kHeaderSize)
    return "truncated header";
  if (std::memcmp(data.data(), kMagic, sizeof(kMagic)) != 0)
    return "not a flow-mlir cache entry of this version";
  if (data.substr(sizeof(kMagic), kKeySize) != key)
    return "entry of another key";
  const char *sizes = data.data() + sizeof(kMagic) + kKeySize;
  uint64_t size = llvm::support::endian::read64le(sizes);
  uint64_t sum = llvm::support::endian::read64le(sizes + 8);
  if (data.size() - kHeaderSize != size)
    return "truncated payload";
  payload = data.substr(kHeaderSize);
  if (checksum(payload) != sum)
    return "checksum mismatch";
  return "";
}

void warnRejected(llvm::StringRef path, llvm::StringRef why) {
  ++counters.rejected;
  llvm::errs() << "flow-mlir: warning: ignoring compile-cache entry " << path
               << " (" << why << "); recompiling\n";
  (void)fs::remove(path);
}

/// Removes the least recently used entries of `dir` until they take at
/// most `cap` bytes. Temporary files of writers that died are entries too
/// once they are a minute old.
void evict(llvm::StringRef dir, uint64_t cap) {
  struct Entry {
    std::string path;
    uint64_t size;
    std::chrono::system_clock::time_point time;
  };
  std::vector<Entry> entries;
  uint64_t total = 0;
  auto now = std::chrono::system_clock::now();
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    bool temp = name.contains(".flowcache.tmp-");
    if (!name.ends_with(kSuffix) && !temp)
      continue;
    fs::file_status status;
    if (fs::status(it->path(), status) || status.type() != fs::file_type::regular_file)
      continue;
    auto time = status.getLastModificationTime();
    if (temp && now - time < std::chrono::minutes(1))
      continue;
    entries.push_back({it->path(), status.getSize(), time});
    total += status.getSize();
  }
  if (total <= cap)
    return;
  llvm::sort(entries, [](const Entry &a, const Entry &b) {
    return a.time < b.time;
  });
  for (const Entry &e : entries) {
    if (total <= cap)
      break;
    if (!fs::remove(e.path)) {
      total -= e.size;
      ++counters.evictions;
      debugLine("evicted " + e.path);
    }
  }
}

std::string hexDigest(llvm::ArrayRef<uint8_t> bytes) {
  std::string hex;
  llvm::raw_string_ostream os(hex);
  for (uint8_t b : bytes)
    os << llvm::format_hex_no_prefix(b, 2);
  return hex;
}

/// The file of the executable or shared library holding this function.
std::string binaryPath() {
  struct Query {
    uintptr_t address;
    std::string path;
  } query{reinterpret_cast<uintptr_t>(&binaryPath), ""};
  dl_iterate_phdr(
      [](dl_phdr_info *info, size_t, void *data) {
        auto *q = static_cast<Query *>(data);
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const auto &ph = info->dlpi_phdr[i];
          uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
          if (ph.p_type != PT_LOAD || q->address < begin ||
              q->address >= begin + ph.p_memsz)
            continue;
          const char *name = info->dlpi_name;
          q->path = name && *name ? name : "/proc/self/exe";
          return 1;
        }
        return 0;
      },
      &query);
  return query.path.empty() ? "/proc/self/exe" : query.path;
}

} // namespace

void compile_cache::setEnabled(bool enabled) { enabledFlag = enabled; }

std::optional<std::string> compile_cache::directory() {
  if (!enabledFlag)
    return std::nullopt;
  const char *env = std::getenv("FLOW_CACHE_DIR");
  if (env && *env) {
    if (llvm::StringRef(env) == "off")
      return std::nullopt;
    return std::string(env);
  }
  llvm::SmallString<256> dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    dir = xdg;
  } else if (const char *home = std::getenv("HOME"); home && *home) {
    dir = home;
    llvm::sys::path::append(dir, ".cache");
  } else {
    return std::nullopt;
  }
  llvm::sys::path::append(dir, "flow-mlir");
  return std::string(dir);
}

uint64_t compile_cache::maxBytes() {
  const char *env = std::getenv("FLOW_CACHE_MAX_BYTES");
  uint64_t value;
  if (env && !llvm::StringRef(env).getAsInteger(10, value))
    return value;
  return kDefaultMaxBytes;
}

std::string compile_cache::makeKey(llvm::ArrayRef<llvm::StringRef> parts) {
  llvm::BLAKE3 hasher;
  auto add = [&](llvm::StringRef part) {
    uint8_t size[8];
    llvm::support::endian::write64le(size, part.size());
    hasher.update(size);
    hasher.update(llvm::arrayRefFromStringRef(part));
  };
  add(buildIdentity());
  for (llvm::StringRef part : parts)
    add(part);
  return hexDigest(hasher.final());
}

std::optional<std::string> compile_cache::load(llvm::StringRef key) {
  std::optional<std::string> dir = directory();
  if (!dir)
    return std::nullopt;
  std::string path = entryPath(*dir, key);
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file) {
    // An entry that exists but cannot be read is reported; no entry (or no
    // usable directory) is a plain miss.
    if (fs::exists(path))
      warnRejected(path, "cannot read it: " + file.getError().message());
    ++counters.misses;
    debugLine("miss " + key);
    return std::nullopt;
  }
  llvm::StringRef payload;
  std::string why = checkEntry((*file)->getBuffer(), key, payload);
  if (!why.empty()) {
    warnRejected(path, why);
    ++counters.misses;
    debugLine("miss " + key);
    return std::nullopt;
  }
  // Recently used entries are evicted last.
  (void)::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
  ++counters.hits;
  debugLine("hit " + key);
  return payload.str();
}

void compile_cache::reject(llvm::StringRef key, llvm::StringRef why) {
  if (std::optional<std::string> dir = directory())
    warnRejected(entryPath(*dir, key), why);
}

void compile_cache::store(llvm::StringRef key, llvm::StringRef payload) {
  std::optional<std::string> dir = directory();
  if (!dir)
    return;
  if (std::error_code ec = fs::create_directories(*dir)) {
    debugLine("not stored (" + ec.message() + "): " + *dir);
    return;
  }
  std::string path = entryPath(*dir, key);
  llvm::SmallString<256> temp;
  int fd;
  if (std::error_code ec = fs::createUniqueFile(
          path + ".tmp-%%%%%%%%", fd, temp, fs::OF_None, 0644)) {
    debugLine("not stored (" + ec.message() + "): " + *dir);
    return;
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    char sizes[16];
    llvm::support::endian::write64le(sizes, payload.size());
    llvm::support::endian::write64le(sizes + 8, checksum(payload));
    os.write(kMagic, sizeof(kMagic));
    os << key;
    os.write(sizes, sizeof(sizes));
    os << payload;
    os.close();
    if (os.has_error()) {
      debugLine("not stored (" + os.error().message() + "): " + path);
      os.clear_error();
      (void)fs::remove(temp);
      return;
    }
  }
  if (std::error_code ec = fs::rename(temp, path)) {
    debugLine("not stored (" + ec.message() + "): " + path);
    (void)fs::remove(temp);
    return;
  }
  ++counters.stores;
  debugLine("stored " + key);
  evict(*dir, maxBytes());
}

CompileCacheStats compile_cache::stats() {
  return {counters.hits, counters.misses, counters.stores, counters.rejected,
          counters.evictions};
}

llvm::StringRef compile_cache::buildIdentity() {
  static const std::string identity = [] {
    std::string path = binaryPath();
    std::string id = "llvm " LLVM_VERSION_STRING " ";
    auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
    if (!file) {
      // Unknown binary: a key no other process shares.
      return id + "unreadable " + path + " " + std::to_string(::getpid()) +
             " " + std::to_string(reinterpret_cast<uintptr_t>(&path));
    }
    llvm::XXH128_hash_t h =
        llvm::xxh3_128bits(llvm::arrayRefFromStringRef((*file)->getBuffer()));
    return id + std::to_string(h.high64) + ":" + std::to_string(h.low64);
  }();
  return identity;
}

std::string compile_cache::hostIdentity() {
  std::string id = llvm::sys::getProcessTriple() + " " +
                   llvm::sys::getHostCPUName().str();
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  std::vector<std::string> names;
  for (const auto &f : features)
    names.push_back((f.second ? "+" : "-") + f.first().str());
  llvm::sort(names);
  for (const std::string &name : names)
    id += " " + name;
  return id;
}
