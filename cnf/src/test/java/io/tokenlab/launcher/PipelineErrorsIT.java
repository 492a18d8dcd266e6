package io.tokenlab.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each kind of mistake in a pipeline file gives an error at the right line and column that says
 * what is accepted, and the runtime keeps serving.
 */
class PipelineErrorsIT {
    private static EmbeddedRuntime rt;
    private static Path home;

    @BeforeAll
    static void boot() throws Exception {
        home = Files.createTempDirectory("tokenlab-errors");
        rt = EmbeddedRuntime.boot(home);
        rt.deploy(TestBundles.BYTES_PLUGIN, "tokenizer-bytes.jar");
        PluginStatesIT.awaitPlugins(rt, "tokenizer/bytes", "active");
        rt.writePipeline("good.yaml", "name: good\nstages:\n  - id: tokenize\n    technique: tokenizer/bytes\n");
    }

    @AfterAll
    static void stop() throws Exception {
        rt.close();
    }

    /** Checks the file and returns the error text, asserting the runtime still serves afterwards. */
    private static String check(String yaml) throws Exception {
        Path f = Files.createTempFile(home, "bad", ".yaml");
        Files.writeString(f, yaml);
        String out = rt.shell("check", f.toString());
        assertThat(out).as("errors start with the file name").startsWith(f.toString() + ":");
        assertThat(rt.shell("run", "good", "ok")).as("still serving").isEqualTo("114 110\n");
        return out.replace(f.toString(), "F");
    }

    @Test
    void yamlSyntax() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: \"unclosed\n    technique: tokenizer/bytes\n"))
                .startsWith("F:").contains("not valid YAML");
    }

    @Test
    void unknownTopLevelKey() throws Exception {
        assertThat(check("name: x\nstage:\n  - id: a\n    technique: tokenizer/bytes\n"))
                .contains("F:2:1: unknown pipeline key 'stage'; did you mean 'stages'?")
                .contains("accepted: description, name, stages");
    }

    @Test
    void missingStages() throws Exception {
        assertThat(check("name: x\ndescription: nothing\n")).contains("missing key 'stages'");
    }

    @Test
    void stageWithoutTechnique() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    params: {}\n"))
                .contains("F:3:5: stage is missing 'technique'");
    }

    @Test
    void duplicateStageId() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/bytes\n"
                + "  - id: a\n    technique: tokenizer/bytes\n    input: a\n"))
                .contains("F:5:9: duplicate stage id 'a'");
    }

    @Test
    void unknownTechniqueSuggestsTheClosest() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/byte\n"))
                .contains("F:4:16: unknown technique 'tokenizer/byte'; did you mean 'tokenizer/bytes'");
    }

    @Test
    void techniqueWithoutKind() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: bytes\n"))
                .contains("F:4:16:").contains("<kind>/<name>");
    }

    @Test
    void malformedVersionRange() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/bytes\n    version: \"[1.0,\"\n"))
                .contains("F:5:14: '[1.0,' is not an OSGi version range");
    }

    @Test
    void noVersionInRange() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/bytes\n    version: \"[2.0,3.0)\"\n"))
                .contains("F:5:14: no version of 'tokenizer/bytes' in [2.0.0,3.0.0); installed: 1.0.0");
    }

    @Test
    void unknownParameter() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/bytes\n    params:\n"
                + "      byt5_layout: true\n"))
                .contains("F:6:20: unknown parameter 'byt5_layout' for tokenizer/bytes; did you mean 'byt5.layout'?")
                .contains("accepted: byt5.layout, threads");
    }

    @Test
    void wrongType() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/bytes\n    params:\n"
                + "      threads: many\n"))
                .contains("F:6:16: parameter 'threads': 'many' is not an integer in [1, 256]");
    }

    @Test
    void outOfRange() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/bytes\n    params:\n"
                + "      threads: 0\n"))
                .contains("F:6:16: parameter 'threads': 0 is out of range; accepted: an integer in [1, 256]");
    }

    @Test
    void portTypeMismatch() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/bytes\n"
                + "  - id: b\n    technique: tokenizer/bytes\n"))
                .contains("F:6:16: port type mismatch: 'tokenizer/bytes' takes text but stage 'a' gives token-ids");
    }

    @Test
    void inputFromUnknownStage() throws Exception {
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/bytes\n    input: nowhere.output\n"))
                .contains("F:5:12: input 'nowhere.output' does not name an earlier stage");
    }

    @Test
    void missingReferencedFile() throws Exception {
        rt.deploy(TestBundles.BPE_PLUGIN, "tokenizer-bpe.jar");
        PluginStatesIT.awaitPlugins(rt, "tokenizer/bpe", "active");
        assertThat(check("name: x\nstages:\n  - id: a\n    technique: tokenizer/bpe\n    params:\n"
                + "      vocabulary: ./no-such-dir/tokenizer.json\n"))
                .contains("F:6:19: parameter 'vocabulary': file not found: ./no-such-dir/tokenizer.json");
    }

    @Test
    void invalidEditKeepsTheLastGoodVersion() throws Exception {
        rt.writePipeline("live.yaml", "name: live\nstages:\n  - id: tokenize\n    technique: tokenizer/bytes\n");
        awaitRun("live", "114 110\n");
        rt.writePipeline("live.yaml", "name: live\nstages:\n  - id: tokenize\n    technique: tokenizer/bytes\n"
                + "    params:\n      threads: -4\n");
        long deadline = System.currentTimeMillis() + 10_000;
        String listing = "";
        while (System.currentTimeMillis() < deadline && !listing.contains("last edit rejected")) {
            listing = rt.shell("pipelines");
            Thread.sleep(50);
        }
        assertThat(listing).contains("last edit rejected").contains("live.yaml:6:16").contains("out of range");
        assertThat(rt.shell("run", "live", "ok")).isEqualTo("114 110\n");
    }

    private static void awaitRun(String pipeline, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String out = "";
        while (System.currentTimeMillis() < deadline) {
            out = rt.shell("run", pipeline, "ok");
            if (out.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(pipeline + " did not serve: " + out);
    }
}
