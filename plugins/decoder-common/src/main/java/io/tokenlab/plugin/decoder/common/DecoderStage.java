package io.tokenlab.plugin.decoder.common;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.decoder.ByteConstraint;
import io.tokenlab.api.decoder.DecoderStageParameters;
import io.tokenlab.api.decoder.DecoderTechnique;
import io.tokenlab.api.decoder.Generation;
import io.tokenlab.api.decoder.GenerationRequest;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A decoder as a pipeline stage: each input line is a prompt, each output line its continuation.
 * The stage's parameters are the kind's {@link DecoderStageParameters}, which the runtime checks
 * and lists for every decoder, so a technique's {@code Config} declares only its own. The tokenizer
 * is another technique ({@code tokenizer}, {@code vocabulary}); the model comes from a bound
 * {@code LanguageModelProvider} ({@code model}), which gets the stage's parameters (so the n-gram
 * provider reads corpus, order... from them, checked against its own metatype). An empty input generates
 * once from the {@code prompt} parameter. Each output line is the prompt and its continuation with
 * whitespace runs made single spaces (see {@link #line}).
 */
public final class DecoderStage {
    /** Tokenizer, model and end token of one run. */
    public record Opened(Tokenizer tokenizer, LanguageModel model, Vocabulary vocabulary) {
        /** Prompt ids as the model was trained: the end-of-text token starts a document. */
        public int[] promptIds(String prompt) {
            int[] ids = tokenizer.encode(prompt);
            int end = vocabulary.endToken();
            if (end < 0) {
                return ids;
            }
            int[] out = new int[ids.length + 1];
            out[0] = end;
            System.arraycopy(ids, 0, out, 1, ids.length);
            return out;
        }

        /** The text of generated ids, up to (not including) an end-of-text token. */
        public String text(int[] generated) {
            int end = vocabulary.endToken();
            int n = 0;
            while (n < generated.length && generated[n] != end) {
                n++;
            }
            return tokenizer.decode(Arrays.copyOf(generated, n));
        }
    }

    /** Turns one prompt into its output line. */
    public interface Completion {
        String complete(String prompt, int index, Opened opened);
    }

    private DecoderStage() {
    }

    public static Opened open(ModelProviders providers, Parameters parameters, RunContext context) {
        DecoderStageParameters stage = parameters.as(DecoderStageParameters.class);
        String tokenizerName = stage.tokenizer();
        String vocabulary = stage.vocabulary();
        TokenizerTechnique technique = context.technique(TokenizerTechnique.class, tokenizerName)
                .orElseThrow(() -> new TechniqueException("parameter 'tokenizer': '" + tokenizerName
                        + "' is not installed"));
        Tokenizer tokenizer = technique.open(Parameters.of(Map.of("vocabulary", vocabulary)), context);
        LanguageModel model = providers.open(stage.model(), parameters, context);
        if (model.vocabularySize() != tokenizer.vocabularySize()) {
            throw new TechniqueException("the model has " + model.vocabularySize() + " ids but " + tokenizerName + " "
                    + vocabulary + " has " + tokenizer.vocabularySize());
        }
        return new Opened(tokenizer, model, Vocabulary.of(tokenizer));
    }

    /**
     * One output line: the text port has one item per line, so a continuation's line breaks and
     * whitespace runs become single spaces; free text keeps its prompt in front, constrained output
     * (a JSON document) stands alone.
     */
    public static String line(String prompt, String continuation, boolean withPrompt) {
        String text = withPrompt ? prompt + continuation : continuation;
        return text.replaceAll("\\s+", " ").trim();
    }

    /** Runs a token-level decoder over the prompts, with an optional constraint. */
    public static List<String> generate(Object input, Parameters parameters, RunContext context, ModelProviders providers,
                                        DecoderTechnique decoder, ByteConstraint constraint) {
        DecoderStageParameters stage = parameters.as(DecoderStageParameters.class);
        int maxTokens = stage.max_tokens();
        long seed = stage.seed();
        return run(input, parameters, context, providers, (prompt, index, opened) -> {
            GenerationRequest request = new GenerationRequest(opened.model(), opened.tokenizer(),
                    opened.promptIds(prompt), maxTokens, seed + index, constraint);
            Generation g = decoder.generate(request, parameters, context);
            context.note("prompt " + (index + 1) + ": " + g.tokens().length + " tokens; " + describe(g.statistics()));
            return line(prompt, opened.text(g.tokens()), constraint == null);
        });
    }

    @SuppressWarnings("unchecked")
    public static List<String> run(Object input, Parameters parameters, RunContext context, ModelProviders providers,
                                   Completion completion) {
        List<String> prompts = new ArrayList<>();
        for (String line : (List<String>) input) {
            if (!line.isBlank()) {
                prompts.add(line);
            }
        }
        if (prompts.isEmpty()) {
            prompts.add(parameters.as(DecoderStageParameters.class).prompt());
        }
        Opened opened = open(providers, parameters, context);
        List<String> out = new ArrayList<>(prompts.size());
        context.progress().begin("generating for " + prompts.size() + " prompts", prompts.size());
        try {
            for (int i = 0; i < prompts.size(); i++) {
                out.add(completion.complete(prompts.get(i), i, opened));
                context.progress().advance(1);
            }
        } finally {
            context.progress().end();
        }
        return out;
    }

    public static String describe(Map<String, Double> statistics) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : new TreeMap<>(statistics).entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            double v = e.getValue();
            sb.append(e.getKey()).append(' ').append(v == Math.rint(v) && Math.abs(v) < 1e15
                    ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v));
        }
        return sb.toString();
    }
}
