"""TokenFLEX's pooling is PyTorch's adaptive_avg_pool2d: this runs it on token grids.

Usage: /usr/bin/python3 adaptive_pool_reference.py OUT_DIR FEATURES.npy:ROWS:COLS:H1xW1,H2xW2 [...]
FEATURES is (ROWS*COLS) x D, row-major over the grid; writes OUT_DIR/<features name>-HxW.npy, (H*W) x D.
All grids go through one process because importing torch costs seconds.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F


def main():
    out_dir = sys.argv[1]
    for spec in sys.argv[2:]:
        path, rows, cols, sizes = spec.rsplit(":", 3)
        features = torch.from_numpy(np.load(path).astype(np.float32, copy=False))
        # tokens x D on a grid -> 1 x D x rows x cols, the layout the pooling expects
        grid = features.t().reshape(1, features.shape[1], int(rows), int(cols))
        name = os.path.splitext(os.path.basename(path))[0]
        for size in sizes.split(","):
            h, w = (int(v) for v in size.split("x"))
            pooled = F.adaptive_avg_pool2d(grid, (h, w)).reshape(features.shape[1], h * w).t().contiguous()
            np.save(os.path.join(out_dir, f"{name}-{h}x{w}.npy"), pooled.numpy())


if __name__ == "__main__":
    main()
