package io.tokenlab.plugin.tokenizer.bpe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SentencePiece's precompiled normalization rules ({@code precompiled_charsmap}: nmt_nfkc and the
 * other rule sets compiled into a model): a little-endian u32 trie size, a darts-clone double-array
 * trie over UTF-8 bytes whose values are offsets into a table of NUL-terminated replacement strings.
 *
 * <p>Two ways to apply it, because the two reference implementations differ:
 * {@link #sentencePiece} is SentencePiece's (longest match at each position over the bytes);
 * {@link #asNormalizer} is Hugging Face's Precompiled normalizer, which matches per grapheme
 * cluster (whole cluster first when under 6 bytes, taking the shortest match found) and otherwise
 * per character.
 */
final class PrecompiledCharsMap {
    private static final Pattern GRAPHEME = Pattern.compile("\\X");

    private final int[] array;
    private final byte[] replacements;

    PrecompiledCharsMap(byte[] blob, String source) {
        if (blob.length < 4) {
            throw new IllegalArgumentException(source + ": precompiled_charsmap has " + blob.length + " bytes, too short");
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int trieBytes = b.getInt();
        if (trieBytes < 4 || trieBytes % 4 != 0 || 4 + trieBytes > blob.length) {
            throw new IllegalArgumentException(source + ": precompiled_charsmap declares a trie of " + trieBytes
                    + " bytes in a blob of " + blob.length);
        }
        array = new int[trieBytes / 4];
        for (int i = 0; i < array.length; i++) {
            array[i] = b.getInt();
        }
        replacements = java.util.Arrays.copyOfRange(blob, 4 + trieBytes, blob.length);
    }

    private static boolean hasLeaf(int unit) {
        return ((unit >>> 8) & 1) == 1;
    }

    private static int value(int unit) {
        return unit & 0x7FFFFFFF;
    }

    private static int label(int unit) {
        return unit & (0x80000000 | 0xFF);
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }

    /**
     * Matches at {@code key[from, to)}: (matched length << 32) | replacement offset, of the longest
     * match or (when {@code shortest}) the shortest; -1 when none.
     */
    private long match(byte[] key, int from, int to, boolean shortest) {
        int node = 0;
        int unit = array[node];
        node ^= offset(unit);
        long result = -1;
        for (int i = from; i < to; i++) {
            int c = key[i] & 0xFF;
            if (c == 0) {
                break;
            }
            node ^= c;
            if (node < 0 || node >= array.length) {
                break;
            }
            unit = array[node];
            if (label(unit) != c) {
                break;
            }
            node ^= offset(unit);
            if (hasLeaf(unit)) {
                result = ((long) (i + 1 - from) << 32) | value(array[node]);
                if (shortest) {
                    return result;
                }
            }
        }
        return result;
    }

    private String replacementAt(int offset) {
        int end = offset;
        while (end < replacements.length && replacements[end] != 0) {
            end++;
        }
        return new String(replacements, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** Hugging Face's replacement for a chunk: the shortest prefix match, applied to the whole chunk. */
    private String transform(String chunk) {
        byte[] utf8 = chunk.getBytes(StandardCharsets.UTF_8);
        long m = match(utf8, 0, utf8.length, true);
        return m < 0 ? null : replacementAt((int) m);
    }

    /** Hugging Face's Precompiled normalizer, with origin spans as its alignment rules give them. */
    Normalizer asNormalizer() {
        return text -> {
            TextRewrite out = new TextRewrite(text.length() + 8);
            Matcher g = GRAPHEME.matcher(text);
            while (g.find()) {
                int gs = g.start();
                int ge = g.end();
                String grapheme = text.substring(gs, ge);
                if (utf8Length(grapheme) < 6) {
                    String norm = transform(grapheme);
                    if (norm != null) {
                        replace(out, text, gs, ge, norm);
                        continue;
                    }
                }
                for (int i = gs; i < ge; ) {
                    int cp = text.codePointAt(i);
                    int next = i + Character.charCount(cp);
                    String norm = cp >= 0xD800 && cp <= 0xDFFF ? null : transform(text.substring(i, next));
                    if (norm != null) {
                        replace(out, text, i, next, norm);
                    } else {
                        out.append(cp, i, next);
                    }
                    i = next;
                }
            }
            return out.result();
        };
    }

    /** New character k takes the span of old character k; extra new characters that of the last old one. */
    private static void replace(TextRewrite out, String text, int from, int to, String norm) {
        int[] oldStarts = new int[to - from];
        int count = 0;
        for (int i = from; i < to; ) {
            oldStarts[count++] = i;
            i += Character.charCount(text.codePointAt(i));
        }
        int k = 0;
        for (int j = 0; j < norm.length(); ) {
            int cp = norm.codePointAt(j);
            j += Character.charCount(cp);
            int old = Math.min(k, count - 1);
            int oldStart = oldStarts[old];
            int oldEnd = old + 1 < count ? oldStarts[old + 1] : to;
            out.append(cp, oldStart, oldEnd);
            k++;
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 4 : Character.isLowSurrogate(c) ? 0 : 3;
        }
        return n;
    }

    /**
     * SentencePiece's rule lookup at one position of UTF-8 input: the longest rule matching at
     * {@code at}, as (matched byte length << 32) | replacement offset, or -1 when no rule matches
     * (the caller then copies one character).
     */
    long normalizePrefix(byte[] input, int at, int end) {
        return match(input, at, end, false);
    }

    /** The replacement bytes at an offset {@link #normalizePrefix} returned. */
    byte[] replacementBytes(int offset) {
        int end = offset;
        while (end < replacements.length && replacements[end] != 0) {
            end++;
        }
        return java.util.Arrays.copyOfRange(replacements, offset, end);
    }
}
