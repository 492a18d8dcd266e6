package io.tokenlab.plugin.decoder.bytes;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.decoder.DecoderStageParameters;
import io.tokenlab.api.decoder.DecoderTechnique;
import io.tokenlab.api.decoder.Generation;
import io.tokenlab.api.decoder.GenerationRequest;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.lm.LanguageModelProvider;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.decoder.common.DecoderStage;
import io.tokenlab.plugin.decoder.common.ModelProviders;
import io.tokenlab.plugin.decoder.common.Vocabulary;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Byte-level generation from a token model: prompts may end anywhere, even inside a token or a
 * UTF-8 character, and each next byte is sampled from its exact probability under the model
 * ({@link ByteLevelModel}). Token healing and the naive continuation are there to compare with.
 */
@Component(service = {DecoderTechnique.class, StageTechnique.class}, property = {
        "tokenlab.technique=decoder/bytes",
        "tokenlab.description=Exact byte-level probabilities from a token model via cover encodings (Phan et al. 2024): "
                + "next-byte sampling, prompts that end mid-token, token healing for comparison."})
@Designate(ocd = BytesDecoder.Config.class)
public final class BytesDecoder implements DecoderTechnique, StageTechnique {

    @ObjectClassDefinition(name = "decoder/bytes", description = "Next-byte sampling from exact byte-level probabilities.")
    public @interface Config {
        @AttributeDefinition(description = "How the prompt's end is read: exact, healing or naive.")
        PromptMode prompt_mode() default PromptMode.exact;

        @AttributeDefinition(description = "Byte sampling temperature; 0 picks the most likely byte.", min = "0")
        double temperature() default 1.0;

        @AttributeDefinition(description = "Bytes to generate at most per prompt.", min = "1", max = "100000")
        int max_bytes() default 200;

        @AttributeDefinition(description = "Cover hypotheses agreeing on their last this-many tokens are merged "
                + "(exact for an n-gram model of order window+1); 0 never merges.", min = "0")
        int merge_window() default 3;

        @AttributeDefinition(description = "Most cover hypotheses kept (the lightest are dropped beyond it).", min = "1")
        int beam() default 256;

        // the kind declares the stage parameters (DecoderStageParameters); these have their own description or default
        @AttributeDefinition(description = "Tokens to return at most (API use; the stage stops at max.bytes).",
                min = "1", max = "100000")
        int max_tokens() default 64;

        @AttributeDefinition(description = "Prompt used when the input has no lines.")
        String prompt() default "The kernel sched";
    }

    private final ModelProviders providers = new ModelProviders();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addModelProvider(LanguageModelProvider provider, Map<String, Object> properties) {
        providers.add(provider, properties);
    }

    public void removeModelProvider(LanguageModelProvider provider, Map<String, Object> properties) {
        providers.remove(provider, properties);
    }

    /** A prompt split where the byte-level reading starts: fixed tokens, then the bytes of its last word. */
    record SplitPrompt(int[] context, byte[] tail, int[] tailTokens) {
    }

    /**
     * Splits at the last whitespace (as the paper's implementation does): byte-level BPE never merges
     * across it, so the tokens before it are the same in every likely encoding, and only the last
     * word needs the cover.
     */
    static SplitPrompt split(Tokenizer tokenizer, int[] baseContext, String text) {
        int cut = text.length();
        while (cut > 0 && !Character.isWhitespace(text.charAt(cut - 1))) {
            cut--;
        }
        // the whitespace belongs to the next token in GPT-2-style vocabularies (" word")
        while (cut > 0 && Character.isWhitespace(text.charAt(cut - 1))) {
            cut--;
        }
        int[] head = tokenizer.encode(text.substring(0, cut));
        int[] context = Arrays.copyOf(baseContext, baseContext.length + head.length);
        System.arraycopy(head, 0, context, baseContext.length, head.length);
        String last = text.substring(cut);
        return new SplitPrompt(context, last.getBytes(StandardCharsets.UTF_8), tokenizer.encode(last));
    }

