package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTrainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What every trainer component shares: the {@link TokenizerTrainer} service, and the pipeline
 * stage form (corpus lines in, the lines of tokenizer.json out, so {@code --output tokenizer.json}
 * receives the file).
 */
abstract class TrainerStage implements TokenizerTrainer, StageTechnique {

    /** Trains on the texts with validated parameters. */
    abstract TrainedBpe trainVocabulary(Iterable<String> texts, Parameters parameters, RunContext context);

    @Override
    public Tokenizer train(Iterable<String> texts, Parameters parameters, RunContext context, Path output) {
        TrainedBpe trained = timed(texts, parameters, context);
        TokenizerJsonWriter.write(trained, output);
        return trained;
    }

    @Override
    public PortType input() {
        return PortType.TEXT;
    }

    @Override
    public PortType output() {
        return PortType.TEXT;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object input, Parameters parameters, RunContext context) {
        return lines(timed((List<String>) input, parameters, context));
    }

    /** tokenizer.json as the text port's lines. */
    static List<String> lines(TrainedBpe trained) {
        String json = TokenizerJsonWriter.toJson(trained);
        // the text port writes each line followed by '\n'; the JSON already ends with one
        return new ArrayList<>(Arrays.asList(json.substring(0, json.length() - 1).split("\n", -1)));
    }

    private TrainedBpe timed(Iterable<String> texts, Parameters parameters, RunContext context) {
        long start = System.nanoTime();
        TrainedBpe trained = trainVocabulary(texts, parameters, context);
        context.note(String.format("trained %d tokens (%d merges, %d special) in %.1f s", trained.vocabularySize(),
                trained.merges().size(), trained.specialTokens().size(), (System.nanoTime() - start) / 1e9));
        return trained;
    }

    static List<String> specials(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String s : commaSeparated.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    static int threads(int requested) {
        return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
    }
}
