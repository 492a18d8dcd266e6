package io.tokenlab.plugin.tokenizer.bpe;

import java.util.Map;

/** Hugging Face's WordLevel model: each pre-tokenized piece is one token, or the unknown token. */
final class WordLevelModel implements SubwordModel {
    private final Map<String, Integer> vocab;
    private final int unknownId;

    WordLevelModel(Map<String, Integer> vocab, int unknownId) {
        this.vocab = vocab;
        this.unknownId = unknownId;
    }

    @Override
    public void encode(String piece, IntList ids, IntList starts, IntList ends) {
        Integer id = vocab.get(piece);
        if (id == null) {
            if (unknownId < 0) {
                throw new io.tokenlab.api.TechniqueException("WordLevel: '" + piece + "' is not in the vocabulary "
                        + "and the vocabulary has no unk_token");
            }
            id = unknownId;
        }
        ids.add(id);
        if (starts != null) {
            starts.add(0);
            ends.add(piece.length());
        }
    }
}
