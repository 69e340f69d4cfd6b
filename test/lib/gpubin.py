"""Reads the kernels that flow-lower-to-cuda embeds in `gpu.binary` ops.

usage: gpubin.py ptx|fatbin < module.mlir

  ptx     prints the PTX of each object (format=isa), after a line
          "== gpu.binary @NAME"
  fatbin  lists the images of each fat binary (format=fatbin), one line
          "== gpu.binary @NAME: elf sm_90 (N bytes), ptx sm_90 (N bytes)"

The object bytes are read from MLIR's printed string attribute (printable
characters as they are, others as \\XX, a backslash as \\\\), the fat binary
layout from the container's headers (magic 0xBA55ED50; per image a kind:
1 = PTX, 2 = ELF/cubin, and the SM architecture)."""

import re
import struct
import sys

BINARY = re.compile(r'gpu\.binary @(\w+)\s*(?:<[^>]*>\s*)?\[(.*)\]\s*$')
# The object is the string closing a #gpu.object<...> (then "]" or the next
# object), unlike the target's strings (then "," or ">,").
OBJECT_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"\s*>(?=\s*(?:\]|,\s*#gpu\.object|$))')


def unescape(text):
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            if text[i + 1] == "\\":
                out.append(0x5C)
                i += 2
            else:
                out.append(int(text[i + 1:i + 3], 16))
                i += 3
        else:
            out.extend(c.encode("latin-1"))
            i += 1
    return bytes(out)


def objects(mlir):
    """(binary name, object bytes) for each gpu.binary."""
    for line in mlir.splitlines():
        m = BINARY.search(line.strip())
        if not m:
            continue
        for s in OBJECT_STRING.finditer(m.group(2)):
            yield m.group(1), unescape(s.group(1))


def fatbin_images(data):
    magic, _, header, size = struct.unpack_from("<IHHQ", data, 0)
    if magic != 0xBA55ED50:
        raise SystemExit(f"not a fat binary (magic {magic:#x})")
    images, offset = [], header
    while offset < header + size:
        kind, _, image_header = struct.unpack_from("<HHI", data, offset)
        image_size = struct.unpack_from("<Q", data, offset + 8)[0]
        arch = struct.unpack_from("<I", data, offset + 28)[0]
        name = {1: "ptx", 2: "elf"}.get(kind, f"kind{kind}")
        images.append(f"{name} sm_{arch} ({image_size} bytes)")
        offset += image_header + image_size
    return images


def main():
    mode = sys.argv[1]
    found = False
    for name, data in objects(sys.stdin.read()):
        found = True
        if mode == "ptx":
            print(f"== gpu.binary @{name}")
            print(data.rstrip(b"\0").decode())
        else:
            print(f"== gpu.binary @{name}: {', '.join(fatbin_images(data))}")
    if not found:
        raise SystemExit("no gpu.binary with an object found")


if __name__ == "__main__":
    main()
