"""Table and plot of LexinvarianceTest's rows (see benchmarks/transformer-experiment.sh)."""
import datetime
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

rows = []
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "lexinvariance-row":
        rows.append([int(f[1]), int(f[2])] + [float(x) for x in f[3:]])
rows.sort()
out = sys.argv[2]
steps = sys.argv[3].split("=")[1]
with open(f"{out}/lexinvariance.md", "w") as md:
    md.write("# Lexinvariant vs standard byte-level transformer\n\n")
    md.write(f"Written by `benchmarks/transformer-experiment.sh lexinvariance {steps}` on {datetime.date.today()}. "
             f"Two models (2 layers, 2 heads, d = 32, context 128) trained {steps} steps of 8 windows of linux-doc: "
             "one with learned embeddings, one with a fresh N(0, 1/d) table per sequence (input and tied output). "
             "48 held-out windows; the lexinvariant model scored under 4 tables each; the cipher relabels every byte "
             "by one random permutation.\n\n")
    md.write("| positions | loss standard | loss lexinvariant | gap | standard on cipher | lexinvariant on cipher "
             "| accuracy standard | accuracy lexinvariant on cipher |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
    for a, b, std, lex, stdc, lexc, acc, lexacc in rows:
        md.write(f"| {a}-{b - 1} | {std:.3f} | {lex:.3f} | {lex - std:.3f} | {stdc:.3f} | {lexc:.3f} | {acc:.3f} "
                 f"| {lexacc:.3f} |\n")
    md.write("\n![loss by position](lexinvariance.png)\n")
fig, ax = plt.subplots(figsize=(5.5, 3.2))
x = [f"{r[0]}-{r[1] - 1}" for r in rows]
for k, label, style in ((2, "standard", "o-"), (3, "lexinvariant", "s-"), (4, "standard on cipher", "o--"),
                        (5, "lexinvariant on cipher", "s--")):
    ax.plot(x, [r[k] for r in rows], style, label=label)
ax.set_xlabel("positions")
ax.set_ylabel("held-out loss (nats/byte)")
ax.legend(fontsize=7)
fig.tight_layout()
fig.savefig(f"{out}/lexinvariance.png", dpi=110)
print(open(f"{out}/lexinvariance.md").read())
