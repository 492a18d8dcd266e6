package io.tokenlab.plugin.prune.dhsa;

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

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DhsaTest extends PruneConformance {
    private static final Compute COMPUTE = new ScalarCompute();

    @Override
    protected PruneTechnique technique() {
        return new DhsaTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("keep.ratio", 0.125, "block.size", 16));
    }

    @Override
    protected RunContext context() {
        return new KitContext(COMPUTE);
    }

    private static FloatMatrix gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(n, d, f);
    }

    /** Keys in segments: each segment's keys point near its own random direction. */
    private static FloatMatrix segmented(int[] lengths, int d, long seed) {
        Random r = new Random(seed);
        int n = java.util.Arrays.stream(lengths).sum();
        float[] f = new float[n * d];
        int row = 0;
        for (int length : lengths) {
            float[] direction = new float[d];
            for (int k = 0; k < d; k++) {
                direction[k] = (float) r.nextGaussian();
            }
            for (int i = 0; i < length; i++, row++) {
                for (int k = 0; k < d; k++) {
                    f[row * d + k] = direction[k] + 0.3f * (float) r.nextGaussian();
                }
            }
        }
        return new FloatMatrix(n, d, f);
    }

    @Test
    void densityOneIsDenseAttentionExactly() {
        int n = 150;
        FloatMatrix q = gaussian(n, 16, 1);
        FloatMatrix k = gaussian(n, 16, 2);
        FloatMatrix v = gaussian(n, 8, 3);
        int[] starts = HierarchicalSparseAttention.chunkStarts(k, 4, 1.1, COMPUTE);
        FloatMatrix importance = HierarchicalSparseAttention.tokenImportance(q, k, starts, 32, COMPUTE);
        boolean[][] mask = HierarchicalSparseAttention.mask(importance, n, 32, 1.0, 8, 4, 16, COMPUTE);
        assertThat(mask).isDeepEqualTo(HierarchicalSparseAttention.causal(n, n));
        float[] sparse = HierarchicalSparseAttention.attend(q, k, v, mask, COMPUTE).data();
        assertThat(sparse).containsExactly(HierarchicalSparseAttention.attend(q, k, v,
                HierarchicalSparseAttention.causal(n, n), COMPUTE).data());
        // and the causal attention is attention: a plain double-precision evaluation agrees
        for (int i = 0; i < n; i += 7) {
            double[] logits = new double[i + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                for (int c = 0; c < 16; c++) {
                    dot += q.get(i, c) * k.get(j, c);
                }
                logits[j] = dot / 4;
                max = Math.max(max, logits[j]);
            }
            double z = 0;
            for (int j = 0; j <= i; j++) {
                z += Math.exp(logits[j] - max);
            }
            for (int c = 0; c < 8; c++) {
                double o = 0;
                for (int j = 0; j <= i; j++) {
                    o += Math.exp(logits[j] - max) / z * v.get(j, c);
                }
                assertThat((double) sparse[i * 8 + c]).isCloseTo(o, within(1e-4));
            }
        }
    }

    @Test
    void findsTheBoundariesBetweenSegments() {
        FloatMatrix keys = segmented(new int[] {30, 45, 25, 40}, 24, 4);
        assertThat(HierarchicalSparseAttention.chunkStarts(keys, 4, 1.1, COMPUTE)).containsExactly(0, 30, 75, 100);
    }

    @Test
    void aggregatesChunksAsMeanTimesRootSize() {
        FloatMatrix rows = new FloatMatrix(5, 2, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        float[] agg = HierarchicalSparseAttention.aggregate(rows, new int[] {0, 4}).data();
        assertThat(agg[0]).isCloseTo(4f * 2, within(1e-5f)); // mean 4, sqrt(4) = 2
        assertThat(agg[1]).isCloseTo(5f * 2, within(1e-5f));
        assertThat(agg[2]).isCloseTo(9f, within(1e-5f));
    }

    @Test
    void sparseMaskKeepsTheDensityAndMoreAttentionMassThanALocalWindow() {
        // queries of the last block look for segment 1's direction; a local window misses it
        FloatMatrix keys = segmented(new int[] {40, 40, 40, 40}, 16, 5);
        FloatMatrix queries = keys.copy();
        int n = keys.rows();
        for (int i = 128; i < n; i++) {
            for (int c = 0; c < 16; c++) {
                queries.set(i, c, 3 * keys.get(50, c));
            }
        }
        int[] starts = HierarchicalSparseAttention.chunkStarts(keys, 4, 1.1, COMPUTE);
        FloatMatrix importance = HierarchicalSparseAttention.tokenImportance(queries, keys, starts, 32, COMPUTE);
        boolean[][] sparse = HierarchicalSparseAttention.mask(importance, n, 32, 0.25, 8, 0, 0, COMPUTE);
        FloatMatrix dense = denseProbabilities(queries, keys);
        double sparseRecall = 0;
        double localRecall = 0;
        for (int i = 128; i < n; i++) {
            int allowed = 0;
            for (int j = 0; j <= i; j++) {
                allowed += sparse[i][j] ? 1 : 0;
                sparseRecall += sparse[i][j] ? dense.get(i, j) : 0;
            }
            assertThat(allowed).isLessThanOrEqualTo((int) Math.ceil(0.25 * 160) + 1);
            for (int j = Math.max(0, i - allowed + 1); j <= i; j++) {
                localRecall += dense.get(i, j);
            }
        }
        // the budget (40 keys) holds 32 of segment 1's 40 equally scored keys: about 0.7 of the mass
        assertThat(sparseRecall / 32).isGreaterThan(0.6).isGreaterThan(localRecall / 32 + 0.5);
    }

    @Test
    void keepsTheKeysTheQueriesAskFor() {
        FloatMatrix keys = segmented(new int[] {32, 32, 32, 32}, 16, 6);
        float[] q = new float[4 * 16];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 16; c++) {
                q[r * 16 + c] = keys.get(70, c);
            }
        }
        TokenSet set = new TokenSet(keys, null, 0, 0, null, null, new FloatMatrix(4, 16, q));
        int[] kept = technique().select(set, 32, validParameters(), context());
        assertThat(java.util.Arrays.stream(kept).boxed().toList()).allSatisfy(i -> assertThat(i).isBetween(64, 95));
    }

    @Test
    void badInputIsAClearError() {
        TokenSet good = TokenSet.of(gaussian(40, 8, 7));
        assertThatThrownBy(() -> technique().select(new TokenSet(good.features(), null, 0, 0, null, null,
                gaussian(3, 5, 8)), 4, validParameters(), context())).isInstanceOf(TechniqueException.class)
                .hasMessageContaining("3x5").hasMessageContaining("40x8");
        assertThatThrownBy(() -> technique().select(good, 4, Parameters.of(Map.of("keep.ratio", -1.0)), context()))
                .hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> technique().select(TokenSet.of(FloatMatrix.zeros(0, 8)), 0, validParameters(), context()))
                .hasMessageContaining("N = 0");
        FloatMatrix nan = gaussian(40, 8, 9);
        nan.set(1, 1, Float.NaN);
        assertThatThrownBy(() -> technique().select(TokenSet.of(nan), 4, validParameters(), context()))
                .hasMessageContaining("NaN");
    }

    private static FloatMatrix denseProbabilities(FloatMatrix q, FloatMatrix k) {
        int n = k.rows();
        FloatMatrix logits = COMPUTE.multiplyTransposed(q, k);
        for (int i = 0; i < q.rows(); i++) {
            for (int j = 0; j < n; j++) {
                logits.set(i, j, j <= i ? logits.get(i, j) / (float) Math.sqrt(q.cols()) : Float.NEGATIVE_INFINITY);
            }
        }
        return COMPUTE.softmax(logits);
    }
}
