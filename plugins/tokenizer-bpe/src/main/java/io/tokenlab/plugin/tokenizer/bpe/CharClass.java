package io.tokenlab.plugin.tokenizer.bpe;

/**
 * The Unicode classes the pre-tokenization patterns test, as bit flags: a table for the Basic
 * Multilingual Plane (one array read on the hot path), computed for the rest. Letters and numbers
 * follow Java's Unicode data, as jtokkit's and java.util.regex's {@code \p{L}}, {@code \p{N}} do;
 * whitespace is the Unicode White_Space property, the meaning of {@code \s} in tiktoken's regex
 * engine.
 */
final class CharClass {
    static final int LETTER = 1;
    static final int NUMBER = 2;
    static final int SPACE = 4;
    static final int NEWLINE = 8;
    /** o200k's upper-case side: Lu, Lt, Lm, Lo and marks. */
    static final int UPPERISH = 16;
    /** o200k's lower-case side: Ll, Lm, Lo and marks. */
    static final int LOWERISH = 32;

    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) {
            BMP[c] = (byte) compute(c);
        }
    }

    private CharClass() {
    }

    static int of(int codePoint) {
        return codePoint < 0x10000 ? BMP[codePoint] : compute(codePoint);
    }

    private static int compute(int c) {
        int flags = 0;
        switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER:
            case Character.TITLECASE_LETTER:
                flags = LETTER | UPPERISH;
                break;
            case Character.LOWERCASE_LETTER:
                flags = LETTER | LOWERISH;
                break;
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                flags = LETTER | UPPERISH | LOWERISH;
                break;
            case Character.NON_SPACING_MARK:
            case Character.COMBINING_SPACING_MARK:
            case Character.ENCLOSING_MARK:
                flags = UPPERISH | LOWERISH;
                break;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                flags = NUMBER;
                break;
            default:
                break;
        }
        if (isWhiteSpace(c)) {
            flags |= SPACE;
        }
        if (c == '\r' || c == '\n') {
            flags |= NEWLINE;
        }
        return flags;
    }

    private static boolean isWhiteSpace(int c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }
}
