package io.tokenlab.plugin.tokenizer.bpe;

import java.util.Map;

/**
 * WordPiece (Schuster and Nakajima 2012; BERT, Devlin et al. 2019) as Hugging Face encodes it:
 * greedy longest-match-first from the start of the word, continuations looked up with their
 * {@code ##} prefix; a word with a part that matches nothing, or longer than
 * {@code max_input_chars_per_word} characters, is one unknown token.
 */
final class WordPieceModel implements SubwordModel {
    private final CharTrie initial;
    private final CharTrie continuing;
    private final int unknownId;
    private final int maxChars;

    /**
     * @param vocab    token to id, continuation tokens with their prefix
     * @param prefix   the continuation prefix ({@code ##})
     */
    WordPieceModel(Map<String, Integer> vocab, String prefix, int unknownId, int maxChars) {
        initial = new CharTrie(vocab.size() * 2);
        continuing = new CharTrie(vocab.size());
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String token = e.getKey();
            initial.put(token, e.getValue());
            if (!prefix.isEmpty() && token.startsWith(prefix) && token.length() > prefix.length()) {
                continuing.put(token.substring(prefix.length()), e.getValue());
            } else if (prefix.isEmpty()) {
                continuing.put(token, e.getValue());
            }
        }
        this.unknownId = unknownId;
        this.maxChars = maxChars;
    }

    @Override
    public void encode(String word, IntList ids, IntList starts, IntList ends) {
        int n = word.length();
        if (word.codePointCount(0, n) > maxChars) {
            unknown(n, ids, starts, ends);
            return;
        }
        int before = ids.size;
        int spansBefore = starts == null ? 0 : starts.size;
        int start = 0;
        while (start < n) {
            CharTrie trie = start == 0 ? initial : continuing;
            long match = trie.longestMatch(word, start, n);
            if (match < 0) {
                ids.size = before;
                if (starts != null) {
                    starts.size = spansBefore;
                    ends.size = spansBefore;
                }
                unknown(n, ids, starts, ends);
                return;
            }
            int end = (int) (match >>> 32);
            ids.add((int) match);
            if (starts != null) {
                starts.add(start);
                ends.add(end);
            }
            start = end;
        }
    }

    private void unknown(int n, IntList ids, IntList starts, IntList ends) {
        if (unknownId < 0) {
            throw new io.tokenlab.api.TechniqueException("WordPiece: a word has no tokens and the vocabulary has no unk_token");
        }
        ids.add(unknownId);
        if (starts != null) {
            starts.add(0);
            ends.add(n);
        }
    }
}
