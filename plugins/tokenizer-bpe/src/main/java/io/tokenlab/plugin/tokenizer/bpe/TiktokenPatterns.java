package io.tokenlab.plugin.tokenizer.bpe;

import static io.tokenlab.plugin.tokenizer.bpe.CharClass.LETTER;
import static io.tokenlab.plugin.tokenizer.bpe.CharClass.LOWERISH;
import static io.tokenlab.plugin.tokenizer.bpe.CharClass.NEWLINE;
import static io.tokenlab.plugin.tokenizer.bpe.CharClass.NUMBER;
import static io.tokenlab.plugin.tokenizer.bpe.CharClass.SPACE;
import static io.tokenlab.plugin.tokenizer.bpe.CharClass.UPPERISH;

/**
 * Hand-written matchers for the pre-tokenization regexes of the tiktoken encodings, each
 * equivalent to its pattern under leftmost-first alternation (checked against java.util.regex
 * by the tests), without a regex engine on the hot path.
 */
final class TiktokenPatterns {
    /** r50k_base, p50k_base and GPT-2. */
    static final String GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    /** cl100k_base (tiktoken's current spelling). */
    static final String CL100K_REGEX = "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";
    /** cl100k_base as Hugging Face tokenizer.json files spell it. */
    static final String CL100K_HF_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Qwen 2/3: cl100k with single digits. */
    static final String QWEN_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** o200k_base. */
    static final String O200K_REGEX = String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+");

    private TiktokenPatterns() {
    }

    /** The hand-written matcher for a known regex, or null. */
    static PreTokenizer forRegex(String regex) {
        if (regex.equals(GPT2_REGEX)) {
            return new Gpt2();
        }
        if (regex.equals(CL100K_REGEX) || regex.equals(CL100K_HF_REGEX)) {
            return new Cl100k(3);
        }
        if (regex.equals(QWEN_REGEX)) {
            return new Cl100k(1);
        }
        if (regex.equals(O200K_REGEX)) {
            return new O200k();
        }
        return null;
    }

    // ---- shared scanning helpers; all positions are UTF-16 indices, classes are per code point

