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

    /** Softplus's linear region starts here, as PyTorch's {@code softplus} threshold does. */
    private static final double SOFTPLUS_THRESHOLD = 20;

    /** The queries x keys attention weights; masked entries are exactly 0. */
    static float[] probabilities(Compute compute, float[] q, float[] k, int queries, int keys, int offset, int dh,
                                 float scale, TransformerConfig.Attention kind, float power) {
        FloatMatrix scores = FloatMatrix.zeros(queries, keys);
        compute.gemm(false, true, scale, new FloatMatrix(queries, dh, q), new FloatMatrix(keys, dh, k), 0f, scores);
        float[] s = scores.data();
        if (kind == TransformerConfig.Attention.SOFTPLUS) {
            return softplusWeights(s, queries, keys, offset, power);
        }
        for (int i = 0; i < queries; i++) {
            for (int j = offset + i + 1; j < keys; j++) {
                s[i * keys + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return compute.softmax(scores).data();
    }

    /**
     * Softplus attention with re-weighting: {@code f = softplus(log(n) * s)^power}, {@code p = f / sum f},
     * where {@code n} is the number of keys query i sees (offset + i + 1). The log n scale keeps a row's
     * entropy from growing with the length it attends over; the power sharpens what softplus's
     * near-linear tail flattens.
     */
    private static float[] softplusWeights(float[] s, int queries, int keys, int offset, float power) {
        float[] p = new float[queries * keys];
        for (int i = 0; i < queries; i++) {
            int seen = offset + i + 1;
            double lengthScale = Math.log(seen);
            double sum = 0;
            for (int j = 0; j < seen; j++) {
                double f = Math.pow(softplus(lengthScale * s[i * keys + j]), power);
                p[i * keys + j] = (float) f;
                sum += f;
            }
            for (int j = 0; j < seen; j++) {
                p[i * keys + j] = (float) (p[i * keys + j] / sum);
            }
        }
        return p;
    }

    private static double softplus(double z) {
        return z > SOFTPLUS_THRESHOLD ? z : Math.log1p(Math.exp(z));
    }

    /** The derivative of {@link #softplus}: the logistic function (1 in the linear region). */
    private static double logistic(double z) {
        return z > SOFTPLUS_THRESHOLD ? 1 : 1 / (1 + Math.exp(-z));
    }

    /**
     * Gradients through {@code O = P V}, {@code P = softmax(scale Q K^T)} for a square causal map:
     * {@code dS = P * (dP - rowsum(dP * P))}. For softplus attention, {@code P = f / sum f} with
     * {@code f = softplus(z)^power}, {@code z = log(n) * scale * Q K^T}: {@code dz = (dP - rowsum(dP * P))
     * / sum f * power * softplus(z)^(power - 1) * logistic(z)}, the scores recomputed from Q and K.
     */
    static Gradients backward(Compute compute, float[] p, float[] q, float[] k, float[] v, float[] dO, int len, int dh,
                              float scale, TransformerConfig.Attention kind, float power) {
        FloatMatrix dP = FloatMatrix.zeros(len, len);
        compute.gemm(false, true, 1f, new FloatMatrix(len, dh, dO), new FloatMatrix(len, dh, v), 0f, dP);
        float[] dv = new float[len * dh];
        compute.gemm(true, false, 1f, new FloatMatrix(len, len, p), new FloatMatrix(len, dh, dO), 0f,
                new FloatMatrix(len, dh, dv));
        float[] ds = dP.data();
        float[] scores = null;
        if (kind == TransformerConfig.Attention.SOFTPLUS) {
            FloatMatrix raw = FloatMatrix.zeros(len, len);
            compute.gemm(false, true, scale, new FloatMatrix(len, dh, q), new FloatMatrix(len, dh, k), 0f, raw);
            scores = raw.data();
        }
        for (int i = 0; i < len; i++) {
            int o = i * len;
            double dot = 0;
            for (int j = 0; j <= i; j++) {
                dot += (double) ds[o + j] * p[o + j];
            }
            if (scores == null) {
                for (int j = 0; j < len; j++) {
                    ds[o + j] = j <= i ? (float) (p[o + j] * (ds[o + j] - dot)) * scale : 0f;
                }
                continue;
            }
            double lengthScale = Math.log(i + 1);
            double sum = 0;
            for (int j = 0; j <= i; j++) {
                sum += Math.pow(softplus(lengthScale * scores[o + j]), power);
            }
            for (int j = 0; j < len; j++) {
                if (j > i) {
                    ds[o + j] = 0f;
                    continue;
                }
                double z = lengthScale * scores[o + j];
                double df = power * Math.pow(softplus(z), power - 1) * logistic(z);
                ds[o + j] = (float) ((ds[o + j] - dot) / sum * df * lengthScale * scale);
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
