package io.tokenlab.plugin.tokenizer.bpe;

import java.nio.charset.StandardCharsets;

/**
 * SentencePiece's normalizer as {@code spm_encode} runs it: user-defined symbols kept as they are,
 * elsewhere the longest precompiled rule at each position (nmt_nfkc and the like), extra whitespace
 * removed, the dummy {@code ▁} prefix added and spaces escaped as {@code ▁}. Every output character
 * keeps the span of the input characters its rule consumed.
 */
final class SentencePieceNormalizer implements Normalizer {
    private static final char SPACE_SYMBOL = '\u2581';

    private final PrecompiledCharsMap rules;
    private final CharTrie userDefined;
    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;
    private final boolean escapeWhitespaces;
    private final boolean whitespaceAsSuffix;

    SentencePieceNormalizer(PrecompiledCharsMap rules, CharTrie userDefined, boolean addDummyPrefix,
                            boolean removeExtraWhitespaces, boolean escapeWhitespaces, boolean whitespaceAsSuffix) {
        this.rules = rules;
        this.userDefined = userDefined;
        this.addDummyPrefix = addDummyPrefix;
        this.removeExtraWhitespaces = removeExtraWhitespaces;
        this.escapeWhitespaces = escapeWhitespaces;
        this.whitespaceAsSuffix = whitespaceAsSuffix;
    }

    /** One normalization step: the input characters {@code [from, to)} became {@code text}. */
    private record Step(String text, int to) {
    }

    private Step prefix(String s, byte[] utf8, int[] charAtByte, int[] byteAtChar, int at) {
        if (userDefined != null) {
            long m = userDefined.longestMatch(s, at, s.length());
            if (m >= 0) {
                int end = (int) (m >>> 32);
                return new Step(s.substring(at, end), end);
            }
        }
        if (rules != null) {
            int b = byteAtChar[at];
            long m = rules.normalizePrefix(utf8, b, utf8.length);
            if (m >= 0) {
                int endByte = b + (int) (m >>> 32);
                int end = endByte >= utf8.length ? s.length() : charAtByte[endByte];
                return new Step(new String(rules.replacementBytes((int) m), StandardCharsets.UTF_8), Math.max(end, at + 1));
            }
        }
        int cp = s.codePointAt(at);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            return new Step("\uFFFD", at + 1); // a lone surrogate: SentencePiece's invalid UTF-8 rune
        }
        return new Step(new String(Character.toChars(cp)), at + Character.charCount(cp));
    }

    @Override
    public Result normalize(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int[] byteAtChar = new int[s.length() + 1];
        int[] charAtByte = new int[utf8.length + 1];
        int b = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            for (int k = 0; k < n; k++) {
                byteAtChar[i + k] = b;
            }
            for (int k = 0; k < len; k++) {
                charAtByte[b + k] = i;
            }
            b += len;
            i += n;
        }
        byteAtChar[s.length()] = b;
        charAtByte[utf8.length] = s.length();

        TextRewrite out = new TextRewrite(s.length() + 4);
        int at = 0;
        if (removeExtraWhitespaces) {
            while (at < s.length()) {
                Step p = prefix(s, utf8, charAtByte, byteAtChar, at);
                if (!p.text().equals(" ")) {
                    break;
                }
                at = p.to();
            }
        }
        if (at >= s.length()) {
            return out.result();
        }
        if (!whitespaceAsSuffix && addDummyPrefix) {
            out.append(escapeWhitespaces ? SPACE_SYMBOL : ' ', at, at);
        }
        boolean prevSpace = removeExtraWhitespaces;
        while (at < s.length()) {
            Step p = prefix(s, utf8, charAtByte, byteAtChar, at);
            String piece = p.text();
            if (prevSpace) {
                int k = 0;
                while (k < piece.length() && piece.charAt(k) == ' ') {
                    k++;
                }
                piece = piece.substring(k);
            }
            if (!piece.isEmpty()) {
                for (int k = 0; k < piece.length(); k++) {
                    char c = piece.charAt(k);
                    out.append(String.valueOf(escapeWhitespaces && c == ' ' ? SPACE_SYMBOL : c), at, p.to());
                }
                prevSpace = piece.charAt(piece.length() - 1) == ' ';
            }
            at = p.to();
            if (!removeExtraWhitespaces) {
                prevSpace = false;
            }
        }
        Result r = out.result();
        if (removeExtraWhitespaces) {
            char space = escapeWhitespaces ? SPACE_SYMBOL : ' ';
            int end = r.text().length();
            while (end > 0 && r.text().charAt(end - 1) == space) {
                end--;
            }
            r = PieceSplitter.slice(r, 0, end);
        }
        if (whitespaceAsSuffix && addDummyPrefix && !r.text().isEmpty()) {
            TextRewrite withSuffix = new TextRewrite(r.text().length() + 1);
            for (int i = 0; i < r.text().length(); i++) {
                withSuffix.append(String.valueOf(r.text().charAt(i)), r.originStarts()[i], r.originEnds()[i]);
            }
            withSuffix.append(escapeWhitespaces ? SPACE_SYMBOL : ' ', s.length(), s.length());
            r = withSuffix.result();
        }
        return r;
    }
}
