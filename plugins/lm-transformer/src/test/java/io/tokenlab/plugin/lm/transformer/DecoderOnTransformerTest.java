package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.lm.LanguageModelProvider;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import io.tokenlab.plugin.decoder.baseline.BaselineDecoder;
import io.tokenlab.plugin.lm.ngram.NgramModelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline decoder's pipeline stage run by configuration ({@code model: transformer}) on a model
 * the provider trains: the decoder binds the provider by its {@code tokenlab.model} property, as
 * under Declarative Services, and greedy output is the transformer's argmax chain.
 */
class DecoderOnTransformerTest {
    @Test
    void baselineDecoderGeneratesGreedilyFromTheTransformer(@TempDir Path dir) {
        RunContext context = RealRuns.context();
        Map<String, Object> settings = new HashMap<>(TransformerModelProviderTest.tinySettings(dir.resolve("m.safetensors")));
        settings.put("transformer.heldout.bytes", 0);
        settings.put("model", "transformer");
        settings.put("max.tokens", 12);
        settings.put("stop.at.end", false);
        TransformerModelProvider provider = new TransformerModelProvider();
        provider.setNgram(new NgramModelProvider());
        BaselineDecoder decoder = new BaselineDecoder();
        decoder.addModelProvider(provider, Map.of(LanguageModelProvider.MODEL, "transformer"));
        decoder.addModelProvider(new NgramModelProvider(), Map.of(LanguageModelProvider.MODEL, "ngram"));
        Parameters params = Parameters.of(settings);
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) decoder.apply(List.of("The kernel"), params, context);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).startsWith("The kernel");

        LanguageModel model = provider.open(params, context);
        Tokenizer gpt2 = context.technique(TokenizerTechnique.class, "tokenizer/bpe").orElseThrow()
                .open(Parameters.of(Map.of("vocabulary", "gpt2")), context);
        int[] sequence = new int[]{50256};
        sequence = concat(sequence, gpt2.encode("The kernel"));
        int promptLength = sequence.length;
        for (int i = 0; i < 12; i++) {
            float[] row = model.logProbabilities(sequence);
            int best = 0;
            for (int j = 1; j < row.length; j++) {
                best = row[j] > row[best] ? j : best;
            }
            sequence = concat(sequence, new int[]{best});
        }
        String expected = ("The kernel" + gpt2.decode(Arrays.copyOfRange(sequence, promptLength, sequence.length)))
                .replaceAll("\\s+", " ").trim();
        assertThat(out.get(0)).isEqualTo(expected);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
