package org.example.codepoints;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** Code points as ids; a lone surrogate keeps its own value, so every Java string round-trips. */
final class CodePointTokenizer implements Tokenizer {
    private final boolean lowercase;

    CodePointTokenizer(boolean lowercase) {
        this.lowercase = lowercase;
    }

    @Override
    public int vocabularySize() {
        return Character.MAX_CODE_POINT + 1;
    }

    @Override
    public Set<String> specialTokens() {
        return Set.of();
    }

    @Override
    public int[] encode(String text, Set<String> allowedSpecial) {
        return (lowercase ? text.toLowerCase(Locale.ROOT) : text).codePoints().toArray();
    }

    @Override
    public Encoding encodeWithOffsets(String text, Set<String> allowedSpecial) {
        String s = lowercase ? text.toLowerCase(Locale.ROOT) : text;
        int[] ids = s.codePoints().toArray();
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        for (int i = 0, pos = 0; i < ids.length; i++) {
            starts[i] = pos;
            pos += Character.charCount(ids[i]);
            ends[i] = pos;
        }
        return new Encoding(ids, starts, ends);
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        return decode(ids).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            if (id < 0 || id > Character.MAX_CODE_POINT) {
                throw new TechniqueException("token id " + id + " is not a Unicode code point");
            }
            sb.appendCodePoint(id);
        }
        return sb.toString();
    }
}