    private static int cp(String s, int i, int end) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < end) {
            char d = s.charAt(i + 1);
            if (Character.isLowSurrogate(d)) {
                return Character.toCodePoint(c, d);
            }
        }
        return c;
    }

    private static int width(int codePoint) {
        return codePoint >= 0x10000 ? 2 : 1;
    }

    private static int classAt(String s, int i, int end) {
        char c = s.charAt(i);
        if (c < 0xD800) {
            return CharClass.of(c);
        }
        return CharClass.of(cp(s, i, end));
    }

    /** End of the run of code points from {@code i} that have any of {@code flags}. */
    private static int runOf(String s, int i, int end, int flags) {
        while (i < end) {
            char c = s.charAt(i);
            if (c < 0xD800) {
                if ((CharClass.of(c) & flags) == 0) {
                    break;
                }
                i++;
            } else {
                int p = cp(s, i, end);
                if ((CharClass.of(p) & flags) == 0) {
                    break;
                }
                i += width(p);
            }
        }
        return i;
    }

    /** End of the run of code points from {@code i} that have none of {@code flags}. */
    private static int runOfNot(String s, int i, int end, int flags) {
        while (i < end) {
            char c = s.charAt(i);
            if (c < 0xD800) {
                if ((CharClass.of(c) & flags) != 0) {
                    break;
                }
                i++;
            } else {
                int p = cp(s, i, end);
                if ((CharClass.of(p) & flags) != 0) {
                    break;
                }
                i += width(p);
            }
        }
        return i;
    }

    private static int widthAt(String s, int i, int end) {
        return width(cp(s, i, end));
    }

    /** {@code \s*[\r\n]}, {@code \s+(?!\S)}, {@code \s+} at a whitespace character. */
    private static int whitespace(String s, int i, int end, boolean newlineAlternative) {
        int runEnd = runOf(s, i, end, SPACE);
        if (newlineAlternative) {
            for (int p = runEnd - 1; p >= i; p--) {
                char c = s.charAt(p);
                if (c == '\n' || c == '\r') {
                    return p + 1;
                }
            }
        }
        if (runEnd == end) {
            return runEnd;
        }
        int lastStart = runEnd - (Character.isLowSurrogate(s.charAt(runEnd - 1)) && runEnd - 2 >= i
                && Character.isHighSurrogate(s.charAt(runEnd - 2)) ? 2 : 1);
        return lastStart > i ? lastStart : i + widthAt(s, i, end);
    }

    /** Length of a contraction {@code 's 't 're 've 'm 'll 'd} at {@code i}, or 0. */
    private static int contraction(String s, int i, int end, boolean ignoreCase) {
        if (i + 1 >= end || s.charAt(i) != '\'') {
            return 0;
        }
        char a = s.charAt(i + 1);
        if (ignoreCase) {
            a = asciiLower(a);
        }
        if (a == 's' || a == 't' || a == 'm' || a == 'd') {
            return 2;
        }
        if (i + 2 < end) {
            char b = s.charAt(i + 2);
            if (ignoreCase) {
                b = asciiLower(b);
            }
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
                return 3;
            }
        }
        return 0;
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}. */
    static final class Gpt2 implements PreTokenizer {
        @Override
        public void split(String s, int start, int end, IntList pieceEnds) {
            int i = start;
            while (i < end) {
                int next = pieceEnd(s, i, end);
                pieceEnds.add(next);
                i = next;
            }
        }

        private static int pieceEnd(String s, int i, int end) {
            int c = classAt(s, i, end);
            int k = contraction(s, i, end, false);
            if (k > 0) {
                return i + k;
            }
            int from = i;
            if (s.charAt(i) == ' ' && i + 1 < end) {
                int n = classAt(s, i + 1, end);
                if ((n & SPACE) == 0) {
                    from = i + 1;
                    c = n;
                }
            }
            if ((c & LETTER) != 0) {
                return runOf(s, from, end, LETTER);
            }
            if ((c & NUMBER) != 0) {
                return runOf(s, from, end, NUMBER);
            }
            if ((c & SPACE) == 0) {
                return runOfNot(s, from, end, LETTER | NUMBER | SPACE);
            }
            return whitespace(s, i, end, false);
        }
    }

    /** cl100k_base's pattern; with {@code maxDigits = 1} the Qwen variant. */
    static final class Cl100k implements PreTokenizer {
        private final int maxDigits;

        Cl100k(int maxDigits) {
            this.maxDigits = maxDigits;
        }

        @Override
        public void split(String s, int start, int end, IntList pieceEnds) {
            int i = start;
            while (i < end) {
                int next = pieceEnd(s, i, end);
                pieceEnds.add(next);
                i = next;
            }
        }

        private int pieceEnd(String s, int i, int end) {
            int k = contraction(s, i, end, true);
            if (k > 0) {
                return i + k;
            }
            int c = classAt(s, i, end);
            if ((c & LETTER) != 0) {
                return runOf(s, i, end, LETTER);
            }
            int w = widthAt(s, i, end);
            if ((c & (NEWLINE | NUMBER)) == 0 && i + w < end && (classAt(s, i + w, end) & LETTER) != 0) {
                return runOf(s, i + w, end, LETTER);
            }
            if ((c & NUMBER) != 0) {
                int j = i;
                for (int d = 0; d < maxDigits && j < end; d++) {
                    int p = cp(s, j, end);
                    if ((CharClass.of(p) & NUMBER) == 0) {
                        break;
                    }
                    j += width(p);
                }
                return j;
            }
            int from = -1;
            if ((c & SPACE) == 0) {
                from = i;
            } else if (s.charAt(i) == ' ' && i + 1 < end && (classAt(s, i + 1, end) & (SPACE | LETTER | NUMBER)) == 0) {
                from = i + 1;
            }
            if (from >= 0) {
                int j = runOfNot(s, from, end, LETTER | NUMBER | SPACE);
                while (j < end && (s.charAt(j) == '\r' || s.charAt(j) == '\n')) {
                    j++;
                }
                return j;
            }
            return whitespace(s, i, end, true);
        }
    }

    /** o200k_base's pattern: words split at case changes, contractions attached, {@code /} after punctuation. */
    static final class O200k implements PreTokenizer {
        @Override
        public void split(String s, int start, int end, IntList pieceEnds) {
            int i = start;
            while (i < end) {
                int next = pieceEnd(s, i, end);
                pieceEnds.add(next);
                i = next;
            }
        }

        private static int pieceEnd(String s, int i, int end) {
            int c = classAt(s, i, end);
            int w = widthAt(s, i, end);
            boolean optionalPrefix = (c & (NEWLINE | LETTER | NUMBER)) == 0 && i + w < end;
            int word = -1;
            if (optionalPrefix) {
                word = upperThenLower(s, i + w, end);
            }
            if (word < 0) {
                word = upperThenLower(s, i, end);
            }
            if (word < 0 && optionalPrefix) {
                word = upperFirst(s, i + w, end);
            }
            if (word < 0) {
                word = upperFirst(s, i, end);
            }
            if (word >= 0) {
                return word + contraction(s, word, end, true);
            }
            if ((c & NUMBER) != 0) {
                int j = i;
                for (int d = 0; d < 3 && j < end; d++) {
                    int p = cp(s, j, end);
                    if ((CharClass.of(p) & NUMBER) == 0) {
                        break;
                    }
                    j += width(p);
                }
                return j;
            }
            int from = -1;
            if ((c & SPACE) == 0) {
                from = i;
            } else if (s.charAt(i) == ' ' && i + 1 < end && (classAt(s, i + 1, end) & (SPACE | LETTER | NUMBER)) == 0) {
                from = i + 1;
            }
            if (from >= 0) {
                int j = runOfNot(s, from, end, LETTER | NUMBER | SPACE);
                while (j < end && (s.charAt(j) == '\r' || s.charAt(j) == '\n' || s.charAt(j) == '/')) {
                    j++;
                }
                return j;
            }
            return whitespace(s, i, end, true);
        }

        /** {@code [upperish]*[lowerish]+} from {@code from}: its end, or -1. */
        private static int upperThenLower(String s, int from, int end) {
            int j = from;
            int lastLowerish = -1;
            while (j < end) {
                int p = cp(s, j, end);
                int f = CharClass.of(p);
                if ((f & UPPERISH) == 0) {
                    break;
                }
                if ((f & LOWERISH) != 0) {
                    lastLowerish = j;
                }
                j += width(p);
            }
            if (j < end && (classAt(s, j, end) & LOWERISH) != 0) {
                return runOf(s, j, end, LOWERISH);
            }
            // backtrack: the upper-case run gives back its last character that is lower-case too
            return lastLowerish < 0 ? -1 : lastLowerish + widthAt(s, lastLowerish, end);
        }

        /** {@code [upperish]+[lowerish]*} from {@code from}: its end, or -1. */
        private static int upperFirst(String s, int from, int end) {
            int j = runOf(s, from, end, UPPERISH);
            if (j == from) {
                return -1;
            }
            return runOf(s, j, end, LOWERISH);
        }
    }
}
