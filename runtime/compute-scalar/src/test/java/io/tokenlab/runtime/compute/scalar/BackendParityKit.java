package io.tokenlab.runtime.compute.scalar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenlab.api.compute.Assignment;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Parity of a backend with the scalar reference, on random data and on edge shapes (empty, 1x1, 1xN,
 * sizes that are not multiples of any tile or vector width, NaN and infinities). Shipped in the test-jar;
 * each backend's test subclasses it.
 *
 * <p>Tolerances, per operation:
 * <ul>
 *   <li>gemm: |c - ref| <= 4e-7 * (k + 16) * (|alpha| * sum_p |a_ip||b_pj| + |beta c_ij|), a forward
 *       error bound for float sums in any order; NaN and infinities must match exactly;</li>
 *   <li>rowNorms, columnMeans, logSumExp: relative 1e-5 (plus 1e-6 absolute);</li>
 *   <li>normalizeRows, cosineSimilarity, softmax: absolute 1e-5 (similarities: 2e-5);</li>
 *   <li>logSoftmax: 1e-5 * (1 + |ref|);</li>
 *   <li>squaredDistances: 2e-6 * (|a_i|^2 + |b_j|^2) + 1e-6, since fast backends expand the square;</li>
 *   <li>topK, argmax: exact (the values are given, only the selection is computed);</li>
 *   <li>nearestCentroid: the chosen centroid's distance is within the distance tolerance of the best
 *       one, the returned distance is the chosen centroid's exact distance to 1e-5 relative;</li>
 *   <li>cholesky, solveTriangular: relative 1e-4 on well-conditioned matrices.</li>
 * </ul>
 */
public abstract class BackendParityKit {
    protected final Compute reference = new ScalarCompute();
    private final Random random = new Random(20240601);

    /** The backend under test. */
    protected abstract Compute backend();

    /** Sizes for the larger random cases; subclasses may enlarge them to cross their thresholds. */
    protected int largeSize() {
        return 131;
    }

