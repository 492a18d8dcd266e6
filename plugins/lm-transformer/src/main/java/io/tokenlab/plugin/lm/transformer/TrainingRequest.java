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
                       int dimension, int layers, int heads, int context, Trainer.Settings settings, String file) {
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
                    (int) p.integer("transformer.context", 64), settings, p.string("transformer.file", ""));
        } catch (IllegalArgumentException e) {
            throw new TechniqueException("transformer parameters: " + e.getMessage(), e);
        }
    }

    /** The cache file's name: every setting that changes the model is in it. */
    String fileName() {
        Trainer.Settings s = settings;
        String base = String.join("-", "transformer", tokenizer, vocabulary, Path.of(corpus).getFileName().toString(),
                corpusBytes + "b", "d" + dimension, "l" + layers, "h" + heads, "c" + context, "s" + s.steps(),
                "b" + s.batch(), "lr" + s.learningRate(), "min" + s.minimumLearningRate(), "w" + s.warmup(),
                "wd" + s.weightDecay(), "clip" + s.clipNorm(), "seed" + s.seed());
        return base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "_") + ".safetensors";
    }
}
