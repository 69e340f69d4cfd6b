"""``flow_mlir.compile`` and the process-wide kernel cache."""

import collections
import os
import pathlib
import threading

from . import _flow
from ._arrays import as_array, for_kernel

#: Snapshot of the kernel cache. ``compiles`` counts every run of the MLIR
#: compiler in this process (cache misses, ``lowered_ir`` and failed
#: compilations included), so a cached call leaves it unchanged.
CacheInfo = collections.namedtuple(
    "CacheInfo", "hits misses size maxsize compiles")


class _KernelCache:
    """A thread-safe LRU map from a call signature to a CompiledFunction.
    Failed compilations are not cached."""

    def __init__(self, maxsize=256):
        self._lock = threading.Lock()
        self._entries = collections.OrderedDict()
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0

    def lookup(self, key):
        with self._lock:
            fn = self._entries.get(key)
            if fn is None:
                self.misses += 1
            else:
                self.hits += 1
                self._entries.move_to_end(key)
            return fn

    def peek(self, key):
        """Like lookup, without counting."""
        with self._lock:
            return self._entries.get(key)

    def insert(self, key, fn):
        with self._lock:
            fn = self._entries.setdefault(key, fn)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
            return fn

    def clear(self):
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def info(self):
        with self._lock:
            return CacheInfo(self.hits, self.misses, len(self._entries),
                             self.maxsize, _flow.compile_count())


CACHE = _KernelCache()


def cache_info():
    """Hits, misses, size and limit of the kernel cache, and how many times
    the MLIR compiler ran in this process."""
    return CACHE.info()


def clear_cache():
    """Drops every cached kernel and resets the hit/miss counters."""
    CACHE.clear()


def set_cache_limit(maxsize):
    """Keeps at most `maxsize` (>= 1) kernels, evicting the least recently
    used ones."""
    if maxsize < 1:
        raise ValueError(f"cache limit must be at least 1, got {maxsize}")
    with CACHE._lock:
        CACHE.maxsize = int(maxsize)
        while len(CACHE._entries) > CACHE.maxsize:
            CACHE._entries.popitem(last=False)


#: The persistent compile cache of this process (see set_disk_cache).
DiskCacheInfo = collections.namedtuple(
    "DiskCacheInfo", "directory hits misses stores rejected evictions")


def set_disk_cache(enabled):
    """Turns the persistent compile cache on (default) or off for this
    process. Compiled code is kept in ``$FLOW_CACHE_DIR`` (``off``
    disables it), else ``$XDG_CACHE_HOME/flow-mlir``, else
    ``~/.cache/flow-mlir``, so that another process loads it instead of
    compiling; ``FLOW_CACHE_MAX_BYTES`` caps its size (default 512 MiB)."""
    _flow.set_disk_cache(bool(enabled))


def disk_cache_info():
    """The persistent cache's directory (None when off) and what this
    process did with it: hits, misses, stores, rejected (bad) entries and
    evictions."""
    return DiskCacheInfo(*_flow.disk_cache_info())


def compile_count():
    """How many times the MLIR compiler ran in this process."""
    return _flow.compile_count()


_TARGETS = ("cpu", "cuda")
_STRATEGIES = ("phase", "zero-insert")


def check_target(target):
    if target not in _TARGETS:
        raise ValueError(f"unknown target {target!r} (expected 'cpu' or "
                         "'cuda')")
    return target


def check_strategy(strategy):
    if strategy not in _STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r} (expected 'phase' "
                         "or 'zero-insert')")
    return strategy


class CompiledFunction:
    """A JIT-compiled entry function. Call it with one array per argument;
    it returns one NumPy array, or a tuple when the entry has several
    results."""

    def __init__(self, kernel, source, name, target, entry, strategy,
                 pipeline):
        self._kernel = kernel
        self.source = source
        self.name = name
        self.target = target
        self.entry = entry
        self.strategy = strategy
        self.pipeline = pipeline
        self._lowered = None

    @property
    def inputs(self):
        """[(shape, dtype name)] of the arguments; None marks a dynamic dim."""
        return [(shape, dtype) for shape, dtype, _ in self._kernel.inputs]

    @property
    def outputs(self):
        """[(shape, dtype name)] of the results; None marks a dynamic dim."""
        return [(shape, dtype) for shape, dtype, _ in self._kernel.outputs]

    @property
    def lowered_ir(self):
        """The module after the target pipeline (LLVM dialect). Computed on
        first use by compiling the source once more."""
        if self._lowered is None:
            kernel = _flow.compile(self.source, self.name, self.target,
                                   self.entry, self.strategy,
                                   self.pipeline or "", True)
            self._lowered = kernel.lowered_ir
        return self._lowered

    def __call__(self, *args):
        arrays = [for_kernel(as_array(a, f"argument {i}"))
                  for i, a in enumerate(args)]
        results = self._kernel(arrays)
        return results[0] if len(results) == 1 else tuple(results)

    def __repr__(self):
        sig = ", ".join(t for _, _, t in self._kernel.inputs)
        res = ", ".join(t for _, _, t in self._kernel.outputs)
        return (f"<flow_mlir.CompiledFunction @{self.entry}({sig}) -> "
                f"({res}) target={self.target}>")


