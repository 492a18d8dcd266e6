package io.tokenlab.api.decoder;

import io.tokenlab.api.Parameter;

/**
 * The parameters every decoder stage takes, declared once for the kind: the runtime checks and lists
 * them for each {@code decoder/*} technique beside its own metatype, so a technique's {@code Config}
 * holds only its own parameters (it may still declare one of these to give it another default or
 * description; its declaration wins). Read them with {@code parameters.as(DecoderStageParameters.class)}.
 * The model's own settings (an n-gram order, a corpus...) belong to the model provider's metatype.
 */
public @interface DecoderStageParameters {
    @Parameter(description = "Tokens to generate per prompt.", min = "1", max = "100000")
    int max_tokens() default 64;

    @Parameter(description = "Random seed (prompt i uses seed + i).")
    long seed() default 0;

    @Parameter(description = "Prompt used when the input has no lines.")
    String prompt() default "";

    @Parameter(description = "Tokenizer technique whose ids the model speaks.")
    String tokenizer() default "tokenizer/bpe";

    @Parameter(description = "Vocabulary of that tokenizer.", file = true)
    String vocabulary() default "gpt2";

    @Parameter(description = "Language model provider (tokenlab.model), e.g. ngram.")
    String model() default "ngram";
}
