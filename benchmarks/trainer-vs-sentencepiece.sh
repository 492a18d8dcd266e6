#!/usr/bin/env bash
# tokenizer/train-bpe against SentencePiece's spm_train (BPE) on the same real English corpus, at
# 8k and 32k: wall time, peak RSS and held-out bytes per token of each, and the ratios. Then
# (unless --no-superbpe) SuperBPE against BPE at 32k for several transition points t < V.
#   benchmarks/trainer-vs-sentencepiece.sh [MEGABYTES=50] [--no-superbpe]
#
# The corpus: the English data sets of the catalog (linux-doc, python-doc, perl-doc, pandas-doc,
# State of the Union addresses, Moby-Dick), whole files, every 20th held out; lines stripped of
# leading/trailing spaces, blank lines dropped and long lines cut at a space (spm_train skips lines
# over 4192 bytes). Bytes per token = UTF-8 bytes of the held-out lines / tokens; spm_train keeps its
# defaults (it also collapses runs of spaces inside a line, which it then does not encode).
#
# Both sides stream the training file. tokenlab runs in its own JVM twice per setting: with
# -XX:+UseSerialGC (a batch job's collector; resident memory stays near the trainer's live data) and
# with the JVM's default collector (G1 keeps more heap resident than the trainer needs). The ratio
# lines compare each with spm_train.
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
bench_class=io.tokenlab.plugin.tokenizer.trainer.TrainerBenchmark

java -XX:+UseSerialGC -Dtokenlab.data="$data" -cp "$cp" "$bench_class" prepare "$work" "$mb"
held_bytes=$(LC_ALL=C awk '{ n += length($0) } END { print n }' "$work/heldout.txt")

# runs a command, printing its wall seconds and peak RSS (MB); its stdout goes to $work/out.txt
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt" \
    || { cat "$work/err.txt" >&2; exit 1; }
  read -r secs kb < "$work/time.txt"
  echo "$secs $((kb / 1024))"
}

row() { printf '%-7s %-40s %9s %10s %16s\n' "$@"; }
row vocab trainer seconds "peak MB" "held-out B/tok"
for v in 8000 32000; do
  read -r spm_s spm_mb < <(measure spm_train --input="$work/train.txt" --model_prefix="$work/spm-$v" \
    --vocab_size="$v" --model_type=bpe --character_coverage=1.0 --byte_fallback=true \
    --num_threads="$(nproc)" --minloglevel=1)
  spm_tokens=$(spm_encode --model="$work/spm-$v.model" --output_format=id < "$work/heldout.txt" | wc -w)
  spm_bpt=$(awk -v b="$held_bytes" -v t="$spm_tokens" 'BEGIN { printf "%.4f", b / t }')
  row "$v" "spm_train (bpe)" "$spm_s" "$spm_mb" "$spm_bpt"
  for setting in "gpt2 -XX:+UseSerialGC" "cl100k -XX:+UseSerialGC" "cl100k -XX:+UseG1GC"; do
    read -r pre gc <<< "$setting"
    read -r ours_s ours_mb < <(measure java "$gc" -Dpre.tokenizer="$pre" -Dtokenlab.data="$data" -cp "$cp" \
      "$bench_class" bpe "$work/train.txt" "$work/heldout.txt" "$v" "$work/bpe-$v-$pre.json")
    ours_bpt=$(awk '/^bytes_per_token/ { print $2 }' "$work/out.txt")
    row "$v" "train-bpe pre.tokenizer=$pre ${gc#-XX:+Use}" "$ours_s" "$ours_mb" "$ours_bpt"
    awk -v a="$ours_s" -v b="$spm_s" -v m="$ours_mb" -v n="$spm_mb" -v x="$ours_bpt" -v y="$spm_bpt" 'BEGIN {
      printf "%-7s   ratio: %.1fx faster than spm, memory %.2fx of spm, bytes/token %.3fx of spm\n", "", b / a, m / n, x / y }'
  done
done

if [[ "${2:-}" != "--no-superbpe" ]]; then
  for pre in gpt2 cl100k; do
    echo
    echo "SuperBPE against BPE at V=32000 (stage 1 and BPE with pre.tokenizer=$pre), held-out bytes per token:"
    java -XX:+UseSerialGC -Dpre.tokenizer="$pre" -Dtokenlab.data="$data" -cp "$cp" "$bench_class" superbpe \
      "$work/train.txt" "$work/heldout.txt" 32000 8000 16000 24000 28800
  done
fi
