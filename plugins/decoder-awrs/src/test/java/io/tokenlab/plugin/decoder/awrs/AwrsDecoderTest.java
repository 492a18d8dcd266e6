package io.tokenlab.plugin.decoder.awrs;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.decoder.ByteConstraint;
import io.tokenlab.api.decoder.DecoderTechnique;
import io.tokenlab.api.decoder.Generation;
import io.tokenlab.api.decoder.GenerationRequest;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.testkit.DecoderConformance;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.decoder.common.Vocabulary;
import io.tokenlab.plugin.decoder.testing.DecoderFixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class AwrsDecoderTest extends DecoderConformance {
    private static final Tokenizer GPT2 = DecoderFixtures.gpt2();
    private static final LanguageModel GPT2_MODEL = DecoderFixtures.gpt2Model();
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"name\":{\"type\":\"string\",\"maxLength\":12},\"size\":{\"type\":\"integer\",\"minimum\":0},"
            + "\"flags\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":8},\"maxItems\":2}},"
            + "\"required\":[\"name\",\"size\"]}";
    private static final ByteAutomaton JSON = AwrsDecoder.jsonSchema(SCHEMA);

    @Override
    protected DecoderTechnique technique() {
        return new AwrsDecoder();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("particles", 2));
    }

    @Override
    protected RunContext context() {
        return DecoderFixtures.context();
    }

    @Override
    protected GenerationRequest request(long seed) {
        return new GenerationRequest(GPT2_MODEL, GPT2, new int[] {50256}, 32, seed, JSON);
    }

    /**
     * The small enumerable case: plain byte tokens (256 ids, no end token, so every output has exactly
     * max.tokens tokens), a model trained on real text, and a finite language of 3-byte words.
     */
    private static final Tokenizer BYTES = new io.tokenlab.plugin.tokenizer.bytes.ByteTokenizerTechnique()
            .open(Parameters.of(Map.of("byt5.layout", false)), DecoderFixtures.context());
    private static final LanguageModel BYTE_MODEL = DecoderFixtures.model("raw-bytes", BYTES, 4, 400_000);
    private static final List<String> WORDS = new java.util.ArrayList<>();
    private static final ByteAutomaton WORD_CONSTRAINT = AwrsDecoder.regex("(th|wh|sh)[aeiouy]");
    private static final int[] PROMPT = BYTES.encode("It is not ");

    static {
        for (String a : List.of("th", "wh", "sh")) {
            for (char b : "aeiouy".toCharArray()) {
                WORDS.add(a + b);
            }
        }
    }

    /** Exact probability that the model writes {@code word} after the prompt (the constrained target's mass). */
    private static double exactMass(String word) {
        int[] ids = BYTES.encode(word);
        double logp = 0;
        int[] ctx = PROMPT.clone();
        for (int id : ids) {
            logp += BYTE_MODEL.logProbabilities(ctx)[id];
            ctx = java.util.Arrays.copyOf(ctx, ctx.length + 1);
            ctx[ctx.length - 1] = id;
        }
        return Math.exp(logp);
    }

    @Test
    void weightedSamplesMatchTheExactConstrainedDistributionAndNormaliser() {
        Map<String, Double> exact = new HashMap<>();
        double z = 0;
        for (String w : WORDS) {
            exact.put(w, exactMass(w));
            z += exact.get(w);
        }
        // single-particle runs are plain sequential importance sampling: E[weight] = Z exactly
        int n = 3000;
        Map<String, Double> weighted = new HashMap<>();
        double sum = 0;
        double sumSquares = 0;
        double checks = 0;
        for (int i = 0; i < n; i++) {
            Generation g = new AwrsDecoder().generate(new GenerationRequest(BYTE_MODEL, BYTES, PROMPT, 3, 1000 + i,
                    WORD_CONSTRAINT), Parameters.of(Map.of("particles", 1)), context());
            double w = Math.exp(g.statistics().get("log.normaliser"));
            String text = new String(BYTES.decodeBytes(g.tokens()), StandardCharsets.UTF_8);
            assertThat(WORDS).contains(text);
            weighted.merge(text, w, Double::sum);
            sum += w;
            sumSquares += w * w;
            checks += g.statistics().get("checks.per.token");
        }
        double mean = sum / n;
        double standardError = Math.sqrt((sumSquares / n - mean * mean) / n);
        double tv = 0;
        for (String w : WORDS) {
            tv += Math.abs(weighted.getOrDefault(w, 0.0) / sum - exact.get(w) / z) / 2;
        }
        System.out.printf("AWRS on %d enumerable runs: mean weight %.6g ± %.2g (exact Z %.6g, ratio %.4f); TV of the "
                + "weighted sample to the exact constrained distribution %.4f; checks per token %.1f of %d ids (3-byte words, enumerated exactly)%n",
                n, mean, standardError, z, mean / z, tv, checks / n, BYTES.vocabularySize());
        for (String w : WORDS) {
            System.out.printf("  %-5s exact %.4g  weighted %.4g%n", w, exact.get(w) / z, weighted.getOrDefault(w, 0.0) / sum);
        }
        assertThat(Math.abs(mean - z)).isLessThan(4 * standardError + 1e-12);
        assertThat(Math.abs(mean / z - 1)).isLessThan(0.1);
        assertThat(tv).isLessThan(0.05);
    }

    @Test
    void oneTokenDrawsAreProperlyWeighted() {
        LanguageModel byt5Model = DecoderFixtures.model("bytes", DecoderFixtures.bytes(), 4, 400_000);
        float[] row = byt5Model.logProbabilities(DecoderFixtures.bytes().encode("The "));
        ByteAutomaton vowelsOrT = AwrsDecoder.regex("[aeiout]");
        Vocabulary vocabulary = Vocabulary.of(DecoderFixtures.bytes());
        double z = 0;
        double[] exact = new double[row.length];
        for (int t = 0; t < row.length; t++) {
            if (ConstrainedSmc.allowed(vowelsOrT, null, vocabulary, -1, vowelsOrT.start(), t, 0)) {
                exact[t] = Math.exp(row[t]);
                z += exact[t];
            }
        }
        SplittableRandom random = new SplittableRandom(3);
        int n = 20_000;
        double[] weighted = new double[row.length];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            AdaptiveRejectionSampler.Draw d = AdaptiveRejectionSampler.sample(row,
                    t -> ConstrainedSmc.allowed(vowelsOrT, null, vocabulary, -1, vowelsOrT.start(), t, 0), random);
            double w = Math.exp(d.logWeight());
            weighted[d.token()] += w;
            sum += w;
        }
        double tv = 0;
        for (int t = 0; t < row.length; t++) {
            tv += Math.abs(weighted[t] / sum - exact[t] / z) / 2;
        }
        System.out.printf("AWRS single token, %d draws: mean weight %.5f vs exact Z %.5f; TV %.4f%n", n, sum / n, z, tv);
        assertThat(sum / n).isCloseTo(z, org.assertj.core.api.Assertions.within(0.03 * z));
        assertThat(tv).isLessThan(0.02);
    }

    @Test
    void writesSchemaValidJsonWithFewChecksPerTokenOnAFiftyThousandTokenVocabulary() {
        double checks = 0;
        int runs = 3;
        for (int seed = 0; seed < runs; seed++) {
            Generation g = new AwrsDecoder().generate(new GenerationRequest(GPT2_MODEL, GPT2, new int[] {50256}, 48, seed,
                    JSON), Parameters.of(Map.of("particles", 4)), context());
            String json = GPT2.decode(g.tokens());
            System.out.println("AWRS JSON (seed " + seed + "): " + json + "  " + g.statistics());
            assertThat(g.statistics().get("complete")).isEqualTo(1.0);
            int state = JSON.run(JSON.start(), json.getBytes(StandardCharsets.UTF_8));
            assertThat(JSON.accepting(state)).isTrue();
            checks += g.statistics().get("checks.per.token");
        }
        System.out.printf("constraint checks per token: %.1f for a vocabulary of %d%n", checks / runs, GPT2.vocabularySize());
        assertThat(checks / runs).isLessThan(GPT2.vocabularySize() / 50.0);
    }

    @Test
    void rejectsEveryTokenThatWouldBreakTheConstraint() {
        ByteConstraint digits = AwrsDecoder.regex("[0-9]{3}");
        Generation g = new AwrsDecoder().generate(new GenerationRequest(GPT2_MODEL, GPT2, GPT2.encode("The answer is"),
                6, 5, digits), Parameters.of(Map.of("particles", 2)), context());
        assertThat(GPT2.decode(g.tokens())).matches("[0-9]{3}");
    }
}
