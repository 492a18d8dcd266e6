package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Arrays;

/**
 * One forward pass over a {@link Batch} that keeps what the backward pass needs, and that backward
 * pass: the mean cross-entropy over the batch's targets and its gradient for every parameter.
 * Rows of all activations are the batch's positions, row {@code b * width + i}.
 */
final class TrainingPass {
    private final Compute compute;
    private final ModelWeights w;
    private final TransformerConfig c;
    private final Batch batch;
    private final int n;
    private final int d;
    private final float scale;

    private final float[][] layerInput;
    private final float[][] inverse1;
    private final float[][] normed1;
    private final float[][] qkv;
    private final float[][][] probabilities;
    private final float[][] attended;
    private final float[][] afterAttention;
    private final float[][] inverse2;
    private final float[][] normed2;
    private final float[][] preActivation;
    private final float[][] activation;
    private float[] finalInput;
    private float[] finalInverse;
    private float[] finalNormed;
    /** Output probabilities after the forward pass; the backward pass turns them into logit gradients. */
    private float[] probabilitiesOut;
    private int targetCount;
    /** Each row's negative log-likelihood of its target (0 where it has none), after the forward pass. */
    private float[] rowLosses;
    /** Each row's most likely next token, after the forward pass. */
    private int[] rowPredictions;
    /**
     * Per-sequence token embeddings (vocabulary x dimension each, row-major) in place of the model's
     * own, for the input and the tied output alike: a lexinvariant model's (see {@link Lexinvariance});
     * null for a standard model.
     */
    private final float[][] sequenceEmbeddings;
    /** Attention both ways inside each sequence (an encoder's), instead of causal. */
    private boolean bothWays;
    /** Vectors added to the input embeddings (n x d), or null; their gradient after the backward pass. */
    private float[] addedInput;
    private float[] inputGradient;
    /** A bias per position added to its scores as a key from layer {@code biasFrom} on (n), or null. */
    private float[] keyBias;
    private int biasFrom;
    private float[] keyBiasGradient;
    /** Computes {@link #keyBias} from the hidden states entering layer {@code biasFrom}, or null. */
    private KeyGate gate;

    /**
     * A learned per-key bias read off the hidden states entering a layer (a deletion gate): the pass
     * asks it for the bias when it reaches that layer, and hands it the bias's gradient so it can
     * return the gradient on those hidden states (and keep its own parameters' gradients).
     */
    interface KeyGate {
        /** One bias per batch position, from the n x d hidden states entering the gated layer. */
        float[] bias(float[] hidden);

        /** The gradient on the hidden states the bias was read from, given the bias's gradient. */
        float[] backward(float[] biasGradient);
    }

    TrainingPass(Compute compute, ModelWeights weights, Batch batch) {
        this(compute, weights, batch, null);
    }

    TrainingPass(Compute compute, ModelWeights weights, Batch batch, float[][] sequenceEmbeddings) {
        if (sequenceEmbeddings != null && sequenceEmbeddings.length != batch.size()) {
            throw new IllegalArgumentException(sequenceEmbeddings.length + " embedding tables for " + batch.size()
                    + " sequences");
        }
        this.sequenceEmbeddings = sequenceEmbeddings;
        this.compute = compute;
        this.w = weights;
        this.c = weights.config();
        this.batch = batch;
        if (batch.width() > c.context()) {
            throw new IllegalArgumentException("batch width " + batch.width() + " exceeds the context " + c.context());
        }
        this.n = batch.size() * batch.width();
        this.d = c.dimension();
        this.scale = (float) (1.0 / Math.sqrt(c.headDimension()));
        int layers = c.layers();
        layerInput = new float[layers][];
        inverse1 = new float[layers][];
        normed1 = new float[layers][];
        qkv = new float[layers][];
        probabilities = new float[layers][][];
        attended = new float[layers][];
        afterAttention = new float[layers][];
        inverse2 = new float[layers][];
        normed2 = new float[layers][];
        preActivation = new float[layers][];
        activation = new float[layers][];
    }

