#!/usr/bin/env bash
# tokenizer/train-bpe against SentencePiece's spm_train (BPE) on the same real English corpus
# (linux-doc + python-doc from the data catalog, every 20th file held out), at 8k and 32k:
# wall time, peak RSS and held-out bytes per token of both, and the ratios. Then (unless
# --no-superbpe) SuperBPE against BPE at 32k for several transition points.
#   benchmarks/trainer-vs-sentencepiece.sh [MEGABYTES=50] [--no-superbpe]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mb="${1:-50}"
if ! command -v spm_train >/dev/null; then
  echo "installing Debian sentencepiece (spm_train)..." >&2
  apt-get install -y sentencepiece >/dev/null || { echo "needs spm_train: apt-get install sentencepiece" >&2; exit 1; }
fi
mvn -B -q -o install -f plugins/trainer-bpe/pom.xml -DskipTests || mvn -B -q install -f plugins/trainer-bpe/pom.xml -DskipTests
work="${TMPDIR:-/tmp}/tokenlab-trainer-bench"
mkdir -p "$work"
mvn -B -q -o dependency:build-classpath -f plugins/trainer-bpe/pom.xml -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="plugins/trainer-bpe/target/classes:plugins/trainer-bpe/target/test-classes:$(cat "$work/cp.txt")"
data="${TOKENLAB_DATA:-$root/data}"
java_run() { java -Xmx6g -Dtokenlab.data="$data" -cp "$cp" io.tokenlab.plugin.tokenizer.trainer.TrainerBenchmark "$@"; }

java_run prepare "$work" "$mb"
held_bytes=$(LC_ALL=C awk '{ n += length($0) } END { print n }' "$work/heldout.txt")

# runs a command, printing its wall seconds and peak RSS (MB) on the last line of $work/measure
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt" \
    || { cat "$work/err.txt" >&2; exit 1; }
  read -r secs kb < "$work/time.txt"
  echo "$secs $((kb / 1024))"
}

printf '%-7s %-22s %9s %10s %16s\n' vocab trainer seconds "peak MB" "held-out B/tok"
for v in 8000 32000; do
  read -r ours_s ours_mb < <(measure java -Xmx6g -Dtokenlab.data="$data" -cp "$cp" \
    io.tokenlab.plugin.tokenizer.trainer.TrainerBenchmark bpe "$work/train.txt" "$work/heldout.txt" "$v" "$work/bpe-$v.json")
  ours_bpt=$(awk '/^bytes_per_token/ { print $2 }' "$work/out.txt")
  read -r spm_s spm_mb < <(measure spm_train --input="$work/train.txt" --model_prefix="$work/spm-$v" \
    --vocab_size="$v" --model_type=bpe --character_coverage=1.0 --byte_fallback=true \
    --num_threads="$(nproc)" --minloglevel=1)
  spm_tokens=$(spm_encode --model="$work/spm-$v.model" --output_format=id < "$work/heldout.txt" | wc -w)
  spm_bpt=$(awk -v b="$held_bytes" -v t="$spm_tokens" 'BEGIN { printf "%.4f", b / t }')
  printf '%-7s %-22s %9s %10s %16s\n' "$v" tokenizer/train-bpe "$ours_s" "$ours_mb" "$ours_bpt"
  printf '%-7s %-22s %9s %10s %16s\n' "$v" "spm_train (bpe)" "$spm_s" "$spm_mb" "$spm_bpt"
  awk -v a="$ours_s" -v b="$spm_s" -v m="$ours_mb" -v n="$spm_mb" -v x="$ours_bpt" -v y="$spm_bpt" 'BEGIN {
    printf "%-7s ratio: %.2fx faster, memory %.2fx of spm, bytes/token %.3fx of spm\n", "", b / a, m / n, x / y }'
done

if [[ "${2:-}" != "--no-superbpe" ]]; then
  echo
  echo "SuperBPE against BPE at V=32000, held-out bytes per token:"
  java_run superbpe "$work/train.txt" "$work/heldout.txt" 32000 8000 12800 16000 24000 28800
fi
