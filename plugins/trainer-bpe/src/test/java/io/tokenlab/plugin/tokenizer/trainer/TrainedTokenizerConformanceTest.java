package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.TokenizerConformance;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The tokenizer a trainer returns passes the tokenizer kit. */
class TrainedTokenizerConformanceTest extends TokenizerConformance {
    private static final List<String> CORPUS = Corpus.training(300_000);

    @TempDir
    Path dir;

    @Override
    protected TokenizerTechnique technique() {
        return (parameters, context) -> new SuperBpeTrainerTechnique().train(CORPUS, parameters, context,
                dir.resolve("tokenizer.json"));
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("vocab.size", 1200, "transition", 900, "threads", 2));
    }

    @Override
    protected Parameters invalidParameters() {
        return Parameters.of(Map.of("vocab.size", "lots"));
    }

    @Override
    protected String invalidValue() {
        return "lots";
    }

    @Override
    protected RunContext context() {
        return new KitContext(null);
    }
}
