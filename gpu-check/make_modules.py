#!/usr/bin/env python3
"""Writes the modules that scripts/gpu-check.sh compiles ahead of time.

usage: make_modules.py OUT_DIR CONVREF_DIR SHAPES_JSON COUNT CHUNK

- the differential configurations: the first COUNT of
  test/Integration/CPU/differential.py's stream (random.Random(42) through
  convref.random_config(allow_dynamic=True)), CHUNK entries per module
  (diff_00.mlir, ...; entry dNNN is configuration NNN);
- the CUDA shapes of shapes.json (targets containing "cuda") in
  shapes.mlir, one entry per shape, named after it;
- configs.json (next to OUT_DIR): every entry's library, name and
  configuration, which check.py reads.
"""

import json
import os
import random
import re
import sys

out_dir, convref_dir, shapes_json, count, chunk = sys.argv[1:6]
count, chunk = int(count), int(chunk)
sys.path.insert(0, convref_dir)
import convref  # noqa: E402


def entry_text(cfg, name, static_result=False):
    text = convref.mlir_for(cfg)
    if static_result:
        # convref declares the result tensor<?x?x?x?xf32>; the benchmark
        # shapes get their static type.
        h = convref.out_size(cfg["H"], cfg["kernel"][0], cfg["stride"][0],
                             cfg["padding"][0], cfg["output_padding"][0],
                             cfg["dilation"][0])
        w = convref.out_size(cfg["W"], cfg["kernel"][1], cfg["stride"][1],
                             cfg["padding"][1], cfg["output_padding"][1],
                             cfg["dilation"][1])
        text = text.replace("tensor<?x?x?x?xf32>",
                            f"tensor<{cfg['N']}x{cfg['Cout']}x{h}x{w}xf32>")
    return text.replace("func.func @main(", f"func.func @{name}(", 1)


rng = random.Random(42)  # differential.py's stream
configs = [convref.random_config(rng, allow_dynamic=True)
           for _ in range(count)]
records = []
modules = []
for start in range(0, count, chunk):
    lib = f"diff_{start // chunk:02d}"
    body = []
    for i in range(start, min(start + chunk, count)):
        name = f"d{i:03d}"
        body.append(entry_text(configs[i], name))
        records.append({"kind": "differential", "library": lib,
                        "entry": name, "index": i, "config": configs[i]})
    modules.append(lib)
    with open(os.path.join(out_dir, lib + ".mlir"), "w") as f:
        f.write("\n".join(body))

with open(shapes_json) as f:
    shapes = json.load(f)["shapes"]
body = []
for s in shapes:
    if "cuda" not in s.get("targets", ["cuda"]):
        continue
    name = re.sub(r"\W", "_", s["name"])
    cfg = {"N": s["N"], "Cin": s["Cin"], "Cout": s["Cout"],
           "groups": s["groups"], "H": s["H"], "W": s["W"],
           "kernel": list(s["kernel"]), "stride": list(s["stride"]),
           "padding": list(s["padding"]),
           "output_padding": list(s["output_padding"]),
           "dilation": list(s["dilation"]), "bias": True, "dynamic": False}
    body.append(entry_text(cfg, name, static_result=True))
    records.append({"kind": "shape", "library": "shapes", "entry": name,
                    "name": s["name"], "config": cfg})
if body:
    modules.append("shapes")
    with open(os.path.join(out_dir, "shapes.mlir"), "w") as f:
        f.write("\n".join(body))

with open(os.path.join(os.path.dirname(os.path.abspath(out_dir)),
                       "configs.json"), "w") as f:
    json.dump({"differential_seed": 42, "entries": records}, f, indent=1)
print(" ".join(modules))
