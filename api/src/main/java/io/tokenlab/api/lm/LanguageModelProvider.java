package io.tokenlab.api.lm;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;

/**
 * A service that opens or trains language models; property {@code tokenlab.model=<name>} names it
 * (the embedded default is {@code ngram}).
 */
public interface LanguageModelProvider {
    String MODEL = "tokenlab.model";

    LanguageModel open(Parameters parameters, RunContext context);
}
