#!/usr/bin/env bash
# tokenizer/bpe against Hugging Face's Rust tokenizers (DJL) on the same real English, in one JVM:
# MB/s single-threaded and as a 2-thread batch, and the ratios, for a byte-level BPE tokenizer.json
# (Qwen 3), a WordPiece one (all-MiniLM-L6-v2) and a Unigram one (trained with spm_train on the same
# text, converted as HF converts T5 models). Data comes through the catalog.
#   benchmarks/tokenizer-vs-huggingface.sh [MEGABYTES]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -o -Pbenchmarks install -pl runtime/data,plugins/tokenizer-bpe,benchmarks/tokenizer -am -DskipTests \
  || mvn -B -q -Pbenchmarks install -pl runtime/data,plugins/tokenizer-bpe,benchmarks/tokenizer -am -DskipTests
cp="benchmarks/tokenizer/target/classes:$(ls benchmarks/tokenizer/target/lib/*.jar | tr '\n' ':')"
data="${TOKENLAB_DATA:-$root/data}"
java -Xmx3g --enable-native-access=ALL-UNNAMED -Dtokenlab.data="$data" -cp "$cp" \
  io.tokenlab.benchmarks.tokenizer.VersusHuggingFace "${1:-8}"
