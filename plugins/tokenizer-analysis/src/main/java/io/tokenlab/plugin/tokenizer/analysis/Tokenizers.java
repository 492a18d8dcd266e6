package io.tokenlab.plugin.tokenizer.analysis;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;

import java.util.Map;

/** Opens the tokenizer an analysis measures, through another technique of the run. */
final class Tokenizers {
    private Tokenizers() {
    }

    /** {@code vocabulary} is what the technique's own parameter takes (a name or a file). */
    static Tokenizer open(RunContext context, String technique, String vocabulary) {
        TokenizerTechnique t = context.technique(TokenizerTechnique.class, technique)
                .orElseThrow(() -> new TechniqueException("technique " + technique + " is not available; the analysis "
                        + "needs it to open vocabulary '" + vocabulary + "'"));
        return t.open(Parameters.of(Map.of("vocabulary", vocabulary)), context);
    }
}
