package io.tokenlab.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cold start to ready, measured two ways: the framework and every bundle active in this JVM, and
 * the whole {@code java -jar launch.jar plugins} process (JVM start included), as users see it.
 * Printed, not asserted: these machines are shared and noisy.
 */
class ColdStartIT {
    @Test
    void measuresColdStart(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("bundles"));
        Files.copy(TestBundles.BYTES_PLUGIN, home.resolve("bundles/tokenizer-bytes.jar"));
        double inJvm;
        try (EmbeddedRuntime rt = EmbeddedRuntime.boot(home)) {
            inJvm = rt.readySeconds();
            assertThat(rt.shell("plugins")).contains("tokenizer/bytes").contains("active");
        }
        List<Double> processes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("java", "--add-modules", "jdk.incubator.vector",
                    "-Dtokenlab.home=" + home, "-Dgosh.args=--nointeractive", "-jar",
                    EmbeddedRuntime.LAUNCH_JAR.toString(), "plugins", "--json")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            processes.add((System.nanoTime() - t0) / 1e9);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("\"technique\" : \"tokenizer/bytes\"").contains("\"state\" : \"active\"");
        }
        Collections.sort(processes);
        System.out.printf("cold start to ready: %.2f s in this JVM (framework + all bundles active); "
                        + "whole process 'plugins --json': median %.2f s, min %.2f s, max %.2f s over %d runs%n",
                inJvm, processes.get(processes.size() / 2), processes.get(0), processes.get(processes.size() - 1),
                processes.size());
    }
}