    /** Lets every position attend to every position of its sequence (an encoder), before the forward pass. */
    TrainingPass attendBothWays() {
        bothWays = true;
        return this;
    }

    /**
     * Adds {@code vectors} (one row of the model's dimension per batch position) to the input
     * embeddings, as a conditioning prefix or a continuous input does; {@link #inputGradient()}
     * then gives the loss's gradient with respect to them.
     */
    TrainingPass addToInput(float[] vectors) {
        if (vectors.length != n * d) {
            throw new IllegalArgumentException(vectors.length + " input values for " + n + " x " + d + " positions");
        }
        addedInput = vectors;
        return this;
    }

    /**
     * Adds {@code bias[i]} to the attention score of every query for key position i in layers
     * {@code fromLayer} on (a soft deletion mask); {@link #keyBiasGradient()} gives its gradient.
     */
    TrainingPass biasKeys(int fromLayer, float[] bias) {
        if (bias.length != n || fromLayer < 0 || fromLayer >= c.layers()) {
            throw new IllegalArgumentException(bias.length + " key biases for " + n + " positions from layer " + fromLayer
                    + " of " + c.layers());
        }
        keyBias = bias;
        biasFrom = fromLayer;
        return this;
    }

    /** As {@link #biasKeys}, the bias computed by {@code gate} from the hidden states entering {@code layer}. */
    TrainingPass gateKeys(int layer, KeyGate gate) {
        if (layer < 0 || layer >= c.layers()) {
            throw new IllegalArgumentException("gate at layer " + layer + " of " + c.layers());
        }
        this.gate = gate;
        biasFrom = layer;
        return this;
    }

    /** The bias the pass used for each key (given, or computed by its gate), after the forward pass. */
    float[] keyBias() {
        return keyBias == null ? null : keyBias.clone();
    }

    /** The hidden state after each layer's input (row i: position i), kept by the forward pass. */
    float[] layerInput(int layer) {
        return layerInput[layer];
    }

    /**
     * Runs the blocks without the output layer: the final normed hidden states (n x d), for a model
     * whose loss lies outside (an encoder's output, a custom head); then {@link #backwardHidden}.
     */
    float[] forwardHidden() {
        runBlocks();
        return finalNormed.clone();
    }

    /** Adds to {@code grads} the gradient of a loss whose gradient on the final hidden states is given. */
    void backwardHidden(ModelWeights grads, float[] dHidden) {
        if (finalNormed == null || dHidden.length != n * d) {
            throw new IllegalStateException("run forwardHidden() first and give n x d hidden gradients");
        }
        backwardBlocks(grads, dHidden.clone());
    }

    /** The gradient with respect to the vectors given to {@link #addToInput}, after a backward pass. */
    float[] inputGradient() {
        return inputGradient.clone();
    }

    /** The gradient with respect to the bias given to {@link #biasKeys}, after a backward pass. */
    float[] keyBiasGradient() {
        return keyBiasGradient.clone();
    }

