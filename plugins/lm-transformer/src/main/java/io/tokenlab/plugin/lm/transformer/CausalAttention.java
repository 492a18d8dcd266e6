package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

/**
 * Scaled dot-product attention of one head under the causal mask. Queries are the last
 * {@code queries} positions of {@code keys} positions, starting at position {@code offset}: query i
 * sees keys 0..offset + i. (A full pass has offset 0 and as many queries as keys; a KV-cached step
 * has the cached length as offset.) Two variants serve the encoder-style models built on the same
 * blocks: attention both ways (every query sees every key of its sequence, as an encoder's does),
 * and a per-key bias added to the scores (a soft deletion mask: a key with bias -30 is all but
 * removed, and the bias gets its own gradient).
 */
final class CausalAttention {
    /** {@code dKeyBias} is null when the pass had no key bias. */
    record Gradients(float[] dq, float[] dk, float[] dv, float[] dKeyBias) {
    }

    private CausalAttention() {
    }

    /** Softplus's linear region starts here, as PyTorch's {@code softplus} threshold does. */
    private static final double SOFTPLUS_THRESHOLD = 20;

    /** The queries x keys attention weights; masked entries are exactly 0. */
    static float[] probabilities(Compute compute, float[] q, float[] k, int queries, int keys, int offset, int dh,
                                 float scale, TransformerConfig.Attention kind, float power) {
        return probabilities(compute, q, k, queries, keys, offset, dh, scale, kind, power, true, null);
    }

    /**
     * As above; {@code causal} false lets every query see every key, and {@code keyBias} (one value
     * per key, or null) is added to each key's scores after scaling (softmax attention only).
     */
    static float[] probabilities(Compute compute, float[] q, float[] k, int queries, int keys, int offset, int dh,
                                 float scale, TransformerConfig.Attention kind, float power, boolean causal,
                                 float[] keyBias) {
        FloatMatrix scores = FloatMatrix.zeros(queries, keys);
        compute.gemm(false, true, scale, new FloatMatrix(queries, dh, q), new FloatMatrix(keys, dh, k), 0f, scores);
        float[] s = scores.data();
        if (kind == TransformerConfig.Attention.SOFTPLUS) {
            if (!causal || keyBias != null) {
                throw new IllegalArgumentException("softplus attention is causal and takes no key bias");
            }
            return softplusWeights(s, queries, keys, offset, power);
        }
        for (int i = 0; i < queries; i++) {
            int seen = causal ? offset + i + 1 : keys;
            for (int j = 0; j < keys; j++) {
                s[i * keys + j] = j >= seen ? Float.NEGATIVE_INFINITY
                        : keyBias == null ? s[i * keys + j] : s[i * keys + j] + keyBias[j];
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
        return backward(compute, p, q, k, v, dO, len, dh, scale, kind, power, true, false);
    }

    /**
     * As above, for a map that was causal or not; with {@code keyBias}, also the gradient of each
     * key's bias: the column sums of {@code P * (dP - rowsum(dP * P))}, the score gradient before
     * the scale.
     */
    static Gradients backward(Compute compute, float[] p, float[] q, float[] k, float[] v, float[] dO, int len, int dh,
                              float scale, TransformerConfig.Attention kind, float power, boolean causal,
                              boolean keyBias) {
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
        float[] dBias = keyBias ? new float[len] : null;
        for (int i = 0; i < len; i++) {
            int o = i * len;
            int seen = causal ? i + 1 : len;
            double dot = 0;
            for (int j = 0; j < seen; j++) {
                dot += (double) ds[o + j] * p[o + j];
            }
            if (scores == null) {
                for (int j = 0; j < len; j++) {
                    float g = j < seen ? (float) (p[o + j] * (ds[o + j] - dot)) : 0f;
                    if (dBias != null) {
                        dBias[j] += g;
                    }
                    ds[o + j] = g * scale;
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
        return new Gradients(dq, dk, dv, dBias);
    }
}
