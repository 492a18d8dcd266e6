package io.tokenlab.api.tokenizer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;

import java.nio.file.Path;

/**
 * Trains a vocabulary from a corpus. The service property {@code tokenlab.trainer=<name>} names it.
 * The result is written as a Hugging Face {@code tokenizer.json} that the BPE tokenizer plugin
 * (and HF tokenizers) can load.
 */
public interface TokenizerTrainer {
    /** Service property naming a trainer, e.g. {@code bpe}, {@code superbpe}. */
    String TRAINER = "tokenlab.trainer";

    /**
     * Trains on the texts and writes {@code tokenizer.json} to {@code output}.
     *
     * @return the trained tokenizer, ready to use
     */
    Tokenizer train(Iterable<String> texts, Parameters parameters, RunContext context, Path output);
}
