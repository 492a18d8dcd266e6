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

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tokenizer/canonicality}: per input line, the canonical token count, how many segmentations
 * of the line the vocabulary allows, and the artifact types of the first few non-canonical ones.
 */
@Component(service = StageTechnique.class, property = {
        Techniques.TECHNIQUE + "=tokenizer/canonicality",
        Techniques.FILE_PARAMETERS + "=vocabulary",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=Canonicality checker (\"Say Anything but This\", arXiv 2601.14658): counts the "
                + "alternative segmentations of each line and classifies non-canonical ones by artifact type"})
@Designate(ocd = CanonicalityTechnique.Config.class)
public final class CanonicalityTechnique implements StageTechnique {

    @ObjectClassDefinition(name = "tokenizer/canonicality", description = "Canonicality report per input line.")
    public @interface Config {
        @AttributeDefinition(description = "The tokenizer technique to check.")
        String tokenizer() default "tokenizer/bpe";

        @AttributeDefinition(description = "Its vocabulary parameter.")
        String vocabulary() default "cl100k_base";

        @AttributeDefinition(description = "Non-canonical segmentations classified per line.", min = "0", max = "10000")
        int alternatives() default 20;
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
        Canonicality checker = new Canonicality(Tokenizers.open(context, c.tokenizer(), c.vocabulary()));
        List<String> out = new ArrayList<>();
        out.add("line\ttokens\tsegmentations\tartifacts of the first non-canonical ones");
        int n = 0;
        for (String line : (List<String>) input) {
            n++;
            Map<Canonicality.Artifact, Integer> kinds = new EnumMap<>(Canonicality.Artifact.class);
            int tokens = checker.tokenCount(line);
            for (int[] alternative : checker.enumerate(line, c.alternatives() + 1)) {
                if (!checker.isCanonical(alternative)) {
                    kinds.merge(checker.classify(alternative), 1, Integer::sum);
                }
            }
            out.add(n + "\t" + tokens + "\t" + checker.segmentations(line) + "\t" + kinds);
        }
        return out;
    }
}
