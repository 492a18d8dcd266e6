package io.tokenlab.plugin.decoder.baseline;

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
import io.tokenlab.plugin.decoder.common.Vocabulary;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Token-by-token decoding: greedy (temperature 0), or sampling at a temperature from the top-k
 * tokens and the top-p nucleus (Holtzman et al. 2020, "The curious case of neural text
 * degeneration"), repeatable for a seed. One model call per token: the yardstick for GOOSE.
 */
@Component(service = {DecoderTechnique.class, StageTechnique.class}, property = {
        "tokenlab.technique=decoder/baseline",
        "tokenlab.description=Greedy, temperature, top-k and top-p (nucleus, Holtzman et al. 2020) decoding with a seed; "
                + "the reference other decoders are measured against."})
@Designate(ocd = BaselineDecoder.Config.class)
public final class BaselineDecoder implements DecoderTechnique, StageTechnique {

    @ObjectClassDefinition(name = "decoder/baseline", description = "Greedy or sampled decoding, one model call per token.")
    public @interface Config {
        @AttributeDefinition(description = "Softmax temperature; 0 decodes greedily.", min = "0")
        double temperature() default 0.0;

        @AttributeDefinition(description = "Sample only among the k most likely tokens; 0 keeps all.", min = "0")
        int top_k() default 0;

        @AttributeDefinition(description = "Sample only from the smallest set of tokens whose probability reaches p.",
                min = "0", max = "1")
        double top_p() default 1.0;

        @AttributeDefinition(description = "Stop at the vocabulary's end-of-text token.")
        boolean stop_at_end() default true;

        // the kind declares the stage parameters (DecoderStageParameters); this one has its own default
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
        int end = c.stop_at_end() && request.tokenizer() != null ? Vocabulary.of(request.tokenizer()).endToken() : -1;
        SplittableRandom random = new SplittableRandom(request.seed());
        int[] sequence = Arrays.copyOf(request.prompt(), request.prompt().length + request.maxTokens());
        int length = request.prompt().length;
        int generated = 0;
        while (generated < request.maxTokens()) {
            float[] row = request.model().logProbabilities(Arrays.copyOf(sequence, length));
            int token = TokenChoice.choose(row, c.temperature(), c.top_k(), c.top_p(), random);
            if (token == end) {
                break;
            }
            sequence[length++] = token;
            generated++;
        }
        int[] out = Arrays.copyOfRange(sequence, request.prompt().length, length);
        return new Generation(out, Map.of("model.calls", (double) (generated + (generated < request.maxTokens() ? 1 : 0)),
                "tokens", (double) out.length));
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
