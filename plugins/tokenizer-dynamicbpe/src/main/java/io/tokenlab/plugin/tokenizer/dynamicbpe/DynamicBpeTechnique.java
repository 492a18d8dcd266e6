package io.tokenlab.plugin.tokenizer.dynamicbpe;

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

import java.util.ArrayList;
import java.util.List;

/**
 * {@code tokenizer/dynamic-bpe}: the input lines, taken {@code batch.size} at a time, tokenized by
 * dynamic BPE; each line is written as its tokens with a visible separator between them, since
 * the ids mean something only within their batch.
 */
@Component(service = StageTechnique.class, property = {
        Techniques.TECHNIQUE + "=tokenizer/dynamic-bpe",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=Dynamic batch-level BPE (arXiv 2411.18553): merges the batch's most frequent "
                + "adjacent pairs without crossing word boundaries; writes each line's tokens"})
@Designate(ocd = DynamicBpeTechnique.Config.class)
public final class DynamicBpeTechnique implements StageTechnique {

    @ObjectClassDefinition(name = "tokenizer/dynamic-bpe", description = "Batch-level BPE over the input lines.")
    public @interface Config {
        @AttributeDefinition(description = "Merges per batch.", min = "0", max = "10000000")
        int merges() default 1000;

        @AttributeDefinition(description = "Lines per batch.", min = "1", max = "10000000")
        int batch_size() default 64;

        @AttributeDefinition(description = "Written between tokens (U+2502 by default, rare in text).")
        String separator() default "\u2502";
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
        List<String> lines = (List<String>) input;
        List<String> out = new ArrayList<>(lines.size());
        for (int from = 0; from < lines.size(); from += c.batch_size()) {
            List<String> batch = lines.subList(from, Math.min(lines.size(), from + c.batch_size()));
            DynamicBpe.Batch encoded = DynamicBpe.encode(batch, c.merges());
            for (int i = 0; i < batch.size(); i++) {
                out.add(String.join(c.separator(), encoded.tokens(i)));
            }
        }
        return out;
    }
}
