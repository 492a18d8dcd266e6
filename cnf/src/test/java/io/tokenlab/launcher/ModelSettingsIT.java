package io.tokenlab.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A decoder stage passes the settings of the language model it names ({@code model: transformer})
 * through to that model's provider, checked against the provider's own metatype: none of the
 * decoders declares them.
 */
class ModelSettingsIT {
    private static final Path BASELINE = EmbeddedRuntime.ROOT.resolve("plugins/decoder-baseline/target/decoder-baseline-1.0.0.jar");
    private static final Path DECODER_COMMON = EmbeddedRuntime.ROOT.resolve("plugins/decoder-common/target/decoder-common-1.0.0.jar");
    private static final Path TRANSFORMER = EmbeddedRuntime.ROOT.resolve("plugins/lm-transformer/target/lm-transformer-1.0.0.jar");
    private static EmbeddedRuntime rt;
    private static Path home;

    @BeforeAll
    static void boot() throws Exception {
        home = Files.createTempDirectory("tokenlab-model-settings");
        rt = EmbeddedRuntime.boot(home);
        rt.deploy(DECODER_COMMON, "decoder-common.jar");
        rt.deploy(BASELINE, "decoder-baseline.jar");
        rt.deploy(TRANSFORMER, "lm-transformer.jar");
        PluginStatesIT.awaitPlugins(rt, "decoder/baseline", "active");
        PluginStatesIT.awaitPlugins(rt, "lm/train-transformer", "active");
    }

    @AfterAll
    static void stop() throws Exception {
        rt.close();
    }

    private static String check(String model, String settings) throws Exception {
        Path f = Files.createTempFile(home, "decode", ".yaml");
        Files.writeString(f, "name: decode\nstages:\n  - id: generate\n    technique: decoder/baseline\n    params:\n"
                + "      model: " + model + "\n" + settings);
        return rt.shell("check", f.toString()).replace(f.toString(), "F");
    }

    @Test
    void theTransformersOwnSettingsPassThroughADecoderStage() throws Exception {
        assertThat(check("transformer", "      transformer.steps: 400\n      transformer.dimension: 48\n"))
                .isEqualTo("ok\n");
    }

    @Test
    void theyAreCheckedAgainstTheTransformersMetatype() throws Exception {
        assertThat(check("transformer", "      transformer.steps: 0\n"))
                .contains("F:7:").contains("parameter 'transformer.steps'").contains("out of range");
        assertThat(check("transformer", "      transformer.dimension: wide\n"))
                .contains("parameter 'transformer.dimension': 'wide' is not");
        assertThat(check("transformer", "      transformer.stepz: 10\n"))
                .contains("unknown parameter 'transformer.stepz'").contains("did you mean 'transformer.steps'?");
    }

    @Test
    void anotherModelDoesNotTakeThem() throws Exception {
        assertThat(check("ngram", "      transformer.steps: 400\n"))
                .contains("F:7:").contains("unknown parameter 'transformer.steps' for decoder/baseline");
    }
}
