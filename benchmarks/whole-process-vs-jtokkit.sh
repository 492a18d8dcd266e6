#!/usr/bin/env bash
# The whole `./tokenlab run pipelines/encode.yaml` process, as a user pays it (JVM, framework and
# plugin start, vocabulary, reading, encoding, writing), against a plain Java program that encodes
# the same file with jtokkit 1.1.0 (JtokkitLines); both write one line of ids per input line, and the
# two outputs must be the same bytes. Runs alternate; each figure is the median of RUNS (default 5)
# after one unmeasured run of each (which builds tokenlab's class-data archive and vocabulary cache,
# as any first use does). Text: the sotu and moby-dick data sets and 2 MB of pandas-doc (none used
# by any test), about 14 MB. Then a one-line input.
#   benchmarks/whole-process-vs-jtokkit.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/tokenlab-whole.XXXXXX")"
trap 'rm -rf "$work"' EXIT
repo=()
[ -n "${MAVEN_REPO:-}" ] && repo=(-Dmaven.repo.local="$MAVEN_REPO")
[ -f cnf/target/launch.jar ] || mvn -B -q -Dstyle.color=never install -DskipTests "${repo[@]}"
mvn -B -q -Dstyle.color=never dependency:copy -Dartifact=com.knuddels:jtokkit:1.1.0 -DoutputDirectory="$work/lib" "${repo[@]}" \
  || mvn -B -q -Dstyle.color=never -o dependency:copy -Dartifact=com.knuddels:jtokkit:1.1.0 -DoutputDirectory="$work/lib" "${repo[@]}"
javac -d "$work/classes" -cp "$work/lib/jtokkit-1.1.0.jar" \
  benchmarks/tokenizer/src/main/java/io/tokenlab/benchmarks/tokenizer/JtokkitLines.java
peer=(java -cp "$work/lib/jtokkit-1.1.0.jar:$work/classes" io.tokenlab.benchmarks.tokenizer.JtokkitLines)

paths="$(./tokenlab fetch sotu moby-dick pandas-doc cl100k_base o200k_base)"
path_of() { awk -v n="$1" '$1 == n { print $2 }' <<<"$paths"; }
corpus="$work/corpus.txt"
{
  find "$(path_of sotu)" -name '*.txt' | sort | xargs cat
  cat "$(path_of moby-dick)"
  # 2 MB of the pandas documentation sources, whole lines, to pass 12 MB
  (set +o pipefail; find "$(path_of pandas-doc)" -type f -name '*.txt' | sort | xargs cat 2>/dev/null | head -c 2000000 | sed '$d')
} >"$corpus"
bytes=$(stat -c %s "$corpus")
if [ "$bytes" -lt 12000000 ]; then
  echo "corpus is only $bytes bytes; expected at least 12 MB" >&2
  exit 1
fi
echo "hello world" >"$work/one.txt"
echo "corpus: $bytes bytes, $(wc -l <"$corpus") lines (sotu + moby-dick + pandas-doc); $(nproc) cores; runs: $runs" \
  "(medians, alternating); $(java -version 2>&1 | head -1)"

seconds() { # command... -> "wall cpu" seconds (cpu: user + system, the process and its children)
  local TIMEFORMAT='%R %U %S' t
  t=$({ time "$@" >/dev/null 2>"$work/stderr.txt"; } 2>&1) || { cat "$work/stderr.txt" >&2; exit 1; }
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' <<<"$t"
}
median() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m }'; }

compare() { # encoding input label
  local enc="$1" in="$2" label="$3" ours=() theirs=() i
  local tl=(./tokenlab run pipelines/encode.yaml --set tokenize.vocabulary="$enc" --input "$in" --output "$work/ours.txt")
  local jt=("${peer[@]}" "$enc" "$in" "$work/theirs.txt")
  "${tl[@]}" && "${jt[@]}" # unmeasured: first use
  cmp -s "$work/ours.txt" "$work/theirs.txt" || { echo "$label $enc: outputs differ" >&2; exit 1; }
  for ((i = 0; i < runs; i++)); do
    ours+=("$(seconds "${tl[@]}")")
    theirs+=("$(seconds "${jt[@]}")")
  done
  local o t oc tc
  o=$(printf '%s\n' "${ours[@]}" | cut -d' ' -f1 | median)
  t=$(printf '%s\n' "${theirs[@]}" | cut -d' ' -f1 | median)
  oc=$(printf '%s\n' "${ours[@]}" | cut -d' ' -f2 | median)
  tc=$(printf '%s\n' "${theirs[@]}" | cut -d' ' -f2 | median)
  printf '%-8s %-12s wall: tokenlab %6.3f s, jtokkit %6.3f s, speed ratio %5.2fx   cpu: tokenlab %6.3f s, jtokkit %6.3f s\n' \
    "$label" "$enc" "$o" "$t" "$(awk -v a="$t" -v b="$o" 'BEGIN { print a / b }')" "$oc" "$tc"
}

for enc in cl100k_base o200k_base; do
  compare "$enc" "$corpus" "$((bytes / 1000000)) MB"
done
for enc in cl100k_base o200k_base; do
  compare "$enc" "$work/one.txt" "1 line"
done
