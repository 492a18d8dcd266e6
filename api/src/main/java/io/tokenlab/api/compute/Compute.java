package io.tokenlab.api.compute;

/**
 * Dense float math for techniques. The runtime registers one dispatching {@code Compute} that picks
 * a backend per call (OpenCL, Vector API, scalar) by operation and size; backends register
 * themselves with {@link #BACKEND} set.
 *
 * <p>All matrices are row-major. Methods that return a matrix allocate it; methods that take an
 * output ({@code c} in {@link #gemm}) write into it. Shapes are checked and a mismatch is an
 * {@link IllegalArgumentException} naming both shapes.
 */
public interface Compute {
    /** Service property naming a backend: {@code opencl}, {@code vector}, {@code scalar}. */
    String BACKEND = "tokenlab.compute.backend";

    /** The backend's name, or {@code auto} for the dispatcher. */
    String name();

    /**
     * What this backend runs on (platform, device, memory, SIMD width), one line per backend; the
     * dispatcher answers with every backend and the one it picks per operation and size (what
     * {@code tokenlab compute} prints). Backends fail with {@link ComputeBackendException} when they cannot serve a call.
     */
    default String describe() {
        return name();
    }

    /** {@code C = alpha * op(A) * op(B) + beta * C}, where op transposes when asked. */
    void gemm(boolean transposeA, boolean transposeB, float alpha, FloatMatrix a, FloatMatrix b, float beta,
              FloatMatrix c);

    /** {@code A * B}. */
    default FloatMatrix multiply(FloatMatrix a, FloatMatrix b) {
        FloatMatrix c = FloatMatrix.zeros(a.rows(), b.cols());
        gemm(false, false, 1f, a, b, 0f, c);
        return c;
    }

    /** {@code A * B^T}: every row of A against every row of B (dot products). */
    default FloatMatrix multiplyTransposed(FloatMatrix a, FloatMatrix b) {
        FloatMatrix c = FloatMatrix.zeros(a.rows(), b.rows());
        gemm(false, true, 1f, a, b, 0f, c);
        return c;
    }

    /** Batched matrix-vector: row i of the result is {@code A * x_i} for row {@code x_i} of xs. */
    default FloatMatrix matVecBatch(FloatMatrix a, FloatMatrix xs) {
        return multiplyTransposed(xs, a);
    }

    /** Euclidean norm of each row. */
    float[] rowNorms(FloatMatrix a);

    /** A copy with every row scaled to unit norm; all-zero rows stay zero. */
    FloatMatrix normalizeRows(FloatMatrix a);

    /**
     * {@code S[i][j] = cos(A_i, B_j)}; a zero row has similarity 0 to everything. Given the same
     * matrix twice ({@code a == b}), a set against itself, the result is exactly symmetric: backends
     * compute one triangle (half the products) and mirror it.
     */
    FloatMatrix cosineSimilarity(FloatMatrix a, FloatMatrix b);

    /** {@code D[i][j] = ||A_i - B_j||^2}, never negative. */
    FloatMatrix squaredDistances(FloatMatrix a, FloatMatrix b);

    /** Row-wise top-k, largest first, ties by lower index; k is clamped to the row length. */
    TopK topK(FloatMatrix a, int k);

    /** Row-wise softmax; rows of -inf give a uniform row of NaN-free zeros only if all are -inf (then NaN). */
    FloatMatrix softmax(FloatMatrix logits);

    /** Row-wise log-softmax. */
    FloatMatrix logSoftmax(FloatMatrix logits);

    /** Row-wise {@code log(sum(exp(x)))}, computed stably. */
    float[] logSumExp(FloatMatrix logits);

    /** Row-wise index of the largest value, lowest index on ties; NaN is never chosen unless all are NaN. */
    int[] argmax(FloatMatrix a);

    /** Nearest centroid of each point (a k-means assignment step) with its squared distance. */
    Assignment nearestCentroid(FloatMatrix points, FloatMatrix centroids);

    /** Mean of each column; the mean of zero rows is 0. */
    float[] columnMeans(FloatMatrix a);

    /**
     * Lower-triangular Cholesky factor L of a symmetric positive-definite matrix ({@code A = L L^T}).
     *
     * @throws ArithmeticException if the matrix is not positive definite
     */
    FloatMatrix cholesky(FloatMatrix spd);

    /**
     * Solves {@code T x = b} (or {@code T^T x = b} when {@code transpose}) for triangular T, for each
     * column of b (b is n x m). Returns x with the shape of b.
     */
    FloatMatrix solveTriangular(FloatMatrix t, boolean lower, boolean transpose, FloatMatrix b);

    /**
     * Least squares {@code argmin_x ||A x - b||} for each column of b, through the normal equations
     * and Cholesky (A is m x n with m >= n and full column rank; a small ridge keeps it stable).
     */
    default FloatMatrix leastSquares(FloatMatrix a, FloatMatrix b) {
        FloatMatrix ata = FloatMatrix.zeros(a.cols(), a.cols());
        gemm(true, false, 1f, a, a, 0f, ata);
        float ridge = 0f;
        for (int i = 0; i < ata.rows(); i++) {
            ridge = Math.max(ridge, ata.get(i, i));
        }
        ridge = Math.max(ridge * 1e-6f, Float.MIN_NORMAL);
        for (int i = 0; i < ata.rows(); i++) {
            ata.set(i, i, ata.get(i, i) + ridge);
        }
        FloatMatrix atb = FloatMatrix.zeros(a.cols(), b.cols());
        gemm(true, false, 1f, a, b, 0f, atb);
        FloatMatrix l = cholesky(ata);
        FloatMatrix y = solveTriangular(l, true, false, atb);
        return solveTriangular(l, true, true, y);
    }
}
