package io.tokenlab.plugin.tokenizer.bpe;

/**
 * Builds a {@link Normalizer.Result} character by character: each character appended carries the
 * span of input characters it came from, so that token offsets point into the caller's text.
 */
final class TextRewrite {
    private final StringBuilder text;
    private final IntList starts;
    private final IntList ends;

    TextRewrite(int capacity) {
        text = new StringBuilder(capacity);
        starts = new IntList(capacity);
        ends = new IntList(capacity);
    }

    /** Appends one code point that came from input characters {@code [from, to)}. */
    void append(int cp, int from, int to) {
        text.appendCodePoint(cp);
        starts.add(from);
        ends.add(to);
        if (cp >= 0x10000) {
            starts.add(from);
            ends.add(to);
        }
    }

    /** Appends a string whose every character came from input characters {@code [from, to)}. */
    void append(CharSequence s, int from, int to) {
        for (int i = 0; i < s.length(); i++) {
            text.append(s.charAt(i));
            starts.add(from);
            ends.add(to);
        }
    }

    int length() {
        return text.length();
    }

    Normalizer.Result result() {
        return new Normalizer.Result(text.toString(), starts.toArray(), ends.toArray());
    }
}
