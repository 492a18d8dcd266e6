package io.tokenlab.plugin.lm.transformer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a model: a decoder-only transformer with learned positions, pre-RMSNorm blocks of
 * causal multi-head attention and a GELU (tanh form) MLP, and an output layer tied to the token
 * embeddings. {@code start} is the id that begins every training document (a vocabulary's
 * end-of-text token where it has one); an empty context is read as that token alone.
 */
public record TransformerConfig(int vocabulary, int dimension, int layers, int heads, int context, int hidden,
                                float normEpsilon, int start) {
    static final String PREFIX = "transformer.";

    public TransformerConfig {
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
        return (long) vocabulary * dimension + (long) context * dimension + layers * block + dimension;
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
        return m;
    }

    /** Reads {@link #toMetadata()}; a missing or malformed key is an error naming it and the file. */
    public static TransformerConfig fromMetadata(Map<String, String> metadata, String file) {
        return new TransformerConfig(integer(metadata, "vocabulary", file), integer(metadata, "dimension", file),
                integer(metadata, "layers", file), integer(metadata, "heads", file), integer(metadata, "context", file),
                integer(metadata, "hidden", file), (float) real(metadata, "norm_epsilon", file),
                integer(metadata, "start", file));
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
