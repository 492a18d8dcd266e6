package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.FloatMatrix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every parameter of a model by its name, in a fixed order (the order of initialisation, of the
 * optimizer and of the checkpoint). Names follow the PyTorch transcription's module paths, so a
 * checkpoint loads there with {@code load_state_dict}. Matrices of linear layers are stored as
 * PyTorch does, out x in; vectors (norm weights) as 1 x n.
 */
public final class ModelWeights {
    private final TransformerConfig config;
    private final Map<String, FloatMatrix> tensors;
    final FloatMatrix embeddings;
    final FloatMatrix positions;
    final Block[] blocks;
    final FloatMatrix finalNorm;

    /** One block's parameters. */
    static final class Block {
        final FloatMatrix norm1;
        final FloatMatrix qkv;
        final FloatMatrix proj;
        final FloatMatrix norm2;
        final FloatMatrix fc;
        final FloatMatrix out;

        Block(Map<String, FloatMatrix> t, int layer) {
            String p = "blocks." + layer + ".";
            norm1 = t.get(p + "norm1.weight");
            qkv = t.get(p + "attn.qkv.weight");
            proj = t.get(p + "attn.proj.weight");
            norm2 = t.get(p + "norm2.weight");
            fc = t.get(p + "mlp.fc.weight");
            out = t.get(p + "mlp.proj.weight");
        }
    }

    private ModelWeights(TransformerConfig config, Map<String, FloatMatrix> tensors) {
        this.config = config;
        this.tensors = Collections.unmodifiableMap(tensors);
        embeddings = tensors.get("tok_emb.weight");
        positions = tensors.get("pos_emb.weight");
        blocks = new Block[config.layers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new Block(tensors, l);
        }
        finalNorm = tensors.get("norm_f.weight");
    }

    /** The expected shape (rows, cols) of every parameter, in order. */
    static Map<String, int[]> shapes(TransformerConfig c) {
        Map<String, int[]> s = new LinkedHashMap<>();
        int d = c.dimension();
        s.put("tok_emb.weight", new int[]{c.vocabulary(), d});
        if (c.learnedPositions()) {
            s.put("pos_emb.weight", new int[]{c.context(), d});
        }
        for (int l = 0; l < c.layers(); l++) {
            String p = "blocks." + l + ".";
            s.put(p + "norm1.weight", new int[]{1, d});
            s.put(p + "attn.qkv.weight", new int[]{3 * d, d});
            s.put(p + "attn.proj.weight", new int[]{d, d});
            s.put(p + "norm2.weight", new int[]{1, d});
            s.put(p + "mlp.fc.weight", new int[]{c.hidden(), d});
            s.put(p + "mlp.proj.weight", new int[]{d, c.hidden()});
        }
        s.put("norm_f.weight", new int[]{1, d});
        return s;
    }

    public static ModelWeights zeros(TransformerConfig c) {
        Map<String, FloatMatrix> t = new LinkedHashMap<>();
        shapes(c).forEach((name, shape) -> t.put(name, FloatMatrix.zeros(shape[0], shape[1])));
        return new ModelWeights(c, t);
    }

    /**
     * GPT-2's initialisation: N(0, 0.02) everywhere, the residual projections scaled down by
     * sqrt(2 * layers) so the residual stream's variance does not grow with depth; norm weights 1.
     * The same seed gives the same weights.
     */
    public static ModelWeights initialise(TransformerConfig c, long seed) {
        ModelWeights w = zeros(c);
        Random random = new Random(seed);
        double residual = 0.02 / Math.sqrt(2.0 * c.layers());
        for (Map.Entry<String, FloatMatrix> e : w.tensors.entrySet()) {
            String name = e.getKey();
            float[] data = e.getValue().data();
            if (isNorm(name)) {
                java.util.Arrays.fill(data, 1f);
                continue;
            }
            double std = name.endsWith("attn.proj.weight") || name.endsWith("mlp.proj.weight") ? residual : 0.02;
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (random.nextGaussian() * std);
            }
        }
        return w;
    }

    /** Weights over given tensors; every name and shape must be present and right. */
    public static ModelWeights of(TransformerConfig c, Map<String, FloatMatrix> given, String source) {
        Map<String, FloatMatrix> t = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes(c).entrySet()) {
            FloatMatrix m = given.get(e.getKey());
            int[] shape = e.getValue();
            if (m == null) {
                throw new IllegalArgumentException(source + ": no tensor '" + e.getKey() + "'");
            }
            if (m.rows() * m.cols() != shape[0] * shape[1] || (shape[0] != 1 && m.rows() != shape[0])) {
                throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "' is " + m.shape()
                        + "; the config needs " + shape[0] + "x" + shape[1]);
            }
            t.put(e.getKey(), new FloatMatrix(shape[0], shape[1], m.data()));
        }
        return new ModelWeights(c, t);
    }

    static boolean isNorm(String name) {
        return name.contains("norm");
    }

    public TransformerConfig config() {
        return config;
    }

    /** Every parameter by name, in order. */
    public Map<String, FloatMatrix> tensors() {
        return tensors;
    }

    public List<FloatMatrix> list() {
        return new ArrayList<>(tensors.values());
    }

    public ModelWeights copy() {
        Map<String, FloatMatrix> t = new LinkedHashMap<>();
        tensors.forEach((k, v) -> t.put(k, v.copy()));
        return new ModelWeights(config, t);
    }

    void fill(float value) {
        for (FloatMatrix m : tensors.values()) {
            java.util.Arrays.fill(m.data(), value);
        }
    }
}
