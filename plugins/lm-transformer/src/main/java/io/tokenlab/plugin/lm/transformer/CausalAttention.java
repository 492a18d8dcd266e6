package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

/**
 * Scaled dot-product attention of one head under the causal mask. Queries are the last
 * {@code queries} positions of {@code keys} positions, starting at position {@code offset}: query i
 * sees keys 0..offset + i. (A full pass has offset 0 and as many queries as keys; a KV-cached step
 * has the cached length as offset.)
 */
final class CausalAttention {
    record Gradients(float[] dq, float[] dk, float[] dv) {
    }

    private CausalAttention() {
    }

    /** The queries x keys softmax; masked entries are exactly 0. */
    static float[] probabilities(Compute compute, float[] q, float[] k, int queries, int keys, int offset, int dh,
                                 float scale) {
        FloatMatrix scores = FloatMatrix.zeros(queries, keys);
        compute.gemm(false, true, scale, new FloatMatrix(queries, dh, q), new FloatMatrix(keys, dh, k), 0f, scores);
        float[] s = scores.data();
        for (int i = 0; i < queries; i++) {
            for (int j = offset + i + 1; j < keys; j++) {
                s[i * keys + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return compute.softmax(scores).data();
    }

    /**
     * Gradients through {@code O = P V}, {@code P = softmax(scale Q K^T)} for a square causal map:
     * {@code dS = P * (dP - rowsum(dP * P))}.
     */
    static Gradients backward(Compute compute, float[] p, float[] q, float[] k, float[] v, float[] dO, int len, int dh,
                              float scale) {
        FloatMatrix dP = FloatMatrix.zeros(len, len);
        compute.gemm(false, true, 1f, new FloatMatrix(len, dh, dO), new FloatMatrix(len, dh, v), 0f, dP);
        float[] dv = new float[len * dh];
        compute.gemm(true, false, 1f, new FloatMatrix(len, len, p), new FloatMatrix(len, dh, dO), 0f,
                new FloatMatrix(len, dh, dv));
        float[] ds = dP.data();
        for (int i = 0; i < len; i++) {
            int o = i * len;
            double dot = 0;
            for (int j = 0; j <= i; j++) {
                dot += (double) ds[o + j] * p[o + j];
            }
            for (int j = 0; j < len; j++) {
                ds[o + j] = j <= i ? (float) (p[o + j] * (ds[o + j] - dot)) * scale : 0f;
            }
        }
        float[] dq = new float[len * dh];
        compute.gemm(false, false, 1f, new FloatMatrix(len, len, ds), new FloatMatrix(len, dh, k), 0f,
                new FloatMatrix(len, dh, dq));
        float[] dk = new float[len * dh];
        compute.gemm(true, false, 1f, new FloatMatrix(len, len, ds), new FloatMatrix(len, dh, q), 0f,
                new FloatMatrix(len, dh, dk));
        return new Gradients(dq, dk, dv);
    }
}
