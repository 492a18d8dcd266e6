package io.tokenlab.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin that throws, one whose bundle cannot resolve, and one that is removed: each shows its
 * state in {@code plugins}, and the runtime keeps serving the other pipelines.
 */
class PluginStatesIT {
    @Test
    void reportsEachStateAndKeepsServing(@TempDir Path home, @TempDir Path jars) throws Exception {
        try (EmbeddedRuntime rt = EmbeddedRuntime.boot(home)) {
            rt.writePipeline("bytes.yaml", "name: bytes\nstages:\n  - id: tokenize\n    technique: tokenizer/bytes\n");
            rt.writePipeline("other.yaml", "name: other\nstages:\n  - id: tokenize\n    technique: tokenizer/other\n");
            rt.writePipeline("ghost.yaml", "name: ghost\nstages:\n  - id: tokenize\n    technique: tokenizer/ghost\n");
            rt.deploy(TestBundles.BYTES_PLUGIN, "tokenizer-bytes.jar");
            rt.deploy(TestBundles.renamed(jars, "other"), "other.jar");
            rt.deploy(TestBundles.unresolvable(jars), "ghost.jar");
            awaitPlugins(rt, "tokenizer/other", "active");

            // unresolved: named with the missing requirement
            String plugins = awaitPlugins(rt, "tokenizer/ghost", "unresolved");
            assertThat(plugins).contains("org.example.nowhere");
            assertThat(rt.shell("run", "ghost", "x")).startsWith("error:").contains("tokenizer/ghost")
                    .contains("unresolved");

            // a plugin that throws: the run fails naming pipeline, stage and technique; the state says why
            String failed = rt.shell("run", "bytes", "a <pad> in the input");
            assertThat(failed).startsWith("error:").contains("pipeline 'bytes'").contains("stage 'tokenize'")
                    .contains("tokenizer/bytes").contains("<pad>");
            assertThat(line(rt.shell("plugins"), "tokenizer/bytes")).contains("failed");
            assertThat(rt.shell("run", "other", "ok")).isEqualTo("114 110\n");

            // recovers on the next good run
            assertThat(rt.shell("run", "bytes", "ok")).isEqualTo("114 110\n");
            assertThat(line(rt.shell("plugins"), "tokenizer/bytes")).contains("active");

            // removed: the pipeline is unavailable with what it needs; the other keeps serving
            Files.delete(home.resolve("bundles/tokenizer-bytes.jar"));
            awaitPlugins(rt, "tokenizer/bytes", "removed");
            assertThat(rt.shell("run", "bytes", "ok")).startsWith("error:").contains("unavailable")
                    .contains("needs tokenizer/bytes");
            assertThat(rt.shell("run", "other", "ok")).isEqualTo("114 110\n");
            assertThat(rt.shell("pipelines")).contains("other");
        }
    }

    static String awaitPlugins(EmbeddedRuntime rt, String technique, String state) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        String out = "";
        while (System.currentTimeMillis() < deadline) {
            out = rt.shell("plugins");
            if (line(out, technique).contains(state)) {
                return out;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(technique + " never became " + state + ":\n" + out);
    }

    static String line(String table, String technique) {
        String[] lines = table.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(technique + " ")) {
                StringBuilder sb = new StringBuilder(lines[i]);
                if (i + 1 < lines.length && lines[i + 1].startsWith("    why:")) {
                    sb.append('\n').append(lines[i + 1]);
                }
                return sb.toString();
            }
        }
        return "";
    }
}
