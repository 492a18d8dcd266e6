package io.tokenlab.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example plugin in examples/third-party-plugin builds on its own (with its conformance tests)
 * against the installed api artifact, and a running runtime picks its jar up live.
 */
class ThirdPartyPluginIT {
    @Test
    void buildsOnItsOwnAndIsPickedUpLive(@TempDir Path home) throws Exception {
        Path project = EmbeddedRuntime.ROOT.resolve("examples/third-party-plugin");
        Path log = Files.createTempFile("third-party-build", ".log");
        Process mvn = new ProcessBuilder("mvn", "-B", "-q", "package")
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).as("build finished").isTrue();
        assertThat(mvn.exitValue()).as("build log:\n%s", Files.readString(log)).isZero();
        Path jar = project.resolve("target/codepoints-tokenizer-1.0.0.jar");

        try (EmbeddedRuntime rt = EmbeddedRuntime.boot(home)) {
            assertThat(rt.shell("plugins")).doesNotContain("tokenizer/codepoints");
            rt.writePipeline("codepoints.yaml", "name: codepoints\nstages:\n  - id: split\n"
                    + "    technique: tokenizer/codepoints\n    params:\n      lowercase: true\n");
            rt.deploy(jar, "codepoints-tokenizer.jar");
            String plugins = PluginStatesIT.awaitPlugins(rt, "tokenizer/codepoints", "active");
            assertThat(plugins).contains("CANINE").contains("--set <stage>.lowercase");
            long deadline = System.currentTimeMillis() + 10_000;
            String out = "";
            while (System.currentTimeMillis() < deadline && !out.equals("97 128512 98\n")) {
                out = rt.shell("run", "codepoints", "A😀B");
                Thread.sleep(50);
            }
            assertThat(out).isEqualTo("97 128512 98\n");
        }
    }
}
