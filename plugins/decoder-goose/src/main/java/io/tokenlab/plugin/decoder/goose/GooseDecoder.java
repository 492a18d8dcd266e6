package io.tokenlab.plugin.decoder.goose;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.decoder.DecoderTechnique;
import io.tokenlab.api.decoder.Generation;
import io.tokenlab.api.decoder.GenerationRequest;
import io.tokenlab.api.lm.LanguageModelProvider;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.plugin.decoder.common.DecoderStage;
import io.tokenlab.plugin.decoder.common.ModelProviders;
import io.tokenlab.plugin.decoder.common.Sampling;
import io.tokenlab.plugin.decoder.common.Vocabulary;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GOOSE: lossless speculative decoding with anisotropic speculation trees. Each step drafts a tree
 * (a spine of prompt-lookup matches, branches recycled from earlier verification rows) under a node
 * budget, verifies every node in one {@code scoreTree} call, and accepts the longest path on which
 * each token is the greedy choice, plus the model's own next token. The output is greedy
 * decoding's, token for token; what changes is the number of model calls.
 */
@Component(service = {DecoderTechnique.class, StageTechnique.class}, property = {
        "tokenlab.technique=decoder/goose",
        "tokenlab.description=GOOSE anisotropic speculation trees: a prompt-lookup spine with token-recycling branches "
                + "under a node budget, verified in one tree pass; output identical to greedy decoding."})
@Designate(ocd = GooseDecoder.Config.class)
public final class GooseDecoder implements DecoderTechnique, StageTechnique {

    @ObjectClassDefinition(name = "decoder/goose", description = "Greedy decoding accelerated by speculation trees.")
    public @interface Config {
        @AttributeDefinition(description = "Draft nodes verified per model call.", min = "1", max = "1024")
        int budget() default 32;

        @AttributeDefinition(description = "Recycled candidates kept per token (branch width).", min = "1", max = "64")
        int branch_width() default 8;

        @AttributeDefinition(description = "Longest suffix n-gram prompt lookup tries to match.", min = "1", max = "16")
        int lookup_ngram() default 3;

        @AttributeDefinition(description = "GOOSE: share of the budget that goes to the prompt-lookup spine first, "
                + "when it has a match; the rest is allocated best-first over both sources (the spine going on, "
                + "recycled branches off the root and every spine node). 0: all best-first; 1: the spine alone.",
                min = "0", max = "1")
        double spine_share() default 0.75;

        @AttributeDefinition(description = "Draft sources: goose, spine (prompt lookup only), recycling, balanced.")
        TreeShape tree() default TreeShape.goose;

        // the kind declares the stage parameters (DecoderStageParameters); these have their own description or default
        @AttributeDefinition(description = "Seed (greedy decoding ignores it; kept for the stage's common interface).")
        long seed() default 0;

        @AttributeDefinition(description = "Prompt used when the input has no lines.")
        String prompt() default "The scheduler";
    }

    private final ModelProviders providers = new ModelProviders();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addModelProvider(LanguageModelProvider provider, Map<String, Object> properties) {
        providers.add(provider, properties);
    }

    public void removeModelProvider(LanguageModelProvider provider, Map<String, Object> properties) {
        providers.remove(provider, properties);
    }

    @Override
    public Generation generate(GenerationRequest request, Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        int end = request.tokenizer() != null ? Vocabulary.of(request.tokenizer()).endToken() : -1;
        int budget = c.budget();
        int[] sequence = Arrays.copyOf(request.prompt(), request.prompt().length + request.maxTokens() + 1);
        int length = request.prompt().length;
        if (length == 0) {
            throw new IllegalArgumentException("GOOSE needs a non-empty prompt (the context its drafts extend)");
        }
        RecyclingTable table = new RecyclingTable(request.model().vocabularySize(), c.branch_width());
        SpeculationTreeBuilder.AcceptanceRates rates = new SpeculationTreeBuilder.AcceptanceRates(c.branch_width());
        int generated = 0;
        long calls = 0;
        long acceptedDraft = 0;
        long nodes = 0;
        boolean ended = false;
        while (generated < request.maxTokens() && !ended) {
            SpeculationTreeBuilder.Built built = SpeculationTreeBuilder.build(c.tree(), sequence, length, table, rates,
                    budget, c.branch_width(), c.lookup_ngram(), c.spine_share());
            float[][] rows = request.model().scoreTree(Arrays.copyOf(sequence, length), built.tree());
            calls++;
            nodes += built.tree().size();
            table.record(sequence[length - 1], rows[0]);
            for (int n = 0; n < built.tree().size(); n++) {
                table.record(built.tree().tokens()[n], rows[n + 1]);
            }
            int stepStart = length;
            int current = -1;
            float[] row = rows[0];
            while (generated < request.maxTokens()) {
                int choice = Sampling.argmax(row);
                if (choice == end) {
                    ended = true;
                    break;
                }
                List<Integer> children = current < 0 ? built.rootChildren() : built.children().get(current);
                int next = -1;
                for (int child : children) {
                    boolean hit = built.tree().tokens()[child] == choice;
                    rates.record(built.source()[child], built.rank()[child], built.besideSpine()[child], hit);
                    if (hit) {
                        next = child;
                    }
                }
                sequence[length++] = choice;
                generated++;
                if (next < 0) {
                    break; // the model's own token ends the step
                }
                acceptedDraft++;
                current = next;
                row = rows[next + 1];
            }
            rates.recordDraft(built.draft(), Arrays.copyOfRange(sequence, stepStart, length), length - stepStart);
        }
        Map<String, Double> stats = new HashMap<>();
        stats.put("model.calls", (double) calls);
        stats.put("accepted.per.step", calls == 0 ? 0.0 : acceptedDraft / (double) calls);
        stats.put("tokens.per.call", calls == 0 ? 0.0 : generated / (double) calls);
        stats.put("tree.nodes.per.step", calls == 0 ? 0.0 : nodes / (double) calls);
        stats.put("accepted.draft.tokens", (double) acceptedDraft);
        return new Generation(Arrays.copyOfRange(sequence, request.prompt().length, length), stats);
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
    public Object apply(Object input, Parameters parameters, RunContext context) {
        return DecoderStage.generate(input, parameters, context, providers, this, null);
    }
}
