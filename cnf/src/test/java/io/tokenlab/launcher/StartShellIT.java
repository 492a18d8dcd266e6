package io.tokenlab.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./tokenlab start} driven through its stdin, as a user types into it: text arguments, a
 * component that fails to activate, and a pipeline whose technique's jar is removed.
 */
class StartShellIT {
    private static final String BYTES_PIPELINE = "name: bytes\nstages:\n  - id: tokenize\n    technique: tokenizer/bytes\n";

    @Test
    void textArgumentsAreDecodedAsUtf8LikeTheCommandLine(@TempDir Path dir) throws Exception {
        Path home = Launcher.home(dir);
        Files.copy(TestBundles.BYTES_PLUGIN, home.resolve("bundles/tokenizer-bytes.jar"));
        Files.writeString(home.resolve("pipelines/bytes.yaml"), BYTES_PIPELINE);
        Launcher.Result cli = Launcher.run(home, "日本\n".getBytes(StandardCharsets.UTF_8), "run",
                home.resolve("pipelines/bytes.yaml").toString());
        assertThat(cli.exit()).as(cli.err()).isZero();
        // UTF-8 E6 97 A5 E6 9C AC, each byte b as id b + 3 (ByT5's layout)
        assertThat(cli.out()).isEqualTo("233 154 168 233 159 175\n");
        // the C locale: no UTF-8 in the environment at all, yet the shell reads and writes UTF-8
        try (Launcher.Shell shell = Launcher.start(home, Map.of("LC_ALL", "C", "LANG", "C"))) {
            assertThat(shell.type("tokenlab:run bytes \"日本\"").strip()).isEqualTo(cli.out().strip());
            assertThat(shell.type("tokenlab:run bytes 日本").strip()).isEqualTo(cli.out().strip());
            assertThat(shell.type("tokenlab:run bytes \"naïve café\"").strip())
                    .isEqualTo(ids("naïve café"));
            assertThat(shell.type("tokenlab:run 日本 x")).contains("no active pipeline '日本'");
        }
        // file names (the JVM can only encode them in a UTF-8 locale)
        Path named = home.resolve("pipelines/日本.yaml");
        Files.writeString(named, BYTES_PIPELINE);
        try (Launcher.Shell shell = Launcher.start(home, Map.of("LC_ALL", "C.UTF-8"))) {
            assertThat(shell.type("tokenlab:check " + named).strip()).isEqualTo("ok");
            Path absent = home.resolve("pipelines/ない.yaml");
            assertThat(shell.type("tokenlab:check " + absent)).contains(absent.toString());
        }
    }

    @Test
    void aFailedComponentShowsItsException(@TempDir Path dir, @TempDir Path jars) throws Exception {
        Path home = Launcher.home(dir);
        Files.copy(TestBundles.exploding(jars), home.resolve("bundles/exploding.jar"));
        Files.writeString(home.resolve("pipelines/explode.yaml"),
                "name: explode\nstages:\n  - id: tokenize\n    technique: tokenizer/exploding\n");
        Launcher.Result cli = Launcher.run(home, "x\n".getBytes(StandardCharsets.UTF_8), "run",
                home.resolve("pipelines/explode.yaml").toString());
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(cli.err()).contains("stage 'tokenize' needs tokenizer/exploding")
                .contains("IllegalStateException: vocabulary file /nonexistent/vocab.json is missing");
        try (Launcher.Shell shell = Launcher.start(home)) {
            assertThat(shell.type("tokenlab:run explode x")).startsWith("error:")
                    .contains("IllegalStateException: vocabulary file /nonexistent/vocab.json is missing");
            assertThat(PluginStatesIT.line(shell.type("tokenlab:plugins"), "tokenizer/exploding")).contains("failed")
                    .contains("IllegalStateException: vocabulary file /nonexistent/vocab.json is missing");
        }
    }

    @Test
    void aPipelineWhoseTechniqueJarIsRemovedIsUnavailable(@TempDir Path dir) throws Exception {
        Path home = Launcher.home(dir);
        Files.copy(TestBundles.BYTES_PLUGIN, home.resolve("bundles/tokenizer-bytes.jar"));
        Files.writeString(home.resolve("pipelines/bytes.yaml"), BYTES_PIPELINE);
        try (Launcher.Shell shell = Launcher.start(home)) {
            assertThat(row(shell.type("tokenlab:pipelines"), "bytes")).contains("active");
            Files.delete(home.resolve("bundles/tokenizer-bytes.jar"));
            long deadline = System.currentTimeMillis() + 20_000;
            String pipelines = shell.type("tokenlab:pipelines");
            while (row(pipelines, "bytes").contains("active") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                pipelines = shell.type("tokenlab:pipelines");
            }
            assertThat(pipelines).contains("unavailable: stage tokenize needs tokenizer/bytes");
            assertThat(row(pipelines, "bytes")).doesNotContain("active");
            // back when the jar is back
            Files.copy(TestBundles.BYTES_PLUGIN, home.resolve("bundles/tokenizer-bytes.jar"));
            deadline = System.currentTimeMillis() + 20_000;
            while (!row(pipelines, "bytes").contains("active") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                pipelines = shell.type("tokenlab:pipelines");
            }
            assertThat(row(pipelines, "bytes")).contains("active");
        }
    }

    private static String ids(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            sb.append(sb.length() == 0 ? "" : " ").append((b & 0xff) + 3);
        }
        return sb.toString();
    }

    private static String row(String table, String name) {
        return table.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElse("");
    }
}
