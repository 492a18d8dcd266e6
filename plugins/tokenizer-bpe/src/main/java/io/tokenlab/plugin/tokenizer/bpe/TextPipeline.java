package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.util.Set;

/**
 * A Hugging Face text pipeline with a non-BPE model, loaded once and shared: added tokens,
 * normalizer, pre-tokenizer, model (WordPiece, Unigram, WordLevel), the post-processor's special
 * tokens and the decoder.
 *
 * @param source     the file it came from, for messages
 * @param addedTokens      tokens matched in the raw text (Hugging Face's normalized=false)
 * @param normalizedTokens tokens matched in the normalized text, by their normalized form
 * @param normalizer null when the text is used as is
 * @param prefixIds  ids the post-processor puts before the text ([CLS])
 * @param suffixIds  ids it puts after ([SEP], {@code </s>})
 * @param tokens     id to token string, for decoding
 */
record TextPipeline(String source, AddedTokens addedTokens, AddedTokens normalizedTokens, Normalizer normalizer,
                    PieceSplitter splitter,
                    SubwordModel model, int[] prefixIds, int[] suffixIds, TokenDecoder decoder, String[] tokens)
        implements LoadedVocabulary {
    @Override
    public Tokenizer open(Set<String> allowedSpecial, boolean addSpecialTokens) {
        return new PipelineTokenizer(this, allowedSpecial, addSpecialTokens);
    }
}
