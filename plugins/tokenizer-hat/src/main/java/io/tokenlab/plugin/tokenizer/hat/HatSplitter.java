package io.tokenlab.plugin.tokenizer.hat;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The word splitter of the Hierarchical Autoregressive Transformer (HAT, arXiv 2501.10322), which
 * cuts text into the words its byte-level encoder pools.
 *
 * <p>The lexer cuts at UAX #29 word boundaries (ICU's rule-based word BreakIterator, which
 * {@code java.text} does not follow exactly), then after every punctuation character
 * ({@code \p{P}}), then inside camelCase between a lowercase and an uppercase letter, and finally
 * joins a run of pieces that are each a single space into one piece. Each piece is a
 * <em>space</em> (exactly one {@code " "}), other <em>whitespace</em>, a single
 * <em>punctuation</em> character or a <em>word</em>. The parser groups them: a word joins the
 * group before it when that group ends in a space, a punctuation character when it ends in a
 * space, a word or punctuation; whitespace always stands alone. So a word carries the single
 * space before it and the punctuation after it: {@code "Hello, world!"} gives
 * {@code ["Hello,", " world!"]}. Nothing is dropped, so the pieces concatenate to the input.
 *
 * <p>Instances are immutable and thread-safe; each call clones the prototype break iterator.
 */
public final class HatSplitter {
    private enum Kind { SPACE, WHITESPACE, PUNCTUATION, WORD }

    private final BreakIterator prototype = BreakIterator.getWordInstance(ULocale.ROOT);

    /** The HAT words of the text, in order; their concatenation is the text. */
    public List<String> split(String text) {
        List<String> pieces = lex(text);
        List<String> groups = new ArrayList<>();
        StringBuilder group = null;
        Kind last = null;
        for (String piece : pieces) {
            Kind kind = classify(piece);
            boolean joins = group != null && switch (kind) {
                case WORD -> last == Kind.SPACE;
                case PUNCTUATION -> last == Kind.SPACE || last == Kind.WORD || last == Kind.PUNCTUATION;
                case SPACE, WHITESPACE -> false;
            };
            if (!joins) {
                if (group != null) {
                    groups.add(group.toString());
                }
                group = new StringBuilder();
            }
            group.append(piece);
            last = kind;
        }
        if (group != null) {
            groups.add(group.toString());
        }
        return groups;
    }

    /**
     * Like {@link #split(String)}, then cuts every word longer than {@code maxBytes} UTF-8 bytes
     * into chunks of at most that many bytes, never inside a code point (a code point longer than
     * the limit stays whole), since the byte encoder has a fixed word length.
     */
    public List<String> split(String text, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
        }
        List<String> out = new ArrayList<>();
        for (String word : split(text)) {
            if (word.length() <= maxBytes / 3 || word.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
                out.add(word);
                continue;
            }
            int start = 0;
            int bytes = 0;
            for (int i = 0; i < word.length(); ) {
                int cp = word.codePointAt(i);
                int next = i + Character.charCount(cp);
                int size = utf8Length(cp);
                if (bytes > 0 && bytes + size > maxBytes) {
                    out.add(word.substring(start, i));
                    start = i;
                    bytes = 0;
                }
                bytes += size;
                i = next;
            }
            out.add(word.substring(start));
        }
        return out;
    }

    /** The lexer's pieces, before grouping (visible for tests of the individual rules). */
    List<String> lex(String text) {
        List<String> pieces = new ArrayList<>();
        BreakIterator words = (BreakIterator) prototype.clone();
        words.setText(text);
        int start = words.first();
        for (int end = words.next(); end != BreakIterator.DONE; start = end, end = words.next()) {
            for (String afterPunctuation : cutAfterPunctuation(text.substring(start, end))) {
                for (String piece : cutCamelCase(afterPunctuation)) {
                    boolean singleSpace = piece.equals(" ");
                    int lastIndex = pieces.size() - 1;
                    if (singleSpace && lastIndex >= 0 && isAllSpaces(pieces.get(lastIndex))) {
                        pieces.set(lastIndex, pieces.get(lastIndex) + piece);
                    } else {
                        pieces.add(piece);
                    }
                }
            }
        }
        return pieces;
    }

    private static List<String> cutAfterPunctuation(String segment) {
        List<String> out = new ArrayList<>(1);
        int start = 0;
        for (int i = 0; i < segment.length(); ) {
            int cp = segment.codePointAt(i);
            i += Character.charCount(cp);
            if (isPunctuation(cp)) {
                out.add(segment.substring(start, i));
                start = i;
            }
        }
        if (start < segment.length()) {
            out.add(segment.substring(start));
        }
        return out;
    }

    /** Cuts before each uppercase letter that follows a lowercase one ({@code (\p{Ll})(\p{Lu})}). */
    private static List<String> cutCamelCase(String segment) {
        List<String> out = new ArrayList<>(1);
        int start = 0;
        int previous = -1;
        for (int i = 0; i < segment.length(); ) {
            int cp = segment.codePointAt(i);
            if (previous >= 0 && Character.getType(previous) == Character.LOWERCASE_LETTER
                    && Character.getType(cp) == Character.UPPERCASE_LETTER) {
                out.add(segment.substring(start, i));
                start = i;
            }
            previous = cp;
            i += Character.charCount(cp);
        }
        out.add(segment.substring(start));
        return out;
    }

    private static Kind classify(String piece) {
        if (piece.equals(" ")) {
            return Kind.SPACE;
        }
        if (piece.codePoints().allMatch(HatSplitter::isWhitespace)) {
            return Kind.WHITESPACE;
        }
        if (piece.codePointCount(0, piece.length()) == 1 && isPunctuation(piece.codePointAt(0))) {
            return Kind.PUNCTUATION;
        }
        return Kind.WORD;
    }

    private static boolean isAllSpaces(String piece) {
        return piece.chars().allMatch(c -> c == ' ');
    }

    /** Unicode White_Space, as the {@code \s} of the Rust regex crate the reference uses. */
    private static boolean isWhitespace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** General category P (Pc, Pd, Ps, Pe, Pi, Pf, Po). */
    static boolean isPunctuation(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}
