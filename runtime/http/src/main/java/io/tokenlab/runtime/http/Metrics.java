package io.tokenlab.runtime.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and latency histograms of the work served over HTTP, rendered in the Prometheus text
 * exposition format. Label values are escaped as the format requires.
 */
final class Metrics {
    /** Upper bounds of the latency buckets, in seconds: from sub-millisecond token counts to long runs. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final Map<String, LongAdder> runs = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> responses = new ConcurrentHashMap<>();
    private final LongAdder swaps = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();

    /** One run (a pipeline, or a tokenizer call named by its endpoint) on the given stage versions. */
    void recordRun(String pipeline, Map<String, String> stageVersions, boolean ok, double seconds) {
        if (stageVersions.isEmpty()) {
            // the run failed before it held any technique (unavailable): counted without a version
            String key = labels("pipeline", pipeline, "stage", "", "technique", "", "version", "");
            count(runs, key);
            if (!ok) {
                count(failures, key);
            }
        }
        for (Map.Entry<String, String> e : stageVersions.entrySet()) {
            String tv = e.getValue();
            int at = tv.lastIndexOf('@');
            String key = labels("pipeline", pipeline, "stage", e.getKey(), "technique", at < 0 ? tv : tv.substring(0, at),
                    "version", at < 0 ? "" : tv.substring(at + 1));
            count(runs, key);
            if (!ok) {
                count(failures, key);
            }
        }
        latency.computeIfAbsent(labels("pipeline", pipeline), k -> new Histogram()).observe(seconds);
    }

    void recordResponse(String endpoint, int status) {
        count(responses, labels("endpoint", endpoint, "code", Integer.toString(status)));
    }

    void recordSwap() {
        swaps.increment();
    }

    long swaps() {
        return swaps.sum();
    }

    AutoCloseable enter() {
        inFlight.incrementAndGet();
        return inFlight::decrementAndGet;
    }

    private static void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        family(sb, "tokenlab_runs_total", "counter", "Runs served over HTTP, by pipeline (or tokenizer endpoint), stage, "
                + "technique and version", runs);
        family(sb, "tokenlab_run_failures_total", "counter", "Runs that failed, by the same labels", failures);
        sb.append("# HELP tokenlab_run_duration_seconds Time per run, leases included\n");
        sb.append("# TYPE tokenlab_run_duration_seconds histogram\n");
        for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
            e.getValue().render(sb, "tokenlab_run_duration_seconds", e.getKey());
        }
        family(sb, "tokenlab_http_responses_total", "counter", "HTTP responses by endpoint and status code", responses);
        sb.append("# HELP tokenlab_swaps_total Plugin bundles updated in place since the runtime started\n");
        sb.append("# TYPE tokenlab_swaps_total counter\n");
        sb.append("tokenlab_swaps_total ").append(swaps.sum()).append('\n');
        sb.append("# HELP tokenlab_http_in_flight Requests being served now (each holds its technique leases)\n");
        sb.append("# TYPE tokenlab_http_in_flight gauge\n");
        sb.append("tokenlab_http_in_flight ").append(inFlight.get()).append('\n');
        return sb.toString();
    }

    private static void family(StringBuilder sb, String name, String type, String help, Map<String, LongAdder> values) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(values).entrySet()) {
            sb.append(name).append('{').append(e.getKey()).append("} ").append(e.getValue().sum()).append('\n');
        }
    }

    /** {@code a="x",b="y"} with the exposition format's escapes. */
    static String labels(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(kv[i]).append("=\"").append(kv[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n")).append('"');
        }
        return sb.toString();
    }

    /** A cumulative histogram over {@link #BUCKETS}. */
    static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length];
        private final LongAdder total = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            total.increment();
            sum.add(seconds);
        }

        void render(StringBuilder sb, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                sb.append(name).append("_bucket{").append(labels).append(",le=\"").append(BUCKETS[i]).append("\"} ")
                        .append(cumulative).append('\n');
            }
            sb.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(total.sum()).append('\n');
            sb.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
            sb.append(name).append("_count{").append(labels).append("} ").append(total.sum()).append('\n');
        }
    }
}
