package io.tokenlab.api.transplant;

import io.tokenlab.api.Parameter;

/**
 * The parameters every transplant stage takes, declared once for the kind: the old vocabulary the
 * input table is for and the new vocabulary the output table is for. The runtime checks and lists
 * them for each {@code transplant/*} technique beside its own metatype (resolving file names as it
 * does for any file parameter), so a technique's {@code Config} holds only its own parameters; a
 * technique may still declare one to give it another default or description, and its declaration wins.
 */
public @interface TransplantStageParameters {
    @Parameter(description = "Old vocabulary of the input table (tokenizer/bpe name or file).", file = true)
    String source_vocabulary() default "gpt2";

    @Parameter(description = "New vocabulary the output table is for (tokenizer/bpe name or file).", file = true)
    String target_vocabulary() default "cl100k_base";
}
