package io.tokenlab.plugin.tokenizer.bpe;

import java.text.Normalizer.Form;

/**
 * BERT's normalizer (Devlin et al. 2019, as Hugging Face's BertNormalizer): removes control
 * characters, maps whitespace to a space, surrounds CJK ideographs with spaces, strips accents
 * (NFD, then combining marks dropped) and lowercases. One pass over the code points; every output
 * character keeps the span of the input character it came from.
 */
final class BertNormalizer implements Normalizer {
    private final boolean cleanText;
    private final boolean chineseChars;
    private final boolean stripAccents;
    private final boolean lowercase;

    BertNormalizer(boolean cleanText, boolean chineseChars, boolean stripAccents, boolean lowercase) {
        this.cleanText = cleanText;
        this.chineseChars = chineseChars;
        this.stripAccents = stripAccents;
        this.lowercase = lowercase;
    }

    @Override
    public Result normalize(String text) {
        TextRewrite out = new TextRewrite(text.length() + 16);
        StringBuilder scratch = new StringBuilder(8);
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || UnicodeClasses.isBertControl(cp)) {
                    i = next;
                    continue;
                }
                if (UnicodeClasses.isWhitespace(cp)) {
                    cp = ' ';
                }
            }
            boolean pad = chineseChars && UnicodeClasses.isCjkIdeograph(cp);
            if (pad) {
                out.append(' ', i, next);
            }
            if (!stripAccents && !lowercase) {
                out.append(cp, i, next);
            } else {
                scratch.setLength(0);
                String decomposed = stripAccents && cp >= 0x80
                        ? java.text.Normalizer.normalize(new String(Character.toChars(cp)), Form.NFD) : null;
                if (decomposed == null) {
                    scratch.appendCodePoint(cp);
                } else {
                    decomposed.codePoints().filter(c -> !UnicodeClasses.isNonspacingMark(c))
                            .forEach(scratch::appendCodePoint);
                }
                for (int k = 0; k < scratch.length(); ) {
                    int c = scratch.codePointAt(k);
                    k += Character.charCount(c);
                    if (lowercase) {
                        if (c < 0x80) {
                            out.append(c >= 'A' && c <= 'Z' ? c + 32 : c, i, next);
                        } else {
                            StringBuilder lower = new StringBuilder(2);
                            UnicodeClasses.appendLowercase(c, lower);
                            out.append(lower, i, next);
                        }
                    } else {
                        out.append(c, i, next);
                    }
                }
            }
            if (pad) {
                out.append(' ', i, next);
            }
            i = next;
        }
        return out.result();
    }
}
