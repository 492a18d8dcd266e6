package io.tokenlab.api.lm;

/**
 * A language model that is a transformer, opened up for the techniques that read its insides:
 * attention maps (attention sinks and dormant heads, DHSA's chunk scores, TransPrune's guidance),
 * per-layer hidden states and each module's input and output (TransPrune's token transition
 * variation). Techniques test a {@link LanguageModel} with {@code instanceof} and fail naming this
 * interface when a model does not offer it.
 */
public interface TransformerModel extends LanguageModel {
    int layers();

    int heads();

    /** Width of the hidden states. */
    int dimension();

    /** The most tokens one forward pass attends over. */
    int contextLength();

    /**
     * Runs {@code tokens} (at most {@link #contextLength()} of them) through the model and records
     * what every layer saw and produced.
     */
    TransformerTrace trace(int[] tokens);
}
