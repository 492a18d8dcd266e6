package io.tokenlab.runtime.compute.scalar;

import io.tokenlab.api.compute.FloatMatrix;

/** Shape checks shared by every backend, so that all of them reject the same calls with the same words. */
public final class Shapes {
    private Shapes() {
    }

    /** Rows of op(A) for gemm. */
    public static int opRows(FloatMatrix m, boolean transpose) {
        return transpose ? m.cols() : m.rows();
    }

    /** Columns of op(A) for gemm. */
    public static int opCols(FloatMatrix m, boolean transpose) {
        return transpose ? m.rows() : m.cols();
    }

    public static void checkGemm(boolean transposeA, boolean transposeB, FloatMatrix a, FloatMatrix b,
                                 FloatMatrix c) {
        int m = opRows(a, transposeA);
        int k = opCols(a, transposeA);
        int kb = opRows(b, transposeB);
        int n = opCols(b, transposeB);
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm shapes do not fit: op(A) " + m + "x" + k + " (A " + a.shape()
                    + (transposeA ? ", transposed" : "") + "), op(B) " + kb + "x" + n + " (B " + b.shape()
                    + (transposeB ? ", transposed" : "") + "), C " + c.shape());
        }
    }

    /** Both operands must have rows of the same length (similarity, distances, assignment). */
    public static void checkSameCols(String operation, FloatMatrix a, FloatMatrix b) {
        if (a.cols() != b.cols()) {
            throw new IllegalArgumentException(operation + " needs rows of equal length: " + a.shape() + " vs "
                    + b.shape());
        }
    }

    public static void checkSquare(String operation, FloatMatrix m) {
        if (m.rows() != m.cols()) {
            throw new IllegalArgumentException(operation + " needs a square matrix, got " + m.shape());
        }
    }

    public static void checkTriangularSolve(FloatMatrix t, FloatMatrix b) {
        checkSquare("solveTriangular", t);
        if (b.rows() != t.rows()) {
            throw new IllegalArgumentException("solveTriangular: T " + t.shape() + " does not fit b " + b.shape());
        }
    }

    public static void checkK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("top-k needs k >= 0, got " + k);
        }
    }
}
