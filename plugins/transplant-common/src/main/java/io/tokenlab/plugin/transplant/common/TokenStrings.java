package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Names the tokens of a byte-level vocabulary as strings, in GPT-2's byte-to-unicode alphabet
 * ({@code "Ġthe"} for the bytes {@code " the"}), the spelling Hugging Face uses in {@code tokenizer.json}
 * and {@code vocab.json}. Two vocabularies spelled this way share a token exactly when they share its
 * bytes, which is what exact-match copying needs; special tokens keep their text.
 */
public final class TokenStrings {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[324];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF;
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private TokenStrings() {
    }

    /** The byte-level spelling of some bytes. */
    public static String spell(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
        }
        return new String(out);
    }

    /** The bytes a byte-level spelling stands for, or null if the string is not one. */
    public static byte[] bytesOf(String spelled) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(spelled.length());
        for (int i = 0; i < spelled.length(); i++) {
            char c = spelled.charAt(i);
            if (c >= CHAR_TO_BYTE.length || CHAR_TO_BYTE[c] < 0) {
                return null;
            }
            out.write(CHAR_TO_BYTE[c]);
        }
        return out.toByteArray();
    }

    /**
     * One string per id: special tokens by their text, ordinary tokens spelled byte-level, and ids the
     * vocabulary leaves unused (cl100k has gaps before its specials) as {@code <|unused:ID|>}.
     */
    public static List<String> vocabulary(Tokenizer tokenizer) {
        Set<String> specials = tokenizer.specialTokens();
        List<String> out = new ArrayList<>(tokenizer.vocabularySize());
        for (int id = 0; id < tokenizer.vocabularySize(); id++) {
            byte[] bytes;
            try {
                bytes = tokenizer.tokenBytes(id);
            } catch (RuntimeException e) {
                out.add("<|unused:" + id + "|>");
                continue;
            }
            String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            out.add(specials.contains(text) ? text : spell(bytes));
        }
        return out;
    }
}