    protected FloatMatrix random(int rows, int cols) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextFloat() * 2f - 1f;
        }
        return new FloatMatrix(rows, cols, d);
    }

    // ---------------------------------------------------------------- gemm

    @Test
    void gemmMatchesReferenceOnEdgeAndOddShapes() {
        int big = largeSize();
        int[][] shapes = {{1, 1, 1}, {1, 17, 1}, {1, 1, 33}, {17, 1, 1}, {0, 5, 3}, {5, 0, 3}, {5, 3, 0},
                {7, 9, 11}, {37, 53, 29}, {64, 64, 64}, {big, big + 3, big - 5}, {3, 300, 257}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                checkGemm(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 1f, 0f);
            }
        }
        checkGemm(23, 19, 31, false, false, -0.5f, 0.75f);
        checkGemm(23, 19, 31, true, true, 2f, -1f);
    }

    @Test
    void gemmDoesNotReadCWhenBetaIsZero() {
        FloatMatrix a = random(9, 5);
        FloatMatrix b = random(5, 10);
        FloatMatrix c = FloatMatrix.zeros(9, 10);
        java.util.Arrays.fill(c.data(), Float.NaN);
        backend().gemm(false, false, 1f, a, b, 0f, c);
        assertThat(c.data()).doesNotContain(Float.NaN);
    }

    @Test
    void gemmPropagatesNaNAndInfinityLikeReference() {
        FloatMatrix a = random(13, 11);
        FloatMatrix b = random(11, 14);
        a.set(2, 3, Float.NaN);
        a.set(5, 0, Float.POSITIVE_INFINITY);
        b.set(4, 7, Float.NEGATIVE_INFINITY);
        FloatMatrix expected = reference.multiply(a, b);
        FloatMatrix actual = backend().multiply(a, b);
        assertClose("gemm with NaN/inf", expected, actual, gemmTolerance(a, b, false, false, 1f, 0f, null));
    }

    @Test
    void gemmRejectsMismatchedShapes() {
        assertThatThrownBy(() -> backend().gemm(false, false, 1f, random(3, 4), random(5, 2), 0f,
                FloatMatrix.zeros(3, 2))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3x4");
    }

    private void checkGemm(int m, int n, int k, boolean ta, boolean tb, float alpha, float beta) {
        FloatMatrix a = ta ? random(k, m) : random(m, k);
        FloatMatrix b = tb ? random(n, k) : random(k, n);
        FloatMatrix c0 = random(m, n);
        FloatMatrix expected = c0.copy();
        reference.gemm(ta, tb, alpha, a, b, beta, expected);
        FloatMatrix actual = c0.copy();
        backend().gemm(ta, tb, alpha, a, b, beta, actual);
        assertClose("gemm " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb, expected, actual,
                gemmTolerance(a, b, ta, tb, alpha, beta, c0));
    }

    private float[] gemmTolerance(FloatMatrix a, FloatMatrix b, boolean ta, boolean tb, float alpha, float beta,
                                  FloatMatrix c0) {
        FloatMatrix absA = abs(a);
        FloatMatrix absB = abs(b);
        int m = Shapes.opRows(a, ta);
        int n = Shapes.opCols(b, tb);
        int k = Shapes.opCols(a, ta);
        FloatMatrix bound = FloatMatrix.zeros(m, n);
        reference.gemm(ta, tb, Math.abs(alpha), absA, absB, 0f, bound);
        float[] tol = bound.data();
        for (int i = 0; i < tol.length; i++) {
            float cTerm = c0 == null ? 0f : Math.abs(beta * c0.data()[i]);
            tol[i] = 4e-7f * (k + 16) * (tol[i] + cTerm) + 1e-30f;
        }
        return tol;
    }

    private static FloatMatrix abs(FloatMatrix m) {
        float[] d = m.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(d[i]);
        }
        return new FloatMatrix(m.rows(), m.cols(), d);
    }

    // ---------------------------------------------------------------- norms, similarity, distances

    @Test
    void rowNormsAndNormalizationMatch() {
        for (int[] s : new int[][] {{0, 4}, {1, 1}, {1, 37}, {29, 19}, {largeSize(), 67}}) {
            FloatMatrix a = random(s[0], s[1]);
            if (s[0] > 3) {
                java.util.Arrays.fill(a.data(), 2 * s[1], 3 * s[1], 0f);
            }
            assertRelative("rowNorms " + a.shape(), reference.rowNorms(a), backend().rowNorms(a), 1e-5f);
            assertClose("normalizeRows " + a.shape(), reference.normalizeRows(a), backend().normalizeRows(a), 1e-5f);
        }
    }

    @Test
    void cosineSimilarityMatches() {
        int big = largeSize();
        for (int[] s : new int[][] {{0, 3, 8}, {1, 1, 1}, {1, 9, 33}, {17, 23, 5}, {big, big + 7, 70}}) {
            FloatMatrix a = random(s[0], s[2]);
            FloatMatrix b = random(s[1], s[2]);
            if (s[1] > 2) {
                java.util.Arrays.fill(b.data(), s[2], 2 * s[2], 0f);
            }
            assertClose("cosine " + a.shape() + " vs " + b.shape(), reference.cosineSimilarity(a, b),
                    backend().cosineSimilarity(a, b), 2e-5f);
        }
        // a set against itself, as token pruning asks: backends may compute one triangle and mirror it,
        // so the result must also be exactly symmetric
        for (int[] s : new int[][] {{largeSize(), 45}, {97, 300}, {2, 1}}) {
            FloatMatrix tokens = random(s[0], s[1]);
            tokens.data()[Math.min(3, s[0] - 1) * s[1]] = 0f;
            java.util.Arrays.fill(tokens.data(), 0, s[1], 0f);
            FloatMatrix self = backend().cosineSimilarity(tokens, tokens);
            assertClose("cosine self " + tokens.shape(), reference.cosineSimilarity(tokens, tokens), self, 2e-5f);
            assertExactlySymmetric("cosine self " + tokens.shape(), self);
        }
    }

    /** Every cell equals its mirror image bit for bit. */
    protected static void assertExactlySymmetric(String what, FloatMatrix square) {
        int m = square.rows();
        float[] d = square.data();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                if (Float.compare(d[i * m + j], d[j * m + i]) != 0) {
                    throw new AssertionError(what + " is not symmetric at (" + i + ", " + j + "): " + d[i * m + j]
                            + " vs " + d[j * m + i]);
                }
            }
        }
    }

    @Test
    void squaredDistancesMatchAndAreNeverNegative() {
        int big = largeSize();
        for (int[] s : new int[][] {{0, 3, 8}, {1, 1, 1}, {1, 9, 33}, {17, 23, 5}, {big, big + 7, 70}}) {
            FloatMatrix a = random(s[0], s[2]);
            FloatMatrix b = random(s[1], s[2]);
            if (s[0] > 1 && s[1] > 1) {
                System.arraycopy(a.data(), 0, b.data(), 0, s[2]);
            }
            FloatMatrix expected = reference.squaredDistances(a, b);
            FloatMatrix actual = backend().squaredDistances(a, b);
            float[] na = reference.rowNorms(a);
            float[] nb = reference.rowNorms(b);
            float[] tol = new float[expected.data().length];
            for (int i = 0; i < a.rows(); i++) {
                for (int j = 0; j < b.rows(); j++) {
                    tol[i * b.rows() + j] = 2e-6f * (na[i] * na[i] + nb[j] * nb[j]) + 1e-6f;
                }
            }
            assertClose("squaredDistances " + a.shape(), expected, actual, tol);
            for (float v : actual.data()) {
                assertThat(v).as("squared distance").isGreaterThanOrEqualTo(0f);
            }
        }
    }

    @Test
    void similarityRejectsMismatchedRows() {
        assertThatThrownBy(() -> backend().cosineSimilarity(random(2, 3), random(2, 4)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- selection

    @Test
    void topKMatchesExactlyIncludingTiesAndNaN() {
        FloatMatrix a = random(largeSize(), 301);
        float[] d = a.data();
        for (int j = 0; j < 301; j += 3) {
            d[j] = 0.5f; // many ties in row 0
        }
        d[301 + 5] = Float.NaN;
        d[301 + 7] = Float.POSITIVE_INFINITY;
        d[602 + 9] = Float.NEGATIVE_INFINITY;
        java.util.Arrays.fill(d, 903, 1204, Float.NaN);
        for (int k : new int[] {0, 1, 5, 64, 301, 400}) {
            assertSameTopK(reference.topK(a, k), backend().topK(a, k));
        }
        assertSameTopK(reference.topK(random(0, 7), 3), backend().topK(random(0, 7), 3));
        FloatMatrix single = random(1, 1);
        assertSameTopK(reference.topK(single, 1), backend().topK(single, 1));
    }

    @Test
    void argmaxMatchesExactly() {
        FloatMatrix a = random(largeSize(), 77);
        float[] d = a.data();
        d[3] = 2f;
        d[10] = 2f;
        java.util.Arrays.fill(d, 77, 154, Float.NaN);
        d[154] = Float.NaN;
        d[155] = Float.POSITIVE_INFINITY;
        assertThat(backend().argmax(a)).containsExactly(reference.argmax(a));
        assertThat(backend().argmax(random(0, 3))).isEmpty();
        assertThat(backend().argmax(random(1, 1))).containsExactly(0);
    }

    // ---------------------------------------------------------------- softmax family

    @Test
    void softmaxFamilyMatchesOnRandomAndSpecialRows() {
        FloatMatrix a = random(largeSize(), 203);
        float[] d = a.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= 30f;
        }
        d[5] = Float.NaN;                                    // row 0: NaN
        d[203 + 7] = Float.POSITIVE_INFINITY;                // row 1: +inf
        java.util.Arrays.fill(d, 406, 609, Float.NEGATIVE_INFINITY); // row 2: all -inf
        d[609 + 11] = Float.NEGATIVE_INFINITY;               // row 3: one -inf
        for (FloatMatrix m : new FloatMatrix[] {a, random(0, 6), random(1, 1), random(1, 1000), random(3, 0)}) {
            assertClose("softmax " + m.shape(), reference.softmax(m), backend().softmax(m), 1e-5f);
            FloatMatrix expectedLog = reference.logSoftmax(m);
            float[] tol = new float[expectedLog.data().length];
            for (int i = 0; i < tol.length; i++) {
                tol[i] = 1e-5f * (1f + Math.abs(expectedLog.data()[i]));
            }
            assertClose("logSoftmax " + m.shape(), expectedLog, backend().logSoftmax(m), tol);
            assertRelative("logSumExp " + m.shape(), reference.logSumExp(m), backend().logSumExp(m), 1e-5f);
        }
    }

    // ---------------------------------------------------------------- k-means step, means

    @Test
    void nearestCentroidMatches() {
        int big = largeSize();
        for (int[] s : new int[][] {{0, 4, 3}, {1, 1, 1}, {1, 9, 17}, {37, 5, 1}, {big * 4, 67, 19}, {300, 259, 64}}) {
            FloatMatrix points = random(s[0], s[2]);
            FloatMatrix centroids = random(s[1], s[2]);
            if (s[0] > 2 && s[1] > 2) {
                System.arraycopy(centroids.data(), 2 * s[2], points.data(), s[2], s[2]); // exact hit: distance 0
                System.arraycopy(centroids.data(), 0, centroids.data(), s[2], s[2]);     // tie between 0 and 1
            }
            checkAssignment(points, centroids);
        }
    }

    private void checkAssignment(FloatMatrix points, FloatMatrix centroids) {
        Assignment expected = reference.nearestCentroid(points, centroids);
        Assignment actual = backend().nearestCentroid(points, centroids);
        int d = points.cols();
        float[] pn = reference.rowNorms(points);
        float[] cn = reference.rowNorms(centroids);
        for (int i = 0; i < points.rows(); i++) {
            int chosen = actual.centroid()[i];
            float exactOfChosen = ScalarCompute.squaredDistance(points.data(), i * d, centroids.data(), chosen * d, d);
            float best = expected.squaredDistance()[i];
            float tol = 2e-6f * (pn[i] * pn[i] + cn[chosen] * cn[chosen]) + 1e-6f;
            assertThat(exactOfChosen).as("distance of chosen centroid, point %d", i).isCloseTo(best,
                    org.assertj.core.data.Offset.offset(tol));
            assertThat(actual.squaredDistance()[i]).as("returned distance, point %d", i).isCloseTo(exactOfChosen,
                    org.assertj.core.data.Offset.offset(1e-5f * exactOfChosen + 1e-6f));
            if (exactOfChosen == best) {
                // an exact tie resolves to the lower index, as the reference does
                assertThat(chosen).as("tie at point %d", i).isLessThanOrEqualTo(expected.centroid()[i]);
            }
        }
    }

    @Test
    void columnMeansMatch() {
        for (int[] s : new int[][] {{0, 5}, {1, 1}, {1, 33}, {largeSize(), 47}}) {
            FloatMatrix a = random(s[0], s[1]);
            assertRelative("columnMeans " + a.shape(), reference.columnMeans(a), backend().columnMeans(a), 1e-5f);
        }
    }

    // ---------------------------------------------------------------- small solves

    @Test
    void choleskyAndTriangularSolvesMatch() {
        int n = 24;
        FloatMatrix x = random(n + 8, n);
        FloatMatrix spd = FloatMatrix.zeros(n, n);
        reference.gemm(true, false, 1f, x, x, 0f, spd);
        for (int i = 0; i < n; i++) {
            spd.set(i, i, spd.get(i, i) + 1f);
        }
        FloatMatrix l = backend().cholesky(spd);
        assertClose("cholesky", reference.cholesky(spd), l, 1e-4f);
        FloatMatrix b = random(n, 3);
        for (boolean transpose : new boolean[] {false, true}) {
            assertClose("solveTriangular lower transpose=" + transpose,
                    reference.solveTriangular(l, true, transpose, b), backend().solveTriangular(l, true, transpose, b),
                    1e-4f);
        }
        FloatMatrix u = l.transpose();
        assertClose("solveTriangular upper", reference.solveTriangular(u, false, false, b),
                backend().solveTriangular(u, false, false, b), 1e-4f);
        FloatMatrix fit = backend().leastSquares(x, random(n + 8, 2));
        assertThat(fit.rows()).isEqualTo(n);
    }

    // ---------------------------------------------------------------- assertions

    protected static void assertClose(String what, FloatMatrix expected, FloatMatrix actual, float tolerance) {
        float[] tol = new float[expected.data().length];
        java.util.Arrays.fill(tol, tolerance);
        assertClose(what, expected, actual, tol);
    }

    protected static void assertClose(String what, FloatMatrix expected, FloatMatrix actual, float[] tolerance) {
        assertThat(actual.rows()).as(what + " rows").isEqualTo(expected.rows());
        assertThat(actual.cols()).as(what + " cols").isEqualTo(expected.cols());
        float[] e = expected.data();
        float[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            assertSameValue(what + " at " + (expected.cols() == 0 ? i : i / expected.cols() + "," + i % expected.cols()),
                    e[i], a[i], tolerance[i]);
        }
    }

    protected static void assertRelative(String what, float[] expected, float[] actual, float relative) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertSameValue(what + " at " + i, expected[i], actual[i], relative * Math.abs(expected[i]) + 1e-6f);
        }
    }

    private static void assertSameValue(String what, float expected, float actual, float tolerance) {
        if (Float.isNaN(expected)) {
            assertThat(Float.isNaN(actual)).as(what + ": expected NaN, got " + actual).isTrue();
        } else if (Float.isInfinite(expected)) {
            assertThat(actual).as(what).isEqualTo(expected);
        } else {
            assertThat(Math.abs(actual - expected)).as(what + ": expected " + expected + " got " + actual)
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    private static void assertSameTopK(TopK expected, TopK actual) {
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.k()).isEqualTo(expected.k());
        assertThat(actual.indices()).containsExactly(expected.indices());
        for (int i = 0; i < expected.values().length; i++) {
            assertThat(Float.floatToIntBits(actual.values()[i])).isEqualTo(Float.floatToIntBits(expected.values()[i]));
        }
    }
}
