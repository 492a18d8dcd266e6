package io.tokenlab.plugin.prune.critical;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.PruneConformance;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CriticalTokenTest extends PruneConformance {
    /**
     * An add-one-smoothed bigram model over byte ids, counted from one text: the distribution after a
     * context depends on its last byte; after an empty context it is the smoothed unigram.
     */
    static final class ByteBigram implements LanguageModel {
        private final float[][] afterByte = new float[256][];
        private final float[] unigram;

        ByteBigram(byte[] text) {
            double[][] counts = new double[256][256];
            double[] singles = new double[256];
            for (int i = 0; i < text.length; i++) {
                singles[text[i] & 0xff]++;
                if (i > 0) {
                    counts[text[i - 1] & 0xff][text[i] & 0xff]++;
                }
            }
            for (int b = 0; b < 256; b++) {
                afterByte[b] = smoothedLog(counts[b]);
            }
            unigram = smoothedLog(singles);
        }

        private static float[] smoothedLog(double[] counts) {
            double total = Arrays.stream(counts).sum() + counts.length;
            float[] out = new float[counts.length];
            for (int v = 0; v < counts.length; v++) {
                out[v] = (float) Math.log((counts[v] + 1) / total);
            }
            return out;
        }

        @Override
        public int vocabularySize() {
            return 256;
        }

        @Override
        public float[] logProbabilities(int[] context) {
            return (context.length == 0 ? unigram : afterByte[context[context.length - 1]]).clone();
        }
    }

    private static final ByteBigram PROSE = new ByteBigram(resource("declaration.txt"));
    // the negative model learns from Java source: this module's own main code
    private static final ByteBigram CODE = new ByteBigram(file("src/main/java/io/tokenlab/plugin/prune/critical/ContrastiveEstimation.java"));

    private static byte[] resource(String name) {
        try (InputStream in = CriticalTokenTest.class.getResourceAsStream("/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] file(String relative) {
        try {
            return Files.readAllBytes(Path.of(relative));
        } catch (IOException e) {
            throw new IllegalStateException("run from the module directory: " + e.getMessage(), e);
        }
    }

    private static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return IntStream.range(0, b.length).map(i -> b[i] & 0xff).toArray();
    }

    @Override
    protected PruneTechnique technique() {
        return new CriticalTokenTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("keep.ratio", 0.25));
    }

    @Override
    protected RunContext context() {
        return new KitContext(new ScalarCompute());
    }

    @Override
    protected TokenSet tokens(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = r.nextFloat();
        }
        return new TokenSet(super.tokens(n, d, seed).features(), scores, 0, 0, null, null, null);
    }

    @Test
    void eachContrastiveDistributionSumsToOne() {
        ContrastiveEstimation.Result result = new ContrastiveEstimation(PROSE, CODE)
                .score(bytes("for (int i = 0; i < n; i++) { the people shall judge }"));
        for (double[] distribution : result.distributions()) {
            assertThat(Arrays.stream(distribution).sum()).isCloseTo(1.0, within(1e-9));
        }
        for (double s : result.scores()) {
            assertThat(s).isStrictlyBetween(0.0, 1.0);
        }
    }

    @Test
    void tokensThePositiveModelPrefersScoreHighest() {
        int[] sequence = bytes("We hold these truths; if (x == null) { return y[i]; } and the consent of the governed");
        ContrastiveEstimation.Result result = new ContrastiveEstimation(PROSE, CODE).score(sequence);
        int n = sequence.length;
        double[] preference = new double[n];
        for (int t = 0; t < n; t++) {
            int[] context = Arrays.copyOf(sequence, t);
            preference[t] = PROSE.logProbabilities(context)[sequence[t]] - CODE.logProbabilities(context)[sequence[t]];
        }
        int best = IntStream.range(0, n).boxed().max((a, b) -> Double.compare(result.scores()[a], result.scores()[b])).orElseThrow();
        double[] sortedPreference = preference.clone();
        Arrays.sort(sortedPreference);
        assertThat(preference[best]).isGreaterThanOrEqualTo(sortedPreference[3 * n / 4]);
        double favoured = IntStream.range(0, n).filter(t -> preference[t] > 1).mapToDouble(t -> result.scores()[t]).average().orElseThrow();
        double disfavoured = IntStream.range(0, n).filter(t -> preference[t] < -1).mapToDouble(t -> result.scores()[t]).average().orElseThrow();
        assertThat(favoured).isGreaterThan(3 * disfavoured);
        // p_CE is pi+^2 / pi- renormalised over the vocabulary
        int t = 20;
        float[] plus = PROSE.logProbabilities(Arrays.copyOf(sequence, t));
        float[] minus = CODE.logProbabilities(Arrays.copyOf(sequence, t));
        double norm = 0;
        for (int v = 0; v < 256; v++) {
            norm += Math.exp(2.0 * plus[v] - minus[v]);
        }
        assertThat(result.scores()[t]).isCloseTo(Math.exp(2.0 * plus[sequence[t]] - minus[sequence[t]]) / norm, within(1e-9));
    }

    @Test
    void oneModelAgainstItselfGivesItsOwnProbabilities() {
        int[] prompt = bytes("the ");
        int[] sequence = bytes("Right of the People");
        ContrastiveEstimation.Result result = new ContrastiveEstimation(PROSE, PROSE).score(prompt, sequence);
        for (int t = 0; t < sequence.length; t++) {
            int[] context = Arrays.copyOf(prompt, prompt.length + t);
            System.arraycopy(sequence, 0, context, prompt.length, t);
            assertThat(result.scores()[t]).isCloseTo(Math.exp(PROSE.logProbabilities(context)[sequence[t]]), within(1e-6));
        }
        assertThat(result.weights()[0]).isCloseTo(1 - result.scores()[0], within(1e-12));
    }

    @Test
    void prunesByPrecomputedScoresInEitherDirection() {
        int[] sequence = bytes("the people; x = y; of the earth");
        double[] p = new ContrastiveEstimation(PROSE, CODE).score(sequence).scores();
        float[] scores = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            scores[i] = (float) p[i];
        }
        TokenSet set = new TokenSet(super.tokens(p.length, 4, 1).features(), scores, 0, 0, null, null, null);
        Integer[] byScore = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        Arrays.sort(byScore, (a, b) -> Float.compare(scores[b], scores[a]));
        int[] highest = Arrays.stream(byScore).limit(5).mapToInt(Integer::intValue).sorted().toArray();
        // a bigram scores a repeated byte pair alike: on ties the earlier token wins, in both directions
        Integer[] byLowScore = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        Arrays.sort(byLowScore, (a, b) -> Float.compare(scores[a], scores[b]));
        int[] lowest = Arrays.stream(byLowScore).limit(5).mapToInt(Integer::intValue).sorted().toArray();
        assertThat(technique().select(set, 5, Parameters.empty(), context())).containsExactly(highest);
        assertThat(technique().select(set, 5, Parameters.of(Map.of("prefer", "LOW")), context())).containsExactly(lowest);
    }

    @Test
    void badInputIsAClearError() {
        LanguageModel small = new LanguageModel() {
            @Override
            public int vocabularySize() {
                return 10;
            }

            @Override
            public float[] logProbabilities(int[] context) {
                float[] out = new float[10];
                Arrays.fill(out, (float) Math.log(0.1));
                out[3] = Float.NaN;
                return out;
            }
        };
        assertThatThrownBy(() -> new ContrastiveEstimation(PROSE, small))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("256").hasMessageContaining("10");
        assertThatThrownBy(() -> new ContrastiveEstimation(PROSE, CODE).score(new int[] {65, 300}))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("token 1 has id 300");
        assertThatThrownBy(() -> new ContrastiveEstimation(small, small).score(new int[] {1}))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("token 3");
        TokenSet good = tokens(16, 4, 2);
        assertThatThrownBy(() -> technique().select(TokenSet.of(good.features()), 4, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("needs scores");
        float[] outOfRange = good.scores().clone();
        outOfRange[6] = 1.5f;
        assertThatThrownBy(() -> technique().select(new TokenSet(good.features(), outOfRange, 0, 0, null, null, null), 4,
                validParameters(), context())).isInstanceOf(TechniqueException.class).hasMessageContaining("score 6");
        float[] nan = good.scores().clone();
        nan[2] = Float.NaN;
        assertThatThrownBy(() -> technique().select(new TokenSet(good.features(), nan, 0, 0, null, null, null), 4,
                validParameters(), context())).isInstanceOf(TechniqueException.class).hasMessageContaining("score 2");
        assertThatThrownBy(() -> technique().select(good, 4, Parameters.of(Map.of("keep.ratio", 2.0)), context()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("(0, 1]");
        FloatMatrix features = good.features().copy();
        features.set(0, 3, Float.NaN);
        assertThatThrownBy(() -> technique().select(new TokenSet(features, good.scores(), 0, 0, null, null, null), 4,
                validParameters(), context())).isInstanceOf(TechniqueException.class).hasMessageContaining("(0, 3)");
    }
}
