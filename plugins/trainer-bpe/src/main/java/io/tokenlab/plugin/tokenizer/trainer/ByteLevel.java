package io.tokenlab.plugin.tokenizer.trainer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-character table, which byte-level tokenizer.json files use to spell
 * tokens: printable Latin-1 bytes stand for themselves, the others are shifted to U+0100 and up
 * (so the space byte is spelled {@code Ġ}).
 */
final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + shifted++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    static String spell(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(BYTE_TO_CHAR[b & 0xff]);
        }
        return sb.toString();
    }

    static byte[] unspell(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("'" + c + "' is not a byte-level character");
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** Characters a token stands for: UTF-8 lead bytes, plus one for a leading continuation fragment. */
    static int characterCount(byte[] bytes) {
        int n = 0;
        for (int i = 0; i < bytes.length; i++) {
            boolean continuation = (bytes[i] & 0xC0) == 0x80;
            if (!continuation || i == 0) {
                n++;
            }
        }
        return n;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code utf8(s).length} without encoding: a lone surrogate counts 1, as getBytes writes '?' for it. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
