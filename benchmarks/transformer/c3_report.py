"""Table and plot of ContextCompressionTest's rows (see benchmarks/transformer-experiment.sh)."""
import datetime
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

rows = []
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "c3-row":
        rows.append((f[1], int(f[2]), float(f[3]), int(f[4]), float(f[5]), float(f[6]), float(f[7]), float(f[8])))
order = {"prefix": 0, "aligned": 1, "-": 2}
rows.sort(key=lambda r: (order.get(r[0], 3), -r[1]))
out = sys.argv[2]
args = " ".join(a.split("=")[1] for a in sys.argv[3:])
with open(f"{out}/c3.md", "w") as md:
    md.write("# Context Cascade Compression (C3) on a byte-level encoder and decoder\n\n")
    md.write(f"Written by `benchmarks/transformer-experiment.sh c3 {args}` on {datetime.date.today()}. "
             "Encoder and decoder: byte transformers (2 layers, 2 heads) trained together from scratch on "
             f"linux-doc for {rows[0][3]} steps of 8 chunks, reconstruction loss only; the encoder reads the chunk "
             "and k learned context queries, the decoder reads the k latents and regenerates the chunk. 64 "
             "held-out chunks. Greedy: the decoder's own most likely bytes fed back (free-running "
             "reconstruction, the paper's decoding accuracy); teacher-forced: each byte predicted from the true "
             "bytes before it. Latents 0: the decoder alone, a language model guessing the chunk (the floor).\n\n")
    md.write(f"Decoder input dropout in training: {sys.argv[5].split('=')[1]} (1: a parallel decoder that reads "
             "no bytes, every byte predicted in one pass from the latents and its position). Layouts: prefix, the "
             "paper's (the decoder reads the latents before the chunk; the queries follow the chunk in the "
             "encoder); aligned, ours (latent i is also added to the encoder's and the decoder's rows of its "
             "share of the chunk, bytes [iN/k, (i+1)N/k), so which latent holds which bytes need not be "
             "learned through attention; still k latents in all).\n\n")
    md.write("| layout | latents | compression | held-out loss (nats/byte) | loss from another chunk's latents "
             "| teacher-forced accuracy | greedy accuracy |\n|---|---:|---:|---:|---:|---:|---:|\n")
    for layout, k, ratio, steps, loss, tf, greedy, other in rows:
        md.write(f"| {layout if k else 'decoder alone'} | {k} | {'-' if not k else f'{ratio:g}x'} | {loss:.3f} "
                 f"| {other:.3f} | {tf:.1%} | {greedy:.1%} |\n")
    md.write("\n![accuracy vs compression](c3.png)\n")
fig, ax = plt.subplots(figsize=(5.5, 3.4))
for layout, style in (("prefix", "o--"), ("aligned", "s-")):
    lat = [r for r in rows if r[1] and r[0] == layout]
    if lat:
        ax.plot([r[2] for r in lat], [r[6] for r in lat], style, label=f"{layout} layout, greedy reconstruction")
floor = [r for r in rows if not r[1]]
if floor:
    ax.axhline(floor[0][6], color="grey", linestyle=":", label="decoder alone")
ax.set_xscale("log", base=2)
ax.set_xlabel("compression ratio (bytes per latent)")
ax.set_ylabel("held-out byte accuracy")
ax.legend(fontsize=7)
fig.tight_layout()
fig.savefig(f"{out}/c3.png", dpi=110)
print(open(f"{out}/c3.md").read())
