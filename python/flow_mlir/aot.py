"""Loader for ahead-of-time libraries made by ``flow-compile``.

    lib = flow_mlir.load("libseed.so")      # or flow_mlir.aot.load
    out = lib(x, w, b)                      # the entry "main" (or the only one)
    out = lib.main(x, w, b)                 # any entry by name
    lib["main"].signature                   # "@main(tensor<...>, ...) -> (...)"

Arguments are NumPy arrays (anything ``np.asarray`` accepts) of exactly the
entry's element type (float16/float32/float64; bfloat16 as raw uint16 bits)
whose shapes fit its signature; results come back as NumPy arrays that own
the library's buffers (no copy). Errors raise :class:`AotError` with the
library's message ("argument 1: expected shape ...", "no CUDA device (...)").

This module needs only the standard library and NumPy (ctypes, no LLVM, no
compiled extension), so it can be copied alone next to the libraries to a
machine with neither (scripts/gpu-check.sh does).
"""

import ctypes
import os
import threading

import numpy as np

__all__ = ["AotError", "AotFunction", "AotLibrary", "load"]

_DTYPES = {"f16": np.dtype(np.float16), "bf16": np.dtype(np.uint16),
           "f32": np.dtype(np.float32), "f64": np.dtype(np.float64)}
_NUMPY_NAMES = {"f16": "float16", "bf16": "bfloat16 (as uint16)",
                "f32": "float32", "f64": "float64"}
_MANIFEST_VERSION = 1


class AotError(RuntimeError):
    """A library could not be loaded, or a call failed."""


def _shape_text(dims):
    inner = ", ".join("?" if d < 0 else str(d) for d in dims)
    return f"({inner},)" if len(dims) == 1 else f"({inner})"


class TensorType:
    """Element type ("f32", ...) and dims (-1: dynamic) of an argument or
    result."""

    def __init__(self, dtype, dims):
        self.dtype = dtype
        self.dims = tuple(dims)

    @property
    def numpy_dtype(self):
        return _DTYPES[self.dtype]

    def __str__(self):
        return "tensor<" + "".join(
            ("?" if d < 0 else str(d)) + "x" for d in self.dims) + \
            self.dtype + ">"

    __repr__ = __str__


def _parse_manifest(text, path):
    """Parses the text of flow_aot_manifest() (runtime/AOT/Manifest.cpp)."""
    info = {"entries": []}
    entry = None
    lines = text.splitlines()

    def bad(why):
        return AotError(f"{path}: malformed manifest ({why})")

    if not lines or not lines[0].startswith("flow-aot "):
        raise bad("no 'flow-aot' header")
    version = int(lines[0].split()[1])
    if version != _MANIFEST_VERSION:
        raise AotError(f"{path}: manifest version {version} is not supported "
                       f"(this loader reads version {_MANIFEST_VERSION})")
    for line in lines[1:]:
        words = line.split()
        if not words:
            continue
        key = words[0]
        if key in ("prefix", "target", "cpu", "chip"):
            info[key] = words[1]
        elif key == "entry":
            entry = {"name": words[1], "cname": words[2], "args": [],
                     "results": [], "convs": []}
            info["entries"].append(entry)
        elif key in ("arg", "result"):
            rank = int(words[2])
            dims = [int(d) for d in words[3:3 + rank]]
            entry["args" if key == "arg" else "results"].append(
                TensorType(words[1], dims))
        elif key == "conv":
            rank = int(words[2])
            entry["convs"].append((int(words[1]),
                                   [int(d) for d in words[3:3 + rank]],
                                   int(words[3 + rank])))
        elif key == "end":
            entry = None
        else:
            raise bad(f"unknown record {key!r}")
    return info


class _Result:
    """Owns one result buffer of the library; NumPy views it through
    __array_interface__ and keeps this object alive as the array's base."""

    def __init__(self, library, address, dtype, shape):
        self._free = library._free
        self._address = address
        self._keep = library  # the library outlives its buffers
        self.__array_interface__ = {
            "data": (address, False), "shape": tuple(shape),
            "typestr": dtype.str, "version": 3}

    def __del__(self):
        if self._address:
            self._free(ctypes.c_void_p(self._address))
            self._address = None


