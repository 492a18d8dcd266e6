package io.tokenlab.plugin.decoder.common;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * What decoders need to know about a tokenizer's ids beyond encode/decode: the end-of-text token,
 * the special ids, and every token's bytes (cached per tokenizer: constraint checks and byte-level
 * probabilities look them up millions of times).
 */
public final class Vocabulary {
    private static final List<String> END_TOKENS = List.of("<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>", "<|im_end|>");
    private static final Map<Tokenizer, Vocabulary> CACHE = new WeakHashMap<>();

    private final int size;
    private final int endToken;
    private final boolean[] special;
    private final byte[][] bytes;

    private Vocabulary(Tokenizer tokenizer) {
        this.size = tokenizer.vocabularySize();
        this.special = new boolean[size];
        int end = -1;
        Set<String> specials = tokenizer.specialTokens();
        for (String name : specials) {
            try {
                int[] ids = tokenizer.encode(name, Set.of(name));
                if (ids.length == 1 && ids[0] < size) {
                    special[ids[0]] = true;
                }
            } catch (RuntimeException ignored) {
                // a special the tokenizer lists but cannot encode alone is simply not marked
            }
        }
        for (String name : END_TOKENS) {
            if (specials.contains(name)) {
                int[] ids = tokenizer.encode(name, Set.of(name));
                if (ids.length == 1) {
                    end = ids[0];
                    break;
                }
            }
        }
        this.endToken = end;
        this.bytes = new byte[size][];
        for (int id = 0; id < size; id++) {
            bytes[id] = tokenizer.tokenBytes(id);
        }
    }

    public static Vocabulary of(Tokenizer tokenizer) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(tokenizer, Vocabulary::new);
        }
    }

    public int size() {
        return size;
    }

    /** The end-of-text id, or -1 when the vocabulary has none. */
    public int endToken() {
        return endToken;
    }

    public boolean isSpecial(int id) {
        return special[id];
    }

    /** The bytes of a token (shared array: do not modify). */
    public byte[] bytes(int id) {
        return bytes[id];
    }
}
