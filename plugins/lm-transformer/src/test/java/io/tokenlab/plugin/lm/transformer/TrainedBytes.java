package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One byte-level transformer trained on 1 MB of real text (linux-doc) once per test JVM, for the tests
 * that need a model with learned structure: 2 layers, 2 heads, d = 32, context 128, 400 steps of 8
 * windows (about 25 s on 2 cores), seeded, so every run trains the same model.
 */
final class TrainedBytes {
    static final int CONTEXT = 128;
    static final int STEPS = 400;

    private static TrainedBytes trained;

    final TransformerLanguageModel model;
    final ModelWeights weights;
    final TrainingCorpus corpus;
    final int start;

    private TrainedBytes(TransformerLanguageModel model, ModelWeights weights, TrainingCorpus corpus, int start) {
        this.model = model;
        this.weights = weights;
        this.corpus = corpus;
        this.start = start;
    }

    /** The vocabulary of tokenizer/bytes: 256 bytes and its special tokens. */
    static final int VOCABULARY = bytes().vocabularySize();

    /** 1 MB of linux-doc as bytes for training, then {@code heldOutBytes} after it, and the start token. */
    record BytesCorpus(TrainingCorpus corpus, int start) {
    }

    static BytesCorpus linuxDoc(long heldOutBytes) throws IOException {
        Tokenizer bytes = bytes();
        int start = TrainingCorpus.startToken(bytes);
        return new BytesCorpus(TrainingCorpus.read(RealRuns.dataDirectory().resolve("linux-doc"), bytes, start,
                1_000_000, heldOutBytes), start);
    }

    private static Tokenizer bytes() {
        RunContext context = TinyTrained.context();
        return context.technique(TokenizerTechnique.class, "tokenizer/bytes").orElseThrow()
                .open(Parameters.empty(), context);
    }

    static synchronized TrainedBytes get() {
        if (trained == null) {
            try {
                BytesCorpus corpus = linuxDoc(60_000);
                int start = corpus.start();
                TransformerConfig config = TransformerConfig.of(VOCABULARY, 32, 2, 2, CONTEXT, start);
                Trainer.Result result = new Trainer(RealRuns.COMPUTE).train(config, corpus.corpus().training(),
                        new Trainer.Settings(STEPS, 8, 3e-3, 3e-4, 40, 0.1, 1.0, 1), Progress.NONE, System.out::println);
                trained = new TrainedBytes(new TransformerLanguageModel(RealRuns.COMPUTE, result.weights(),
                        "linux-doc bytes"), result.weights(), corpus.corpus(), start);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trained;
    }
}
