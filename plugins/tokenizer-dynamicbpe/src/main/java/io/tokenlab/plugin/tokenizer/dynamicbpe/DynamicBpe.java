package io.tokenlab.plugin.tokenizer.dynamicbpe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dynamic tokenization (arXiv 2411.18553) in its "word" validity mode: a batch of texts is cut into
 * words, each word starts as its characters, and then, {@code merges} times, the most frequent
 * adjacent pair of tokens in the whole batch becomes one new token everywhere in the batch. Pairs
 * are counted only inside a word, so no token ever spans a word boundary or holds whitespace
 * after its first character. The vocabulary belongs to the batch: the next batch gets its own.
 *
 * <p>A word is what a GPT-2 style pre-tokenizer makes: a run of letters (with marks), of digits or
 * of other non-space characters, each with at most one leading space, or a run of whitespace.
 * Ties between equally frequent pairs go to the pair of smaller ids (ids are given in order of
 * first appearance), so the result is deterministic. Merging goes on while any word has two or more tokens, so enough merges leave
 * exactly one token per word.
 */
public final class DynamicBpe {
    private static final Pattern WORD = Pattern.compile(
            " ?[\\p{L}\\p{M}]+| ?\\p{N}+| ?[^\\s\\p{L}\\p{M}\\p{N}]+|\\s+(?!\\S)|\\s+");

    /** A tokenized batch: the batch vocabulary, the merges in order, and each text's ids. */
    public record Batch(List<String> vocabulary, List<String[]> merges, List<int[]> ids) {
        /** The text of a sequence of this batch's ids. */
        public String decode(int[] sequence) {
            StringBuilder sb = new StringBuilder();
            for (int id : sequence) {
                sb.append(vocabulary.get(id));
            }
            return sb.toString();
        }

        /** The token strings of one text. */
        public List<String> tokens(int text) {
            List<String> out = new ArrayList<>();
            for (int id : ids.get(text)) {
                out.add(vocabulary.get(id));
            }
            return out;
        }

        public int tokenCount() {
            return ids.stream().mapToInt(a -> a.length).sum();
        }
    }

    private DynamicBpe() {
    }

    /** The words of a text, in order; they concatenate to the text. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Tokenizes the batch with at most {@code merges} merges (fewer once every word is one token). */
    public static Batch encode(List<String> texts, int merges) {
        if (merges < 0) {
            throw new IllegalArgumentException("merges must be >= 0, got " + merges);
        }
        List<String> vocabulary = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        // distinct words with their counts: merging acts on word types, weighted by frequency
        Map<String, int[]> wordTypes = new LinkedHashMap<>();
        Map<String, Integer> wordCounts = new HashMap<>();
        List<List<String>> textWords = new ArrayList<>(texts.size());
        for (String text : texts) {
            List<String> words = words(text);
            textWords.add(words);
            for (String w : words) {
                wordCounts.merge(w, 1, Integer::sum);
                wordTypes.computeIfAbsent(w, k -> k.codePoints()
                        .map(cp -> ids.computeIfAbsent(new String(Character.toChars(cp)), s -> {
                            vocabulary.add(s);
                            return vocabulary.size() - 1;
                        })).toArray());
            }
        }
        List<String> typeNames = new ArrayList<>(wordTypes.keySet());
        int[][] symbols = new int[typeNames.size()][];
        int[] counts = new int[typeNames.size()];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = wordTypes.get(typeNames.get(i));
            counts[i] = wordCounts.get(typeNames.get(i));
        }
        List<String[]> mergeList = new ArrayList<>();
        // pair counts are kept up to date: a merge changes only the words that hold its pair
        Map<Long, Integer> pairCounts = new HashMap<>();
        for (int i = 0; i < symbols.length; i++) {
            addPairs(pairCounts, symbols[i], counts[i], 1);
        }
        for (int step = 0; step < merges; step++) {
            long best = bestPair(pairCounts);
            if (best < 0) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            String merged = vocabulary.get(left) + vocabulary.get(right);
            Integer existing = ids.get(merged);
            int id;
            if (existing != null) {
                id = existing; // the same string reached by another pair keeps one id
            } else {
                id = vocabulary.size();
                vocabulary.add(merged);
                ids.put(merged, id);
            }
            mergeList.add(new String[] {vocabulary.get(left), vocabulary.get(right)});
            for (int i = 0; i < symbols.length; i++) {
                int[] after = apply(symbols[i], left, right, id);
                if (after != symbols[i]) {
                    addPairs(pairCounts, symbols[i], counts[i], -1);
                    addPairs(pairCounts, after, counts[i], 1);
                    symbols[i] = after;
                }
            }
        }
        Map<String, int[]> finalSymbols = new HashMap<>();
        for (int i = 0; i < symbols.length; i++) {
            finalSymbols.put(typeNames.get(i), symbols[i]);
        }
        List<int[]> out = new ArrayList<>(texts.size());
        for (List<String> words : textWords) {
            int[] seq = words.stream().map(finalSymbols::get).flatMapToInt(Arrays::stream).toArray();
            out.add(seq);
        }
        return new Batch(List.copyOf(vocabulary), List.copyOf(mergeList), out);
    }

    private static void addPairs(Map<Long, Integer> pairCounts, int[] word, int count, int sign) {
        for (int j = 0; j + 1 < word.length; j++) {
            long pair = ((long) word[j] << 32) | (word[j + 1] & 0xffffffffL);
            pairCounts.merge(pair, sign * count, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    /**
     * The most frequent adjacent pair inside words as (left << 32 | right), ties to the smallest
     * (left, right) ids; -1 if every word is one token.
     */
    private static long bestPair(Map<Long, Integer> pairCounts) {
        long best = -1;
        int bestCount = 0;
        for (Map.Entry<Long, Integer> e : pairCounts.entrySet()) {
            int c = e.getValue();
            if (c > bestCount || (c == bestCount && e.getKey() < best)) {
                bestCount = c;
                best = e.getKey();
            }
        }
        return best;
    }

    /** Replaces each non-overlapping occurrence of (left, right), scanning left to right. */
    private static int[] apply(int[] s, int left, int right, int merged) {
        int[] out = null;
        int n = 0;
        for (int j = 0; j < s.length; j++) {
            if (j + 1 < s.length && s[j] == left && s[j + 1] == right) {
                if (out == null) {
                    out = Arrays.copyOf(s, s.length);
                    n = j;
                }
                out[n++] = merged;
                j++;
            } else if (out != null) {
                out[n++] = s[j];
            }
        }
        return out == null ? s : Arrays.copyOf(out, n);
    }
}
