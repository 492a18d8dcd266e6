package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.lm.TransformerTrace;

import java.util.ArrayList;
import java.util.List;

/**
 * The forward pass for generation: appends tokens to a {@link KvCache} and returns the logits after
 * each, optionally recording a {@link TransformerTrace} (attention maps, states, module inputs and
 * outputs). Several tokens at once (a prompt) go through as one batch of rows.
 */
final class Inference {
    private final Compute compute;
    private final ModelWeights w;
    private final TransformerConfig c;

    Inference(Compute compute, ModelWeights weights) {
        this.compute = compute;
        this.w = weights;
        this.c = weights.config();
    }

    /** Collects a trace while {@link #extend} runs. */
    static final class Recorder {
        final List<FloatMatrix> states = new ArrayList<>();
        final List<TransformerTrace.Layer> layers = new ArrayList<>();
    }

    /**
     * Appends {@code tokens} to the cache; returns the logits (tokens x vocabulary) after each of
     * them, or only after the last when {@code allRows} is false.
     */
    float[] extend(KvCache cache, int[] tokens, boolean allRows, Recorder recorder) {
        int m = tokens.length;
        int p0 = cache.length;
        if (m == 0) {
            throw new IllegalArgumentException("no tokens to add");
        }
        if (p0 + m > c.context()) {
            throw new IllegalArgumentException((p0 + m) + " tokens exceed the context of " + c.context());
        }
        int d = c.dimension();
        int dh = c.headDimension();
        int keys = p0 + m;
        float scale = (float) (1.0 / Math.sqrt(dh));
        float[] x = new float[m * d];
        for (int i = 0; i < m; i++) {
            int t = tokens[i];
            if (t < 0 || t >= c.vocabulary()) {
                throw new IllegalArgumentException("token " + t + " is outside the vocabulary 0.." + (c.vocabulary() - 1));
            }
            for (int j = 0; j < d; j++) {
                x[i * d + j] = w.embeddings.data()[t * d + j]
                        + (w.positions == null ? 0f : w.positions.data()[(p0 + i) * d + j]);
            }
        }
        record(recorder, x, m, d);
        float[] inverse = new float[m];
        for (int l = 0; l < c.layers(); l++) {
            ModelWeights.Block b = w.blocks[l];
            float[] h = new float[m * d];
            Kernels.rmsNorm(x, m, d, b.norm1.data(), c.normEpsilon(), h, inverse);
            float[] qkv = new float[m * 3 * d];
            Kernels.linear(compute, h, m, d, b.qkv, qkv);
            float[] queries = Kernels.gather(qkv, 3 * d, 0, m, 0, d);
            Kernels.scatter(Kernels.gather(qkv, 3 * d, 0, m, d, d), cache.keys[l], d, p0, m, 0, d, false);
            Kernels.scatter(Kernels.gather(qkv, 3 * d, 0, m, 2 * d, d), cache.values[l], d, p0, m, 0, d, false);
            float[] attended = new float[m * d];
            List<FloatMatrix> maps = recorder == null ? null : new ArrayList<>();
            for (int head = 0; head < c.heads(); head++) {
                float[] q = Kernels.gather(queries, d, 0, m, head * dh, dh);
                float[] k = Kernels.gather(cache.keys[l], d, 0, keys, head * dh, dh);
                float[] v = Kernels.gather(cache.values[l], d, 0, keys, head * dh, dh);
                float[] p = CausalAttention.probabilities(compute, q, k, m, keys, p0, dh, scale, c.attention(),
                        c.attentionPower());
                float[] o = new float[m * dh];
                compute.gemm(false, false, 1f, new FloatMatrix(m, keys, p), new FloatMatrix(keys, dh, v), 0f,
                        new FloatMatrix(m, dh, o));
                Kernels.scatter(o, attended, d, 0, m, head * dh, dh, false);
                if (maps != null) {
                    maps.add(new FloatMatrix(m, keys, p));
                }
            }
            float[] y = new float[m * d];
            Kernels.linear(compute, attended, m, d, b.proj, y);
            for (int i = 0; i < x.length; i++) {
                x[i] += y[i];
            }
            float[] h2 = new float[m * d];
            Kernels.rmsNorm(x, m, d, b.norm2.data(), c.normEpsilon(), h2, inverse);
            float[] u = new float[m * c.hidden()];
            Kernels.linear(compute, h2, m, d, b.fc, u);
            Kernels.gelu(u, u.length, u);
            float[] z = new float[m * d];
            Kernels.linear(compute, u, m, c.hidden(), b.out, z);
            for (int i = 0; i < x.length; i++) {
                x[i] += z[i];
            }
            if (recorder != null) {
                recorder.layers.add(new TransformerTrace.Layer(maps, new FloatMatrix(m, d, h), new FloatMatrix(m, d, y),
                        new FloatMatrix(m, d, h2), new FloatMatrix(m, d, z), new FloatMatrix(m, d, queries),
                        new FloatMatrix(m, d, Kernels.gather(cache.keys[l], d, 0, keys, 0, d))));
                record(recorder, x, m, d);
            }
        }
        System.arraycopy(tokens, 0, cache.tokens, p0, m);
        cache.length = keys;
        int rows = allRows ? m : 1;
        float[] last = Kernels.gather(x, d, allRows ? 0 : m - 1, rows, 0, d);
        float[] normed = new float[rows * d];
        Kernels.rmsNorm(last, rows, d, w.finalNorm.data(), c.normEpsilon(), normed, new float[rows]);
        FloatMatrix logits = FloatMatrix.zeros(rows, c.vocabulary());
        compute.gemm(false, true, 1f, new FloatMatrix(rows, d, normed), w.embeddings, 0f, logits);
        cache.lastLogits = Kernels.gather(logits.data(), c.vocabulary(), rows - 1, 1, 0, c.vocabulary());
        return logits.data();
    }

    private static void record(Recorder recorder, float[] x, int m, int d) {
        if (recorder != null) {
            recorder.states.add(new FloatMatrix(m, d, x.clone()));
        }
    }
}
