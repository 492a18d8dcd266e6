package io.tokenlab.plugin.tokenizer.analysis;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortOverrides;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.List;

/** {@code tokenizer/metrics}: a report of the measures of one tokenizer on the input text. */
@Component(service = StageTechnique.class, property = {
        Techniques.TECHNIQUE + "=tokenizer/metrics",
        Techniques.FILE_PARAMETERS + "=vocabulary",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=Tokenizer metrics (information-theoretic view of tokenizers, arXiv 2601.09039; "
                + "Zouhar et al. 2023): bytes/token, tokens/char, H1, H_k for k=1..5, H1/log2 V, Renyi efficiency (alpha=2)"})
@Designate(ocd = MetricsTechnique.Config.class)
public final class MetricsTechnique implements StageTechnique {

    @ObjectClassDefinition(name = "tokenizer/metrics", description = "Metrics of a tokenizer on the input text.")
    public @interface Config {
        @AttributeDefinition(description = "The tokenizer technique to measure.")
        String tokenizer() default "tokenizer/bpe";

        @AttributeDefinition(description = "Its vocabulary parameter: a name such as cl100k_base or a tokenizer.json file.")
        String vocabulary() default "cl100k_base";
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
        Config c = parameters.as(Config.class);
        TokenizerMetrics m = TokenizerMetrics.of(Tokenizers.open(context, c.tokenizer(), c.vocabulary()), (List<String>) input);
        context.note(String.format("%s: %.3f bytes/token, efficiency %.3f", c.vocabulary(), m.bytesPerToken(), m.efficiency()));
        return m.report();
    }
}