#: Compilations run one at a time (compiled kernels run concurrently): the
#: pass pipelines and LLVM's JIT set-up are not promised to be thread-safe,
#: and threads missing on one signature should compile it once.
_COMPILE_LOCK = threading.RLock()


def compile_source(source, name, target="cpu", entry="main",
                   strategy="phase", pipeline=None):
    """Compiles without the cache; raises CompileError."""
    with _COMPILE_LOCK:
        kernel = _flow.compile(source, name, target, entry, strategy,
                               pipeline or "", False)
    return CompiledFunction(kernel, source, name, target, entry, strategy,
                            pipeline)


def build_missing(key, build):
    """After a cache miss on `key`: build() (validate, compile) and cache
    the result, unless another thread did so meanwhile."""
    with _COMPILE_LOCK:
        fn = CACHE.peek(key)
        if fn is None:
            fn = CACHE.insert(key, build())
        return fn


def _looks_like_path(text):
    """Whether a str given as MLIR text is more likely a file name: one line
    without '{' that ends in .mlir or names an existing file."""
    if "\n" in text or "{" in text or not text.strip():
        return False
    return text.strip().endswith(".mlir") or os.path.isfile(text)


def compile(source, target="cpu", *, entry="main", strategy="phase",
            pipeline=None, cache=True):
    """JIT-compiles an MLIR module (flow, linalg, ...) for `target` ('cpu' or
    'cuda') and returns a callable.

    `source` is the module's text (str or bytes) or a ``pathlib.Path`` (any
    ``os.PathLike``) of a .mlir file; for a file name given as a str use
    :func:`compile_file`. A str that looks like a file name rather than MLIR
    raises ValueError. `entry` names the func.func to call; its arguments and
    results must be ranked tensors of f16/f32/f64. `strategy` picks the
    conv_transpose2d lowering ('phase' or 'zero-insert'); `pipeline`
    replaces the target's pass pipeline with a textual one (bare, as
    "flow-lower-to-cpu{parallel=false}", or anchored, as
    "builtin.module(flow-lower-to-cpu)"). Errors in the module (parse,
    verifier, lowering) raise CompileError carrying the located
    diagnostics. Identical requests share one compiled kernel unless `cache`
    is False."""
    name = "<flow_mlir.compile>"
    if isinstance(source, os.PathLike):
        name = os.fspath(source)
        with open(name, encoding="utf-8") as f:
            source = f.read()
    elif isinstance(source, bytes):
        source = source.decode("utf-8")
    elif not isinstance(source, str):
        raise ValueError("compile() takes MLIR text (str) or a path, got "
                         f"{type(source).__name__}")
    elif _looks_like_path(source):
        raise ValueError(
            f"compile() takes MLIR text, and {source!r} looks like a file "
            "name: use flow_mlir.compile_file(path) or pass a pathlib.Path")
    check_target(target)
    check_strategy(strategy)
    if not cache:
        return compile_source(source, name, target, entry, strategy, pipeline)
    key = ("module", source, name, target, entry, strategy, pipeline)
    fn = CACHE.lookup(key)
    if fn is None:
        fn = build_missing(key, lambda: compile_source(
            source, name, target, entry, strategy, pipeline))
    return fn


def compile_file(path, target="cpu", **kwargs):
    """:func:`compile` for the .mlir file at `path` (a str or a
    ``pathlib.Path``); diagnostics name the file. Keywords as for
    :func:`compile`."""
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError("compile_file() takes a path (str or os.PathLike), "
                         f"got {type(path).__name__}")
    return compile(pathlib.Path(path), target, **kwargs)
