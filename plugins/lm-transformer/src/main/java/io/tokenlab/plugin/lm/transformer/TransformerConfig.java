package io.tokenlab.plugin.lm.transformer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a model: a decoder-only transformer with learned positions (or none), pre-RMSNorm
 * blocks of causal multi-head attention and a GELU (tanh form) MLP, and an output layer tied to the
 * token embeddings. {@code start} is the id that begins every training document (a vocabulary's
 * end-of-text token where it has one); an empty context is read as that token alone.
 * {@code attention} picks the attention normalisation (see {@link Attention}); {@code attentionPower}
 * is the re-weighting power of softplus attention (ignored by softmax). A model without learned
 * positions knows order only through the causal mask, so it can be run on longer windows than it
 * was trained on (see {@link #withContext}).
 */
public record TransformerConfig(int vocabulary, int dimension, int layers, int heads, int context, int hidden,
                                float normEpsilon, int start, Attention attention, float attentionPower,
                                boolean learnedPositions) {
    static final String PREFIX = "transformer.";

    /** How a query's scores become attention weights over the keys it sees. */
    public enum Attention {
        /** softmax(q k / sqrt(d_h)) */
        SOFTMAX,
        /**
         * Softplus attention with re-weighting (Gao et al. 2025, "Softplus Attention with
         * Re-weighting Boosts Length Extrapolation in Large Language Models"): softmax split into its
         * positive transform and its l1 normalisation, the transform replaced by softplus of the
         * scores scaled by log n (n: the keys the query sees, the entropy-invariance scale), raised to
         * a power before normalising, which sharpens the weights again.
         */
        SOFTPLUS
    }

    /** A model with learned positions and softmax attention, as every model before the option. */
    public TransformerConfig(int vocabulary, int dimension, int layers, int heads, int context, int hidden,
                             float normEpsilon, int start) {
        this(vocabulary, dimension, layers, heads, context, hidden, normEpsilon, start, Attention.SOFTMAX, 1f, true);
    }

    public TransformerConfig {
        java.util.Objects.requireNonNull(attention, "attention");
        if (!(attentionPower >= 1 && attentionPower <= 16)) {
            throw new IllegalArgumentException("attention power " + attentionPower + " is outside 1..16");
        }
        check("vocabulary", vocabulary, 2, 1 << 22);
        check("dimension", dimension, 2, 1 << 14);
        check("layers", layers, 1, 256);
        check("heads", heads, 1, dimension);
        check("context", context, 2, 1 << 16);
        check("hidden", hidden, 1, 1 << 16);
        if (dimension % heads != 0) {
            throw new IllegalArgumentException("dimension " + dimension + " is not a multiple of heads " + heads);
        }
        if (!(normEpsilon > 0)) {
            throw new IllegalArgumentException("norm epsilon " + normEpsilon + " must be positive");
        }
        if (start < 0 || start >= vocabulary) {
            throw new IllegalArgumentException("start token " + start + " is outside the vocabulary 0.." + (vocabulary - 1));
        }
    }

    public static TransformerConfig of(int vocabulary, int dimension, int layers, int heads, int context, int start) {
        return new TransformerConfig(vocabulary, dimension, layers, heads, context, 4 * dimension, 1e-5f, start);
    }

    /** This model with another attention normalisation and power, and with or without learned positions. */
    public TransformerConfig with(Attention attention, float power, boolean learnedPositions) {
        return new TransformerConfig(vocabulary, dimension, layers, heads, context, hidden, normEpsilon, start, attention,
                power, learnedPositions);
    }

    /**
     * The same model over another context length: only a model without learned positions has no
     * weight tied to the length, so only it may be run on windows longer than it was trained on.
     */
    public TransformerConfig withContext(int length) {
        if (learnedPositions && length > context) {
            throw new IllegalArgumentException("a model with learned positions has none beyond its context of " + context);
        }
        return new TransformerConfig(vocabulary, dimension, layers, heads, length, hidden, normEpsilon, start, attention,
                attentionPower, learnedPositions);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is outside " + min + ".." + max);
        }
    }

    public int headDimension() {
        return dimension / heads;
    }

    /** Parameters in all: embeddings, positions, blocks, final norm (the output layer is the embeddings). */
    public long parameterCount() {
        long block = 2L * dimension + 4L * dimension * dimension + 2L * dimension * hidden;
        return (long) vocabulary * dimension + (learnedPositions ? (long) context * dimension : 0) + layers * block
                + dimension;
    }

    /** The config as safetensors metadata (string values, as the format requires). */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "vocabulary", Integer.toString(vocabulary));
        m.put(PREFIX + "dimension", Integer.toString(dimension));
        m.put(PREFIX + "layers", Integer.toString(layers));
        m.put(PREFIX + "heads", Integer.toString(heads));
        m.put(PREFIX + "context", Integer.toString(context));
        m.put(PREFIX + "hidden", Integer.toString(hidden));
        m.put(PREFIX + "norm_epsilon", Float.toString(normEpsilon));
        m.put(PREFIX + "start", Integer.toString(start));
        m.put(PREFIX + "attention", attention.name().toLowerCase(java.util.Locale.ROOT));
        m.put(PREFIX + "attention_power", Float.toString(attentionPower));
        m.put(PREFIX + "positions", learnedPositions ? "learned" : "none");
        return m;
    }

    /**
     * Reads {@link #toMetadata()}; a missing or malformed key is an error naming it and the file.
     * Checkpoints written before the attention and position options lack those keys and get softmax
     * attention with learned positions, which is what they hold.
     */
    public static TransformerConfig fromMetadata(Map<String, String> metadata, String file) {
        String attention = metadata.getOrDefault(PREFIX + "attention", "softmax").trim();
        String positions = metadata.getOrDefault(PREFIX + "positions", "learned").trim();
        if (!attention.equals("softmax") && !attention.equals("softplus")) {
            throw new IllegalArgumentException(file + ": __metadata__ '" + PREFIX + "attention' is '" + attention
                    + "'; expected softmax or softplus");
        }
        if (!positions.equals("learned") && !positions.equals("none")) {
            throw new IllegalArgumentException(file + ": __metadata__ '" + PREFIX + "positions' is '" + positions
                    + "'; expected learned or none");
        }
        float power = metadata.containsKey(PREFIX + "attention_power") ? (float) real(metadata, "attention_power", file) : 1f;
        return new TransformerConfig(integer(metadata, "vocabulary", file), integer(metadata, "dimension", file),
                integer(metadata, "layers", file), integer(metadata, "heads", file), integer(metadata, "context", file),
                integer(metadata, "hidden", file), (float) real(metadata, "norm_epsilon", file),
                integer(metadata, "start", file), Attention.valueOf(attention.toUpperCase(java.util.Locale.ROOT)), power,
                positions.equals("learned"));
    }

    private static String value(Map<String, String> metadata, String key, String file) {
        String v = metadata.get(PREFIX + key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": __metadata__ lacks '" + PREFIX + key
                    + "'; a transformer checkpoint carries its config there");
        }
        return v;
    }

    private static int integer(Map<String, String> metadata, String key, String file) {
        String v = value(metadata, key, file);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": __metadata__ '" + PREFIX + key + "' is '" + v
                    + "'; expected an integer");
        }
    }

    private static double real(Map<String, String> metadata, String key, String file) {
        String v = value(metadata, key, file);
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": __metadata__ '" + PREFIX + key + "' is '" + v
                    + "'; expected a number");
        }
    }
}
