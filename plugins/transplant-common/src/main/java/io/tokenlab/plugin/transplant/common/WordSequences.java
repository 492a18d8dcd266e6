package io.tokenlab.plugin.transplant.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Word-level tokenization for word-vector spaces: lower-cased runs of letters and digits (with inner
 * apostrophes and hyphens, as GloVe's tokens have), ids assigned by first occurrence. GloVe-derived
 * vectors are lower-case, so vectors trained on these words share their vocabulary.
 */
public final class WordSequences {
    private final List<String> vocabulary;
    private final List<int[]> sequences;

    private WordSequences(List<String> vocabulary, List<int[]> sequences) {
        this.vocabulary = vocabulary;
        this.sequences = sequences;
    }

    public static WordSequences of(List<String> paragraphs) {
        Map<String, Integer> ids = new HashMap<>();
        List<String> vocabulary = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>(paragraphs.size());
        for (String p : paragraphs) {
            List<String> words = words(p);
            int[] seq = new int[words.size()];
            for (int i = 0; i < seq.length; i++) {
                String w = words.get(i);
                Integer id = ids.get(w);
                if (id == null) {
                    id = vocabulary.size();
                    ids.put(w, id);
                    vocabulary.add(w);
                }
                seq[i] = id;
            }
            sequences.add(seq);
        }
        return new WordSequences(List.copyOf(vocabulary), sequences);
    }

    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && (Character.isLetterOrDigit(text.charAt(i))
                    || (text.charAt(i) == '\'' || text.charAt(i) == '-') && i + 1 < n
                    && Character.isLetterOrDigit(text.charAt(i + 1)))) {
                i++;
            }
            if (i > start) {
                out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    public List<String> vocabulary() {
        return vocabulary;
    }

    public List<int[]> sequences() {
        return sequences;
    }
}
