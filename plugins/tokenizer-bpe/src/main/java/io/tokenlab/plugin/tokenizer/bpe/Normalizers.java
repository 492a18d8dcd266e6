package io.tokenlab.plugin.tokenizer.bpe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Normalizer steps and regex pre-tokenizers of the text pipelines that need no state of their own. */
final class Normalizers {
    private Normalizers() {
    }

    /**
     * Hugging Face's StripAccents: combining marks (Mn, Mc, Me, by the normalization tables rather
     * than BERT's Unicode 8.0 ones) removed; files decompose first (NFD) to strip accents.
     */
    static Normalizer stripMarks() {
        return text -> {
            TextRewrite out = new TextRewrite(text.length());
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int next = i + Character.charCount(cp);
                int type = Character.getType(cp);
                if (type != Character.NON_SPACING_MARK && type != Character.COMBINING_SPACING_MARK
                        && type != Character.ENCLOSING_MARK) {
                    out.append(cp, i, next);
                }
                i = next;
            }
            return out.result();
        };
    }

    /** Hugging Face's Strip: leading and/or trailing whitespace removed. */
    static Normalizer strip(boolean left, boolean right) {
        return text -> {
            int a = 0;
            int b = text.length();
            while (left && a < b && UnicodeClasses.isWhitespace(text.codePointAt(a))) {
                a += Character.charCount(text.codePointAt(a));
            }
            while (right && b > a && UnicodeClasses.isWhitespace(text.codePointBefore(b))) {
                b -= Character.charCount(text.codePointBefore(b));
            }
            return PieceSplitter.slice(Normalizer.Result.identity(text), a, b);
        };
    }

    /**
     * Replace with a regex: each match becomes {@code content}. As in Hugging Face, the new
     * characters count as inserted after the match, so they take the span of its last character.
     */
    static Normalizer replaceRegex(Pattern pattern, String content) {
        return text -> {
            Matcher m = pattern.matcher(text);
            TextRewrite out = new TextRewrite(text.length());
            int at = 0;
            while (m.find()) {
                for (int i = at; i < m.start(); i++) {
                    out.append(String.valueOf(text.charAt(i)), i, i + 1);
                }
                if (m.end() > m.start()) {
                    out.append(content, m.end() - 1, m.end());
                }
                at = m.end();
            }
            for (int i = at; i < text.length(); i++) {
                out.append(String.valueOf(text.charAt(i)), i, i + 1);
            }
            return out.result();
        };
    }

    /** Pieces are the regex matches; text between matches is dropped. */
    static PieceSplitter regexPieces(Pattern pattern) {
        return (in, atTextStart, out) -> {
            Matcher m = pattern.matcher(in.text());
            while (m.find()) {
                if (m.end() > m.start()) {
                    out.add(PieceSplitter.slice(in, m.start(), m.end()));
                }
            }
        };
    }
}
