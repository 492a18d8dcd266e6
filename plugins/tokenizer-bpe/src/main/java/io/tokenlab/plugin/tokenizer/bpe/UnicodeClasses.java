package io.tokenlab.plugin.tokenizer.bpe;

/**
 * Character classes as Hugging Face tokenizers (Rust) defines them, which differ from Java's
 * {@link Character#isWhitespace}: Rust's {@code char::is_whitespace} is the Unicode White_Space
 * property (no-break space included, the information separators U+001C..U+001F excluded).
 */
final class UnicodeClasses {
    /**
     * Marks, punctuation and format characters that Unicode assigned after version 8.0, as sorted
     * inclusive ranges. Hugging Face classifies characters with the unicode_categories tables, which
     * are Unicode 8.0: to them these characters have no category (neither mark, punctuation nor
     * control), so BERT keeps them inside words. Java's tables are newer; this list undoes the difference.
     */
    private static final int[] CLASSIFIED_AFTER_UNICODE_8 = {
            0x7FD, 0x7FD, 0x8D3, 0x8E2, 0x9FD, 0x9FE, 0xA76, 0xA76, 0xAFA, 0xAFF, 0xB55, 0xB55, 0xC04, 0xC04,
            0xC77, 0xC77, 0xC84, 0xC84, 0xD00, 0xD00, 0xD3B, 0xD3C, 0xD81, 0xD81, 0xEBA, 0xEBA, 0x1885, 0x1886,
            0x1ABF, 0x1AC0, 0x1DF6, 0x1DF9, 0x1DFB, 0x1DFB, 0x2E43, 0x2E4F, 0x2E52, 0x2E52, 0xA82C, 0xA82C,
            0xA8C5, 0xA8C5, 0xA8FF, 0xA8FF, 0xA9BD, 0xA9BD, 0x10D24, 0x10D27, 0x10EAB, 0x10EAD, 0x10F46, 0x10F50,
            0x10F55, 0x10F59, 0x110CD, 0x110CD, 0x111C9, 0x111C9, 0x111CF, 0x111CF, 0x1123E, 0x1123E,
            0x1133B, 0x1133B, 0x11438, 0x1143F, 0x11442, 0x11444, 0x11446, 0x11446, 0x1144B, 0x1144F,
            0x1145A, 0x1145B, 0x1145D, 0x1145E, 0x11660, 0x1166C, 0x1182F, 0x11837, 0x11839, 0x1183B,
            0x1193B, 0x1193C, 0x1193E, 0x1193E, 0x11943, 0x11946, 0x119D4, 0x119D7, 0x119DA, 0x119DB,
            0x119E0, 0x119E0, 0x119E2, 0x119E2, 0x11A01, 0x11A0A, 0x11A33, 0x11A38, 0x11A3B, 0x11A47,
            0x11A51, 0x11A56, 0x11A59, 0x11A5B, 0x11A8A, 0x11A96, 0x11A98, 0x11A9C, 0x11A9E, 0x11AA2,
            0x11C30, 0x11C36, 0x11C38, 0x11C3D, 0x11C3F, 0x11C3F, 0x11C41, 0x11C45, 0x11C70, 0x11C71,
            0x11C92, 0x11CA7, 0x11CAA, 0x11CB0, 0x11CB2, 0x11CB3, 0x11CB5, 0x11CB6, 0x11D31, 0x11D36,
            0x11D3A, 0x11D3A, 0x11D3C, 0x11D3D, 0x11D3F, 0x11D45, 0x11D47, 0x11D47, 0x11D90, 0x11D91,
            0x11D95, 0x11D95, 0x11D97, 0x11D97, 0x11EF3, 0x11EF4, 0x11EF7, 0x11EF8, 0x11FFF, 0x11FFF,
            0x13430, 0x13438, 0x16E97, 0x16E9A, 0x16F4F, 0x16F4F, 0x16FE2, 0x16FE2, 0x16FE4, 0x16FE4,
            0x1E000, 0x1E006, 0x1E008, 0x1E018, 0x1E01B, 0x1E021, 0x1E023, 0x1E024, 0x1E026, 0x1E02A,
            0x1E130, 0x1E136, 0x1E2EC, 0x1E2EF, 0x1E944, 0x1E94A, 0x1E95E, 0x1E95F
    };

    private UnicodeClasses() {
    }

    /** Whether Hugging Face's Unicode 8.0 tables give {@code cp} the general category Java gives it. */
    private static boolean classifiedAsInUnicode8(int cp) {
        if (cp < 0x7FD) {
            return true;
        }
        int lo = 0;
        int hi = CLASSIFIED_AFTER_UNICODE_8.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < CLASSIFIED_AFTER_UNICODE_8[2 * mid]) {
                hi = mid - 1;
            } else if (cp > CLASSIFIED_AFTER_UNICODE_8[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return false;
            }
        }
        return true;
    }

    /** Unicode general category Mn, as Hugging Face's tables give it. */
    static boolean isNonspacingMark(int cp) {
        return Character.getType(cp) == Character.NON_SPACING_MARK && classifiedAsInUnicode8(cp);
    }

    /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
    static boolean isWhitespace(int cp) {
        if (cp <= 0x20) {
            return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
        }
        if (cp < 0x85) {
            return false;
        }
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028
                || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Unicode general category P* (Pc, Pd, Ps, Pe, Pi, Pf, Po), as Hugging Face's tables give it. */
    static boolean isPunctuation(int cp) {
        if (!classifiedAsInUnicode8(cp)) {
            return false;
        }
        switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION: case Character.DASH_PUNCTUATION: case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION: case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION: case Character.OTHER_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    /** BERT's punctuation: every ASCII symbol or punctuation character, and Unicode P*. */
    static boolean isBertPunctuation(int cp) {
        if (cp < 0x80) {
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
        }
        return isPunctuation(cp);
    }

    /**
     * Unicode general category Cc, Cf, Co or Cs other than tab, newline and carriage return (BERT's
     * "control"); unassigned code points are kept, as Hugging Face keeps them.
     */
    static boolean isBertControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r' || !classifiedAsInUnicode8(cp)) {
            return false;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL: case Character.FORMAT: case Character.PRIVATE_USE:
            case Character.SURROGATE:
                return true;
            default:
                return false;
        }
    }

    /** Rust's {@code char::is_numeric}: general category Nd, Nl or No (Rust's own, current tables). */
    static boolean isNumeric(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** The CJK ideograph blocks BERT surrounds with spaces (not Hangul, Hiragana or Katakana). */
    static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** Rust's {@code char::to_lowercase}: the full mapping, which differs from the simple one only for U+0130. */
    static void appendLowercase(int cp, StringBuilder out) {
        if (cp == 0x130) {
            out.append("i\u0307");
        } else {
            out.appendCodePoint(Character.toLowerCase(cp));
        }
    }
}
