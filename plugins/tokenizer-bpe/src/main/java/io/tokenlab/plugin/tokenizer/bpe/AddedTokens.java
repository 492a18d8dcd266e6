package io.tokenlab.plugin.tokenizer.bpe;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tokens matched in the raw text before anything else: special tokens (subject to the caller's
 * allowed set) and Hugging Face's non-special added tokens (always matched). Matching is
 * leftmost-longest through a character trie; a bitmap of first characters keeps the scan over
 * ordinary text to one array read per character.
 */
final class AddedTokens {
    private static final class Node {
        final Map<Character, Node> children = new HashMap<>();
        String token;
    }

    private final Node root = new Node();
    private final long[] firstChars = new long[1024];
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final Map<String, Boolean> special = new LinkedHashMap<>();
    /** Hugging Face's matching options per token: bit 0 lstrip, bit 1 rstrip, bit 2 single_word. */
    private final Map<String, Integer> options = new HashMap<>();

    static final int LSTRIP = 1;
    static final int RSTRIP = 2;
    static final int SINGLE_WORD = 4;

    /** Adds a token with Hugging Face's lstrip/rstrip/single_word options (a bit set of the constants above). */
    void add(String text, int id, boolean isSpecial, int matchOptions) {
        add(text, id, isSpecial);
        if (matchOptions != 0 && !text.isEmpty()) {
            options.put(text, matchOptions);
        }
    }

    /** The lstrip/rstrip/single_word bits of a token, 0 when none. */
    int options(String token) {
        return options.isEmpty() ? 0 : options.getOrDefault(token, 0);
    }

    void add(String text, int id, boolean isSpecial) {
        if (text.isEmpty()) {
            return;
        }
        ids.put(text, id);
        special.put(text, isSpecial);
        Node n = root;
        for (int i = 0; i < text.length(); i++) {
            n = n.children.computeIfAbsent(text.charAt(i), k -> new Node());
        }
        n.token = text;
        char first = text.charAt(0);
        firstChars[first >>> 6] |= 1L << first;
    }

    boolean isEmpty() {
        return ids.isEmpty();
    }

    Map<String, Integer> ids() {
        return ids;
    }

    boolean isSpecial(String token) {
        return special.getOrDefault(token, false);
    }

    int idOf(String token) {
        return ids.get(token);
    }

    /** The longest added token starting at {@code i}, or null. */
    String matchAt(String text, int i, int end) {
        char first = text.charAt(i);
        if ((firstChars[first >>> 6] & (1L << first)) == 0) {
            return null;
        }
        Node n = root;
        String longest = null;
        for (int j = i; j < end; j++) {
            n = n.children.get(text.charAt(j));
            if (n == null) {
                break;
            }
            if (n.token != null) {
                longest = n.token;
            }
        }
        return longest;
    }

    boolean mayStartAt(char c) {
        return (firstChars[c >>> 6] & (1L << c)) != 0;
    }
}
