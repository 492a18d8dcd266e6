#!/usr/bin/env bash
# Mutation scores (PIT) of the api, runtime/core and the algorithm classes of technique modules, one row
# per module, written to benchmarks/mutation-scores.md. Needs the reactor installed first
# (mvn -B install -DskipTests). Extra Maven arguments (e.g. -o -Dmaven.repo.local=...) pass through.
# Usage: benchmarks/mutation-score.sh [maven args...]; MODULES="api prune-m3" limits the rows.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/benchmarks/mutation-scores.md"

# module directory | classes mutated (PIT globs) | tests run (PIT globs)
ROWS=(
  "api|io.tokenlab.api.*|io.tokenlab.api.*"
  "plugins/prune-divprune|io.tokenlab.plugin.prune.divprune.MaxMinDiversity|io.tokenlab.plugin.prune.divprune.*"
  "plugins/prune-m3|io.tokenlab.plugin.prune.m3.GridPooling|io.tokenlab.plugin.prune.m3.*"
  "plugins/transplant-tokenadapt|io.tokenlab.plugin.transplant.tokenadapt.TokenAdaptTechnique,io.tokenlab.plugin.transplant.tokenadapt.AuxiliaryEmbedder|io.tokenlab.plugin.transplant.tokenadapt.*"
  "runtime/core|io.tokenlab.runtime.registry.TechniqueRegistry*,io.tokenlab.runtime.pipeline.PipelineValidator*,io.tokenlab.runtime.pipeline.PipelineParser*|io.tokenlab.runtime.registry.*,io.tokenlab.runtime.pipeline.*"
  "plugins/decoder-goose|io.tokenlab.plugin.decoder.goose.SpeculationTreeBuilder*,io.tokenlab.plugin.decoder.goose.PromptLookup,io.tokenlab.plugin.decoder.goose.RecyclingTable|io.tokenlab.plugin.decoder.goose.*"
)

{
  echo "# Mutation scores"
  echo
  echo "PIT 1.30.2 (pitest-junit5-plugin 1.2.3), default mutators, written by \`benchmarks/mutation-score.sh\`."
  echo "Killed counts KILLED and TIMED_OUT; the score is killed / generated; no coverage means no test ran the"
  echo "mutated line. Run on $(date -u +%Y-%m-%d)."
  echo
  echo "| module | classes mutated | generated | killed | survived | no coverage | score |"
  echo "|---|---|---:|---:|---:|---:|---:|"
} > "$OUT.tmp"

for row in "${ROWS[@]}"; do
  IFS='|' read -r module classes tests <<< "$row"
  if [ -n "${MODULES:-}" ] && ! [[ " $MODULES " == *" $(basename "$module") "* ]]; then
    continue
  fi
  echo "mutation testing $module ($classes)" >&2
  log="$ROOT/$module/target/pit.log"
  mkdir -p "$ROOT/$module/target"
  if ! mvn -B -Ppitest test-compile org.pitest:pitest-maven:mutationCoverage -f "$ROOT/$module/pom.xml" \
      "-Dpit.targetClasses=$classes" "-Dpit.targetTests=$tests" "$@" > "$log" 2>&1; then
    echo "| $module | \`$classes\` | PIT failed, see $module/target/pit.log | | | | |" >> "$OUT.tmp"
    continue
  fi
  xml="$ROOT/$module/target/pit-reports/mutations.xml"
  count() { { grep -o "status='$1'" "$xml" || true; } | wc -l | tr -d ' '; }
  killed=$(( $(count KILLED) + $(count TIMED_OUT) + $(count MEMORY_ERROR) + $(count RUN_ERROR) ))
  survived=$(count SURVIVED)
  uncovered=$(count NO_COVERAGE)
  total=$(grep -c "<mutation " "$xml" || true)
  score=$(awk -v k="$killed" -v t="$total" 'BEGIN { if (t > 0) printf "%.0f%%", 100 * k / t; else print "-" }')
  echo "| $module | \`${classes//,/\`, \`}\` | $total | $killed | $survived | $uncovered | $score |" >> "$OUT.tmp"
done
mv "$OUT.tmp" "$OUT"
cat "$OUT"
