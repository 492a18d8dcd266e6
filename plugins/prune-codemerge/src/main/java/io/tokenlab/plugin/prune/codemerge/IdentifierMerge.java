package io.tokenlab.plugin.prune.codemerge;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Token merging for code models: the sub-tokens a tokenizer cuts one identifier into ("get", "User",
 * "Name") are replaced by one vector, their mean. Identifiers are found from the token texts alone:
 * a token continues the previous unit when both consist of identifier characters (letters, digits,
 * '_' or '$') and it does not begin with a word boundary (whitespace, or the byte-level BPE markers
 * 'Ġ' (space), 'Ċ' (newline), 'ĉ' (tab), or SentencePiece's '▁'). Any other token (operators,
 * punctuation, whitespace) is a unit of its own.
 */
public final class IdentifierMerge {
    private static final String BOUNDARY_MARKERS = "ĠĊĉ▁";

    /** Tokens [start, end) form one unit. */
    public record Span(int start, int end) {
        public int length() {
            return end - start;
        }
    }

    /** @param features one row per span, the mean of its tokens' rows */
    public record Result(FloatMatrix features, List<Span> spans) {
    }

    private IdentifierMerge() {
    }

    /** The units the tokens form, in order; together they cover every token exactly once. */
    public static List<Span> spans(List<String> tokens) {
        List<Span> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= tokens.size(); i++) {
            if (i == tokens.size() || !continuesIdentifier(tokens.get(i - 1), tokens.get(i))) {
                out.add(new Span(start, i));
                start = i;
            }
        }
        return out;
    }

    public static Result merge(List<String> tokens, FloatMatrix features) {
        if (tokens.size() != features.rows()) {
            throw new TechniqueException(tokens.size() + " token texts for " + features.rows() + " feature rows; "
                    + "there must be one text per row");
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i) == null || tokens.get(i).isEmpty()) {
                throw new TechniqueException("token " + i + " has no text; identifiers are found from token texts");
            }
        }
        float[] data = features.data();
        for (int k = 0; k < data.length; k++) {
            if (!Float.isFinite(data[k])) {
                throw new TechniqueException("feature (" + k / features.cols() + ", " + k % features.cols() + ") is "
                        + data[k] + "; features must be finite numbers");
            }
        }
        List<Span> spans = spans(tokens);
        int d = features.cols();
        FloatMatrix merged = FloatMatrix.zeros(spans.size(), d);
        for (int s = 0; s < spans.size(); s++) {
            Span span = spans.get(s);
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int i = span.start(); i < span.end(); i++) {
                    sum += features.get(i, j);
                }
                merged.set(s, j, (float) (sum / span.length()));
            }
        }
        return new Result(merged, List.copyOf(spans));
    }

    static boolean continuesIdentifier(String previous, String token) {
        return isIdentifierText(previous, true) && isIdentifierText(token, false);
    }

    /**
     * Whether the text is made of identifier characters; a leading boundary marker is allowed on the
     * previous token (it starts the unit) but not on a continuation.
     */
    private static boolean isIdentifierText(String text, boolean mayStartWord) {
        int from = 0;
        if (!text.isEmpty() && (BOUNDARY_MARKERS.indexOf(text.charAt(0)) >= 0 || text.charAt(0) == ' ')) {
            if (!mayStartWord) {
                return false;
            }
            from = 1;
        }
        if (from == text.length()) {
            return false;
        }
        for (int i = from; i < text.length(); i++) {
            if (!Character.isJavaIdentifierPart(text.charAt(i)) || Character.isIdentifierIgnorable(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
