package io.tokenlab.plugin.tokenizer.bpe;

/**
 * Splits text into the pieces BPE merges within (merges never cross a piece boundary).
 * Implementations are stateless or thread-confined per call, and linear in the text length.
 */
interface PreTokenizer {
    /** Appends the end index of every piece of {@code text[start, end)}, in order; the last is {@code end}. */
    void split(String text, int start, int end, IntList pieceEnds);

    /** No splitting: the whole span is one piece (SentencePiece-style models). */
    PreTokenizer WHOLE = (text, start, end, pieceEnds) -> {
        if (end > start) {
            pieceEnds.add(end);
        }
    };
}
