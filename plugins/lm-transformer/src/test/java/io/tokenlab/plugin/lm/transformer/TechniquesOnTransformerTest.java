package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import io.tokenlab.plugin.decoder.awrs.AwrsDecoder;
import io.tokenlab.plugin.decoder.baseline.BaselineDecoder;
import io.tokenlab.plugin.decoder.goose.GooseDecoder;
import io.tokenlab.plugin.prune.critical.ContrastiveEstimation;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The model-based techniques run on the transformer by configuration ({@code model: transformer} plus
 * the transformer's own settings), each checked for the property that makes it right on any model.
 */
class TechniquesOnTransformerTest {
    private static List<String> run(io.tokenlab.api.pipeline.StageTechnique stage, Map<String, Object> own) {
        Map<String, Object> settings = TinyTrained.settings();
        settings.putAll(own);
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) stage.apply(List.of("The kernel", "Memory is"), Parameters.of(settings),
                TinyTrained.context());
        return out;
    }

    @Test
    void gooseReproducesTheTransformersGreedyDecodingExactly() {
        BaselineDecoder baseline = new BaselineDecoder();
        baseline.addModelProvider(TinyTrained.provider(), TinyTrained.properties());
        GooseDecoder goose = new GooseDecoder();
        goose.addModelProvider(TinyTrained.provider(), TinyTrained.properties());
        Map<String, Object> own = Map.of("max.tokens", 16);
        List<String> greedy = run(baseline, own);
        assertThat(greedy).hasSize(2);
        for (String tree : List.of("goose", "spine", "recycling", "balanced")) {
            Map<String, Object> withTree = new java.util.HashMap<>(own);
            withTree.put("tree", tree);
            assertThat(run(goose, withTree)).as(tree).isEqualTo(greedy);
        }
    }

    @Test
    void awrsOutputsMatchTheConstraintOnTheTransformer() {
        AwrsDecoder awrs = new AwrsDecoder();
        awrs.addModelProvider(TinyTrained.provider(), TinyTrained.properties());
        List<String> out = run(awrs, Map.of("constraint", "regex", "regex", "[A-Z][a-z]+( [a-z]+){1,3}\\.",
                "max.tokens", 24, "particles", 2));
        assertThat(out).hasSize(2);
        // the whole output is the constrained text (the prompt only conditions it)
        assertThat(out).allSatisfy(line -> assertThat(line).matches("[A-Z][a-z]+( [a-z]+){1,3}\\."));
        assertThat(out.get(0)).isNotEqualTo(out.get(1));
    }

    @Test
    void contrastiveEstimationOnTwoTransformersIsTheirRenormalisedRatio() {
        LanguageModel plus = TinyTrained.model();
        LanguageModel minus = TinyTrained.other();
        RunContext context = TinyTrained.context();
        Tokenizer gpt2 = context.technique(TokenizerTechnique.class, "tokenizer/bpe").orElseThrow()
                .open(Parameters.of(Map.of("vocabulary", "gpt2")), context);
        int[] sequence = gpt2.encode("The kernel maps the page into memory");
        ContrastiveEstimation.Result result = new ContrastiveEstimation(plus, minus).score(sequence);
        assertThat(result.scores()).hasSize(sequence.length);
        for (int t = 0; t < sequence.length; t++) {
            assertThat(Arrays.stream(result.distributions()[t]).sum()).isCloseTo(1.0, within(1e-9));
            int[] context0 = Arrays.copyOf(sequence, t);
            float[] p = plus.logProbabilities(context0);
            float[] m = minus.logProbabilities(context0);
            double norm = 0;
            for (int v = 0; v < p.length; v++) {
                norm += Math.exp(2.0 * p[v] - m[v]);
            }
            assertThat(result.scores()[t]).as("position %d", t)
                    .isCloseTo(Math.exp(2.0 * p[sequence[t]] - m[sequence[t]]) / norm, within(1e-9));
        }
        // the two transformers differ, so the contrast is not the positive model's own probability
        int t = sequence.length - 1;
        double own = Math.exp(plus.logProbabilities(Arrays.copyOf(sequence, t))[sequence[t]]);
        assertThat(Math.abs(result.scores()[t] - own)).isGreaterThan(1e-4);
    }
}
