package io.tokenlab.plugin.tokenizer.bpe;

/** The model of a text pipeline: one pre-tokenized piece to token ids (WordPiece, Unigram, WordLevel). */
interface SubwordModel {
    /**
     * Appends the ids of {@code piece} and, when {@code starts} is not null, each token's character
     * span {@code [start, end)} within the piece.
     */
    void encode(String piece, IntList ids, IntList starts, IntList ends);
}
