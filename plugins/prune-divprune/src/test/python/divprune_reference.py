"""DivPrune's selection transcribed to PyTorch from the paper and its reference description
(vbdi/divprune, llava_arch.py): written here, not copied.

Usage: /usr/bin/python3 divprune_reference.py REPEATS FEATURES.npy KEEP [FEATURES.npy KEEP ...]
For the i-th pair prints "order i: ..." (the selection as chosen, not sorted) and "seconds i: ..."
(the best wall time of REPEATS whole runs, distance matrix included). One process serves many cases
because importing torch costs seconds.
"""
import sys
import time

import numpy as np
import torch


def divprune_order(features, keep):
    """Greedy Max-Min Diversity over D = 1 - cos, recomputing the minimum over every kept row at
    each step, as the reference does."""
    unit = features / features.norm(dim=1, keepdim=True)
    distance = 1.0 - unit @ unit.t()
    chosen = torch.empty(keep, dtype=torch.long)
    for step in range(keep):
        if step == 0:
            # each column's second-smallest value: the distance to its nearest other token
            score = torch.topk(distance, 2, dim=0, largest=False).values[1, :]
        else:
            kept_rows = torch.index_select(distance, 0, chosen[:step])
            score = torch.min(kept_rows, dim=0).values
        chosen[step] = torch.argmax(score)
    return chosen


def main():
    repeats = int(sys.argv[1])
    cases = sys.argv[2:]
    for case in range(len(cases) // 2):
        features = torch.from_numpy(np.load(cases[2 * case]).astype(np.float32, copy=False))
        keep = int(cases[2 * case + 1])
        best = float("inf")
        order = None
        with torch.no_grad():
            for _ in range(repeats):
                start = time.perf_counter()
                order = divprune_order(features, keep)
                best = min(best, time.perf_counter() - start)
        print(f"order {case}: " + " ".join(str(int(i)) for i in order))
        print(f"seconds {case}: {best:.6f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
