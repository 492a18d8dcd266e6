#!/usr/bin/env bash
# Load on the HTTP API while the BPE plugin is swapped: wrk (Debian) against POST /api/v1/count and
# POST /api/v1/pipelines/encode/run at the same time, on loopback, for DURATION seconds with CONNECTIONS
# connections in all (half per endpoint), while tokenizer/bpe's jar is replaced SWAPS times. Prints
# requests/s, p50/p99/max latency and non-2xx responses per endpoint, and the ratio of requests/s to
# the same work (counting the same text's tokens) called in-process on as many threads.
#   benchmarks/http-load.sh [DURATION=60] [CONNECTIONS=32] [SWAPS=20]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-60}"
connections="${2:-32}"
swaps="${3:-20}"
if (( connections < 16 || connections > 64 )); then
  echo "http-load: CONNECTIONS must be 16..64 (got $connections)" >&2
  exit 2
fi
command -v wrk >/dev/null || { echo "http-load: needs wrk (apt-get install wrk)" >&2; exit 2; }
cd "$root"
[ -f cnf/target/launch.jar ] && [ -f plugins/tokenizer-bpe/target/tokenizer-bpe-1.0.0.jar ] && [ -f api/target/api-1.0.0.jar ] \
  || mvn -B -q install -DskipTests
bpe="$root/plugins/tokenizer-bpe/target/tokenizer-bpe-1.0.0.jar"
api="$root/api/target/api-1.0.0.jar"
data="${TOKENLAB_DATA:-$root/data}"

work="$(mktemp -d)"
runtime_pid=""
cleanup() {
  [ -n "$runtime_pid" ] && kill "$runtime_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home/bundles" "$work/home/pipelines" "$work/jars"
cp "$bpe" "$work/home/bundles/tokenizer-bpe.jar"
printf 'name: encode\nstages:\n  - id: tokenize\n    technique: tokenizer/bpe\n    params:\n      vocabulary: cl100k_base\n' \
  > "$work/home/pipelines/encode.yaml"
# one paragraph of real English (this repository's README), the size of a typical count request
head -c 1200 "$root/README.md" | tr '\n' ' ' | tr -d '"\\' > "$work/text.txt"
text="$(cat "$work/text.txt")"
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[{"technique":"tokenizer/bpe","params":{"vocabulary":"cl100k_base"},"texts":["%s"]}]]\n' \
  "$text" > "$work/count.lua"
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[{"inputs":["%s"]}]]\n' \
  "$text" > "$work/run.lua"

# versions 1.0.1 .. 1.0.SWAPS of the same jar (only Bundle-Version differs)
for i in $(seq 1 "$swaps"); do
  /usr/bin/python3 - "$bpe" "$work/jars/bpe-$i.jar" "1.0.$i" <<'PY'
import re, sys, zipfile
src, dst, version = sys.argv[1:]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "META-INF/MANIFEST.MF":
            data = re.sub(rb"Bundle-Version: [^\r\n]+", b"Bundle-Version: " + version.encode(), data)
        zout.writestr(item, data)
PY
done

port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
# stdin is a FIFO this script holds open: the Gogo shell (and so the runtime) stays up until it is stopped
mkfifo "$work/stdin"
exec 3<>"$work/stdin"
TOKENLAB_JAVA_OPTS="-Dtokenlab.home=$work/home -Dtokenlab.data=$data ${TOKENLAB_JAVA_OPTS:-}" \
  "$root/tokenlab" start --http "127.0.0.1:$port" < "$work/stdin" > "$work/runtime.log" 2>&1 &
runtime_pid="$(pgrep -n -f "tokenlab.home=$work/home" || true)"
for _ in $(seq 1 300); do
  curl -sf "$base/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "$base/health" >/dev/null || { echo "http-load: the runtime did not start:" >&2; cat "$work/runtime.log" >&2; exit 1; }
runtime_pid="$(pgrep -n -f "tokenlab.home=$work/home")"
# warm up both paths (vocabulary load, JIT) before measuring
wrk -t2 -c8 -d5s -s "$work/count.lua" "$base/api/v1/count" >/dev/null
wrk -t2 -c8 -d5s -s "$work/run.lua" "$base/api/v1/pipelines/encode/run" >/dev/null

half=$(( connections / 2 ))
threads=$(( half < 4 ? half : 4 ))
wrk -t"$threads" -c"$half" -d"${duration}s" --latency --timeout 30s -s "$work/count.lua" "$base/api/v1/count" > "$work/count.out" &
wrk_count=$!
wrk -t"$threads" -c"$half" -d"${duration}s" --latency --timeout 30s -s "$work/run.lua" "$base/api/v1/pipelines/encode/run" > "$work/run.out" &
wrk_run=$!
interval="$(/usr/bin/python3 -c "print(($duration - 4) / $swaps)")"
for i in $(seq 1 "$swaps"); do
  sleep "$interval"
  cp "$work/jars/bpe-$i.jar" "$work/home/bundles/.tokenizer-bpe.jar.tmp"
  mv "$work/home/bundles/.tokenizer-bpe.jar.tmp" "$work/home/bundles/tokenizer-bpe.jar"
done
wait "$wrk_count" "$wrk_run"
served="$(curl -s -XPOST "$base/api/v1/count" -d '{"technique":"tokenizer/bpe","texts":["x"]}')"
swapped="$(curl -s "$base/metrics" | awk '/^tokenlab_swaps_total/ {print $2}')"

inproc="$(java -cp "$api:$bpe" "$root/benchmarks/http/InProcessTokenize.java" \
  "$data/cl100k_base/cl100k_base.tiktoken" "$work/text.txt" "$(nproc)" 10)"

report() { # name wrk-output
  /usr/bin/python3 - "$1" "$2" "$inproc" <<'PY'
import re, sys
name, path, inproc = sys.argv[1], sys.argv[2], float(sys.argv[3])
out = open(path).read()
def ms(v):
    n = float(re.match(r"[\d.]+", v).group())
    return n * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[re.search(r"[a-z]+$", v).group()]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
lat = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", out)
p50 = re.search(r"50%\s+(\S+)", out).group(1)
p99 = re.search(r"99%\s+(\S+)", out).group(1)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
errors = re.search(r"Socket errors:.*", out)
print(f"{name:<28} {rps:9.1f} req/s  p50 {ms(p50):7.2f} ms  p99 {ms(p99):7.2f} ms  max {ms(lat.group(3)):8.2f} ms  "
      f"non-2xx {non2xx.group(1) if non2xx else 0}  {errors.group(0) if errors else 'socket errors 0'}  "
      f"ratio to in-process {rps / inproc:.3f}")
PY
}
echo "http-load: ${duration} s, $connections connections ($half per endpoint), $swapped swaps of tokenizer/bpe done" \
  "(last serving: $(echo "$served" | sed -E 's/.*"version":"([^"]+)".*/\1/'))"
echo "in-process (same count call, $(nproc) threads): $inproc calls/s"
report "POST /api/v1/count" "$work/count.out"
report "POST /api/v1/pipelines/encode/run" "$work/run.out"
