"""Table and plot of ReTokTest's rows (see benchmarks/transformer-experiment.sh)."""
import datetime
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

curves, training, jpeg = {}, {}, []
bits = None
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "retok-row":
        curves[f[1]] = [float(x) for x in f[2:]]
    elif f[0] == "retok-train":
        entropy = [float(x) for x in f[6].split(",")]
        training[f[1]] = (int(f[2]), float(f[3]), float(f[4]), float(f[5]), entropy)
    elif f[0] == "retok-bits":
        bits = (int(f[1]), int(f[2]))
    elif f[0] == "retok-jpeg":
        jpeg.append((int(f[1]), float(f[2]), float(f[3])))
jpeg.sort()
out = sys.argv[2]
props = dict(a.lstrip("-D").split("=", 1) for a in sys.argv[3:])
steps = props.get("retok.steps", "?")
padding = props.get("retok.padding", "?")
tokens = len(next(iter(curves.values()))) - 1
order = ["no-nested-dropout", "nested-dropout", "padding", "padding+semantic", "pca-prefix"]
curves = {n: curves[n] for n in sorted(curves, key=lambda n: order.index(n) if n in order else len(order))}
learned = [n for n in curves if n != "pca-prefix"]
labels = {"no-nested-dropout": "no nested dropout (control)", "nested-dropout": "nested dropout (baseline)",
          "padding": f"+ padding ({padding} slots)", "padding+semantic": "+ padding + semantic reg.",
          "pca-prefix": "PCA prefix codec (image-common)"}


def gains(c):
    return [c[k] - c[k - 1] for k in range(1, len(c))]


