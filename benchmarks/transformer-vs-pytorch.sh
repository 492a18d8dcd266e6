#!/usr/bin/env bash
# lm-transformer through Compute (Vector API backend) against the same model in PyTorch (Debian
# python3-torch, CPU) on the same number of threads: the median time of a training step (forward,
# backward, clipping, AdamW) and greedy KV-cached generation in tokens/s, and the ratios.
#
#   benchmarks/transformer-vs-pytorch.sh [THREADS=2] [VOCABULARY=50257] [DIMENSION=64] [LAYERS=4] [HEADS=4] \
#       [CONTEXT=64] [BATCH=8] [STEPS=10] [GENERATE=48]
#
# The defaults are the model tokenlab.model=transformer trains by default (GPT-2's vocabulary).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
threads="${1:-2}" vocab="${2:-50257}" dim="${3:-64}" layers="${4:-4}" heads="${5:-4}" context="${6:-64}"
batch="${7:-8}" steps="${8:-10}" generate="${9:-48}"
m2=()
[ -n "${MAVEN_REPO:-}" ] && m2=("-Dmaven.repo.local=$MAVEN_REPO")
"$python" -c 'import torch' 2>/dev/null || { echo "torch missing for $python (apt-get install python3-torch)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
if [[ ! -f benchmarks/transformer/target/classes/io/tokenlab/plugin/lm/transformer/TransformerBenchmark.class \
      || -n "${REBUILD:-}" ]]; then
  mvn -B -q install -DskipTests "${m2[@]}" -f plugins/lm-transformer/pom.xml
  mvn -B -q compile "${m2[@]}" -f benchmarks/transformer/pom.xml
fi
mvn -B -q "${m2[@]}" -f benchmarks/transformer/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="benchmarks/transformer/target/classes:$(cat "$work/cp.txt")"

java --add-modules jdk.incubator.vector -cp "$cp" io.tokenlab.plugin.lm.transformer.TransformerBenchmark \
  "$work/model.safetensors" "$threads" "$vocab" "$dim" "$layers" "$heads" "$context" "$batch" "$steps" "$generate" \
  2>/dev/null | tee "$work/ours.txt"
"$python" benchmarks/transformer/torch_transformer.py "$work/model.safetensors" "$threads" "$batch" "$steps" "$generate" \
  | tee "$work/torch.txt"

field() { grep "^$2: " "$1" | cut -d' ' -f2; }
echo "model: vocabulary $vocab, d=$dim, $layers layers x $heads heads, context $context; batch $batch; $threads threads"
awk -v ot="$(field "$work/ours.txt" train_step_s)" -v tt="$(field "$work/torch.txt" train_step_s)" \
    -v og="$(field "$work/ours.txt" generate_tokens_per_s)" -v tg="$(field "$work/torch.txt" generate_tokens_per_s)" \
    'BEGIN {
       printf "training step: tokenlab %.1f ms, PyTorch %.1f ms; PyTorch time / ours = %.2f (above 1: ours is faster)\n", ot*1000, tt*1000, tt/ot
       printf "generation: tokenlab %.1f tokens/s, PyTorch %.1f tokens/s; ours / PyTorch = %.2f\n", og, tg, og/tg
     }'
