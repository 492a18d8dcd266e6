"""Table and plot of InsertionLanguageModelTest's rows (see benchmarks/transformer-experiment.sh)."""
import datetime
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def cell(text, limit=90):
    """One output as a table cell: newlines shown as a return sign, runs of spaces as middle dots."""
    shown = text.replace("|", "\\|").replace("\n", "\u21b5").replace("\t", "\u21e5").replace(" ", "\u00b7")
    return "`" + (shown if len(shown) <= limit else shown[:limit] + "\u2026") + "`"


rows, examples, mechanism = [], [], None
for line in open(sys.argv[1], encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if f[0] == "insertion-row":
        rows.append((int(f[1]), f[2], int(f[3]), int(f[4]), float(f[5]), int(f[6]), float(f[7]), float(f[8])))
    elif f[0] == "insertion-example":
        examples.append((int(f[1]), f[2], f[3], f[4] == "true", float(f[5]), unescape(f[6])))
    elif f[0] == "insertion-mechanism":
        mechanism = (float(f[1]), float(f[2]), float(f[3]), int(f[4]))
rows.sort()
out = sys.argv[2]
props = dict(a.lstrip("-D").split("=", 1) for a in sys.argv[3:])
steps = props.get("insertion.steps", "1600")
count = props.get("insertion.examples", "12")
spaces = {}
for _, method, _, _, _, text in examples:
    spaces.setdefault(method, []).append(text.count(" ") / max(1, len(text)))
first = min(e[0] for e in examples)
shown = {m: t for i, m, _, _, _, t in examples if i == first}
words = next(w for i, _, w, _, _, _ in examples if i == first)

with open(f"{out}/insertion.md", "w", encoding="utf-8") as md:
    md.write("# Insertion language model vs left-to-right generation under constraints\n\n")
    md.write(f"Written by `benchmarks/transformer-experiment.sh insertion {steps} {count}` on {datetime.date.today()}. "
             "Two byte-level transformers of one size (2 layers, 2 heads, d = 32, context 128) trained on 1 MB of "
             "linux-doc. The base model is the standard causal one: 400 steps of 8 windows of 128 bytes "
             "(409,600 byte targets). The insertion model (Patel et al. 2025) reads a partial sequence with "
             "attention both ways and scores every (gap, byte) pair and a stop in one softmax; it trained "
             f"{steps} steps of 8 windows of 64 bytes, a uniform number of their bytes dropped, the paper's "
             "target (each missing byte once in its gap, over the number missing) and loss (cross-entropy); "
             "at 1600 steps that is as many byte targets and token passes as the base model's.\n\n"
             f"Task: {count} windows of 64 held-out bytes, three of their words (four letters or more, in order) "
             "required. Insertion starts from the words joined by single spaces, the gaps inside a word closed, "
             "and inserts the most likely (gap, byte), or one drawn from the joint (sampling), until P(stop) >= 0.5 "
             "or 80 bytes; random insertion puts "
             "bytes drawn by their corpus frequency into random open gaps; the left-to-right rows are the base "
             "model, generating as many bytes as the insertion output has: sampling (temperature 1) with no "
             "constraint, and greedy or sampled decoding that appends each required word after a space once its "
             "even share of free bytes is generated. A constraint is satisfied when the words occur in order. "
             "Bits per byte are the base model's on the whole output (the original held-out window for reference).\n\n")
    md.write("| method | constraints satisfied | bits/byte under the base model | share of spaces | "
             f"output for _{words}_ |\n|---|---:|---:|---:|---|\n")
    for _, method, sat, n, bits, _, _, _ in rows:
        share = sum(spaces[method]) / len(spaces[method])
        md.write(f"| {method} | {sat}/{n} | {bits:.3f} | {share:.2f} | {cell(shown[method])} |\n")
    md.write("\nGreedy decoding of either kind fills the gaps with mostly spaces (see their share), bytes the base "
             "model finds cheap, hence the low bits/byte of those rows; the sampled rows compare what the two models "
             "have learned of the text.\n")
    loss0, loss1 = rows[0][6], rows[0][7]
    md.write(f"\nInsertion training loss (cross-entropy to the target, nats): {loss0:.3f} at the first step, "
             f"{loss1:.3f} smoothed at the last.\n")
    if mechanism:
        gain, specificity, localisation, probes = mechanism
        md.write(f"\nThe mechanism on {probes} one-byte deletions of held-out windows: the deleted byte's log-"
                 f"probability at its gap is {gain:.3f} nats higher with its own right context than with another "
                 f"window's (exactly 0 for causal attention), {specificity:.3f} nats higher at its gap than at "
                 f"another gap (about 0 when the target ignores the gap), and the restoring gaps carry "
                 f"{localisation:.2f} times the probability of a model that cannot tell where a byte is missing.\n")
    md.write("\n## Examples\n\n")
    order = {r[1]: r[0] for r in rows}
    for i in sorted({e[0] for e in examples})[:4]:
        case = sorted((e for e in examples if e[0] == i), key=lambda e: order[e[1]])
        md.write(f"Required: _{case[0][2]}_\n\n| method | satisfied | bits/byte | output |\n|---|---|---:|---|\n")
        for _, method, _, ok, bits, text in case:
            md.write(f"| {method} | {'yes' if ok else 'no'} | {bits:.3f} | {cell(text, 120)} |\n")
        md.write("\n")
    md.write("![bits per byte and constraints satisfied](insertion.png)\n")

fig, ax = plt.subplots(figsize=(6.5, 3.2))
names = [r[1] for r in rows]
bits = [r[4] for r in rows]
rate = [r[2] / r[3] for r in rows]
bars = ax.barh(names, bits, color=[plt.cm.viridis(0.2 + 0.6 * x) for x in rate])
for b, r in zip(bars, rows):
    ax.text(b.get_width() + 0.05, b.get_y() + b.get_height() / 2, f"{r[2]}/{r[3]} satisfied", va="center", fontsize=7)
ax.invert_yaxis()
ax.set_xlabel("bits/byte under the base causal model")
ax.set_xlim(0, max(bits) * 1.35)
ax.tick_params(axis="y", labelsize=7)
fig.tight_layout()
fig.savefig(f"{out}/insertion.png", dpi=110)
print(open(f"{out}/insertion.md", encoding="utf-8").read())
