package io.tokenlab.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Swaps a plugin 20 times while 4 threads run a pipeline on it without pause: no run may fail, and
 * once a swap is done new runs must get the new version.
 */
class HotSwapIT {
    private static final int SWAPS = 20;
    private static final int THREADS = 4;

    @Test
    void swapsUnderLoadWithoutFailedRuns(@TempDir Path home, @TempDir Path jars) throws Exception {
        try (EmbeddedRuntime rt = EmbeddedRuntime.boot(home)) {
            rt.writePipeline("swap.yaml", "name: swap\nstages:\n  - id: tokenize\n    technique: tokenizer/bytes\n"
                    + "    version: \"[1.0,2.0)\"\n");
            rt.deploy(TestBundles.withVersion(jars, "1.0.100"), "tokenizer-bytes.jar");
            awaitVersion(rt, "1.0.100", 20_000);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong runs = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicReference<String> expectedAtLeast = new AtomicReference<>("1.0.100");
            ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread w = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            // a run that starts after a swap was observed must not get an older version
                            String floor = expectedAtLeast.get();
                            String out = rt.shell("trace", "swap", "héllo wörld");
                            runs.incrementAndGet();
                            if (out.startsWith("error:") || !out.contains("107 198 172 111 111 114")) {
                                failures.add(out);
                            } else if (micro(version(out)) < micro(floor)) {
                                stale.add("got " + version(out) + " after " + floor + " was live");
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }, "runner-" + t);
                w.start();
                workers.add(w);
            }
            List<Long> latencies = new ArrayList<>();
            for (int i = 1; i <= SWAPS; i++) {
                String v = "1.0." + (100 + i);
                Path jar = TestBundles.withVersion(jars, v);
                long t0 = System.nanoTime();
                rt.deploy(jar, "tokenizer-bytes.jar");
                awaitVersion(rt, v, 30_000);
                latencies.add((System.nanoTime() - t0) / 1_000_000);
                expectedAtLeast.set(v);
                Thread.sleep(50); // let the workers run on this version for a moment
            }
            stop.set(true);
            for (Thread w : workers) {
                w.join(30_000);
            }
            Collections.sort(latencies);
            System.out.printf("hot swap: %d swaps under %d threads, %d runs, %d failed; swap-to-first-new-run latency "
                            + "median %d ms, max %d ms%n", SWAPS, THREADS, runs.get(), failures.size(),
                    latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));
            assertThat(failures).as("failed runs").isEmpty();
            assertThat(stale).as("runs that started after a swap but got an older version").isEmpty();
            assertThat(runs.get()).isGreaterThan(SWAPS * 4L);
        }
    }

    private static void awaitVersion(EmbeddedRuntime rt, String version, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = rt.shell("trace", "swap", "x");
            if (version(last).equals(version)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("version " + version + " not serving after " + millis + " ms; last run: " + last);
    }

    private static String version(String trace) {
        for (String line : trace.split("\n")) {
            if (line.startsWith("tokenize=")) {
                return line.substring("tokenize=".length());
            }
        }
        return "";
    }

    private static int micro(String version) {
        String[] p = version.split("\\.");
        return p.length < 3 ? -1 : Integer.parseInt(p[2]);
    }
}
