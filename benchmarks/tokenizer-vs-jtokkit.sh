#!/usr/bin/env bash
# tokenizer/bpe against jtokkit on the same 20 MB of real English, in one JVM: MB/s of both,
# their ratio, long-input linearity and 2-thread batch scaling; then (with --jmh) the JMH
# benchmark. Data comes through the catalog into ${TOKENLAB_DATA:-<repo>/data}.
#   benchmarks/tokenizer-vs-jtokkit.sh [MEGABYTES] [--jmh]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -o -Pbenchmarks install -pl runtime/data,plugins/tokenizer-bpe,benchmarks/tokenizer -am -DskipTests \
  || mvn -B -q -Pbenchmarks install -pl runtime/data,plugins/tokenizer-bpe,benchmarks/tokenizer -am -DskipTests
cp="benchmarks/tokenizer/target/classes:$(ls benchmarks/tokenizer/target/lib/*.jar | tr '\n' ':')"
data="${TOKENLAB_DATA:-$root/data}"
mb="${1:-20}"
java -Xmx3g -Dtokenlab.data="$data" -cp "$cp" io.tokenlab.benchmarks.tokenizer.WholeCorpusComparison "$mb"
if [[ "${2:-}" == "--jmh" || "${1:-}" == "--jmh" ]]; then
  java -Dtokenlab.data="$data" -cp "$cp" org.openjdk.jmh.Main EncodeBenchmark -jvmArgsAppend "-Dtokenlab.data=$data"
fi
