package io.tokenlab.api.decoder;

import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.tokenizer.Tokenizer;

/**
 * One generation: the model, the tokenizer whose ids it speaks (for byte-level work and
 * constraints), the prompt ids, a length limit, a seed, and an optional constraint (null for none).
 */
public record GenerationRequest(LanguageModel model, Tokenizer tokenizer, int[] prompt, int maxTokens, long seed,
                                ByteConstraint constraint) {
}
