package io.tokenlab.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Swaps a plugin 10 times through {@code POST /api/v1/bundles} while 4 HTTP clients call a pipeline run
 * and a token count on it without pause: no request may fail, and a request that starts after a swap
 * completed must not be served by an older version.
 */
class HttpHotSwapIT {
    private static final int SWAPS = 10;
    private static final int CLIENTS = 4;

    @Test
    void swapsUnderHttpLoadWithoutFailedRequests(@TempDir Path home, @TempDir Path jars) throws Exception {
        Files.createDirectories(home.resolve("bundles"));
        Files.copy(TestBundles.withVersion(jars, "1.0.100"), home.resolve("bundles/tokenizer-bytes.jar"));
        Files.createDirectories(home.resolve("pipelines"));
        Files.writeString(home.resolve("pipelines/swap.yaml"), "name: swap\nstages:\n  - id: tokenize\n"
                + "    technique: tokenizer/bytes\n    version: \"[1.0,2.0)\"\n");
        try (ServedRuntime rt = ServedRuntime.start(home)) {
            rt.awaitTechnique("tokenizer/bytes", "1.0.100", 30_000);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong requests = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
            AtomicReference<String> floor = new AtomicReference<>("1.0.100");
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                boolean runs = c % 2 == 0;
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        String before = floor.get();
                        try {
                            ServedRuntime.Reply r = runs
                                    ? rt.post("/api/v1/pipelines/swap/run", Map.of("inputs", List.of("héllo wörld")))
                                    : rt.post("/api/v1/count", ServedRuntime.tokenizeBody("tokenizer/bytes", Map.of(),
                                    List.of("héllo wörld")));
                            requests.incrementAndGet();
                            JsonNode j = r.status() == 200 ? r.json() : null;
                            String version = j == null ? "" : runs ? after(j.get("versions").get("tokenize").asText())
                                    : j.get("version").asText();
                            boolean right = j != null && (runs
                                    ? j.get("outputs").toString().equals("[[107,198,172,111,111,114,35,122,198,185,117,111,103]]")
                                    : j.get("total").asInt() == 13);
                            if (!right) {
                                failures.add(r.status() + " " + r.body());
                            } else if (micro(version) < micro(before)) {
                                stale.add("served by " + version + " after " + before + " was live");
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }, "client-" + c);
                t.start();
                clients.add(t);
            }
            List<Long> latencies = new ArrayList<>();
            for (int i = 1; i <= SWAPS; i++) {
                String v = "1.0." + (100 + i);
                long t0 = System.nanoTime();
                ServedRuntime.Reply up = rt.upload(TestBundles.withVersion(jars, v), "tokenizer-bytes.jar", ServedRuntime.TOKEN);
                assertThat(up.status()).as(up.body()).isEqualTo(201);
                awaitServing(rt, v);
                latencies.add((System.nanoTime() - t0) / 1_000_000);
                floor.set(v);
                Thread.sleep(100); // some requests on this version before the next swap
            }
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
            Collections.sort(latencies);
            System.out.printf("http hot swap: %d swaps under %d clients, %d requests, %d failed, %d stale; upload-to-"
                            + "first-new-run median %d ms, max %d ms%n", SWAPS, CLIENTS, requests.get(), failures.size(),
                    stale.size(), latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));
            assertThat(failures).as("failed requests").isEmpty();
            assertThat(stale).as("requests served by a version older than a completed swap").isEmpty();
            assertThat(requests.get()).isGreaterThan(SWAPS * 4L);
            assertThat(rt.get("/metrics").body()).contains("tokenlab_swaps_total " + SWAPS);
        }
    }

    private static void awaitServing(ServedRuntime rt, String version) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            ServedRuntime.Reply r = rt.post("/api/v1/pipelines/swap/run", Map.of("inputs", List.of("x")));
            last = r.body();
            if (r.status() == 200 && after(r.json().get("versions").get("tokenize").asText()).equals(version)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("version " + version + " not serving after 30 s; last: " + last);
    }

    private static String after(String techniqueAtVersion) {
        return techniqueAtVersion.substring(techniqueAtVersion.lastIndexOf('@') + 1);
    }

    private static int micro(String version) {
        String[] p = version.split("\\.");
        return p.length < 3 ? -1 : Integer.parseInt(p[2]);
    }
}
