package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.TechniqueException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The settings of a model to open or train, read from a stage's parameters under the
 * {@code transformer.} prefix (decoders pass their own parameters through, so the n-gram model's
 * {@code corpus}, {@code tokenizer} and {@code vocabulary} are shared and the rest have defaults).
 * The defaults train in a few minutes on two cores.
 */
record TrainingRequest(String tokenizer, String vocabulary, String corpus, long corpusBytes, long heldOutBytes,
                       int dimension, int layers, int heads, int context, TransformerConfig.Attention attention,
                       float attentionPower, boolean learnedPositions, Trainer.Settings settings, String file) {
    static final long DEFAULT_CORPUS_BYTES = 3_000_000;

    static TrainingRequest of(Parameters p) {
        try {
            int steps = (int) p.integer("transformer.steps", 200);
            Trainer.Settings settings = new Trainer.Settings(steps, (int) p.integer("transformer.batch", 8),
                    p.real("transformer.learning.rate", 3e-3), p.real("transformer.min.learning.rate", 3e-4),
                    (int) p.integer("transformer.warmup", Math.max(1, steps / 10)),
                    p.real("transformer.weight.decay", 0.1), p.real("transformer.clip", 1.0),
                    p.integer("transformer.seed", 0));
            return new TrainingRequest(p.string("tokenizer", "tokenizer/bpe"), p.string("vocabulary", "gpt2"),
                    p.string("corpus", "linux-doc"), p.integer("transformer.corpus.bytes", DEFAULT_CORPUS_BYTES),
                    p.integer("transformer.heldout.bytes", 200_000), (int) p.integer("transformer.dimension", 64),
                    (int) p.integer("transformer.layers", 4), (int) p.integer("transformer.heads", 4),
                    (int) p.integer("transformer.context", 64), attention(p.string("transformer.attention", "softmax")),
                    (float) p.real("transformer.attention.power", 3.0), positions(p.string("transformer.positions", "learned")),
                    settings, p.string("transformer.file", ""));
        } catch (IllegalArgumentException e) {
            throw new TechniqueException("transformer parameters: " + e.getMessage(), e);
        }
    }

    private static TransformerConfig.Attention attention(String name) {
        return switch (name.trim()) {
            case "softmax" -> TransformerConfig.Attention.SOFTMAX;
            case "softplus" -> TransformerConfig.Attention.SOFTPLUS;
            default -> throw new IllegalArgumentException("'transformer.attention' is '" + name
                    + "'; accepted: softmax, softplus");
        };
    }

    private static boolean positions(String name) {
        return switch (name.trim()) {
            case "learned" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException("'transformer.positions' is '" + name + "'; accepted: learned, none");
        };
    }

    /** The model's shape with the attention and position options. */
    TransformerConfig config(int vocabulary, int start) {
        return TransformerConfig.of(vocabulary, dimension, layers, heads, context, start)
                .with(attention, attention == TransformerConfig.Attention.SOFTPLUS ? attentionPower : 1f, learnedPositions);
    }

    /** The cache file's name: every setting that changes the model is in it (the options only when set). */
    String fileName() {
        Trainer.Settings s = settings;
        String base = String.join("-", "transformer", tokenizer, vocabulary, Path.of(corpus).getFileName().toString(),
                corpusBytes + "b", "d" + dimension, "l" + layers, "h" + heads, "c" + context, "s" + s.steps(),
                "b" + s.batch(), "lr" + s.learningRate(), "min" + s.minimumLearningRate(), "w" + s.warmup(),
                "wd" + s.weightDecay(), "clip" + s.clipNorm(), "seed" + s.seed())
                + (attention == TransformerConfig.Attention.SOFTPLUS ? "-softplus-p" + attentionPower : "")
                + (learnedPositions ? "" : "-nopos");
        return base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "_") + ".safetensors";
    }
}
