package io.tokenlab.plugin.decoder.bytes;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import io.tokenlab.plugin.decoder.common.Vocabulary;
import io.tokenlab.plugin.lm.transformer.TinyTrained;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Exact byte-level probabilities over the transformer (no merging: a transformer looks back over its
 * whole context): the 257 outcomes after a text form a distribution, each is the ratio of the cover
 * masses P(x b) / P(x), and the cover of x splits exactly into its continuations and its end.
 */
class ExactBytesOnTransformerTest {
    @Test
    void byteProbabilitiesOfTheTransformerSumAndMarginaliseExactly() {
        RunContext context = TinyTrained.context();
        LanguageModel model = TinyTrained.model();
        Tokenizer gpt2 = context.technique(TokenizerTechnique.class, "tokenizer/bpe").orElseThrow()
                .open(Parameters.of(Map.of("vocabulary", "gpt2")), context);
        ByteLevelModel bytes = new ByteLevelModel(model, Vocabulary.of(gpt2), 0, 1_000_000);
        int[] prompt = {50256};
        for (String text : List.of("Th", "The ke", "memo")) {
            byte[] x = text.getBytes(StandardCharsets.UTF_8);
            ByteLevelModel.State state = bytes.exact(prompt, x);
            assertThat(state.droppedMass).isZero();
            double[] next = state.nextByte();
            assertThat(Arrays.stream(next).sum()).as(text).isCloseTo(1.0, within(1e-9));
            double cover = Math.exp(state.logProbability);
            double continued = 0;
            for (int b : new int[] {'e', 'r', ' ', 'a'}) {
                double longer = Math.exp(bytes.exact(prompt, (text + (char) b).getBytes(StandardCharsets.UTF_8))
                        .logProbability);
                assertThat(next[b]).as("'%s' then '%c'", text, (char) b).isCloseTo(longer / cover, within(1e-6 + 1e-4 * next[b]));
                continued += longer;
            }
            assertThat(continued).isLessThanOrEqualTo(cover * (1 + 1e-6));
        }
        // the exact probability of a text differs from its canonical encoding's: other encodings add mass
        byte[] x = "The ke".getBytes(StandardCharsets.UTF_8);
        int[] canonical = gpt2.encode("The ke");
        double canonicalLog = 0;
        int[] seq = prompt.clone();
        for (int id : canonical) {
            canonicalLog += model.logProbabilities(seq)[id];
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = id;
        }
        assertThat(bytes.exact(prompt, x).logProbability).isGreaterThan(canonicalLog);
    }
}
