package org.example.codepoints;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One token per Unicode code point, the input CANINE (Clark et al., 2022) reads without a vocabulary.
 * The service property {@code tokenlab.technique} is the name pipelines use.
 */
@Component(property = {
        "tokenlab.technique=tokenizer/codepoints",
        "tokenlab.description=One token per Unicode code point, the vocabulary-free input of CANINE (Clark et al. 2022)."})
@Designate(ocd = CodePointTechnique.Config.class)
public final class CodePointTechnique implements TokenizerTechnique {

    /** The parameters pipeline files may set; tokenlab validates them before a run. */
    @ObjectClassDefinition(name = "tokenizer/codepoints")
    public @interface Config {
        @AttributeDefinition(description = "Fold to lower case before encoding (then decoding is not exact).")
        boolean lowercase() default false;
    }

    @Override
    public Tokenizer open(Parameters parameters, RunContext context) {
        return new CodePointTokenizer(parameters.as(Config.class).lowercase());
    }
}
