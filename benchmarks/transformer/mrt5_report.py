"""Table and plot of MrT5Test's rows (see benchmarks/transformer-experiment.sh)."""
import datetime
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

rows = []
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "mrt5-row":
        rows.append((float(f[1]), int(f[2]), int(f[3])) + tuple(float(x) for x in f[4:]))
rows.sort()
out = sys.argv[2]
args = " ".join(a.split("=")[1] for a in sys.argv[3:6])
base = rows[0][4]
with open(f"{out}/mrt5.md", "w") as md:
    md.write("# MrT5: a learned deletion gate in a byte-level transformer\n\n")
    md.write(f"Written by `benchmarks/transformer-experiment.sh mrt5 {args}` on {datetime.date.today()}. "
             f"One model per regulariser weight alpha (3 layers, 2 heads, d = 32, context 64, {rows[0][2]} steps of "
             f"8 windows of linux-doc), the gate before layer {rows[0][1]}; held-out loss (nats/byte) on 160 windows "
             "with the gate's hard deletions (keep probability < 0.5). Deleted share: of the bytes after the start "
             "token, those later layers no longer hold as keys and values (the sequence-length reduction of a "
             "decoder-only model). Controls at the same share: the same model with bytes deleted at random, and a "
             "model trained with bytes deleted at random (deletion as such). Increase: against the smallest alpha.\n\n")
    md.write("| alpha | deleted | loss (gate) | increase | same model, random deletions | trained with random "
             "deletions |\n|---:|---:|---:|---:|---:|---:|\n")
    for alpha, layer, steps, deleted, loss, random, control in rows:
        md.write(f"| {alpha:g} | {deleted:.1%} | {loss:.4f} | {loss - base:+.4f} | {random:.4f} | {control:.4f} |\n")
    md.write("\n![reduction vs loss](mrt5.png)\n")
fig, ax = plt.subplots(figsize=(5.5, 3.4))
ax.plot([r[3] for r in rows], [r[4] - base for r in rows], "o-", label="learned gate")
ax.plot([r[3] for r in rows], [r[5] - base for r in rows], "x--", label="same model, random deletions")
ax.plot([r[3] for r in rows], [r[6] - base for r in rows], "s:", label="trained with random deletions")
for r in rows:
    ax.annotate(f"{r[0]:g}", (r[3], r[4] - base), fontsize=7, xytext=(3, 3), textcoords="offset points")
ax.set_xlabel("share of bytes deleted after the gate")
ax.set_ylabel("held-out loss increase (nats/byte)")
ax.legend(fontsize=7)
fig.tight_layout()
fig.savefig(f"{out}/mrt5.png", dpi=110)
print(open(f"{out}/mrt5.md").read())
