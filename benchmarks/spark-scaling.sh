#!/usr/bin/env bash
# ./tokenlab spark against ./tokenlab run on the same real English corpus with pipelines/encode.yaml
# (cl100k_base): wall seconds of each whole command (JVM start and runtime boot included), MB/s,
# Spark's speed-up per core from local[1] to local[2], and Spark's overhead ratio (spark against run
# on the same number of cores). Medians of REPEATS runs each.
#   benchmarks/spark-scaling.sh [MEGABYTES=50] [REPEATS=3]
#
# The corpus is the trainer benchmark's (benchmarks/trainer-vs-sentencepiece.sh): the catalog's English
# data sets (linux-doc, python-doc, perl-doc, pandas-doc, State of the Union, Moby-Dick), lines
# stripped, blank lines dropped, its training part (95% of MEGABYTES). Spark writes Parquet (the
# default output); once, its txt output is checked to be run's output byte for byte.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mb="${1:-50}"
repeats="${2:-3}"
[ -f cnf/target/launch.jar ] && [ -f runtime/spark/target/tokenlab-spark.jar ] || mvn -B -q install -DskipTests
work="${TMPDIR:-/tmp}/tokenlab-spark-bench"
mkdir -p "$work"
if [ ! -s "$work/corpus-$mb.txt" ]; then
  mvn -B -q -o dependency:build-classpath -f plugins/trainer-bpe/pom.xml -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/cp.txt" >/dev/null || { echo "mvn dependency:build-classpath failed" >&2; exit 1; }
  mvn -B -q -o test-compile -f plugins/trainer-bpe/pom.xml >/dev/null
  cp="plugins/trainer-bpe/target/classes:plugins/trainer-bpe/target/test-classes:$(cat "$work/cp.txt")"
  java -Dtokenlab.data="${TOKENLAB_DATA:-$root/data}" -cp "$cp" io.tokenlab.plugin.tokenizer.trainer.TrainerBenchmark \
    prepare "$work" "$mb"
  mv "$work/train.txt" "$work/corpus-$mb.txt"
fi
corpus="$work/corpus-$mb.txt"
bytes=$(stat -c %s "$corpus")

# wall seconds of a command (its output discarded unless it fails)
wall() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > "$work/out.log" 2> "$work/err.log" || { cat "$work/err.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# each JVM sees as many processors as it may use (-XX:ActiveProcessorCount): run encodes on that many
# threads, a Spark task on that many too, so local[1] and run on one core compare like with like
cores() { TOKENLAB_JAVA_OPTS="-XX:ActiveProcessorCount=$1" "${@:2}"; }
r1=() r2=() s1=() s2=()
for ((i = 0; i < repeats; i++)); do
  r1+=("$(wall cores 1 ./tokenlab run pipelines/encode.yaml --input "$corpus" --output "$work/run.txt")")
  r2+=("$(wall cores 2 ./tokenlab run pipelines/encode.yaml --input "$corpus" --output "$work/run.txt")")
  for n in 1 2; do
    rm -rf "$work/spark-$n"
    t=$(wall cores "$n" ./tokenlab spark pipelines/encode.yaml --input "$corpus" --output "$work/spark-$n" --master "local[$n]")
    if [ "$n" = 1 ]; then s1+=("$t"); else s2+=("$t"); fi
  done
done
rm -rf "$work/spark-txt"
./tokenlab spark pipelines/encode.yaml --input "$corpus" --output "$work/spark-txt" --master "local[2]" \
  --output-format txt > /dev/null 2> "$work/err.log" || { cat "$work/err.log" >&2; exit 1; }
cmp -s "$work/run.txt" "$work/spark-txt/output.txt" && same="byte-identical" || same="DIFFERENT"

r1_s=$(echo "${r1[*]}" | median)
r2_s=$(echo "${r2[*]}" | median)
s1_s=$(echo "${s1[*]}" | median)
s2_s=$(echo "${s2[*]}" | median)
echo "corpus: $corpus, $bytes bytes; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); medians of $repeats runs"
echo "(all: run@1 ${r1[*]}; run@2 ${r2[*]}; local[1] ${s1[*]}; local[2] ${s2[*]})"
awk -v b="$bytes" -v r1="$r1_s" -v r2="$r2_s" -v s1="$s1_s" -v s2="$s2_s" 'BEGIN {
  printf "%-42s %9s %8s\n", "command (whole process)", "seconds", "MB/s"
  printf "%-42s %9.2f %8.2f\n", "./tokenlab run, 1 core", r1, b / 1e6 / r1
  printf "%-42s %9.2f %8.2f\n", "./tokenlab run, 2 cores", r2, b / 1e6 / r2
  printf "%-42s %9.2f %8.2f\n", "./tokenlab spark --master local[1], 1 core", s1, b / 1e6 / s1
  printf "%-42s %9.2f %8.2f\n", "./tokenlab spark --master local[2], 2 cores", s2, b / 1e6 / s2
  printf "speed-up per core, Spark local[1] -> local[2]: %.2f (%.2fx on 2 cores; run: %.2f, %.2fx)\n", s1 / s2 / 2, s1 / s2, r1 / r2 / 2, r1 / r2
  printf "Spark overhead ratio (spark / run seconds): %.2f on 1 core, %.2f on 2 cores\n", s1 / r1, s2 / r2
}'
echo "txt output of local[2] against run's output: $same"
