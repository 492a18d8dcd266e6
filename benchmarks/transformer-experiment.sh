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
#   benchmarks/transformer-experiment.sh retok [STEPS=2000] [PADDING=8]
#       ReTok on a learned 1-D image tokenizer (photos): gain per token position with and without
#       redundant padding and the semantic regulariser; PSNR by prefix beside a PCA prefix codec and JPEG
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
name="${1:?usage: transformer-experiment.sh hyperfitting|softplus-attention|lexinvariance|retok [ARGS]}"
case "$name" in
  hyperfitting) test=HyperfittingTest; props=(-Dhyperfitting.set="${2:-16}" -Dhyperfitting.steps="${3:-800}") ;;
  softplus-attention) test=SoftplusAttentionTest
    props=(-Dsoftplus.train.length="${2:-32}" -Dsoftplus.steps="${3:-1500}") ;;
  lexinvariance) test=LexinvarianceTest; props=(-Dlexinvariance.steps="${2:-600}") ;;
  retok) test=ReTokTest; props=(-Dretok.steps="${2:-2000}" -Dretok.padding="${3:-8}") ;;
  *) echo "unknown experiment '$name'; accepted: hyperfitting, softplus-attention, lexinvariance, retok" >&2; exit 2 ;;
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
