package io.tokenlab.runtime.compute.scalar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import org.junit.jupiter.api.Test;

/** The reference checked against the definitions themselves, in double precision or by hand. */
class ScalarComputeTest {
    private final ScalarCompute scalar = new ScalarCompute();

    @Test
    void gemmAgreesWithDoublePrecisionDefinition() {
        java.util.Random r = new java.util.Random(1);
        int m = 7, n = 5, k = 9;
        float[] a = new float[k * m];
        float[] b = new float[n * k];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        FloatMatrix c = new FloatMatrix(m, n, new float[m * n]);
        java.util.Arrays.fill(c.data(), 1f);
        scalar.gemm(true, true, 2f, new FloatMatrix(k, m, a), new FloatMatrix(n, k, b), 0.5f, c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[p * m + i] * b[j * k + p];
                assertThat(c.get(i, j)).isCloseTo((float) (2 * s + 0.5), offset(1e-5f));
            }
        }
    }

    @Test
    void topKBreaksTiesByLowerIndexAndRanksNaNLast() {
        FloatMatrix a = FloatMatrix.row(new float[] {1f, Float.NaN, 3f, 3f, -1f, 3f});
        TopK top = scalar.topK(a, 5);
        assertThat(top.indices()).containsExactly(2, 3, 5, 0, 4);
        TopK all = scalar.topK(a, 10);
        assertThat(all.k()).isEqualTo(6);
        assertThat(all.index(0, 5)).isEqualTo(1);
    }

    @Test
    void softmaxRowsSumToOneAndSpecialRowsAreDefined() {
        FloatMatrix logits = new FloatMatrix(3, 3, new float[] {1f, 2f, 3f, Float.NEGATIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, Float.NaN, 0f});
        FloatMatrix p = scalar.softmax(logits);
        assertThat(p.get(0, 0) + p.get(0, 1) + p.get(0, 2)).isCloseTo(1f, offset(1e-6f));
        assertThat(p.get(1, 0)).isNaN();
        assertThat(scalar.logSumExp(logits)).containsExactly((float) Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)),
                Float.NEGATIVE_INFINITY, Float.NaN);
    }

    @Test
    void argmaxSkipsNaNAndPrefersLowerIndex() {
        FloatMatrix a = new FloatMatrix(2, 3, new float[] {Float.NaN, 2f, 2f, Float.NaN, Float.NaN, Float.NaN});
        assertThat(scalar.argmax(a)).containsExactly(1, 0);
    }

    @Test
    void nearestCentroidPrefersLowerIndexOnTies() {
        FloatMatrix points = new FloatMatrix(1, 2, new float[] {0f, 0f});
        FloatMatrix centroids = new FloatMatrix(3, 2, new float[] {1f, 0f, 0f, 1f, 3f, 3f});
        assertThat(scalar.nearestCentroid(points, centroids).centroid()).containsExactly(0);
        assertThat(scalar.nearestCentroid(points, centroids).squaredDistance()).containsExactly(1f);
    }

    @Test
    void choleskyReconstructsAndRejectsIndefinite() {
        FloatMatrix spd = new FloatMatrix(2, 2, new float[] {4f, 2f, 2f, 3f});
        FloatMatrix l = scalar.cholesky(spd);
        FloatMatrix back = scalar.multiplyTransposed(l, l);
        assertThat(back.data()).containsExactly(new float[] {4f, 2f, 2f, 3f}, offset(1e-6f));
        assertThatThrownBy(() -> scalar.cholesky(new FloatMatrix(2, 2, new float[] {1f, 2f, 2f, 1f})))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("not positive definite");
    }

    @Test
    void leastSquaresRecoversExactSolution() {
        FloatMatrix a = new FloatMatrix(3, 2, new float[] {1f, 0f, 0f, 1f, 1f, 1f});
        FloatMatrix x = new FloatMatrix(2, 1, new float[] {2f, -1f});
        FloatMatrix b = scalar.multiply(a, x);
        assertThat(scalar.leastSquares(a, b).data()).containsExactly(new float[] {2f, -1f}, offset(1e-3f));
    }

    @Test
    void columnMeansOfNoRowsAreZero() {
        assertThat(scalar.columnMeans(FloatMatrix.zeros(0, 3))).containsExactly(0f, 0f, 0f);
    }
}
