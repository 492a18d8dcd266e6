package io.tokenlab.plugin.transplant.common;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.util.List;

/** Checks that make a matrix and a vocabulary one usable table. */
public final class Tables {
    private Tables() {
    }

    /** Binds rows to tokens; the counts must agree and every value must be finite. */
    public static EmbeddingTable bind(List<String> vocabulary, FloatMatrix vectors, String name)
            throws TableFormatException {
        if (vocabulary.size() != vectors.rows()) {
            throw new TableFormatException(name + ": " + vectors.rows() + " rows for a vocabulary of "
                    + vocabulary.size() + " tokens; a table has one row per token, in vocabulary order");
        }
        requireFinite(vectors, vocabulary, name);
        return new EmbeddingTable(vocabulary, vectors);
    }

    /** Fails on the first row holding NaN or infinity, naming the row and its token. */
    public static void requireFinite(FloatMatrix vectors, List<String> vocabulary, String name)
            throws TableFormatException {
        float[] d = vectors.data();
        int cols = vectors.cols();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                int row = i / cols;
                String token = vocabulary != null && row < vocabulary.size() ? " (token " + quoted(vocabulary.get(row)) + ")" : "";
                throw new TableFormatException(name + ": row " + row + token + " holds " + d[i] + " at column "
                        + i % cols + "; tables must be finite");
            }
        }
    }

    /**
     * A token as a JSON string literal (Jackson's escaping), so that a message shows its spaces, quotes and
     * control characters unambiguously.
     */
    static String quoted(String token) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(token)) + '"';
    }
}
