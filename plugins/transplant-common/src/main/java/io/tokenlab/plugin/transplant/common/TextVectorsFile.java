package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Word vectors as text, one {@code word v1 ... vd} line per word: GloVe's format, and word2vec's text
 * format, which adds a first line {@code count dimension}. Values are separated by single spaces.
 */
public final class TextVectorsFile {
    private TextVectorsFile() {
    }

    public static EmbeddingTable read(String text, String name) throws IOException {
        BufferedReader in = new BufferedReader(new StringReader(text));
        List<String> words = new ArrayList<>();
        float[] values = new float[1024];
        int size = 0;
        int dimension = -1;
        long declaredCount = -1;
        String line;
        int lineNumber = 0;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split(" ");
            if (lineNumber == 1 && parts.length == 2 && isInteger(parts[0]) && isInteger(parts[1])) {
                // word2vec's header: the word count and the dimension
                long count = parseOrMinus(parts[0]);
                long d = parseOrMinus(parts[1]);
                if (count < 0 || d < 1 || d > MAX_DIMENSION) {
                    throw new TableFormatException(name + ":1: word2vec header '" + line.strip() + "'; expected "
                            + "'<word count> <dimension>' with a dimension in 1.." + MAX_DIMENSION);
                }
                declaredCount = count;
                dimension = (int) d;
                continue;
            }
            if (dimension < 0) {
                dimension = parts.length - 1;
                if (dimension < 1) {
                    throw new TableFormatException(name + ":" + lineNumber + ": expected 'word v1 ... vd'");
                }
            }
            if (parts.length < dimension + 1) {
                throw new TableFormatException(name + ":" + lineNumber + ": " + (parts.length - 1)
                        + " values where the file has " + dimension + " per word");
            }
            // a word may contain spaces (GloVe 840B has some): the last d fields are the vector
            String word = String.join(" ", java.util.Arrays.copyOfRange(parts, 0, parts.length - dimension));
            if (size + dimension > values.length) {
                values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, size + dimension));
            }
            for (int j = 0; j < dimension; j++) {
                String v = parts[parts.length - dimension + j];
                try {
                    values[size++] = Float.parseFloat(v);
                } catch (NumberFormatException e) {
                    throw new TableFormatException(name + ":" + lineNumber + ": '" + v + "' is not a number");
                }
            }
            words.add(word);
        }
        if (declaredCount >= 0 && declaredCount != words.size()) {
            throw new TableFormatException(name + ": the header declares " + declaredCount + " words, the file has "
                    + words.size() + "; truncated?");
        }
        if (dimension < 0) {
            throw new TableFormatException(name + ": no vectors in the file");
        }
        return Tables.bind(words, new FloatMatrix(words.size(), dimension, java.util.Arrays.copyOf(values, size)), name);
    }

    /** Far above any real table's dimension (4096 for the largest models here); a larger one is a damaged header. */
    static final int MAX_DIMENSION = 1 << 20;

    private static long parseOrMinus(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isInteger(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** GloVe text, or word2vec text with its count line when {@code word2vecHeader}. */
    public static String write(EmbeddingTable table, boolean word2vecHeader) {
        StringBuilder sb = new StringBuilder();
        FloatMatrix m = table.vectors();
        if (word2vecHeader) {
            sb.append(m.rows()).append(' ').append(m.cols()).append('\n');
        }
        for (int i = 0; i < m.rows(); i++) {
            String token = table.tokens().get(i);
            if (token.indexOf('\n') >= 0 || token.isEmpty()) {
                throw new IllegalArgumentException("token " + Tables.quoted(token) + " cannot be written as a text vector line");
            }
            sb.append(token);
            for (int j = 0; j < m.cols(); j++) {
                sb.append(' ').append(m.get(i, j));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
