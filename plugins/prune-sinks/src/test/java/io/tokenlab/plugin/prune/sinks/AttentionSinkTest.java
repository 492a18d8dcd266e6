package io.tokenlab.plugin.prune.sinks;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttentionSinkTest extends PruneConformance {
    private static final AttentionSinks DETECTOR = new AttentionSinks(0.3, 0.5, 0.9);

    @Override
    protected PruneTechnique technique() {
        return new AttentionSinkTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("keep.ratio", 0.25, "heads", 2));
    }

    @Override
    protected RunContext context() {
        return new KitContext(new ScalarCompute());
    }

    @Override
    protected TokenSet tokens(int n, int d, long seed) {
        TokenSet plain = super.tokens(n, d, seed);
        Random r = new Random(seed);
        FloatMatrix attention = stack(List.of(randomHead(8, n, 1.0, r), randomHead(8, n, 2.0, r)));
        return new TokenSet(plain.features(), null, 0, 0, null, attention, null);
    }

    /** Softmax of Gaussian logits with the given spread: an ordinary, unfocused head. */
    static FloatMatrix randomHead(int queries, int n, double spread, Random r) {
        FloatMatrix a = FloatMatrix.zeros(queries, n);
        for (int i = 0; i < queries; i++) {
            double[] row = new double[n];
            for (int k = 0; k < n; k++) {
                row[k] = Math.exp(r.nextGaussian() * spread);
            }
            setNormalised(a, i, row);
        }
        return a;
    }

    /** Every query puts {@code share} (jittered) on the sink token and spreads the rest at random. */
    static FloatMatrix dormantHead(int queries, int n, int sink, double share, Random r) {
        FloatMatrix a = FloatMatrix.zeros(queries, n);
        for (int i = 0; i < queries; i++) {
            double[] rest = new double[n];
            double restSum = 0;
            for (int k = 0; k < n; k++) {
                rest[k] = k == sink ? 0 : Math.exp(r.nextGaussian());
                restSum += rest[k];
            }
            double onSink = share + 0.05 * (r.nextDouble() - 0.5);
            double[] row = new double[n];
            for (int k = 0; k < n; k++) {
                row[k] = k == sink ? onSink : (1 - onSink) * rest[k] / restSum;
            }
            setNormalised(a, i, row);
        }
        return a;
    }

    /** Query i looks at key (i + shift) mod n almost only: sharp, but a different key per query. */
    static FloatMatrix shiftHead(int queries, int n, int shift) {
        FloatMatrix a = FloatMatrix.zeros(queries, n);
        for (int i = 0; i < queries; i++) {
            double[] row = new double[n];
            Arrays.fill(row, 0.1 / (n - 1));
            row[(i + shift) % n] = 0.9;
            setNormalised(a, i, row);
        }
        return a;
    }

    private static void setNormalised(FloatMatrix a, int i, double[] row) {
        double sum = Arrays.stream(row).sum();
        for (int k = 0; k < row.length; k++) {
            a.set(i, k, (float) (row[k] / sum));
        }
    }

    static FloatMatrix stack(List<FloatMatrix> heads) {
        int q = heads.get(0).rows();
        int n = heads.get(0).cols();
        float[] data = new float[heads.size() * q * n];
        for (int h = 0; h < heads.size(); h++) {
            System.arraycopy(heads.get(h).data(), 0, data, h * q * n, q * n);
        }
        return new FloatMatrix(heads.size() * q, n, data);
    }

    @Test
    void plantedSinksAndDormantHeadsAreFound() {
        Random r = new Random(11);
        int n = 64;
        int q = 32;
        List<FloatMatrix> heads = List.of(
                dormantHead(q, n, 0, 0.8, r),   // the classic BOS sink
                randomHead(q, n, 1.0, r),
                dormantHead(q, n, 37, 0.7, r),  // a second sink, mid-sequence
                shiftHead(q, n, 5));            // sharp yet active: previous-token style
        AttentionSinks.Report report = DETECTOR.detect(heads);
        assertThat(IntStream.range(0, n).filter(k -> report.sinkTokens()[k]).toArray()).containsExactly(0, 37);
        assertThat(report.dormantHeads()).containsExactly(true, false, true, false);
        assertThat(report.meanRowEntropy()[3]).isLessThan(0.5); // the shift head is sharp; only the column test spares it
    }

    @Test
    void uniformAndRandomMapsHaveNoSinksAndNoDormantHeads() {
        Random r = new Random(12);
        for (int trial = 0; trial < 20; trial++) {
            int n = 16 + r.nextInt(200);
            int q = 4 + r.nextInt(60);
            List<FloatMatrix> heads = new ArrayList<>();
            FloatMatrix uniform = FloatMatrix.zeros(q, n);
            Arrays.fill(uniform.data(), 1f / n);
            heads.add(uniform);
            for (int h = 0; h < 3; h++) {
                heads.add(randomHead(q, n, 0.5 + h, r));
            }
            AttentionSinks.Report report = DETECTOR.detect(heads);
            assertThat(report.sinkCount()).as("trial %d, n %d, q %d", trial, n, q).isZero();
            assertThat(report.dormantCount()).as("trial %d", trial).isZero();
        }
    }

    @Test
    void prunesByActiveHeadMassAndHonoursTheSinkPolicy() {
        Random r = new Random(13);
        int n = 48;
        int q = 16;
        // the active head looks at tokens 20..23; the dormant head's spill-over must not count
        FloatMatrix focused = FloatMatrix.zeros(q, n);
        for (int i = 0; i < q; i++) {
            double[] row = new double[n];
            for (int k = 0; k < n; k++) {
                row[k] = (k >= 20 && k < 24 ? 30 : 1) * Math.exp(0.1 * r.nextGaussian());
            }
            double sum = Arrays.stream(row).sum();
            for (int k = 0; k < n; k++) {
                focused.set(i, k, (float) (row[k] / sum));
            }
        }
        FloatMatrix attention = stack(List.of(dormantHead(q, n, 0, 0.8, r), focused));
        TokenSet set = new TokenSet(super.tokens(n, 8, 5).features(), null, 0, 0, null, attention, null);
        Parameters exclude = Parameters.of(Map.of("heads", 2));
        assertThat(technique().select(set, 4, exclude, context())).containsExactly(20, 21, 22, 23);
        // the sink receives little from the active head, so with INCLUDE it ranks by that mass, not its dormant one
        int[] all = technique().select(set, n - 1, exclude, context());
        assertThat(all).doesNotContain(0);
        Parameters include = exclude.with("sinks", "INCLUDE");
        assertThat(technique().select(set, n, include, context())).hasSize(n);
        // when every head is dormant the sink dominates the mass, and INCLUDE keeps it first
        TokenSet onlyDormant = new TokenSet(set.features(), null, 0, 0, null, dormantHead(q, n, 0, 0.8, r), null);
        assertThat(technique().select(onlyDormant, 1, Parameters.of(Map.of("sinks", "INCLUDE")), context()))
                .containsExactly(0);
        assertThat(technique().select(onlyDormant, 1, Parameters.empty(), context())).doesNotContain(0);
    }

    @Test
    void badInputIsAClearError() {
        TokenSet good = tokens(32, 4, 6);
        assertThatThrownBy(() -> technique().select(good, 4, validParameters().with("keep.ratio", 1.5), context()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> technique().select(TokenSet.of(good.features()), 4, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("needs attention");
        assertThatThrownBy(() -> technique().select(good, 4, validParameters().with("heads", 3), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("3 heads");
        FloatMatrix nan = good.attention().copy();
        nan.set(3, 7, Float.NaN);
        assertThatThrownBy(() -> technique().select(withAttention(good, nan), 4, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("(3, 7)");
        FloatMatrix unnormalised = good.attention().copy();
        unnormalised.set(9, 0, unnormalised.get(9, 0) + 0.5f);
        assertThatThrownBy(() -> technique().select(withAttention(good, unnormalised), 4, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("query 1 sums to");
        FloatMatrix narrow = FloatMatrix.zeros(16, 31);
        assertThatThrownBy(() -> technique().select(withAttention(good, narrow), 4, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("16x31");
        FloatMatrix features = good.features().copy();
        features.set(2, 1, Float.POSITIVE_INFINITY);
        assertThatThrownBy(() -> technique().select(new TokenSet(features, null, 0, 0, null, good.attention(), null), 4,
                validParameters(), context())).isInstanceOf(TechniqueException.class).hasMessageContaining("(2, 1)");
    }

    private static TokenSet withAttention(TokenSet set, FloatMatrix attention) {
        return new TokenSet(set.features(), null, 0, 0, null, attention, null);
    }
}
