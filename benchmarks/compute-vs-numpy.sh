#!/usr/bin/env bash
# Runs the compute JMH benchmarks and then the same shapes through numpy (OpenBLAS) on the same
# machine, and prints GFLOP/s per backend and the ratios to numpy.
#
#   benchmarks/compute-vs-numpy.sh                  # everything (about 6 minutes on 2 cores)
#   benchmarks/compute-vs-numpy.sh GemmBenchmark    # any JMH arguments: a subset, -p size=1024, ...
#
# Needs Debian's python3-numpy with libopenblas0 (the reference BLAS is 20x slower), hence
# /usr/bin/python3 unless PYTHON says otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
jar="$root/benchmarks/compute/target/benchmarks-compute.jar"

if [[ ! -f "$jar" || -n "${REBUILD:-}" ]]; then
  (cd "$root" && mvn -B -q install -DskipTests -pl api \
     && mvn -B -q install -DskipTests -f runtime/pom.xml -pl compute-scalar,compute-vector,jocl,compute-opencl \
     && mvn -B -q package -f benchmarks/compute/pom.xml)
fi

"$python" -c 'import numpy' 2>/dev/null || { echo "numpy missing for $python (apt-get install python3-numpy libopenblas0)"; exit 1; }

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
java --add-modules jdk.incubator.vector -jar "$jar" -rf json -rff "$results/jmh.json" "$@"
"$python" "$root/benchmarks/compute/numpy_compute.py" "$results/jmh.json"
