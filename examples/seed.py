# The seed's example with the import swapped: OneFlow's nn.ConvTranspose2d
# example, run by flow_mlir (compiled by flow-mlir's JIT).
#   PYTHONPATH=build/python_packages /usr/bin/python3 examples/seed.py
import numpy as np, flow_mlir as flow, flow_mlir.nn as nn

m = nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
if flow.cuda.is_available():
    m = m.to("cuda")
out = m(np.random.randn(20, 16, 50, 100).astype(np.float32))   # out.shape == (20, 33, 93, 100)
print(out.shape)