def tail_mean(c):
    return sum(c[tokens // 2 + 1:]) / (len(c) - 1 - tokens // 2)


def share(c, start):
    return (c[-1] - c[start]) / (c[-1] - c[0])


with open(f"{out}/retok.md", "w") as md:
    md.write("# ReTok on a small learned 1-D image tokenizer\n\n")
    md.write(f"Written by `benchmarks/transformer-experiment.sh retok {steps} {padding}` on {datetime.date.today()}. "
             "32x32 RGB crops, 8x8 patches (16 patches), a ViT-style encoder and decoder (2 blocks each, attention "
             "both ways, d = 48, 4 heads) on the byte transformer's blocks; "
             f"{tokens} deployed 1-D tokens, each 4 values FSQ-quantised to 5 levels ({bits[0]} bits a token); "
             f"nested dropout keeps the first k ~ U(1..slots) tokens per image, the rest a learned mask (the control "
             "keeps all). "
             f"Trained {steps} steps of 16 random crops of the training photos (OpenCV samples, centre squares at "
             "32..128 px, mirrored); measured on 80 held-out crops (16 scikit-image photos: the centre square at "
             "32x32 and its four quadrants at 64x64). Padding: ReTok's redundant slots, trained, never deployed. "
             "Semantic regulariser: the mean of the first j tokens (j = 1..8) through a linear head pulled (MSE, "
             "weight 0.5 (9 - j) / 8) toward the image's 8 leading PCA coefficients, standardised. **No vision "
             "foundation model is available here: the target is those PCA coefficients (basis fitted on 1024 "
             "training crops), a linear, low-frequency stand-in for semantic features.** The PCA prefix codec is "
             f"image-common's `PrefixCodec` over the same basis (one 32x32 block, 4 coefficients of 5 levels, range "
             f"2 sd, a token: {bits[1]} bits), so equal token counts are equal bits.\n\n")
    md.write("## Gain per token position (held-out)\n\n")
    md.write("gain(k) = PSNR(k) - PSNR(k-1), k = 1..16; shares of the total gain PSNR(16) - PSNR(0).\n\n")
    md.write("| tokenizer | PSNR(0) | PSNR(16) | total gain dB | share in tokens 9-16 | share in tokens 13-16 "
             "| smallest gain | largest gain | mean PSNR k = 9..16 | train MSE first -> last | seconds |\n")
    md.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for n in curves:
        c = curves[n]
        g = gains(c)
        t = training.get(n)
        trained = f"{t[1]:.4f} -> {t[2]:.4f}" if t else "(not trained)"
        seconds = f"{t[3]:.0f}" if t else ""
        md.write(f"| {labels.get(n, n)} | {c[0]:.2f} | {c[-1]:.2f} | {c[-1] - c[0]:.2f} "
                 f"| {share(c, tokens // 2):.3f} | {share(c, 3 * tokens // 4):.3f} | {min(g):.3f} | {max(g):.3f} "
                 f"| {tail_mean(c):.2f} | {trained} | {seconds} |\n")
    if "nested-dropout" in curves and "padding" in curves:
        b, p = curves["nested-dropout"], curves["padding"]
        half, quarter = tokens // 2, 3 * tokens // 4
        md.write(f"\nPadding moves the share of the gain carried by the last half of the deployed tokens from "
                 f"{share(b, half):.3f} to {share(p, half):.3f} (last quarter: {share(b, quarter):.3f} to "
                 f"{share(p, quarter):.3f}); the mean PSNR over the prefixes k = {half + 1}..{tokens} from "
                 f"{tail_mean(b):.2f} to {tail_mean(p):.2f} dB; PSNR with all {tokens} tokens {b[-1]:.2f} -> "
                 f"{p[-1]:.2f} dB")
        if "padding+semantic" in curves:
            md.write(f", with the semantic regulariser {curves['padding+semantic'][-1]:.2f} dB")
        if "pca-prefix" in curves:
            md.write(f"; the PCA prefix codec at the same bits {curves['pca-prefix'][-1]:.2f} dB")
        md.write(". Share of the gain brought by the first token alone: "
                 + ", ".join(f"{labels.get(n, n)} {1 - share(curves[n], 1):.3f}" for n in curves) + ". One seed per "
                 "model: differences of a tenth of a dB are within training noise (the test's 250-step run and "
                 "this one can disagree in sign there).\n")
    md.write("\n## PSNR (dB) at each prefix length k, held-out\n\n")
    md.write("| k | bytes (k tokens) | " + " | ".join(labels.get(n, n) for n in curves) + " |\n|---:|---:|"
             + "---:|" * len(curves) + "\n")
    for k in range(tokens + 1):
        md.write(f"| {k} | {k * bits[0] / 8:.2f} | " + " | ".join(f"{curves[n][k]:.2f}" for n in curves) + " |\n")
    md.write("\n## JPEG (javax.imageio, baseline tables) on the same crops\n\n")
    md.write("| quality | bytes (whole file) | PSNR dB |\n|---:|---:|---:|\n")
    for q, b, p in jpeg:
        md.write(f"| {q} | {b:.0f} | {p:.2f} |\n")
    md.write("\nA 32x32 JPEG file carries some 600 bytes of headers and tables, so at these sizes JPEG cannot go "
             f"below ~{min(b for _, b, _ in jpeg):.0f} bytes; the token codes end at {tokens * bits[0] / 8:.0f} bytes.\n")
    md.write("\n## FSQ code entropy per deployed position (bits, over the 80 held-out crops; at most log2(80) = "
             "6.3)\n\n| tokenizer | " + " | ".join(str(i + 1) for i in range(tokens)) + " |\n|---|"
             + "---:|" * tokens + "\n")
    for n in learned:
        if n in training:
            md.write(f"| {labels.get(n, n)} | " + " | ".join(f"{h:.2f}" for h in training[n][4]) + " |\n")
    md.write("\n![PSNR by prefix, gain by position, rate-distortion](retok.png)\n")

fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
ks = list(range(tokens + 1))
for n in curves:
    axes[0].plot(ks, curves[n], "o-" if n != "pca-prefix" else "s--", ms=3, label=labels.get(n, n))
    axes[1].plot(ks[1:], gains(curves[n]), "o-" if n != "pca-prefix" else "s--", ms=3, label=labels.get(n, n))
    axes[2].plot([k * bits[0] / 8 for k in ks[1:]], curves[n][1:], "o-" if n != "pca-prefix" else "s--", ms=3,
                 label=labels.get(n, n))
axes[2].plot([b for _, b, _ in jpeg], [p for _, _, p in jpeg], "^-", label="JPEG")
axes[0].set_xlabel("tokens kept (k)")
axes[0].set_ylabel("held-out PSNR (dB)")
axes[1].set_xlabel("token position k")
axes[1].set_ylabel("gain PSNR(k) - PSNR(k-1) (dB)")
axes[1].set_yscale("symlog", linthresh=0.05)
axes[1].set_yticks([-0.1, 0, 0.1, 1, 10])
axes[1].set_yticklabels(["-0.1", "0", "0.1", "1", "10"])
axes[1].axhline(0, color="grey", lw=0.5)
axes[2].set_xscale("log")
axes[2].set_xlabel("bytes per 32x32 crop")
axes[2].set_ylabel("held-out PSNR (dB)")
axes[0].legend(fontsize=7)
axes[2].legend(fontsize=7)
fig.tight_layout()
fig.savefig(f"{out}/retok.png", dpi=110)
print(open(f"{out}/retok.md").read())