    static ByteLevelModel.State startState(ByteLevelModel bytes, SplitPrompt p, PromptMode mode, Tokenizer tokenizer) {
        switch (mode) {
            case naive: {
                int[] all = Arrays.copyOf(p.context(), p.context().length + p.tailTokens().length);
                System.arraycopy(p.tailTokens(), 0, all, p.context().length, p.tailTokens().length);
                return bytes.start(all);
            }
            case healing: {
                if (p.tailTokens().length == 0) {
                    return bytes.start(p.context());
                }
                int keep = p.tailTokens().length - 1;
                int[] all = Arrays.copyOf(p.context(), p.context().length + keep);
                System.arraycopy(p.tailTokens(), 0, all, p.context().length, keep);
                return bytes.healed(all, tokenizer.decodeBytes(new int[] {p.tailTokens()[keep]}));
            }
            default:
                return bytes.exact(p.context(), p.tail());
        }
    }

    /** Samples bytes until the end of text or the limit; returns them with the statistics. */
    static byte[] sampleBytes(ByteLevelModel.State state, int maxBytes, double temperature, SplittableRandom random,
                              Map<String, Double> stats) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        double logProbability = 0;
        int maxHypotheses = state.hypothesisCount();
        while (out.size() < maxBytes) {
            double[] p = state.nextByte();
            int b = choose(p, temperature, random);
            logProbability += Math.log(p[b]);
            if (b == 256) {
                break;
            }
            out.write(b);
            state = state.advance(b);
            maxHypotheses = Math.max(maxHypotheses, state.hypothesisCount());
        }
        stats.put("bytes", (double) out.size());
        stats.put("log.probability", logProbability);
        stats.put("hypotheses.max", (double) maxHypotheses);
        stats.put("dropped.weight", state.droppedMass);
        return out.toByteArray();
    }

    private static int choose(double[] p, double temperature, SplittableRandom random) {
        if (temperature <= 0) {
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            return best;
        }
        double[] w = new double[p.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            w[i] = p[i] <= 0 ? 0 : Math.exp(Math.log(p[i]) / temperature);
            total += w[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            u -= w[i];
            if (u < 0 && w[i] > 0) {
                return i;
            }
        }
        return 256;
    }

    @Override
    public Generation generate(GenerationRequest request, Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        Tokenizer tokenizer = request.tokenizer();
        Vocabulary vocabulary = Vocabulary.of(tokenizer);
        // the prompt's leading end-of-text token (a document start) stays a token; the rest is text
        int lead = request.prompt().length > 0 && request.prompt()[0] == vocabulary.endToken() ? 1 : 0;
        int[] base = Arrays.copyOf(request.prompt(), lead);
        String text = tokenizer.decode(Arrays.copyOfRange(request.prompt(), lead, request.prompt().length));
        ByteLevelModel bytes = new ByteLevelModel(request.model(), vocabulary, c.merge_window(), c.beam());
        SplitPrompt split = split(tokenizer, base, text);
        Map<String, Double> stats = new HashMap<>();
        byte[] generated = sampleBytes(startState(bytes, split, c.prompt_mode(), tokenizer),
                c.max_bytes(), c.temperature(), new SplittableRandom(request.seed()), stats);
        int[] ids = tokenizer.encode(new String(generated, StandardCharsets.UTF_8));
        return new Generation(Arrays.copyOf(ids, Math.min(ids.length, request.maxTokens())), stats);
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
        Config c = parameters.as(Config.class);
        long seed = parameters.as(DecoderStageParameters.class).seed();
        return DecoderStage.run(input, parameters, context, providers, (prompt, index, opened) -> {
            LanguageModel model = opened.model();
            int end = opened.vocabulary().endToken();
            int[] base = end >= 0 ? new int[] {end} : new int[0];
            ByteLevelModel bytes = new ByteLevelModel(model, opened.vocabulary(), c.merge_window(), c.beam());
            SplitPrompt split = split(opened.tokenizer(), base, prompt);
            Map<String, Double> stats = new HashMap<>();
            byte[] generated = sampleBytes(startState(bytes, split, c.prompt_mode(), opened.tokenizer()), c.max_bytes(),
                    c.temperature(), new SplittableRandom(seed + index), stats);
            context.note("prompt " + (index + 1) + ": " + DecoderStage.describe(stats));
            return DecoderStage.line(prompt, new String(generated, StandardCharsets.UTF_8), true);
        });
    }
}
