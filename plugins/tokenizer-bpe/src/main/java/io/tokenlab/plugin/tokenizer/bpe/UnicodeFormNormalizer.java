package io.tokenlab.plugin.tokenizer.bpe;

import java.text.Normalizer.Form;

/**
 * NFC, NFD, NFKC or NFKD with Hugging Face's alignments: a decomposed character's parts all take
 * the span of the character they came from; a composed character takes the span of the first
 * character it was composed from (the marks it absorbed are dropped from the spans). Works per
 * cluster of a base character and the marks after it, and text already in the form is untouched.
 */
final class UnicodeFormNormalizer implements Normalizer {
    private final Form form;
    private final Form decomposition;

    UnicodeFormNormalizer(Form form) {
        this.form = form;
        this.decomposition = form == Form.NFKC || form == Form.NFKD ? Form.NFKD : Form.NFD;
    }

    @Override
    public Result normalize(String text) {
        if (java.text.Normalizer.isNormalized(text, form)) {
            return Result.identity(text);
        }
        TextRewrite out = new TextRewrite(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            int j = i + Character.charCount(text.codePointAt(i));
            while (j < text.length() && continuesCluster(text.codePointAt(j))) {
                j += Character.charCount(text.codePointAt(j));
            }
            String cluster = text.substring(i, j);
            String normalized = java.text.Normalizer.normalize(cluster, form);
            if (normalized.equals(cluster)) {
                for (int k = i; k < j; ) {
                    int cp = text.codePointAt(k);
                    int next = k + Character.charCount(cp);
                    out.append(cp, k, next);
                    k = next;
                }
            } else {
                align(text, i, j, normalized, out);
            }
            i = j;
        }
        return out.result();
    }

    /** Each output character takes the span of the input character its decomposition starts with. */
    private void align(String text, int from, int to, String normalized, TextRewrite out) {
        IntList sourceStart = new IntList(8);
        IntList sourceEnd = new IntList(8);
        for (int k = from; k < to; ) {
            int cp = text.codePointAt(k);
            int next = k + Character.charCount(cp);
            String parts = java.text.Normalizer.normalize(new String(Character.toChars(cp)), decomposition);
            for (int n = parts.codePointCount(0, parts.length()); n > 0; n--) {
                sourceStart.add(k);
                sourceEnd.add(next);
            }
            k = next;
        }
        int used = 0;
        for (int k = 0; k < normalized.length(); ) {
            int cp = normalized.codePointAt(k);
            k += Character.charCount(cp);
            String parts = java.text.Normalizer.normalize(new String(Character.toChars(cp)), decomposition);
            int n = Math.max(1, parts.codePointCount(0, parts.length()));
            if (used < sourceStart.size) {
                out.append(cp, sourceStart.get(used), sourceEnd.get(used));
            } else {
                out.append(cp, to - 1, to);
            }
            used += n;
        }
    }

    private static boolean continuesCluster(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || (cp >= 0x1160 && cp <= 0x11FF);
    }
}
