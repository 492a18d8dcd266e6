#!/usr/bin/env bash
# Runs the transplant heuristics comparison (TransplantReport) on the class path Maven resolves offline.
# Build first: mvn -B -o -q install -f plugins/transplant-harness/pom.xml -DskipTests
# Arguments go to TransplantReport, e.g. --write-base gpt2-table.safetensors
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cp_file="$here/target/report.classpath"
mvn -B -o -q dependency:build-classpath -Dmdep.outputFile="$cp_file" -f "$here/pom.xml" >/dev/null
exec java -Xmx3g --add-modules jdk.incubator.vector -Dtokenlab.data="${TOKENLAB_DATA:-$root/data}" \
  -cp "$here/target/classes:$(cat "$cp_file")" io.tokenlab.plugin.transplant.harness.TransplantReport "$@"
