"""Table and plot of RetroMaeTest's rows (see benchmarks/transformer-experiment.sh)."""
import datetime
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

MODELS = ["duplex", "duplex-cls-at-0", "mlm+reconstruction", "mlm-only"]
MODEL_NAMES = {"duplex": "RetroMAE v2 (MLM + reconstruction + bag of words)",
               "duplex-cls-at-0": "RetroMAE v2, decoder reads [CLS] at position 0 only",
               "mlm+reconstruction": "RetroMAE v1 objectives (MLM + reconstruction)",
               "mlm-only": "baseline (MLM only)"}
REPRESENTATIONS = ["CLS", "CLS_AND_BAG", "MEAN", "BAG"]
REPRESENTATION_NAMES = {"CLS": "[CLS]", "CLS_AND_BAG": "[CLS] + bag of words", "MEAN": "mean-pooled",
                        "BAG": "bag of words"}

rows = {}
training = {}
heldout = {}
setup = None
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "retromae-row":
        rows[(f[1], f[2])] = [float(x) for x in f[3:]]
    elif f[0] == "retromae-training":
        training[f[1]] = [float(x) for x in f[2:]]
    elif f[0] == "retromae-heldout":
        heldout[f[1]] = [float(x) for x in f[2:]]
    elif f[0] == "retromae-setup":
        setup = f[1:]
out = sys.argv[2]
props = dict(a.lstrip("-D").split("=", 1) for a in sys.argv[3:])
steps, batch, dimension, context, pairs, windows, chance = setup
models = [m for m in MODELS if (m, "CLS") in rows]
with open(f"{out}/retromae.md", "w") as md:
    md.write("# RetroMAE v2 (duplex masked auto-encoding) on the byte-level transformer\n\n")
    md.write(f"Written by `benchmarks/transformer-experiment.sh retromae {props['retromae.steps']} "
             f"{props['retromae.dimension']}` on {datetime.date.today()}. Encoders of 2 layers, 2 heads, "
             f"d = {dimension}, context {context} bytes, attention both ways, pre-trained {steps} steps of {batch} "
             "windows of 1 MB of linux-doc from the same initial weights, windows and masks (encoder 30% of the "
             "bytes masked with `<unk>`, decoder 70%; a 1-layer decoder with the [CLS] vector added to every "
             "position of its input, or to position 0 only where said). No fine-tuning on pairs. Retrieval: "
             f"{pairs} section titles of held-out linux-doc files (reStructuredText) as queries, the first "
             f"paragraph under each as its passage, cut to {context} bytes; each title ranked against all "
             f"{pairs} paragraphs by cosine. Chance: R@1 {1 / int(pairs):.3f}, R@5 {5 / int(pairs):.3f}, "
             f"MRR {float(chance):.3f}.\n\n")
    md.write("| model | representation | R@1 | R@5 | MRR |\n|---|---|---:|---:|---:|\n")
    for m in models:
        for r in REPRESENTATIONS:
            r1, r5, mrr = rows[(m, r)]
            md.write(f"| {MODEL_NAMES[m]} | {REPRESENTATION_NAMES[r]} | {r1:.3f} | {r5:.3f} | {mrr:.3f} |\n")
    base = rows[("mlm-only", "MEAN")][2]
    md.write(f"\nThe comparison the experiment is about, MRR: RetroMAE v2 [CLS] + bag of words "
             f"{rows[('duplex', 'CLS_AND_BAG')][2]:.3f} and [CLS] alone {rows[('duplex', 'CLS')][2]:.3f}, against "
             f"{base:.3f} for the mean-pooled outputs of the same encoder trained by MLM alone.")
    if ("mlm+reconstruction", "CLS") in rows:
        md.write(f" Without the bag-of-words objective (RetroMAE v1's objectives) [CLS] scores "
                 f"{rows[('mlm+reconstruction', 'CLS')][2]:.3f}; with [CLS] read at the decoder's position 0 only, "
                 f"{rows[('duplex-cls-at-0', 'CLS')][2]:.3f}.")
    md.write("\n\n")
    md.write(f"| model | MLM loss | reconstruction loss | bag-of-words loss | seconds | held-out reconstruction, "
             f"own [CLS] | another file's [CLS] | held-out bag-of-words loss |\n"
             "|---|---:|---:|---:|---:|---:|---:|---:|\n")
    for m in models:
        mlm, rec, bag, seconds = training[m]
        real, shuffled, bag_heldout = heldout[m]
        cells = [f"{x:.3f}" if x == x else "-" for x in (real, shuffled, bag_heldout)]
        md.write(f"| {MODEL_NAMES[m]} | {mlm:.3f} | {rec:.3f} | {bag:.3f} | {seconds:.0f} | "
                 + " | ".join(cells) + " |\n")
    md.write(f"\nTraining losses at the end (smoothed, nats/byte; 0: not trained); held-out losses on {windows} "
             "windows of the held-out files, a few from each, the decoder given each window's own [CLS] or that of a "
             "window of another file (the gap is what [CLS] tells the decoder), and the ReLU-max-pooled output "
             "logits scored as a bag of words whether or not the model was trained to make them one.\n\n"
             "![MRR by model and representation](retromae.png)\n")
fig, ax = plt.subplots(figsize=(7, 3.6))
width = 0.8 / len(models)
for k, m in enumerate(models):
    xs = [i + (k - (len(models) - 1) / 2) * width for i in range(len(REPRESENTATIONS))]
    ax.bar(xs, [rows[(m, r)][2] for r in REPRESENTATIONS], width, label=MODEL_NAMES[m])
ax.axhline(float(chance), color="grey", linestyle="--", linewidth=1, label="chance")
ax.set_xticks(range(len(REPRESENTATIONS)))
ax.set_xticklabels([REPRESENTATION_NAMES[r] for r in REPRESENTATIONS], fontsize=8)
ax.set_ylabel(f"MRR ({pairs} held-out pairs)")
ax.set_ylim(0, 1.5 * max(v[2] for v in rows.values()))
ax.legend(fontsize=7, ncol=2, loc="upper left")
fig.tight_layout()
fig.savefig(f"{out}/retromae.png", dpi=110)
print(open(f"{out}/retromae.md").read())
