package io.tokenlab.plugin.prune.transprune;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.PruneConformance;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TransPruneTest extends PruneConformance {
    private static final Compute COMPUTE = new ScalarCompute();
    /** Layers 7..12, attention and FFN each: 24 matrices. */
    private static final int LAYERS = 6;

    @Override
    protected PruneTechnique technique() {
        return new TransPruneTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("keep.ratio", 0.125));
    }

    @Override
    protected RunContext context() {
        return new KitContext(COMPUTE);
    }

    @Override
    protected TokenSet tokens(int n, int d, long seed) {
        return new TokenSet(super.tokens(n, d, seed).features(), null, 0, 0, states(n, d, seed, -1), null, null);
    }

    /** Random module in/out pairs; token {@code busy} (if >= 0) is turned around by every module. */
    private static List<FloatMatrix> states(int n, int d, long seed, int busy) {
        Random r = new Random(seed);
        List<FloatMatrix> out = new ArrayList<>();
        for (int m = 0; m < LAYERS * 2; m++) {
            float[] in = new float[n * d];
            float[] res = new float[n * d];
            for (int i = 0; i < in.length; i++) {
                in[i] = (float) r.nextGaussian();
                // outputs mostly follow their inputs, as module outputs of a trained model do
                res[i] = in[i] + 0.3f * (float) r.nextGaussian();
            }
            if (busy >= 0) {
                for (int k = 0; k < d; k++) {
                    res[busy * d + k] = -2 * in[busy * d + k];
                }
            }
            out.add(new FloatMatrix(n, d, in));
            out.add(new FloatMatrix(n, d, res));
        }
        return out;
    }

    @Test
    void transitionVariationIsNormRatioTimesSoftmaxOfTurning() {
        List<FloatMatrix> s = states(10, 6, 1, -1);
        FloatMatrix in = s.get(0);
        FloatMatrix out = s.get(1);
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] ttv = TransitionVariation.of(in, out, all, COMPUTE);
        double[] turn = new double[10];
        double z = 0;
        for (int t = 0; t < 10; t++) {
            double dot = 0, a = 0, b = 0;
            for (int k = 0; k < 6; k++) {
                dot += in.get(t, k) * out.get(t, k);
                a += in.get(t, k) * in.get(t, k);
                b += out.get(t, k) * out.get(t, k);
            }
            turn[t] = 1 - dot / Math.sqrt(a * b);
            z += Math.exp(turn[t]);
        }
        for (int t = 0; t < 10; t++) {
            double a = 0, b = 0;
            for (int k = 0; k < 6; k++) {
                a += in.get(t, k) * in.get(t, k);
                b += out.get(t, k) * out.get(t, k);
            }
            assertThat((double) ttv[t]).isCloseTo(Math.sqrt(b / a) * Math.exp(turn[t]) / z, within(1e-5));
        }
    }

    @Test
    void keepsATokenEveryModuleTurnsAround() {
        TokenSet set = new TokenSet(FloatMatrix.zeros(64, 8), null, 0, 0, states(64, 8, 2, 37), null, null);
        assertThat(technique().select(set, 4, validParameters(), context())).contains(37);
    }

    @Test
    void pruningIsProgressiveAndNested() {
        TokenSet set = tokens(80, 8, 3);
        Parameters stopAt7 = Parameters.of(Map.of("prune.layers", new int[] {7}, "prune.fractions", new double[0]));
        Parameters stopAt9 = Parameters.of(Map.of("prune.layers", new int[] {7, 9}, "prune.fractions", new double[] {0.875}));
        int[] after7 = technique().select(set, 70, stopAt7, context());
        int[] after9 = technique().select(set, 50, stopAt9, context());
        int[] after12 = technique().select(set, 10, validParameters(), context());
        assertThat(after7).hasSize(70);
        assertThat(after9).hasSize(50);
        assertThat(Arrays.stream(after9).allMatch(i -> Arrays.binarySearch(after7, i) >= 0)).isTrue();
        assertThat(Arrays.stream(after12).allMatch(i -> Arrays.binarySearch(after9, i) >= 0)).isTrue();
    }

    @Test
    void instructionAttentionPullsTokensIn() {
        TokenSet plain = tokens(50, 8, 4);
        int[] without = technique().select(plain, 5, validParameters(), context());
        int favourite = java.util.stream.IntStream.range(0, 50).filter(i -> Arrays.binarySearch(without, i) < 0)
                .findFirst().orElseThrow();
        float[] attention = new float[3 * 50];
        for (int q = 0; q < 3; q++) {
            Arrays.fill(attention, q * 50, q * 50 + 50, 0.1f / 49);
            attention[q * 50 + favourite] = 0.9f;
        }
        TokenSet guided = new TokenSet(plain.features(), null, 0, 0, plain.layerStates(), new FloatMatrix(3, 50, attention), null);
        assertThat(technique().select(guided, 5, validParameters(), context())).contains(favourite);
    }

    @Test
    void badInputIsAClearError() {
        TokenSet good = tokens(20, 4, 5);
        assertThatThrownBy(() -> technique().select(TokenSet.of(good.features()), 2, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("0 layer states");
        List<FloatMatrix> short1 = new ArrayList<>(good.layerStates());
        short1.set(3, FloatMatrix.zeros(19, 4));
        assertThatThrownBy(() -> technique().select(new TokenSet(good.features(), null, 0, 0, short1, null, null), 2,
                validParameters(), context())).isInstanceOf(TechniqueException.class).hasMessageContaining("19x4 for 20");
        List<FloatMatrix> nan = new ArrayList<>(good.layerStates());
        FloatMatrix bad = nan.get(2).copy();
        bad.set(0, 0, Float.NaN);
        nan.set(2, bad);
        assertThatThrownBy(() -> technique().select(new TokenSet(good.features(), null, 0, 0, nan, null, null), 2,
                validParameters(), context())).isInstanceOf(TechniqueException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> technique().select(good, 2, Parameters.of(Map.of("keep.ratio", 2.0)), context()))
                .hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> technique().select(good, 2, Parameters.of(Map.of("prune.layers", new int[] {7, 20},
                "prune.fractions", new double[] {0.5})), context())).hasMessageContaining("layers 7..12");
        TokenSet wrongAttention = new TokenSet(good.features(), null, 0, 0, good.layerStates(), FloatMatrix.zeros(2, 7), null);
        assertThatThrownBy(() -> technique().select(wrongAttention, 2, validParameters(), context()))
                .hasMessageContaining("instruction tokens x 20");
    }
}
