package io.tokenlab.plugin.tokenizer.hat;

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
 * {@code tokenizer/hat}: each input line cut into HAT words, written with a visible separator
 * between them so that the words can be read (and, with a separator absent from the text, taken
 * apart again).
 */
@Component(service = StageTechnique.class, property = {
        Techniques.TECHNIQUE + "=tokenizer/hat",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=HAT word splitter (hierarchical byte/word models, arXiv 2501.10322): UAX #29 "
                + "word boundaries, punctuation, camelCase and space grouping; lossless"})
@Designate(ocd = HatSplitTechnique.Config.class)
public final class HatSplitTechnique implements StageTechnique {
    private final HatSplitter splitter = new HatSplitter();

    @ObjectClassDefinition(name = "tokenizer/hat", description = "Cuts each line into HAT words.")
    public @interface Config {
        @AttributeDefinition(description = "Written between words (U+2502 by default, rare in text).")
        String separator() default "\u2502";

        @AttributeDefinition(description = "Longest word in UTF-8 bytes; longer words are cut into chunks. "
                + "0 keeps words whole.", min = "0", max = "1000000")
        int max_bytes() default 0;
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
        List<String> out = new ArrayList<>();
        for (String line : (List<String>) input) {
            List<String> words = c.max_bytes() > 0 ? splitter.split(line, c.max_bytes()) : splitter.split(line);
            out.add(String.join(c.separator(), words));
        }
        return out;
    }
}
