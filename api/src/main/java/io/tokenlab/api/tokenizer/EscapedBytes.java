package io.tokenlab.api.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text that carries bytes which are not UTF-8, losslessly: each such byte {@code b} (0x80-0xFF) is the
 * lone low surrogate {@code U+DC00 + b}, as Python's {@code surrogateescape} does. Well-formed UTF-8
 * never decodes to a lone surrogate, so the mapping is exact both ways.
 *
 * <p>The runtime reads input text this way for a technique that declares
 * {@link io.tokenlab.api.Techniques#RAW_BYTES} (a byte tokenizer must see the bytes it is given);
 * other techniques get U+FFFD in place of each bad sequence, with a warning. Output text is written
 * back with {@link #encode}, so escaped bytes leave the pipeline as the bytes they came in as.
 */
public final class EscapedBytes {
    private static final char FIRST = '\uDC80';
    private static final char LAST = '\uDCFF';

    private EscapedBytes() {
    }

    /** Whether {@code c} stands for one raw byte. */
    public static boolean isEscapedByte(char c) {
        return c >= FIRST && c <= LAST;
    }

    /** The raw byte that {@code c} stands for; only for {@link #isEscapedByte} characters. */
    public static int byteOf(char c) {
        return c - 0xDC00;
    }

    /**
     * The bytes of {@code text}: UTF-8 for characters, the raw byte for escaped bytes, and U+FFFD's
     * bytes for any other lone surrogate (which no byte sequence can represent).
     */
    public static byte[] encode(CharSequence text) {
        int n = text.length();
        boolean plain = true;
        for (int i = 0; i < n && plain; i++) {
            plain = !Character.isSurrogate(text.charAt(i));
        }
        if (plain) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 16);
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a well-formed pair is ordinary text
                continue;
            }
            out.writeBytes(text.subSequence(start, i).toString().getBytes(StandardCharsets.UTF_8));
            if (isEscapedByte(c)) {
                out.write(byteOf(c));
            } else {
                out.writeBytes("\uFFFD".getBytes(StandardCharsets.UTF_8));
            }
            start = i + 1;
        }
        out.writeBytes(text.subSequence(start, n).toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Decodes UTF-8, turning each byte of an ill-formed sequence into its escape character. */
    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** {@link #decode(byte[])} of {@code bytes[from, to)}. */
    public static String decode(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                sb.append((char) b);
                i++;
                continue;
            }
            int len = Utf8.sequenceLength(bytes, i, to);
            if (len == 0) {
                sb.append((char) (0xDC00 + b));
                i++;
            } else {
                sb.append(new String(bytes, i, len, StandardCharsets.UTF_8));
                i += len;
            }
        }
        return sb.toString();
    }

    /** Where UTF-8 is well-formed (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
    public static final class Utf8 {
        private Utf8() {
        }

        /** The length of the well-formed sequence that starts at {@code i}, or 0 if it is not one. */
        public static int sequenceLength(byte[] b, int i, int to) {
            int b0 = b[i] & 0xff;
            if (b0 < 0x80) {
                return 1;
            }
            int len;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                len = 2;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                len = 3;
                if (b0 == 0xE0) {
                    lo = 0xA0;
                } else if (b0 == 0xED) {
                    hi = 0x9F;
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                len = 4;
                if (b0 == 0xF0) {
                    lo = 0x90;
                } else if (b0 == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return 0;
            }
            if (i + len > to) {
                return 0;
            }
            int b1 = b[i + 1] & 0xff;
            if (b1 < lo || b1 > hi) {
                return 0;
            }
            for (int k = 2; k < len; k++) {
                int bk = b[i + k] & 0xff;
                if (bk < 0x80 || bk > 0xBF) {
                    return 0;
                }
            }
            return len;
        }
    }
}
