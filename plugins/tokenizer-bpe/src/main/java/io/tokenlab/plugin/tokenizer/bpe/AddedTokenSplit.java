package io.tokenlab.plugin.tokenizer.bpe;

import java.util.regex.Pattern;

/**
 * Finds added tokens in a text as Hugging Face's added vocabulary does: leftmost-longest matches
 * scanned left to right; a single_word token only between non-word characters; lstrip and rstrip
 * tokens take the whitespace before or after them. Reports each ordinary span and each token span.
 */
final class AddedTokenSplit {
    private static final Pattern WORD = Pattern.compile("\\w", Pattern.UNICODE_CHARACTER_CLASS);

    /** Receives the spans of one text in order. */
    interface Sink {
        void ordinary(int from, int to);

        void token(String token, int from, int to);
    }

    private AddedTokenSplit() {
    }

    static void split(AddedTokens added, String s, Sink sink) {
        int n = s.length();
        int startOffset = 0;
        int i = 0;
        while (i < n && !added.isEmpty()) {
            if (!added.mayStartAt(s.charAt(i))) {
                i++;
                continue;
            }
            String token = added.matchAt(s, i, n);
            if (token == null) {
                i++;
                continue;
            }
            int start = i;
            int stop = i + token.length();
            int options = added.options(token);
            if ((options & AddedTokens.SINGLE_WORD) != 0
                    && ((start > 0 && isWord(s.codePointBefore(start))) || (stop < n && isWord(s.codePointAt(stop))))) {
                i = stop; // the scan goes on after the rejected match, as Aho-Corasick's does
                continue;
            }
            i = stop;
            if ((options & AddedTokens.LSTRIP) != 0) {
                while (start > startOffset && UnicodeClasses.isWhitespace(s.codePointBefore(start))) {
                    start -= Character.charCount(s.codePointBefore(start));
                }
            }
            if ((options & AddedTokens.RSTRIP) != 0) {
                while (stop < n && UnicodeClasses.isWhitespace(s.codePointAt(stop))) {
                    stop += Character.charCount(s.codePointAt(stop));
                }
            }
            if (startOffset < start) {
                sink.ordinary(startOffset, start);
            }
            sink.token(token, start, stop);
            startOffset = stop;
            i = Math.max(i, stop);
        }
        if (startOffset < n) {
            sink.ordinary(startOffset, n);
        }
    }

    private static boolean isWord(int cp) {
        return WORD.matcher(new String(Character.toChars(cp))).matches();
    }
}
