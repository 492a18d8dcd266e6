package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

/**
 * The element-wise parts of the model (RMSNorm, GELU, their derivatives) and the GEMM shapes it
 * uses. The GEMMs, which hold nearly all the work, go to {@link Compute}; the element-wise passes
 * are one linear sweep each and stay here.
 */
final class Kernels {
    /** sqrt(2 / pi), GELU's tanh form (PyTorch's {@code approximate='tanh'}). */
    private static final float GELU_C = 0.7978845608028654f;
    private static final float GELU_A = 0.044715f;

    private Kernels() {
    }

    /** {@code c (m x n) = a (m x k) * b^T, b given n x k} (a linear layer with PyTorch's out x in weights). */
    static void linear(Compute compute, float[] a, int m, int k, FloatMatrix weight, float[] c) {
        compute.gemm(false, true, 1f, new FloatMatrix(m, k, a), weight, 0f, new FloatMatrix(m, weight.rows(), c));
    }

    /** {@code c (m x k) = dy (m x n) * W (n x k)}: the gradient through a linear layer to its input. */
    static void linearBackwardInput(Compute compute, float[] dy, int m, FloatMatrix weight, float[] c) {
        compute.gemm(false, false, 1f, new FloatMatrix(m, weight.rows(), dy), weight, 0f,
                new FloatMatrix(m, weight.cols(), c));
    }

    /** {@code dW (n x k) += dy^T (n x m) * x (m x k)}: the weight gradient of a linear layer. */
    static void linearBackwardWeight(Compute compute, float[] dy, float[] x, int m, FloatMatrix gradient) {
        compute.gemm(true, false, 1f, new FloatMatrix(m, gradient.rows(), dy), new FloatMatrix(m, gradient.cols(), x),
                1f, gradient);
    }

    /** {@code out = x / rms(x) * w} row by row; {@code inverse} gets each row's 1 / rms. */
    static void rmsNorm(float[] x, int rows, int d, float[] w, float eps, float[] out, float[] inverse) {
        for (int i = 0; i < rows; i++) {
            int o = i * d;
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += (double) x[o + j] * x[o + j];
            }
            float r = (float) (1.0 / Math.sqrt(sum / d + eps));
            inverse[i] = r;
            for (int j = 0; j < d; j++) {
                out[o + j] = x[o + j] * r * w[j];
            }
        }
    }

    /**
     * Adds to {@code dx} the gradient through RMSNorm and to {@code dw} its weight gradient:
     * {@code dx = r (dy w) - r^3 / d * x * sum(dy w x)}.
     */
    static void rmsNormBackward(float[] dy, float[] x, float[] inverse, int rows, int d, float[] w, float[] dx,
                                float[] dw) {
        for (int i = 0; i < rows; i++) {
            int o = i * d;
            float r = inverse[i];
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += (double) dy[o + j] * w[j] * x[o + j];
                dw[j] += dy[o + j] * x[o + j] * r;
            }
            float k = (float) (dot * r * r * r / d);
            for (int j = 0; j < d; j++) {
                dx[o + j] += r * dy[o + j] * w[j] - k * x[o + j];
            }
        }
    }

    static void gelu(float[] u, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            float x = u[i];
            float t = (float) Math.tanh(GELU_C * (x + GELU_A * x * x * x));
            out[i] = 0.5f * x * (1 + t);
        }
    }

    /** {@code dg} becomes {@code dg * gelu'(u)}. */
    static void geluBackward(float[] u, int n, float[] dg) {
        for (int i = 0; i < n; i++) {
            float x = u[i];
            float t = (float) Math.tanh(GELU_C * (x + GELU_A * x * x * x));
            float derivative = 0.5f * (1 + t) + 0.5f * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * x * x);
            dg[i] *= derivative;
        }
    }

    /** Copies a column block of a row-major matrix: rows [row0, row0 + rows), columns [col0, col0 + cols). */
    static float[] gather(float[] src, int stride, int row0, int rows, int col0, int cols) {
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(src, (row0 + i) * stride + col0, out, i * cols, cols);
        }
        return out;
    }

    /** The inverse of {@link #gather}: writes (or with {@code add}, adds) the block back. */
    static void scatter(float[] block, float[] dst, int stride, int row0, int rows, int col0, int cols, boolean add) {
        for (int i = 0; i < rows; i++) {
            int o = (row0 + i) * stride + col0;
            if (add) {
                for (int j = 0; j < cols; j++) {
                    dst[o + j] += block[i * cols + j];
                }
            } else {
                System.arraycopy(block, i * cols, dst, o, cols);
            }
        }
    }
}
