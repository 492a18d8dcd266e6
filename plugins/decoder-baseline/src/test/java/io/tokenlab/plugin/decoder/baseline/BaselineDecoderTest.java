package io.tokenlab.plugin.decoder.baseline;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.decoder.DecoderTechnique;
import io.tokenlab.api.decoder.Generation;
import io.tokenlab.api.decoder.GenerationRequest;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.testkit.DecoderConformance;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.decoder.common.Sampling;
import io.tokenlab.plugin.decoder.testing.DecoderFixtures;
import io.tokenlab.plugin.lm.ngram.NgramModelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BaselineDecoderTest extends DecoderConformance {
    private static final Tokenizer GPT2 = DecoderFixtures.gpt2();
    private static final LanguageModel MODEL = DecoderFixtures.gpt2Model();

    @Override
    protected DecoderTechnique technique() {
        return new BaselineDecoder();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("temperature", 0.9, "top.k", 50, "top.p", 0.95));
    }

    @Override
    protected RunContext context() {
        return DecoderFixtures.context();
    }

    @Override
    protected GenerationRequest request(long seed) {
        return new GenerationRequest(MODEL, GPT2, GPT2.encode("The scheduler"), 24, seed, null);
    }

    @Test
    void greedyFollowsTheArgmaxChain() {
        int[] prompt = GPT2.encode("Each device driver");
        Generation g = new BaselineDecoder().generate(new GenerationRequest(MODEL, GPT2, prompt, 20, 0, null),
                Parameters.empty(), context());
        int[] sequence = prompt;
        for (int token : g.tokens()) {
            assertThat(token).isEqualTo(Sampling.argmax(MODEL.logProbabilities(sequence)));
            sequence = Arrays.copyOf(sequence, sequence.length + 1);
            sequence[sequence.length - 1] = token;
        }
        assertThat(g.tokens()).hasSize(20);
        assertThat(g.statistics().get("model.calls")).isEqualTo(20.0);
    }

    @Test
    void samplingAtTemperatureOneDrawsTheModelsDistribution() {
        float[] row = new float[6];
        double[] p = {0.4, 0.25, 0.15, 0.1, 0.06, 0.04};
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) Math.log(p[i]);
        }
        SplittableRandom random = new SplittableRandom(11);
        int n = 40_000;
        int[] counts = new int[6];
        int[] topTwo = new int[6];
        int[] nucleus = new int[6];
        for (int i = 0; i < n; i++) {
            counts[TokenChoice.choose(row, 1.0, 0, 1.0, random)]++;
            topTwo[TokenChoice.choose(row, 1.0, 2, 1.0, random)]++;
            nucleus[TokenChoice.choose(row, 1.0, 0, 0.75, random)]++;
        }
        for (int i = 0; i < 6; i++) {
            assertThat(counts[i] / (double) n).isCloseTo(p[i], within(0.01));
        }
        assertThat(topTwo[0] / (double) n).isCloseTo(0.4 / 0.65, within(0.01));
        assertThat(topTwo[2] + topTwo[3] + topTwo[4] + topTwo[5]).isZero();
        // the nucleus 0.75 is {0, 1, 2}: 0.4 + 0.25 + 0.15 = 0.8 is the first prefix reaching it
        assertThat(nucleus[3] + nucleus[4] + nucleus[5]).isZero();
        assertThat(nucleus[2] / (double) n).isCloseTo(0.15 / 0.8, within(0.01));
    }

    @Test
    void runsAsAPipelineStageWithTheNgramProvider(@TempDir Path dir) {
        BaselineDecoder decoder = new BaselineDecoder();
        decoder.addModelProvider(new NgramModelProvider(), Map.of("tokenlab.model", "ngram"));
        Parameters params = Parameters.of(Map.of("max.tokens", 12, "corpus.bytes", 200_000, "order", 3,
                "model.file", dir.resolve("m.tlng").toString()));
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) decoder.apply(List.of("The kernel", "Memory"), params, context());
        assertThat(out).hasSize(2).allSatisfy(line -> assertThat(line).isNotEmpty());
        @SuppressWarnings("unchecked")
        List<String> fromDefaultPrompt = (List<String>) decoder.apply(List.of(), params, context());
        assertThat(fromDefaultPrompt).hasSize(1);
    }
}
