package io.tokenlab.plugin.tokenizer.trainer;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How text is cut into pieces that merges never cross, together with the tokenizer.json
 * pre_tokenizer that makes Hugging Face tokenizers (and tokenizer/bpe) cut it the same way.
 */
enum PreTokenization {
    /** GPT-2's regex, as the ByteLevel pre-tokenizer applies it: words with their leading space. */
    GPT2("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", true),
    /**
     * GPT-4's (cl100k_base) regex: a word may carry one leading non-letter (space, bracket, dot,
     * underscore), contractions in any case, digits in groups of at most three, newlines with the
     * spaces before them. The string is the Hugging Face form of that regex exactly as tokenizer/bpe
     * knows it, so a trained tokenizer.json gets that plugin's hand-written cl100k splitter.
     */
    CL100K("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", false),
    /**
     * SuperBPE's stage-2 regex (Liu et al. 2025): only digit groups, punctuation runs and space runs
     * before a space are isolated; the text between matches stays one piece, so merges may cross the
     * single spaces between words.
     */
    SUPERWORD("\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]{2,}[\\r\\n/]*| +(?!\\S)", false);

    private final Pattern pattern;
    private final boolean matchesArePieces;

    PreTokenization(String regex, boolean matchesArePieces) {
        this.pattern = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        this.matchesArePieces = matchesArePieces;
    }

    /** The pre-tokenization a trainer parameter names: gpt2 or cl100k. */
    static PreTokenization named(String name) {
        switch (name) {
            case "gpt2":
                return GPT2;
            case "cl100k":
                return CL100K;
            default:
                throw new io.tokenlab.api.InvalidParameterException("pre.tokenizer", "'" + name
                        + "' is not a pre-tokenization; accepted: gpt2, cl100k");
        }
    }

    String regex() {
        return pattern.pattern();
    }

    /** Receives pieces as ranges of the text they were cut from, so that cutting allocates nothing. */
    interface RangeSink {
        void accept(int start, int end);
    }

    /** Calls {@code piece} with every non-empty piece of {@code text}, in order; the pieces concatenate to it. */
    void split(String text, Consumer<String> piece) {
        splitRanges(text, (start, end) -> piece.accept(text.substring(start, end)));
    }

    /** Calls {@code piece} with the range of every non-empty piece of {@code text}, in order. */
    void splitRanges(String text, RangeSink piece) {
        splitRanges(pattern.matcher(text), text.length(), piece);
    }

    /** As {@link #splitRanges(String, RangeSink)}, reusing {@code m} (reset to the next text) to save its allocation. */
    static void splitRanges(Matcher m, int length, RangeSink piece) {
        int previous = 0;
        while (m.find()) {
            if (m.start() == m.end()) {
                continue;
            }
            // GPT-2's matches cover the text; SuperBPE's "Isolated" split also keeps the gaps
            if (m.start() > previous) {
                piece.accept(previous, m.start());
            }
            piece.accept(m.start(), m.end());
            previous = m.end();
        }
        if (previous < length) {
            piece.accept(previous, length);
        }
    }

    Matcher matcher() {
        return pattern.matcher("");
    }

    /** Piece end offsets (UTF-16) of {@code text}, the cheap form used when encoding. */
    int[] pieceEnds(String text, int from, int to) {
        Matcher m = pattern.matcher(text).region(from, to);
        int[] ends = new int[8];
        int n = 0;
        int previous = from;
        while (m.find()) {
            if (m.start() == m.end()) {
                continue;
            }
            if (n + 2 > ends.length) {
                ends = java.util.Arrays.copyOf(ends, ends.length * 2);
            }
            if (m.start() > previous) {
                ends[n++] = m.start();
            }
            ends[n++] = m.end();
            previous = m.end();
        }
        if (previous < to) {
            if (n == ends.length) {
                ends = java.util.Arrays.copyOf(ends, n + 1);
            }
            ends[n++] = to;
        }
        return java.util.Arrays.copyOf(ends, n);
    }

    /** The tokenizer.json {@code pre_tokenizer} value that cuts text exactly like {@link #split}. */
    String preTokenizerJson() {
        if (matchesArePieces) {
            return "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}";
        }
        return "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":"
                + TokenizerJsonWriter.quoted(regex()) + "},\"behavior\":\"Isolated\",\"invert\":false},"
                + "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}]}";
    }
}
