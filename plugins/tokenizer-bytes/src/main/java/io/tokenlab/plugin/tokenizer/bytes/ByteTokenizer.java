package io.tokenlab.plugin.tokenizer.bytes;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.EscapedBytes;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The byte tokenizer. Text is encoded as UTF-8; an escaped byte ({@link EscapedBytes}: input bytes
 * that were not UTF-8) is that byte, so any input file round-trips exactly. Any other lone surrogate
 * becomes U+FFFD's bytes (what Java's encoder does).
 */
final class ByteTokenizer implements Tokenizer {
    private static final String[] SPECIALS = {"<pad>", "</s>", "<unk>"};
    private final int offset;

    ByteTokenizer(boolean byt5Layout) {
        this.offset = byt5Layout ? SPECIALS.length : 0;
    }

    @Override
    public int vocabularySize() {
        return 256 + offset;
    }

    @Override
    public Set<String> specialTokens() {
        return offset == 0 ? Set.of() : Set.of(SPECIALS);
    }

    @Override
    public int[] encode(String text, Set<String> allowedSpecial) {
        return encodeWithOffsets(text, allowedSpecial).ids();
    }

    @Override
    public Encoding encodeWithOffsets(String text, Set<String> allowedSpecial) {
        int n = text.length();
        int[] ids = new int[n * 3 + 1];
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        int count = 0;
        int i = 0;
        while (i < n) {
            if (offset > 0 && text.charAt(i) == '<') {
                int special = specialAt(text, i);
                if (special >= 0) {
                    if (!allowedSpecial.contains(SPECIALS[special])) {
                        throw new TechniqueException("special token '" + SPECIALS[special] + "' at character " + i
                                + " is not allowed; allow it explicitly or remove it from the input");
                    }
                    if (count == ids.length) {
                        ids = grow(ids);
                        starts = grow(starts);
                        ends = grow(ends);
                    }
                    ids[count] = special;
                    starts[count] = i;
                    ends[count] = i + SPECIALS[special].length();
                    count++;
                    i += SPECIALS[special].length();
                    continue;
                }
            }
            if (EscapedBytes.isEscapedByte(text.charAt(i))) {
                if (count == ids.length) {
                    ids = grow(ids);
                    starts = grow(starts);
                    ends = grow(ends);
                }
                ids[count] = EscapedBytes.byteOf(text.charAt(i)) + offset;
                starts[count] = i;
                ends[count] = i + 1;
                count++;
                i++;
                continue;
            }
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            byte[] b = (Character.isSurrogate(text.charAt(i)) && len == 1 ? "\uFFFD" : text.substring(i, i + len))
                    .getBytes(StandardCharsets.UTF_8);
            while (count + b.length > ids.length) {
                ids = grow(ids);
                starts = grow(starts);
                ends = grow(ends);
            }
            for (byte x : b) {
                ids[count] = (x & 0xff) + offset;
                starts[count] = i;
                ends[count] = i + len;
                count++;
            }
            i += len;
        }
        return new Encoding(java.util.Arrays.copyOf(ids, count), java.util.Arrays.copyOf(starts, count),
                java.util.Arrays.copyOf(ends, count));
    }

    private static int specialAt(String text, int i) {
        for (int s = 0; s < SPECIALS.length; s++) {
            if (text.startsWith(SPECIALS[s], i)) {
                return s;
            }
        }
        return -1;
    }

    private static int[] grow(int[] a) {
        return java.util.Arrays.copyOf(a, a.length * 2 + 4);
    }

    @Override
    public int count(String text) {
        return encode(text).length;
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= vocabularySize()) {
                throw new TechniqueException("token id " + id + " is outside the vocabulary [0, " + vocabularySize() + ")");
            }
            if (id < offset) {
                out.writeBytes(SPECIALS[id].getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(id - offset);
            }
        }
        return out.toByteArray();
    }
}
