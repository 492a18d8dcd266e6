package io.tokenlab.plugin.decoder.bytes;

import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A vocabulary small enough to enumerate: overlapping multi-byte tokens over 'a' and 'b', and an end token. */
final class ToyTokenizer implements Tokenizer {
    static final String[] TOKENS = {"</s>", "a", "b", "ab", "ba", "aa", "bab", "abb"};

    @Override
    public int vocabularySize() {
        return TOKENS.length;
    }

    @Override
    public Set<String> specialTokens() {
        return Set.of("</s>");
    }

    @Override
    public int[] encode(String text, Set<String> allowedSpecial) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("</s>", i) && allowedSpecial.contains("</s>")) {
                out.add(0);
                i += 4;
                continue;
            }
            int best = -1;
            for (int t = 1; t < TOKENS.length; t++) {
                if (text.startsWith(TOKENS[t], i) && (best < 0 || TOKENS[t].length() > TOKENS[best].length())) {
                    best = t;
                }
            }
            if (best < 0) {
                i++; // outside the alphabet: skipped
                continue;
            }
            out.add(best);
            i += TOKENS[best].length();
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Encoding encodeWithOffsets(String text, Set<String> allowedSpecial) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(TOKENS[id].getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
