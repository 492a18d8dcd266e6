"""Table and plot of SoftplusAttentionTest's rows (see benchmarks/transformer-experiment.sh)."""
import datetime
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

rows = []
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "softplus-row":
        rows.append((int(f[1]), int(f[2]), float(f[3]), float(f[4]), float(f[5])))
rows.sort()
out = sys.argv[2]
train_length, steps = rows[0][1], sys.argv[4].split("=")[1]
with open(f"{out}/softplus-attention.md", "w") as md:
    md.write("# Softplus attention with re-weighting vs softmax: held-out loss beyond the training length\n\n")
    md.write(f"Written by `benchmarks/transformer-experiment.sh softplus-attention {train_length} {steps}` on "
             f"{datetime.date.today()}. Two byte-level models alike but for the attention (2 layers, 2 heads, d = 32, "
             f"no learned positions), each trained {steps} steps of 16 windows of {train_length} bytes of linux-doc; "
             "softplus: softplus(log n * scores)^3, l1-normalised. Held-out linux-doc windows of each length, mean loss "
             "over all their positions (nats/byte).\n\n")
    md.write("| length | softmax | softplus, re-weighted (power 3) | softplus, power 1 |\n|---|---:|---:|---:|\n")
    for factor, length, softmax, softplus, unweighted in rows:
        md.write(f"| {factor}x ({length} bytes) | {softmax:.4f} | {softplus:.4f} | {unweighted:.4f} |\n")
    md.write(f"\nRise from 1x to {rows[-1][0]}x: softmax {rows[-1][2] - rows[0][2]:+.4f}, "
             f"softplus re-weighted {rows[-1][3] - rows[0][3]:+.4f}, softplus power 1 {rows[-1][4] - rows[0][4]:+.4f}."
             "\n\n![held-out loss by length](softplus-attention.png)\n")
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.plot([r[1] for r in rows], [r[2] for r in rows], "o-", label="softmax")
ax.plot([r[1] for r in rows], [r[3] for r in rows], "s-", label="softplus, re-weighted")
ax.plot([r[1] for r in rows], [r[4] for r in rows], "^--", label="softplus, power 1")
ax.axvline(train_length, color="#bbb", linestyle=":")
ax.set_xscale("log", base=2)
ax.set_xlabel("window length (bytes)")
ax.set_ylabel("held-out loss (nats/byte)")
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(f"{out}/softplus-attention.png", dpi=110)
print(open(f"{out}/softplus-attention.md").read())
