package io.tokenlab.plugin.tokenizer.bpe;

/**
 * Everything one vocabulary file defines, loaded once and shared (immutable) by every tokenizer
 * opened on it: the text path normalizer, pre-tokenizer, BPE model, added tokens and decoding.
 *
 * @param source             the file it came from, for messages
 * @param normalizer         null when the text is used as is
 * @param decodeBytes        id to the bytes that id stands for in decoded output
 * @param stripLeadingSpaces spaces a SentencePiece decoder removes from the start (the dummy prefix)
 */
record BpeVocabulary(String source, Normalizer normalizer, PreTokenizer preTokenizer, BpeModel model,
                     AddedTokens addedTokens, TokenBytesTable decodeBytes, int vocabularySize,
                     int stripLeadingSpaces) implements LoadedVocabulary {
    @Override
    public io.tokenlab.api.tokenizer.Tokenizer open(java.util.Set<String> allowedSpecial, boolean addSpecialTokens) {
        return new BpeTokenizer(this, allowedSpecial);
    }
}