    private void runBlocks() {
        int[] tokens = batch.tokens();
        for (int t : tokens) {
            if (t < 0 || t >= c.vocabulary()) {
                throw new IllegalArgumentException("token " + t + " is outside the vocabulary 0.." + (c.vocabulary() - 1));
            }
        }
        float[] x = new float[n * d];
        float[] emb = w.embeddings.data();
        float[] pos = w.positions == null ? null : w.positions.data();
        for (int i = 0; i < n; i++) {
            int p = i % batch.width();
            int e = tokens[i] * d;
            float[] source = sequenceEmbeddings == null ? emb : sequenceEmbeddings[i / batch.width()];
            for (int j = 0; j < d; j++) {
                x[i * d + j] = source[e + j] + (pos == null ? 0f : pos[p * d + j])
                        + (addedInput == null ? 0f : addedInput[i * d + j]);
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            if (gate != null && l == biasFrom) {
                keyBias = gate.bias(x);
                if (keyBias.length != n) {
                    throw new IllegalStateException(keyBias.length + " key biases from the gate for " + n + " positions");
                }
            }
            if (keyBias != null && keyBiasGradient == null) {
                keyBiasGradient = new float[n];
            }
            x = layerForward(l, x);
        }
        finalInput = x;
        finalInverse = new float[n];
        finalNormed = new float[n * d];
        Kernels.rmsNorm(x, n, d, w.finalNorm.data(), c.normEpsilon(), finalNormed, finalInverse);
    }

    /** Runs the forward pass; returns the mean negative log-likelihood of the targets (nats). */
    double forward() {
        runBlocks();
        FloatMatrix raw = FloatMatrix.zeros(n, c.vocabulary());
        if (sequenceEmbeddings == null) {
            compute.gemm(false, true, 1f, new FloatMatrix(n, d, finalNormed), w.embeddings, 0f, raw);
        } else {
            int width = batch.width();
            int v = c.vocabulary();
            for (int s = 0; s < batch.size(); s++) {
                FloatMatrix rows = FloatMatrix.zeros(width, v);
                compute.gemm(false, true, 1f, new FloatMatrix(width, d, Arrays.copyOfRange(finalNormed, s * width * d,
                        (s + 1) * width * d)), new FloatMatrix(v, d, sequenceEmbeddings[s]), 0f, rows);
                System.arraycopy(rows.data(), 0, raw.data(), s * width * v, width * v);
            }
        }
        // probabilities serve both the loss and its gradient (softmax - one-hot), one softmax for the two
        probabilitiesOut = compute.softmax(raw).data();
        double loss = 0;
        targetCount = 0;
        int v = c.vocabulary();
        rowLosses = new float[n];
        rowPredictions = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < v; j++) {
                best = probabilitiesOut[i * v + j] > probabilitiesOut[i * v + best] ? j : best;
            }
            rowPredictions[i] = best;
            int target = batch.targets()[i];
            if (target >= 0) {
                double nll = -Math.log(Math.max(probabilitiesOut[i * v + target], Float.MIN_VALUE));
                rowLosses[i] = (float) nll;
                loss += nll;
                targetCount++;
            }
        }
        if (targetCount == 0) {
            throw new IllegalArgumentException("the batch has no targets");
        }
        return loss / targetCount;
    }

    /** Each row's negative log-likelihood of its target (row {@code b * width + i}; 0 without a target). */
    float[] rowLosses() {
        if (rowLosses == null) {
            throw new IllegalStateException("run forward() first");
        }
        return rowLosses.clone();
    }

    /** Each row's most likely next token (row {@code b * width + i}). */
    int[] rowPredictions() {
        if (rowPredictions == null) {
            throw new IllegalStateException("run forward() first");
        }
        return rowPredictions.clone();
    }

    private float[] layerForward(int l, float[] x) {
        ModelWeights.Block b = w.blocks[l];
        layerInput[l] = x;
        inverse1[l] = new float[n];
        normed1[l] = new float[n * d];
        Kernels.rmsNorm(x, n, d, b.norm1.data(), c.normEpsilon(), normed1[l], inverse1[l]);
        qkv[l] = new float[n * 3 * d];
        Kernels.linear(compute, normed1[l], n, d, b.qkv, qkv[l]);
        attended[l] = new float[n * d];
        probabilities[l] = new float[batch.size() * c.heads()][];
        int dh = c.headDimension();
        for (int s = 0; s < batch.size(); s++) {
            int len = batch.lengths()[s];
            int row0 = s * batch.width();
            for (int h = 0; h < c.heads(); h++) {
                float[][] head = headSlices(qkv[l], d, row0, len, h, dh);
                float[] p = CausalAttention.probabilities(compute, head[0], head[1], len, len, 0, dh, scale,
                        c.attention(), c.attentionPower(), !bothWays, biasedAt(l, row0, len));
                probabilities[l][s * c.heads() + h] = p;
                float[] o = new float[len * dh];
                compute.gemm(false, false, 1f, new FloatMatrix(len, len, p), new FloatMatrix(len, dh, head[2]), 0f,
                        new FloatMatrix(len, dh, o));
                Kernels.scatter(o, attended[l], d, row0, len, h * dh, dh, false);
            }
        }
        float[] y = new float[n * d];
        Kernels.linear(compute, attended[l], n, d, b.proj, y);
        float[] x1 = new float[n * d];
        for (int i = 0; i < x1.length; i++) {
            x1[i] = x[i] + y[i];
        }
        afterAttention[l] = x1;
        inverse2[l] = new float[n];
        normed2[l] = new float[n * d];
        Kernels.rmsNorm(x1, n, d, b.norm2.data(), c.normEpsilon(), normed2[l], inverse2[l]);
        int hid = c.hidden();
        preActivation[l] = new float[n * hid];
        Kernels.linear(compute, normed2[l], n, d, b.fc, preActivation[l]);
        activation[l] = new float[n * hid];
        Kernels.gelu(preActivation[l], n * hid, activation[l]);
        float[] z = new float[n * d];
        Kernels.linear(compute, activation[l], n, hid, b.out, z);
        float[] x2 = new float[n * d];
        for (int i = 0; i < x2.length; i++) {
            x2[i] = x1[i] + z[i];
        }
        return x2;
    }

    /** Adds the gradient of the mean loss to {@code grads}; call once, after {@link #forward()}. */
    void backward(ModelWeights grads) {
        int v = c.vocabulary();
        float inv = 1f / targetCount;
        float[] dLogits = probabilitiesOut;
        for (int i = 0; i < n; i++) {
            int target = batch.targets()[i];
            int o = i * v;
            if (target < 0) {
                java.util.Arrays.fill(dLogits, o, o + v, 0f);
                continue;
            }
            for (int j = 0; j < v; j++) {
                dLogits[o + j] *= inv;
            }
            dLogits[o + target] -= inv;
        }
        // tied output: logits = normed E^T, so E gets dLogits^T normed and normed gets dLogits E
        float[] dNormed = new float[n * d];
        if (sequenceEmbeddings == null) {
            compute.gemm(true, false, 1f, new FloatMatrix(n, v, dLogits), new FloatMatrix(n, d, finalNormed), 1f,
                    grads.embeddings);
            compute.gemm(false, false, 1f, new FloatMatrix(n, v, dLogits), w.embeddings, 0f, new FloatMatrix(n, d, dNormed));
        } else {
            // random per-sequence embeddings are not parameters: only the path into the network is followed
            int width = batch.width();
            for (int s = 0; s < batch.size(); s++) {
                FloatMatrix rows = FloatMatrix.zeros(width, d);
                compute.gemm(false, false, 1f, new FloatMatrix(width, v, Arrays.copyOfRange(dLogits, s * width * v,
                        (s + 1) * width * v)), new FloatMatrix(v, d, sequenceEmbeddings[s]), 0f, rows);
                System.arraycopy(rows.data(), 0, dNormed, s * width * d, width * d);
            }
        }
        probabilitiesOut = null;
        backwardBlocks(grads, dNormed);
    }

    private float[] biasedAt(int layer, int row0, int len) {
        return keyBias == null || layer < biasFrom ? null : Arrays.copyOfRange(keyBias, row0, row0 + len);
    }

    private void backwardBlocks(ModelWeights grads, float[] dNormed) {
        float[] dx = new float[n * d];
        Kernels.rmsNormBackward(dNormed, finalInput, finalInverse, n, d, w.finalNorm.data(), dx, grads.finalNorm.data());
        for (int l = c.layers() - 1; l >= 0; l--) {
            dx = layerBackward(l, dx, grads.blocks[l]);
            if (gate != null && l == biasFrom) {
                float[] dGate = gate.backward(keyBiasGradient.clone());
                for (int i = 0; i < dx.length; i++) {
                    dx[i] += dGate[i];
                }
            }
        }
        inputGradient = dx;
        float[] dEmb = grads.embeddings.data();
        float[] dPos = grads.positions == null ? null : grads.positions.data();
        for (int i = 0; i < n; i++) {
            if (i % batch.width() >= batch.lengths()[i / batch.width()]) {
                continue;
            }
            int e = batch.tokens()[i] * d;
            int p = (i % batch.width()) * d;
            for (int j = 0; j < d; j++) {
                if (sequenceEmbeddings == null) {
                    dEmb[e + j] += dx[i * d + j];
                }
                if (dPos != null) {
                    dPos[p + j] += dx[i * d + j];
                }
            }
        }
    }

    private float[] layerBackward(int l, float[] dx2, ModelWeights.Block g) {
        ModelWeights.Block b = w.blocks[l];
        int hid = c.hidden();
        // MLP: x2 = x1 + proj(gelu(fc(norm2(x1))))
        Kernels.linearBackwardWeight(compute, dx2, activation[l], n, g.out);
        float[] dAct = new float[n * hid];
        Kernels.linearBackwardInput(compute, dx2, n, b.out, dAct);
        Kernels.geluBackward(preActivation[l], n * hid, dAct);
        Kernels.linearBackwardWeight(compute, dAct, normed2[l], n, g.fc);
        float[] dNormed2 = new float[n * d];
        Kernels.linearBackwardInput(compute, dAct, n, b.fc, dNormed2);
        float[] dx1 = dx2.clone();
        Kernels.rmsNormBackward(dNormed2, afterAttention[l], inverse2[l], n, d, b.norm2.data(), dx1, g.norm2.data());
        // attention: x1 = x + proj(attend(qkv(norm1(x))))
        Kernels.linearBackwardWeight(compute, dx1, attended[l], n, g.proj);
        float[] dAttended = new float[n * d];
        Kernels.linearBackwardInput(compute, dx1, n, b.proj, dAttended);
        float[] dQkv = new float[n * 3 * d];
        int dh = c.headDimension();
        for (int s = 0; s < batch.size(); s++) {
            int len = batch.lengths()[s];
            int row0 = s * batch.width();
            for (int h = 0; h < c.heads(); h++) {
                float[][] head = headSlices(qkv[l], d, row0, len, h, dh);
                float[] dO = Kernels.gather(dAttended, d, row0, len, h * dh, dh);
                boolean biased = keyBias != null && l >= biasFrom;
                CausalAttention.Gradients grad = CausalAttention.backward(compute, probabilities[l][s * c.heads() + h],
                        head[0], head[1], head[2], dO, len, dh, scale, c.attention(), c.attentionPower(), !bothWays,
                        biased);
                if (biased) {
                    for (int i = 0; i < len; i++) {
                        keyBiasGradient[row0 + i] += grad.dKeyBias()[i];
                    }
                }
                Kernels.scatter(grad.dq(), dQkv, 3 * d, row0, len, h * dh, dh, false);
                Kernels.scatter(grad.dk(), dQkv, 3 * d, row0, len, d + h * dh, dh, false);
                Kernels.scatter(grad.dv(), dQkv, 3 * d, row0, len, 2 * d + h * dh, dh, false);
            }
        }
        Kernels.linearBackwardWeight(compute, dQkv, normed1[l], n, g.qkv);
        float[] dNormed1 = new float[n * d];
        Kernels.linearBackwardInput(compute, dQkv, n, b.qkv, dNormed1);
        float[] dx = dx1;
        Kernels.rmsNormBackward(dNormed1, layerInput[l], inverse1[l], n, d, b.norm1.data(), dx, g.norm1.data());
        return dx;
    }

    /** One head's query, key and value rows of one sequence, gathered out of the fused qkv projection. */
    private static float[][] headSlices(float[] qkv, int d, int row0, int len, int h, int dh) {
        return new float[][] {
                Kernels.gather(qkv, 3 * d, row0, len, h * dh, dh),
                Kernels.gather(qkv, 3 * d, row0, len, d + h * dh, dh),
                Kernels.gather(qkv, 3 * d, row0, len, 2 * d + h * dh, dh)};
    }
}
