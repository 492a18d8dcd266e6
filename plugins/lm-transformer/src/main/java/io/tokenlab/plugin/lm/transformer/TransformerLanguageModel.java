package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.lm.TransformerModel;
import io.tokenlab.api.lm.TransformerTrace;

import java.util.Arrays;

/**
 * A trained transformer as the api's language model. Each thread keeps a KV cache of the last
 * context it asked about: a decoder that appends one token per call, or walks a candidate tree in
 * order, pays one row per new token. Contexts longer than the model's window keep their first
 * token and the latest ones.
 */
public final class TransformerLanguageModel implements TransformerModel {
    private final ModelWeights weights;
    private final Inference inference;
    private final ThreadLocal<KvCache> caches;
    private final String description;

    public TransformerLanguageModel(Compute compute, ModelWeights weights, String description) {
        this.weights = weights;
        this.inference = new Inference(compute, weights);
        this.caches = ThreadLocal.withInitial(() -> new KvCache(weights.config()));
        this.description = description;
    }

    public TransformerConfig config() {
        return weights.config();
    }

    ModelWeights weights() {
        return weights;
    }

    @Override
    public int vocabularySize() {
        return weights.config().vocabulary();
    }

    @Override
    public int layers() {
        return weights.config().layers();
    }

    @Override
    public int heads() {
        return weights.config().heads();
    }

    @Override
    public int dimension() {
        return weights.config().dimension();
    }

    @Override
    public int contextLength() {
        return weights.config().context();
    }

    @Override
    public float[] logProbabilities(int[] context) {
        int[] window = window(context);
        KvCache cache = caches.get();
        int keep = cache.commonPrefix(window);
        float[] logits;
        if (keep == window.length && keep == cache.length && cache.lastLogits != null) {
            logits = cache.lastLogits;
        } else {
            // the last token is always run again when it is cached, so its logits are at hand
            keep = Math.min(keep, window.length - 1);
            cache.truncate(keep);
            logits = inference.extend(cache, Arrays.copyOfRange(window, keep, window.length), false, null);
        }
        return logSoftmax(logits);
    }

    /** Log-probabilities after every prefix of {@code tokens} (tokens x vocabulary), in one pass. */
    public FloatMatrix logProbabilitiesAll(int[] tokens) {
        if (tokens.length > contextLength()) {
            throw new IllegalArgumentException(tokens.length + " tokens exceed the context of " + contextLength());
        }
        float[] logits = inference.extend(new KvCache(weights.config()), tokens, true, null);
        int v = vocabularySize();
        float[] out = new float[logits.length];
        for (int i = 0; i < tokens.length; i++) {
            System.arraycopy(logSoftmax(Arrays.copyOfRange(logits, i * v, (i + 1) * v)), 0, out, i * v, v);
        }
        return new FloatMatrix(tokens.length, v, out);
    }

    @Override
    public TransformerTrace trace(int[] tokens) {
        if (tokens.length == 0 || tokens.length > contextLength()) {
            throw new IllegalArgumentException("a trace takes 1.." + contextLength() + " tokens, got " + tokens.length);
        }
        Inference.Recorder recorder = new Inference.Recorder();
        inference.extend(new KvCache(weights.config()), tokens, false, recorder);
        return new TransformerTrace(tokens, recorder.states, recorder.layers);
    }

    private int[] window(int[] context) {
        if (context.length == 0) {
            return new int[]{weights.config().start()};
        }
        if (context.length <= contextLength()) {
            return context;
        }
        // a long context keeps its first token (the start token the model always saw at position 0,
        // where it parks attention) and the most recent ones, as StreamingLLM keeps its sink tokens
        int[] w = new int[contextLength()];
        w[0] = context[0];
        System.arraycopy(context, context.length - (w.length - 1), w, 1, w.length - 1);
        return w;
    }

    private static float[] logSoftmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        float log = (float) (max + Math.log(sum));
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = logits[i] - log;
        }
        return out;
    }

    @Override
    public String toString() {
        TransformerConfig c = weights.config();
        return String.format(java.util.Locale.ROOT, "transformer %d layers x %d heads, d=%d, context %d, %.2fM parameters%s",
                c.layers(), c.heads(), c.dimension(), c.context(), c.parameterCount() / 1e6,
                description.isEmpty() ? "" : " (" + description + ")");
    }
}
