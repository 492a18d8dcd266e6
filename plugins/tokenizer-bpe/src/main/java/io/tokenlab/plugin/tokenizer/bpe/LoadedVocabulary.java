package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.util.Set;

/**
 * A vocabulary file loaded once and shared by every tokenizer opened on it: byte-level BPE
 * ({@link BpeVocabulary}) or a Hugging Face text pipeline with a WordPiece, Unigram or WordLevel
 * model ({@link TextPipeline}).
 */
interface LoadedVocabulary {
    /** Tokens matched before the text path runs (special and added tokens). */
    AddedTokens addedTokens();

    /**
     * A tokenizer on this vocabulary.
     *
     * @param addSpecialTokens whether encoding adds the post-processor's tokens (BERT's [CLS]/[SEP],
     *                         T5's {@code </s>}); vocabularies without a post-processor ignore it
     */
    Tokenizer open(Set<String> allowedSpecial, boolean addSpecialTokens);
}
