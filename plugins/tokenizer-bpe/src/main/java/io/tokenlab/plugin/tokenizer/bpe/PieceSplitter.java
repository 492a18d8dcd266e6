package io.tokenlab.plugin.tokenizer.bpe;

import java.util.List;

/**
 * A Hugging Face pre-tokenizer for the WordPiece, Unigram and WordLevel pipelines: cuts normalized
 * text into the pieces the model encodes one by one. Unlike {@link PreTokenizer} it may drop
 * characters (whitespace) and insert them (Metaspace's prefix), so pieces carry their own origin spans.
 */
interface PieceSplitter {
    /**
     * Appends the pieces of {@code in} to {@code out}.
     *
     * @param atTextStart whether {@code in} starts at the beginning of the caller's text (and not
     *                    after an added token), which Metaspace's {@code prepend_scheme: first} asks
     */
    void split(Normalizer.Result in, boolean atTextStart, List<Normalizer.Result> out);

    /** The characters {@code [from, to)} of a normalized text as a piece of its own. */
    static Normalizer.Result slice(Normalizer.Result r, int from, int to) {
        if (from == 0 && to == r.text().length()) {
            return r;
        }
        return new Normalizer.Result(r.text().substring(from, to), java.util.Arrays.copyOfRange(r.originStarts(), from, to),
                java.util.Arrays.copyOfRange(r.originEnds(), from, to));
    }

    /** A character test over code points. */
    interface CodePointTest {
        boolean test(int cp);
    }

    /** Splits on characters that pass {@code test}; they are dropped ({@code isolate} false) or kept alone. */
    static void splitOn(Normalizer.Result in, CodePointTest test, boolean isolate, List<Normalizer.Result> out) {
        String s = in.text();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (test.test(cp)) {
                if (i > start) {
                    out.add(slice(in, start, i));
                }
                if (isolate) {
                    out.add(slice(in, i, next));
                }
                start = next;
            }
            i = next;
        }
        if (s.length() > start) {
            out.add(slice(in, start, s.length()));
        }
    }

    /** Pre-tokenizers in order, each applied to every piece of the previous one. */
    static PieceSplitter sequence(List<PieceSplitter> steps) {
        return (in, atTextStart, out) -> {
            List<Normalizer.Result> current = new java.util.ArrayList<>();
            current.add(in);
            for (PieceSplitter step : steps) {
                List<Normalizer.Result> next = new java.util.ArrayList<>(current.size() * 2);
                for (int k = 0; k < current.size(); k++) {
                    Normalizer.Result piece = current.get(k);
                    step.split(piece, atTextStart && k == 0, next);
                }
                current = next;
            }
            out.addAll(current);
        };
    }

    /** No pre-tokenizer: the whole text is one piece. */
    PieceSplitter WHOLE = (in, atTextStart, out) -> {
        if (!in.text().isEmpty()) {
            out.add(in);
        }
    };

    /** BERT: whitespace removed, every punctuation character a piece of its own. */
    PieceSplitter BERT = (in, atTextStart, out) -> {
        List<Normalizer.Result> words = new java.util.ArrayList<>();
        splitOn(in, UnicodeClasses::isWhitespace, false, words);
        for (Normalizer.Result w : words) {
            splitOn(w, UnicodeClasses::isBertPunctuation, true, out);
        }
    };

    /** Hugging Face's WhitespaceSplit: whitespace removed. */
    PieceSplitter WHITESPACE_SPLIT = (in, atTextStart, out) -> splitOn(in, UnicodeClasses::isWhitespace, false, out);
}
