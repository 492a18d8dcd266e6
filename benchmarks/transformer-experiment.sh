#!/usr/bin/env bash
# The experiments on the byte-level transformer trained here, each run as its test in
# plugins/lm-transformer (the same code CI runs, at the sizes given), its figures written as a table
# (benchmarks/transformer/NAME.md) and a plot (NAME.png, Debian's python3-matplotlib):
#
#   benchmarks/transformer-experiment.sh hyperfitting [SET=16] [STEPS=800]
#       fine-tune to near-zero loss on SET windows; greedy repetition and entropy vs the base model
#   benchmarks/transformer-experiment.sh softplus-attention [TRAIN_LENGTH=32] [STEPS=1500]
#       softplus vs softmax attention trained at TRAIN_LENGTH bytes, held-out loss at 1x..8x
#   benchmarks/transformer-experiment.sh lexinvariance [STEPS=600]
#       per-sequence random embeddings vs learned ones: loss by position, plain text and a cipher
#   benchmarks/transformer-experiment.sh mrt5 [STEPS=500] [ALPHAS=0,0.02,0.05,0.1,0.2,0.4] [GATE_LAYER=0]
#       a learned deletion gate: share of bytes deleted vs loss, against random deletions
#   benchmarks/transformer-experiment.sh c3 [STEPS=1500] [LATENTS=8,4,2,1] [DROPOUT=1] [CHUNK=40] [LAYOUTS=prefix,aligned]
#       context compression: CHUNK bytes through k latents (5x..40x), reconstruction loss and accuracy;
#       DROPOUT: the share of the decoder's input bytes hidden in training (1: a parallel decoder)
#   benchmarks/transformer-experiment.sh insertion [STEPS=1600] [EXAMPLES=12]
#       an insertion language model filling in around required words vs left-to-right generation:
#       constraints satisfied and bits/byte under the causal model
#   benchmarks/transformer-experiment.sh retromae [STEPS=800] [DIMENSION=32]
#       RetroMAE v2 (duplex) pre-training vs MLM alone (and MLM + reconstruction): held-out
#       title-to-paragraph retrieval, R@1, R@5 and MRR by representation
#   benchmarks/transformer-experiment.sh retok [STEPS=2000] [PADDING=8]
#       ReTok on a learned 1-D image tokenizer (photos): gain per token position with and without
#       redundant padding and the semantic regulariser; PSNR by prefix beside a PCA prefix codec and JPEG
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
experiments="hyperfitting, softplus-attention, lexinvariance, mrt5, c3, insertion, retromae, retok"
name="${1:?usage: transformer-experiment.sh EXPERIMENT [ARGS]; experiments: $experiments}"
case "$name" in
  hyperfitting) test=HyperfittingTest; props=(-Dhyperfitting.set="${2:-16}" -Dhyperfitting.steps="${3:-800}") ;;
  softplus-attention) test=SoftplusAttentionTest
    props=(-Dsoftplus.train.length="${2:-32}" -Dsoftplus.steps="${3:-1500}") ;;
  lexinvariance) test=LexinvarianceTest; props=(-Dlexinvariance.steps="${2:-600}") ;;
  mrt5) test='MrT5Test#theGate*'
    props=(-Dmrt5.steps="${2:-500}" -Dmrt5.alphas="${3:-0,0.02,0.05,0.1,0.2,0.4}" -Dmrt5.gate.layer="${4:-0}"
      -Dmrt5.control=true) ;;
  c3) test='ContextCompressionTest#latents*'
    props=(-Dc3.steps="${2:-1500}" -Dc3.latents="${3:-8,4,2,1}" -Dc3.dropout="${4:-1}" -Dc3.chunk="${5:-40}"
      -Dc3.layouts="${6:-prefix,aligned}") ;;
  insertion) test=InsertionLanguageModelTest
    props=(-Dinsertion.steps="${2:-1600}" -Dinsertion.examples="${3:-12}") ;;
  retromae) test=RetroMaeTest
    props=(-Dretromae.steps="${2:-800}" -Dretromae.dimension="${3:-32}" -Dretromae.ablation=true) ;;
  retok) test=ReTokTest; props=(-Dretok.steps="${2:-2000}" -Dretok.padding="${3:-8}") ;;
  *) echo "unknown experiment '$name'; accepted: $experiments" >&2; exit 2 ;;
esac
m2=()
[ -n "${MAVEN_REPO:-}" ] && m2=("-Dmaven.repo.local=$MAVEN_REPO")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
mvn -B -q install -DskipTests "${m2[@]}" -pl plugins/lm-transformer -am
"$root/tokenlab" fetch linux-doc >/dev/null   # the corpus the models train on, into data/ (once)
if [ "$name" = retok ]; then   # the photos the image tokenizer trains and is measured on
  "$root/tokenlab" fetch opencv-photos >/dev/null
  "$root/tokenlab" fetch skimage-photos >/dev/null
fi
mvn -B "${m2[@]}" test -f plugins/lm-transformer/pom.xml -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
  "${props[@]}" > "$work/log.txt" || { tail -40 "$work/log.txt"; exit 1; }
grep -h "^${name%%-*}-" "$work/log.txt" | sort -u > "$work/rows.tsv"
"$python" "benchmarks/transformer/${name//-/_}_report.py" "$work/rows.tsv" benchmarks/transformer "${props[@]}"
