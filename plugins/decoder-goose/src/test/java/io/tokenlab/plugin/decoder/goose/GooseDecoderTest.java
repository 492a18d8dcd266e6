package io.tokenlab.plugin.decoder.goose;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.decoder.DecoderTechnique;
import io.tokenlab.api.decoder.Generation;
import io.tokenlab.api.decoder.GenerationRequest;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.testkit.DecoderConformance;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.decoder.baseline.BaselineDecoder;
import io.tokenlab.plugin.decoder.common.DecoderStage;
import io.tokenlab.plugin.decoder.testing.DecoderFixtures;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GooseDecoderTest extends DecoderConformance {
    private static final Tokenizer GPT2 = DecoderFixtures.gpt2();
    private static final LanguageModel MODEL = DecoderFixtures.gpt2Model();

    @Override
    protected DecoderTechnique technique() {
        return new GooseDecoder();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("budget", 16));
    }

    @Override
    protected RunContext context() {
        return DecoderFixtures.context();
    }

    @Override
    protected GenerationRequest request(long seed) {
        return new GenerationRequest(MODEL, GPT2, GPT2.encode("The scheduler"), 24, seed, null);
    }

    private static int[] prompt(String text) {
        int[] ids = GPT2.encode(text);
        int[] out = new int[ids.length + 1];
        out[0] = 50256; // <|endoftext|> starts a document, as in training
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    @Test
    void everyTreeShapeReproducesGreedyDecodingExactly() {
        List<String> prompts = DecoderFixtures.prompts(16, 6);
        assertThat(prompts).hasSize(16);
        for (String p : prompts) {
            GenerationRequest request = new GenerationRequest(MODEL, GPT2, prompt(p), 32, 0, null);
            int[] greedy = new BaselineDecoder().generate(request, Parameters.empty(), context()).tokens();
            for (TreeShape shape : TreeShape.values()) {
                Generation g = new GooseDecoder().generate(request,
                        Parameters.of(Map.of("tree", shape.name(), "budget", 12)), context());
                assertThat(g.tokens()).as("%s on '%s'", shape, p).isEqualTo(greedy);
                assertThat(g.statistics().get("model.calls")).isLessThanOrEqualTo(greedy.length + 1.0);
            }
        }
    }

    @Test
    void gooseAcceptsAtLeastAsMuchPerStepAsEitherSourceAlone() {
        List<String> prompts = DecoderFixtures.prompts(12, 8);
        int[] budgets = {8, 24};
        StringBuilder table = new StringBuilder(String.format("%-10s", "budget"));
        for (TreeShape s : TreeShape.values()) {
            table.append(String.format("%12s", s));
        }
        table.append('\n');
        for (int budget : budgets) {
            Map<TreeShape, Double> accepted = new EnumMap<>(TreeShape.class);
            for (TreeShape shape : TreeShape.values()) {
                double draft = 0;
                double calls = 0;
                for (String p : prompts) {
                    Generation g = new GooseDecoder().generate(new GenerationRequest(MODEL, GPT2, prompt(p), 64, 0, null),
                            Parameters.of(Map.of("tree", shape.name(), "budget", budget)), context());
                    draft += g.statistics().get("accepted.draft.tokens");
                    calls += g.statistics().get("model.calls");
                }
                accepted.put(shape, draft / calls);
            }
            table.append(String.format("%-10d", budget));
            for (TreeShape s : TreeShape.values()) {
                table.append(String.format("%12.3f", accepted.get(s)));
            }
            table.append('\n');
            assertThat(accepted.get(TreeShape.goose)).as("budget %d: %s", budget, accepted)
                    .isGreaterThanOrEqualTo(Math.max(accepted.get(TreeShape.spine), accepted.get(TreeShape.recycling)));
        }
        System.out.println("mean accepted draft tokens per verification step (12 linux-doc prompts, 64 tokens each):\n"
                + table);
    }

    @Test
    void statisticsDescribeTheRun() {
        Generation g = new GooseDecoder().generate(new GenerationRequest(MODEL, GPT2, prompt("The device tree"), 64, 0, null),
                Parameters.empty(), context());
        assertThat(g.statistics()).containsKeys("model.calls", "accepted.per.step", "tokens.per.call");
        assertThat(g.statistics().get("tokens.per.call")).isGreaterThan(1.0);
        System.out.println("GOOSE on 'The device tree': " + DecoderStage.describe(g.statistics()));
    }
}