class AotFunction:
    """One entry of a library: call it with NumPy arrays."""

    def __init__(self, library, index, entry):
        self._library = library
        self._index = index
        self.name = entry["name"]
        self.args = entry["args"]
        self.results = entry["results"]
        self._convs = entry["convs"]

    @property
    def signature(self):
        return (f"@{self.name}(" + ", ".join(map(str, self.args)) +
                ") -> (" + ", ".join(map(str, self.results)) + ")")

    def __repr__(self):
        return f"<flow_mlir.aot function {self.signature}>"

    def flops(self, *arrays):
        """Useful FLOPs of a call with these arguments (0 when unknown)."""
        total = 0.0
        for arg, dims, factor in self._convs:
            if 0 <= arg < len(arrays):
                dims = np.shape(arrays[arg])
            if factor > 0 and all(d >= 0 for d in dims):
                total += 2.0 * float(np.prod(dims, dtype=np.float64)) * factor
        return total

    def _check(self, arrays):
        if len(arrays) != len(self.args):
            raise AotError(f"@{self.name} takes {len(self.args)} "
                           f"argument(s), got {len(arrays)}")
        prepared = []
        for i, (a, t) in enumerate(zip(arrays, self.args)):
            a = np.asarray(a)
            if a.dtype != t.numpy_dtype:
                raise AotError(
                    f"argument {i}: expected dtype {_NUMPY_NAMES[t.dtype]} "
                    f"({t}), got {a.dtype}")
            if a.ndim != len(t.dims) or any(
                    d >= 0 and d != s for d, s in zip(t.dims, a.shape)):
                raise AotError(f"argument {i}: expected shape "
                               f"{_shape_text(t.dims)} ({t}), got "
                               f"{_shape_text(a.shape)}")
            prepared.append(np.ascontiguousarray(a))
        return prepared

    def __call__(self, *arrays):
        lib = self._library
        arrays = self._check(arrays)
        n, m = len(arrays), len(self.results)
        args = (ctypes.c_void_p * max(n, 1))(
            *[a.ctypes.data if a.size else None for a in arrays])
        shape_buffers = [(ctypes.c_int64 * max(a.ndim, 1))(*a.shape)
                         for a in arrays]
        arg_shapes = (ctypes.POINTER(ctypes.c_int64) * max(n, 1))(
            *[ctypes.cast(s, ctypes.POINTER(ctypes.c_int64))
              for s in shape_buffers])
        results = (ctypes.c_void_p * max(m, 1))()
        result_dims = [(ctypes.c_int64 * max(len(t.dims), 1))()
                       for t in self.results]
        result_shapes = (ctypes.POINTER(ctypes.c_int64) * max(m, 1))(
            *[ctypes.cast(s, ctypes.POINTER(ctypes.c_int64))
              for s in result_dims])
        rc = lib._call(self._index, args, arg_shapes, results, result_shapes)
        if rc != 0:
            raise AotError(lib._last_error().decode(errors="replace"))
        outs = []
        for r, t in enumerate(self.results):
            shape = tuple(result_dims[r][:len(t.dims)])
            if results[r]:
                outs.append(np.asarray(
                    _Result(lib, results[r], t.numpy_dtype, shape)))
            else:
                outs.append(np.empty(shape, dtype=t.numpy_dtype))
        if m == 1:
            return outs[0]
        return tuple(outs)


class AotLibrary:
    """A library made by flow-compile, loaded with ctypes."""

    def __init__(self, path):
        path = os.fspath(path)
        if not os.path.exists(path):
            raise AotError(f"{path}: cannot open: No such file or directory")
        try:
            self._dll = ctypes.CDLL(os.path.abspath(path))
        except OSError as e:
            raise AotError(f"{path}: cannot load: {e}") from None
        self.path = path
        try:
            manifest = self._dll.flow_aot_manifest
            self._call = self._dll.flow_aot_call
            self._free = self._dll.flow_aot_free
            self._last_error = self._dll.flow_aot_last_error
            self._device_check = self._dll.flow_aot_device_check
            self._timing_begin = self._dll.flow_aot_timing_begin
            self._timing_end = self._dll.flow_aot_timing_end
        except AttributeError as e:
            raise AotError(f"{path}: not a flow-compile library ({e})") \
                from None
        manifest.restype = ctypes.c_char_p
        manifest.argtypes = []
        self._call.restype = ctypes.c_int
        self._call.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                               ctypes.c_void_p, ctypes.c_void_p]
        self._free.restype = None
        self._free.argtypes = [ctypes.c_void_p]
        self._last_error.restype = ctypes.c_char_p
        self._last_error.argtypes = []
        self._device_check.restype = ctypes.c_int
        self._device_check.argtypes = []
        self._timing_begin.restype = None
        self._timing_begin.argtypes = []
        self._timing_end.restype = ctypes.c_double
        self._timing_end.argtypes = []
        self.manifest = manifest().decode()
        info = _parse_manifest(self.manifest, path)
        self.target = info.get("target")
        self.cpu = info.get("cpu")
        self.chip = info.get("chip")
        self.prefix = info.get("prefix")
        self.functions = {e["name"]: AotFunction(self, i, e)
                          for i, e in enumerate(info["entries"])}
        self._timing_lock = threading.Lock()

    def __repr__(self):
        return (f"<flow_mlir.aot library {self.path!r}: target {self.target},"
                f" entries {', '.join(self.functions)}>")

    def __getitem__(self, name):
        try:
            return self.functions[name]
        except KeyError:
            raise KeyError(f"{self.path}: no entry {name!r} (entries: "
                           f"{', '.join(self.functions)})") from None

    def __getattr__(self, name):
        functions = self.__dict__.get("functions", {})
        if name in functions:
            return functions[name]
        raise AttributeError(name)

    def __contains__(self, name):
        return name in self.functions

    def _default(self):
        if "main" in self.functions:
            return self.functions["main"]
        if len(self.functions) == 1:
            return next(iter(self.functions.values()))
        raise AotError(f"{self.path}: no entry 'main' and several entries "
                       f"({', '.join(self.functions)}); call one by name")

    def __call__(self, *arrays):
        return self._default()(*arrays)

    def device_check(self):
        """Raises AotError ("no CUDA driver (...)", "no CUDA device (...)")
        when the library cannot run on this machine."""
        if self._device_check() != 0:
            raise AotError(self._last_error().decode(errors="replace"))

    def available(self):
        """True when the library can run on this machine."""
        return self._device_check() == 0

    def kernel_time(self, fn, *arrays):
        """CUDA: calls fn(*arrays) and returns (result, ms of its kernels),
        measured with CUDA events. CPU libraries: the ms are None."""
        with self._timing_lock:
            self._timing_begin()
            try:
                out = fn(*arrays)
            finally:
                ms = self._timing_end()
        return out, (ms if self.target == "cuda" and ms >= 0 else None)


def load(path):
    """Loads a library made by ``flow-compile``; returns an
    :class:`AotLibrary`, callable like its entry ``main`` (or its only
    entry), with every entry as an attribute and by ``lib["name"]``."""
    return AotLibrary(path)
