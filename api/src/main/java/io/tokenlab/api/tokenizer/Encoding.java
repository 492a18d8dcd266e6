package io.tokenlab.api.tokenizer;

/**
 * Token ids with the UTF-16 character span {@code [start, end)} of each token in the input text.
 * A token that covers only part of a character (byte-level BPE splitting a code point) gets the
 * span of the whole character.
 */
public record Encoding(int[] ids, int[] starts, int[] ends) {
    public Encoding {
        if (ids.length != starts.length || ids.length != ends.length) {
            throw new IllegalArgumentException("ids, starts and ends differ in length");
        }
    }

    public int size() {
        return ids.length;
    }
}
