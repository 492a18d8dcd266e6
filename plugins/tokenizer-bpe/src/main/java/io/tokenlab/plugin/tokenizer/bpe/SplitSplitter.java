package io.tokenlab.plugin.tokenizer.bpe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face's Split pre-tokenizer: the text is cut at the matches of a pattern, and each match
 * is removed, kept alone, merged with the piece before or after, or merged with adjacent matches
 * (Contiguous); {@code invert} swaps matches and the text between them. Empty pieces are dropped.
 */
final class SplitSplitter implements PieceSplitter {
    enum Behavior { REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    private final Pattern pattern;
    private final PieceSplitter.CodePointTest test;
    private final Behavior behavior;
    private final boolean invert;

    /** Matches of a regex (a String pattern is a quoted regex). */
    SplitSplitter(Pattern pattern, Behavior behavior, boolean invert) {
        this.pattern = pattern;
        this.test = null;
        this.behavior = behavior;
        this.invert = invert;
    }

    /** Every character that passes {@code test} is a match of its own, as for Hugging Face's character patterns. */
    SplitSplitter(PieceSplitter.CodePointTest test, Behavior behavior) {
        this.pattern = null;
        this.test = test;
        this.behavior = behavior;
        this.invert = false;
    }

    static Behavior behavior(String name) {
        switch (name) {
            case "Removed": return Behavior.REMOVED;
            case "Isolated": return Behavior.ISOLATED;
            case "MergedWithPrevious": return Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext": return Behavior.MERGED_WITH_NEXT;
            case "Contiguous": return Behavior.CONTIGUOUS;
            default: return null;
        }
    }

    @Override
    public void split(Normalizer.Result in, boolean atTextStart, List<Normalizer.Result> out) {
        String s = in.text();
        // the text as alternating spans: {start, end, isMatch}
        List<int[]> spans = new ArrayList<>();
        int prev = 0;
        if (pattern != null) {
            Matcher m = pattern.matcher(s);
            while (m.find()) {
                if (prev != m.start()) {
                    spans.add(new int[] {prev, m.start(), invert ? 1 : 0});
                }
                spans.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
                prev = m.end();
            }
        } else {
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                int next = i + Character.charCount(cp);
                if (test.test(cp)) {
                    if (prev != i) {
                        spans.add(new int[] {prev, i, 0});
                    }
                    spans.add(new int[] {i, next, 1});
                    prev = next;
                }
                i = next;
            }
        }
        if (prev != s.length()) {
            spans.add(new int[] {prev, s.length(), invert ? 1 : 0});
        }
        List<int[]> pieces = new ArrayList<>(spans.size());
        switch (behavior) {
            case REMOVED:
                for (int[] sp : spans) {
                    if (sp[2] == 0) {
                        pieces.add(sp);
                    }
                }
                break;
            case ISOLATED:
                pieces.addAll(spans);
                break;
            case CONTIGUOUS: {
                int previous = 0;
                for (int[] sp : spans) {
                    if (!pieces.isEmpty() && sp[2] == previous) {
                        pieces.get(pieces.size() - 1)[1] = sp[1];
                    } else {
                        pieces.add(sp.clone());
                    }
                    previous = sp[2];
                }
                break;
            }
            case MERGED_WITH_PREVIOUS: {
                boolean previousMatch = false;
                for (int[] sp : spans) {
                    if (sp[2] == 1 && !previousMatch && !pieces.isEmpty()) {
                        pieces.get(pieces.size() - 1)[1] = sp[1];
                    } else {
                        pieces.add(sp.clone());
                    }
                    previousMatch = sp[2] == 1;
                }
                break;
            }
            case MERGED_WITH_NEXT: {
                boolean previousMatch = false;
                List<int[]> reversed = new ArrayList<>();
                for (int k = spans.size() - 1; k >= 0; k--) {
                    int[] sp = spans.get(k);
                    if (sp[2] == 1 && !previousMatch && !reversed.isEmpty()) {
                        reversed.get(reversed.size() - 1)[0] = sp[0];
                    } else {
                        reversed.add(sp.clone());
                    }
                    previousMatch = sp[2] == 1;
                }
                for (int k = reversed.size() - 1; k >= 0; k--) {
                    pieces.add(reversed.get(k));
                }
                break;
            }
            default:
                throw new IllegalStateException(behavior.toString());
        }
        for (int[] p : pieces) {
            if (p[1] > p[0]) {
                out.add(PieceSplitter.slice(in, p[0], p[1]));
            }
        }
    }
}
