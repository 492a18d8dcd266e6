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
 * decoders declares them. The stage parameters every decoder takes are declared once for the kind;
 * the listing shows a decoder with both, as if its own metatype declared them.
 */
class ModelSettingsIT {
    private static final Path BASELINE = EmbeddedRuntime.ROOT.resolve("plugins/decoder-baseline/target/decoder-baseline-1.0.0.jar");
    private static final Path DECODER_COMMON = EmbeddedRuntime.ROOT.resolve("plugins/decoder-common/target/decoder-common-1.0.0.jar");
    private static final Path TRANSFORMER = EmbeddedRuntime.ROOT.resolve("plugins/lm-transformer/target/lm-transformer-1.0.0.jar");
    private static final Path NGRAM = EmbeddedRuntime.ROOT.resolve("plugins/lm-ngram/target/lm-ngram-1.0.0.jar");
    private static final Path AWRS = EmbeddedRuntime.ROOT.resolve("plugins/decoder-awrs/target/decoder-awrs-1.0.0.jar");
    private static EmbeddedRuntime rt;
    private static Path home;

    @BeforeAll
    static void boot() throws Exception {
        home = Files.createTempDirectory("tokenlab-model-settings");
        rt = EmbeddedRuntime.boot(home);
        rt.deploy(DECODER_COMMON, "decoder-common.jar");
        rt.deploy(BASELINE, "decoder-baseline.jar");
        rt.deploy(TRANSFORMER, "lm-transformer.jar");
        rt.deploy(NGRAM, "lm-ngram.jar");
        rt.deploy(AWRS, "decoder-awrs.jar");
        PluginStatesIT.awaitPlugins(rt, "decoder/baseline", "active");
        PluginStatesIT.awaitPlugins(rt, "decoder/awrs", "active");
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

    @Test
    void theNgramSettingsAreCheckedAgainstTheNgramMetatype() throws Exception {
        assertThat(check("ngram", "      order: 3\n      corpus.bytes: 20000\n      max.ngrams: 5000\n")).isEqualTo("ok\n");
        assertThat(check("ngram", "      order: 9\n"))
                .contains("F:7:").contains("parameter 'order'").contains("out of range");
        assertThat(check("ngram", "      ordr: 3\n"))
                .contains("unknown parameter 'ordr' for decoder/baseline").contains("did you mean 'order'?")
                .contains("accepted: temperature, top.k, top.p, stop.at.end, max.tokens, seed, prompt, tokenizer, "
                        + "vocabulary, model, corpus, corpus.bytes, order, max.ngrams, model.file)");
    }

    @Test
    void theListingShowsEachDecoderWithTheKindsAndTheModelsParameters() throws Exception {
        String listing = rt.shell("plugins");
        assertThat(parameterIds(listing, "decoder/baseline")).containsExactly("temperature", "top.k", "top.p",
                "stop.at.end", "max.tokens", "seed", "prompt", "tokenizer", "vocabulary", "model", "corpus",
                "corpus.bytes", "order", "max.ngrams", "model.file");
        assertThat(parameterIds(listing, "decoder/awrs")).containsExactly("particles", "ess.threshold", "constraint",
                "schema", "regex", "force.completion", "max.tokens", "seed", "prompt", "tokenizer", "vocabulary",
                "model", "corpus", "corpus.bytes", "order", "max.ngrams", "model.file");
        assertThat(section(listing, "decoder/baseline"))
                .contains("--set <stage>.max.tokens  (an integer in [1, 100000], default 64)  Tokens to generate per prompt.")
                .contains("--set <stage>.prompt  (a string, default The scheduler)  Prompt used when the input has no lines.")
                .contains("--set <stage>.corpus.bytes  (a long >= 1000, default 8000000)  n-gram model: bytes of the "
                        + "corpus to train on.");
        assertThat(section(listing, "decoder/awrs")).contains("--set <stage>.corpus  (a string, default python-doc)");
    }

    private static String section(String listing, String technique) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : listing.split("\n")) {
            if (!line.startsWith(" ")) {
                in = line.startsWith(technique + " ");
            } else if (in) {
                sb.append(line.trim()).append('\n');
            }
        }
        return sb.toString();
    }

    private static java.util.List<String> parameterIds(String listing, String technique) {
        return section(listing, technique).lines().filter(l -> l.startsWith("--set <stage>."))
                .map(l -> l.substring("--set <stage>.".length(), l.indexOf(' ', "--set <stage>.".length()))).toList();
    }
}
