package io.tokenlab.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken jars in bundles/, as an operator meets them through the {@code tokenlab} command: each is
 * named with its reason in {@code plugins} and warned about once, and none buries the output of the
 * commands that still work.
 */
class PluginProblemsIT {
    private static final String BYTES_PIPELINE = "name: bytes\nstages:\n  - id: tokenize\n    technique: tokenizer/bytes\n";

    @Test
    void unresolvableBundleIsAWarningNamingTheJarAndTheRequirement(@TempDir Path dir, @TempDir Path jars)
            throws Exception {
        Path home = Launcher.home(dir);
        Files.copy(TestBundles.BYTES_PLUGIN, home.resolve("bundles/tokenizer-bytes.jar"));
        Files.copy(TestBundles.unresolvable(jars), home.resolve("bundles/ghost.jar"));
        Launcher.Result r = Launcher.run(home, null, "plugins");
        assertThat(warnings(r.err())).as(r.err()).anySatisfy(w -> assertThat(w).contains("ghost.jar")
                .contains("org.example.nowhere"));
        assertThat(PluginStatesIT.line(r.out(), "tokenizer/ghost")).contains("unresolved").contains("ghost.jar")
                .contains("org.example.nowhere");
    }

    @Test
    void fragmentAndDescriptorErrorsAreListedWithTheJarAndTheReason(@TempDir Path dir, @TempDir Path jars)
            throws Exception {
        Path home = Launcher.home(dir);
        Files.copy(TestBundles.BYTES_PLUGIN, home.resolve("bundles/tokenizer-bytes.jar"));
        Files.copy(TestBundles.orphanFragment(jars), home.resolve("bundles/orphan-fragment.jar"));
        Files.copy(TestBundles.malformedDescriptor(jars), home.resolve("bundles/bad-xml.jar"));
        Files.copy(TestBundles.missingClass(jars), home.resolve("bundles/missing-class.jar"));
        Launcher.Result r = Launcher.run(home, null, "plugins");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(line(r.out(), "orphan-fragment.jar")).as(r.out()).contains("io.example.nohost");
        assertThat(line(r.out(), "bad-xml.jar")).as(r.out()).contains("OSGI-INF/")
                .containsPattern(":\\d+:\\d+: ").contains("XML");
        assertThat(PluginStatesIT.line(r.out(), "tokenizer/missing")).as(r.out()).contains("failed")
                .contains("missing-class.jar").contains("io.tokenlab.plugin.tokenizer.bytes.NoSuchTechnique");
        assertThat(PluginStatesIT.line(r.out(), "tokenizer/bytes")).contains("active");
    }

    @Test
    void aMissingComponentClassIsOneLineOnEveryRunNotAStackTrace(@TempDir Path dir, @TempDir Path jars)
            throws Exception {
        Path home = Launcher.home(dir);
        Files.copy(TestBundles.BYTES_PLUGIN, home.resolve("bundles/tokenizer-bytes.jar"));
        Files.copy(TestBundles.missingClass(jars), home.resolve("bundles/missing-class.jar"));
        Files.writeString(home.resolve("pipelines/bytes.yaml"), BYTES_PIPELINE);
        Launcher.Result r = Launcher.run(home, "ok\n".getBytes(StandardCharsets.UTF_8), "run",
                home.resolve("pipelines/bytes.yaml").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("114 110\n");
        // a run installs only the jars its pipeline needs: the broken one is not loaded, so not reported
        assertThat(r.err()).isBlank();
        // a command that loads every jar reports it, in one line
        Launcher.Result checked = Launcher.run(home, null, "check", home.resolve("pipelines/bytes.yaml").toString());
        assertThat(checked.exit()).as(checked.err()).isZero();
        List<String> lines = checked.err().lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertThat(lines).as(checked.err()).hasSize(1);
        assertThat(lines.get(0)).contains("missing-class.jar").contains("io.tokenlab.plugin.tokenizer.bytes.NoSuchTechnique");

        // running the broken technique itself: its error, and still no stack trace
        Files.writeString(home.resolve("pipelines/missing.yaml"),
                "name: missing\nstages:\n  - id: tokenize\n    technique: tokenizer/missing\n");
        Launcher.Result broken = Launcher.run(home, "ok\n".getBytes(StandardCharsets.UTF_8), "run",
                home.resolve("pipelines/missing.yaml").toString());
        assertThat(broken.exit()).as(broken.err()).isEqualTo(1);
        assertThat(broken.err()).doesNotContain("\tat ").doesNotContain("Exception")
                .contains("stage 'tokenize' needs tokenizer/missing")
                .contains("io.tokenlab.plugin.tokenizer.bytes.NoSuchTechnique");
        assertThat(broken.err().lines().filter(l -> !l.isBlank()).count()).as(broken.err()).isLessThanOrEqualTo(2);
    }

    @Test
    void aSecondBundleWithTheSameTechniqueAndVersionIsAConflictNotAHiddenRow(@TempDir Path dir, @TempDir Path jars)
            throws Exception {
        Path home = Launcher.home(dir);
        Files.copy(TestBundles.BYTES_PLUGIN, home.resolve("bundles/tokenizer-bytes.jar"));
        Files.copy(TestBundles.twin(jars), home.resolve("bundles/twin.jar"));
        Launcher.Result r = Launcher.run(home, null, "plugins");
        List<String> rows = Arrays.stream(r.out().split("\n")).filter(l -> l.startsWith("tokenizer/bytes "))
                .collect(Collectors.toList());
        assertThat(rows).as(r.out()).hasSize(2);
        assertThat(r.out()).contains("io.tokenlab.tokenizer.bytes").contains("io.tokenlab.itest.twin");
        String first = PluginStatesIT.line(r.out(), "tokenizer/bytes");
        assertThat(first).as(r.out()).contains("active").contains("conflict").contains("serves runs");
        assertThat(r.out()).containsPattern("tokenizer/bytes +1\\.0\\.0 +conflict +io\\.tokenlab\\.itest\\.twin\n"
                + " +why: conflict: .*io\\.tokenlab\\.tokenizer\\.bytes.* serves runs");
    }

    private static List<String> warnings(String stderr) {
        return stderr.lines().filter(l -> l.contains("WARNING")).collect(Collectors.toList());
    }

    private static String line(String out, String needle) {
        return out.lines().filter(l -> l.contains(needle)).findFirst().orElse("");
    }
}
