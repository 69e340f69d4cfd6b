"""Checks the elements flow-runner --print wrote (after its "result 0:"
line) against NumPy's own printing of the saved result: the same sequence of
numbers and "..." as numpy.array2string with NumPy's defaults (threshold
1000, edgeitems 3), or, with --all, every element in order."""
import re
import sys

import numpy as np

text_path, npy_path = sys.argv[1:3]
everything = "--all" in sys.argv[3:]
y = np.load(npy_path)
lines = open(text_path).read().splitlines()
assert lines[0].startswith("result 0: "), lines[0]
ours = re.findall(r"\.\.\.|[^\s\[\],]+", "\n".join(lines[1:]))
opts = dict(threshold=sys.maxsize if everything else 1000, edgeitems=3,
            separator=", ", formatter={"float_kind": lambda v: "%.6g" % v})
theirs = re.findall(r"\.\.\.|[^\s\[\],]+", np.array2string(y, **opts))
assert ours == theirs, (len(ours), len(theirs), ours[:20], theirs[:20])
if everything:
    assert len(ours) == y.size
else:
    assert "..." in ours and len(ours) < y.size
print(f"{len(ours)} items agree with numpy")
