package io.tokenlab.plugin.tokenizer.bpe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face's Split pre-tokenizer for patterns without a hand-written matcher, through
 * java.util.regex: matches and the gaps between them become pieces as {@code behavior} says.
 */
final class RegexSplit implements PreTokenizer {
    private final Pattern pattern;
    private final String behavior;

    RegexSplit(Pattern pattern, String behavior) {
        this.pattern = pattern;
        this.behavior = behavior;
    }

    @Override
    public void split(String text, int start, int end, IntList pieceEnds) {
        Matcher m = pattern.matcher(text).region(start, end);
        int previous = start;
        int pendingStart = start; // for MergedWithNext: where the piece that absorbs the next gap starts
        while (m.find()) {
            if (m.end() == m.start()) {
                continue;
            }
            switch (behavior) {
                case "Isolated":
                    addPiece(pieceEnds, previous, m.start());
                    addPiece(pieceEnds, m.start(), m.end());
                    break;
                case "MergedWithPrevious":
                    addPiece(pieceEnds, previous, m.end());
                    break;
                case "MergedWithNext":
                    addPiece(pieceEnds, pendingStart, m.start());
                    pendingStart = m.start();
                    break;
                default:
                    throw new IllegalStateException(behavior);
            }
            previous = m.end();
        }
        if (behavior.equals("MergedWithNext")) {
            addPiece(pieceEnds, pendingStart, end);
        } else {
            addPiece(pieceEnds, previous, end);
        }
    }

    private static void addPiece(IntList pieceEnds, int from, int to) {
        if (to > from) {
            pieceEnds.add(to);
        }
    }
}
