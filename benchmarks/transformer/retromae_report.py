"""Table and plot of RetroMaeTest's rows (see benchmarks/transformer-experiment.sh)."""
import datetime
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

MODELS = ["duplex", "mlm+reconstruction", "mlm-only"]
MODEL_NAMES = {"duplex": "RetroMAE v2 (MLM + reconstruction + bag of words)",
               "mlm+reconstruction": "RetroMAE v1 objectives (MLM + reconstruction)",
               "mlm-only": "baseline (MLM only)"}
REPRESENTATIONS = ["CLS", "CLS_AND_BAG", "MEAN", "BAG"]
REPRESENTATION_NAMES = {"CLS": "[CLS]", "CLS_AND_BAG": "[CLS] + bag of words", "MEAN": "mean-pooled",
                        "BAG": "bag of words"}

rows = {}
training = {}
heldout = setup = None
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "retromae-row":
        rows[(f[1], f[2])] = [float(x) for x in f[3:]]
    elif f[0] == "retromae-training":
        training[f[1]] = [float(x) for x in f[2:]]
    elif f[0] == "retromae-heldout":
        heldout = [float(x) for x in f[1:]]
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
             "bytes masked with `<unk>`, decoder 70%; a 1-layer decoder reading the [CLS] vector at its "
             "position 0). No fine-tuning on pairs. Retrieval: "
             f"{pairs} section titles of held-out linux-doc files (reStructuredText) as queries, the first "
             f"paragraph under each as its passage, cut to {context} bytes; each title ranked against all "
             f"{pairs} paragraphs by cosine. Chance: R@1 {1 / int(pairs):.3f}, R@5 {5 / int(pairs):.3f}, "
             f"MRR {float(chance):.3f}.\n\n")
    md.write("| model | representation | R@1 | R@5 | MRR |\n|---|---|---:|---:|---:|\n")
    for m in models:
        for r in REPRESENTATIONS:
            r1, r5, mrr = rows[(m, r)]
            md.write(f"| {MODEL_NAMES[m]} | {REPRESENTATION_NAMES[r]} | {r1:.3f} | {r5:.3f} | {mrr:.3f} |\n")
    md.write("\nThe comparison the experiment is about: RetroMAE v2's [CLS] + bag of words, and its [CLS] "
             "alone, against the mean-pooled outputs of the same encoder trained by MLM alone.\n\n")
    md.write("| model | MLM loss | reconstruction loss | bag-of-words loss | seconds |\n|---|---:|---:|---:|---:|\n")
    for m in models:
        mlm, rec, bag, seconds = training[m]
        md.write(f"| {MODEL_NAMES[m]} | {mlm:.3f} | {rec:.3f} | {bag:.3f} | {seconds:.0f} |\n")
    real, shuffled, bag_duplex, bag_baseline = heldout
    md.write(f"\nTraining losses at the end (smoothed, nats/byte; 0: not trained). On {windows} held-out windows: "
             f"the RetroMAE v2 decoder's reconstruction loss is {real:.3f} with each window's own [CLS] and "
             f"{shuffled:.3f} with another window's (the [CLS] carries {shuffled - real:.3f} nats per masked "
             f"byte); the bag-of-words loss of its encoder is {bag_duplex:.3f} against {bag_baseline:.3f} for "
             "the MLM-only encoder's pooled logits.\n\n![MRR by model and representation](retromae.png)\n")
fig, ax = plt.subplots(figsize=(6.5, 3.4))
width = 0.8 / len(models)
for k, m in enumerate(models):
    xs = [i + (k - (len(models) - 1) / 2) * width for i in range(len(REPRESENTATIONS))]
    ax.bar(xs, [rows[(m, r)][2] for r in REPRESENTATIONS], width, label=MODEL_NAMES[m])
ax.axhline(float(chance), color="grey", linestyle="--", linewidth=1, label="chance")
ax.set_xticks(range(len(REPRESENTATIONS)))
ax.set_xticklabels([REPRESENTATION_NAMES[r] for r in REPRESENTATIONS], fontsize=8)
ax.set_ylabel(f"MRR ({pairs} held-out pairs)")
ax.legend(fontsize=7)
fig.tight_layout()
fig.savefig(f"{out}/retromae.png", dpi=110)
print(open(f"{out}/retromae.md").read())
