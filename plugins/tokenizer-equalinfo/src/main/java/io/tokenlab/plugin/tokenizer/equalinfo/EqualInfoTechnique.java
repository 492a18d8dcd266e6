package io.tokenlab.plugin.tokenizer.equalinfo;

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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tokenizer/equal-info}: each input line as Equal-Info Window tokens. The byte model is
 * trained when the stage runs, on the first bytes of a catalog data set; the same parameters give
 * the same model, which {@code tokenizer/equal-info-decode} uses to read the tokens back.
 */
@Component(service = StageTechnique.class, property = {
        Techniques.TECHNIQUE + "=tokenizer/equal-info",
        Techniques.FILE_PARAMETERS + "=corpus",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=token-ids",
        Techniques.DESCRIPTION + "=Equal-Info Windows (arXiv 2404.03626): arithmetic coding with a byte n-gram "
                + "model, windows of b bits each, N-bit tokens; lossless"})
@Designate(ocd = EqualInfoTechnique.Config.class)
public final class EqualInfoTechnique implements StageTechnique {

    @ObjectClassDefinition(name = "tokenizer/equal-info", description = "Equal-Info Window tokens per line.")
    public @interface Config {
        @AttributeDefinition(description = "Bits per window (b); a multiple of token.bits.", min = "12", max = "4096")
        int window_bits() default 32;

        @AttributeDefinition(description = "Bits per token (N): the vocabulary is 2^N.", min = "1", max = "30")
        int token_bits() default 16;

        @AttributeDefinition(description = "Bits of the end-of-window symbol (its probability is 2^-end.bits).",
                min = "1", max = "16")
        int end_bits() default 3;

        @AttributeDefinition(description = "Longest context of the byte n-gram model, in bytes.", min = "0", max = "7")
        int order() default 3;

        @AttributeDefinition(description = "Weight of the shorter context in each order's estimate.", min = "0.001")
        double prior() default 1.0;

        @AttributeDefinition(description = "Catalog data set the model is trained on.")
        String corpus() default "python-doc";

        @AttributeDefinition(description = "Bytes of the corpus used for training.", min = "1", max = "2000000000")
        long corpus_bytes() default 2_000_000;
    }

    @Override
    public PortType input() {
        return PortType.TEXT;
    }

    @Override
    public PortType output() {
        return PortType.TOKEN_IDS;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object input, Parameters parameters, RunContext context) {
        EqualInfoCoder coder = EqualInfoModels.coder(parameters.as(Config.class), context);
        List<int[]> out = new ArrayList<>();
        for (String line : (List<String>) input) {
            out.add(coder.encode(line.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
