package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.Progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The BPE merge loop with incremental pair counts. Every adjacent pair has a slot holding its
 * weighted count and the words it occurs in; a max-heap with lazy deletion picks the most frequent
 * pair. A merge rewrites only the words listed for that pair and adjusts the counts of the pairs
 * those words lose and gain, so no merge ever recounts the corpus.
 *
 * <p>Ties are broken by the smaller left id, then the smaller right id, which makes the result
 * independent of word order and thread count.
 */
final class MergeEngine {
    /** Decides whether the token a merge would create is allowed (SuperBPE's limits, KL3M's length cap). */
    interface TokenFilter {
        TokenFilter ALL = bytes -> true;

        boolean allows(byte[] mergedToken);
    }

    private final List<byte[]> tokens;
    /** Merges in rank order as {left, right, result}. */
    private final List<int[]> merges = new ArrayList<>();
    /** Token ids by their bytes (as ISO-8859-1 text): two merges that spell the same bytes share one id. */
    private final java.util.Map<String, Integer> idOfBytes = new java.util.HashMap<>();
    /** Every distinct piece as ids, back to back: piece w is symbols[wordStart[w], + wordLength[w]). */
    private final int[] symbols;
    private final int[] wordStart;
    private final int[] wordLength;
    private final long[] frequencies;

    private final LongIntMap slotOfPair;
    private int slots;
    private int[] left = new int[1024];
    private int[] right = new int[1024];
    private long[] counts = new long[1024];
    private int[][] wordLists = new int[1024][];
    private int[] wordListSizes = new int[1024];
    private int[] lastListedWord = new int[1024];
    private int[] touchedAtMerge = new int[1024];
    private boolean[] refused = new boolean[1024];

    private long[] heapCounts = new long[1024];
    private int[] heapSlots = new int[1024];
    private int heapSize;

    /**
     * @param tokens      the bytes of every id so far (at least the 256 single bytes); merges append to it
     * @param symbols     each distinct piece as ids, back to back; rewritten in place as merges apply
     *                    (a merge only shortens a piece, so it never needs room of its own)
     * @param wordStart   where each piece starts in {@code symbols}
     * @param wordLength  how many ids each piece has
     * @param frequencies how often each piece occurs
     */
    MergeEngine(List<byte[]> tokens, int[] symbols, int[] wordStart, int[] wordLength, long[] frequencies) {
        this.tokens = tokens;
        this.symbols = symbols;
        this.wordStart = wordStart;
        this.wordLength = wordLength;
        this.frequencies = frequencies;
        this.slotOfPair = new LongIntMap(1 << 16);
        for (int id = 0; id < tokens.size(); id++) {
            idOfBytes.putIfAbsent(key(tokens.get(id)), id);
        }
        for (int w = 0; w < wordStart.length; w++) {
            int end = wordStart[w] + wordLength[w];
            for (int i = wordStart[w]; i + 1 < end; i++) {
                int slot = slotOf(symbols[i], symbols[i + 1]);
                counts[slot] += frequencies[w];
                listWord(slot, w);
            }
        }
        for (int s = 0; s < slots; s++) {
            push(s);
        }
    }

    List<int[]> merges() {
        return merges;
    }

    List<byte[]> tokens() {
        return tokens;
    }

    /**
     * Picks one of several candidate merges (compression-aware BPE scores each on a validation
     * stream). The candidates come most frequent first.
     */
    interface PairChooser {
        int choose(int[] lefts, int[] rights, byte[][] mergedTokens);

        /** Called after every merge, with the ids it joined and the id it made. */
        default void merged(int left, int right, int result) {
        }
    }

    int run(int vocabularySize, long minFrequency, TokenFilter filter, Progress progress) {
        return run(vocabularySize, minFrequency, filter, 1, null, progress);
    }

    /**
     * Merges until there are {@code vocabularySize} tokens, no pair occurs {@code minFrequency}
     * times, or no allowed pair is left. With a chooser, the {@code candidates} most frequent
     * allowed pairs are offered to it and it picks the merge.
     *
     * @return the number of merges made
     */
    int run(int vocabularySize, long minFrequency, TokenFilter filter, int candidates, PairChooser chooser,
            Progress progress) {
        int wanted = Math.max(0, vocabularySize - tokens.size());
        progress.begin("BPE merges", wanted);
        int made = 0;
        int wantedCandidates = chooser == null ? 1 : Math.max(1, candidates);
        int[] found = new int[wantedCandidates];
        byte[][] foundTokens = new byte[wantedCandidates][];
        try {
            while (tokens.size() < vocabularySize) {
                int n = 0;
                while (n < wantedCandidates) {
                    int slot = nextAllowed(minFrequency, filter);
                    if (slot < 0) {
                        break;
                    }
                    if (contains(found, n, slot)) {
                        continue; // a duplicate heap entry of a pair already offered
                    }
                    found[n] = slot;
                    foundTokens[n] = concat(tokens.get(left[slot]), tokens.get(right[slot]));
                    n++;
                }
                if (n == 0) {
                    break;
                }
                int pick = 0;
                if (chooser != null && n > 1) {
                    int[] lefts = new int[n];
                    int[] rights = new int[n];
                    for (int i = 0; i < n; i++) {
                        lefts[i] = left[found[i]];
                        rights[i] = right[found[i]];
                    }
                    pick = chooser.choose(lefts, rights, Arrays.copyOf(foundTokens, n));
                }
                for (int i = 0; i < n; i++) {
                    if (i != pick) {
                        push(found[i]); // offered but not taken: back in the queue
                    }
                }
                int before = tokens.size();
                int a = left[found[pick]];
                int b = right[found[pick]];
                apply(found[pick], foundTokens[pick]);
                if (chooser != null) {
                    chooser.merged(a, b, merges.get(merges.size() - 1)[2]);
                }
                made++;
                progress.advance(tokens.size() - before);
            }
        } finally {
            progress.end();
        }
        return made;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    /** Pops the most frequent pair that may be merged, or -1 when none reaches minFrequency. */
    private int nextAllowed(long minFrequency, TokenFilter filter) {
        while (heapSize > 0) {
            long count = heapCounts[0];
            int slot = heapSlots[0];
            pop();
            if (count != counts[slot]) {
                if (counts[slot] > 0 && !refused[slot]) {
                    push(slot); // the entry was stale: requeue at the pair's current count
                }
                continue;
            }
            if (refused[slot] || count <= 0) {
                continue;
            }
            if (count < minFrequency) {
                push(slot);
                return -1;
            }
            if (!filter.allows(concat(tokens.get(left[slot]), tokens.get(right[slot])))) {
                refused[slot] = true;
                continue;
            }
            return slot;
        }
        return -1;
    }

    private void apply(int slot, byte[] merged) {
        int a = left[slot];
        int b = right[slot];
        Integer existing = idOfBytes.get(key(merged));
        int newId;
        if (existing != null) {
            newId = existing; // as Hugging Face's trainer does: the merge is kept, the token is not repeated
        } else {
            newId = tokens.size();
            tokens.add(merged);
            idOfBytes.put(key(merged), newId);
        }
        merges.add(new int[] {a, b, newId});
        int mergeNumber = merges.size();
        int[] listed = wordLists[slot];
        int listedCount = wordListSizes[slot];
        wordLists[slot] = null;
        wordListSizes[slot] = 0;
        int[] touched = new int[16];
        int touchedCount = 0;
        for (int k = 0; k < listedCount; k++) {
            int w = listed[k];
            int start = wordStart[w];
            int end = start + wordLength[w];
            if (!containsPair(start, end, a, b)) {
                continue; // listed earlier, but an earlier merge already consumed the pair here
            }
            long f = frequencies[w];
            for (int i = start; i + 1 < end; i++) {
                counts[slotOf(symbols[i], symbols[i + 1])] -= f;
            }
            // every non-overlapping (a, b), left to right, becomes newId; writing never overtakes reading
            int n = start;
            for (int i = start; i < end; i++) {
                if (i + 1 < end && symbols[i] == a && symbols[i + 1] == b) {
                    symbols[n++] = newId;
                    i++;
                } else {
                    symbols[n++] = symbols[i];
                }
            }
            wordLength[w] = n - start;
            for (int i = start; i + 1 < n; i++) {
                int s = slotOf(symbols[i], symbols[i + 1]);
                counts[s] += f;
                if (symbols[i] == newId || symbols[i + 1] == newId) {
                    listWord(s, w);
                    if (touchedAtMerge[s] != mergeNumber) {
                        touchedAtMerge[s] = mergeNumber;
                        if (touchedCount == touched.length) {
                            touched = Arrays.copyOf(touched, touchedCount * 2);
                        }
                        touched[touchedCount++] = s;
                    }
                }
            }
        }
        counts[slot] = 0;
        for (int i = 0; i < touchedCount; i++) {
            if (counts[touched[i]] > 0) {
                push(touched[i]);
            }
        }
    }

    private boolean containsPair(int start, int end, int a, int b) {
        for (int i = start; i + 1 < end; i++) {
            if (symbols[i] == a && symbols[i + 1] == b) {
                return true;
            }
        }
        return false;
    }

    /** The word with every non-overlapping (a, b), left to right, replaced by newId; null if none. */
    static int[] mergeWord(int[] word, int a, int b, int newId) {
        int[] out = null;
        int n = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == a && word[i + 1] == b) {
                if (out == null) {
                    out = new int[word.length - 1];
                    System.arraycopy(word, 0, out, 0, i);
                    n = i;
                }
                out[n++] = newId;
                i++;
            } else if (out != null) {
                out[n++] = word[i];
            }
        }
        return out == null ? null : Arrays.copyOf(out, n);
    }

    static String key(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] x, byte[] y) {
        byte[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    private int slotOf(int a, int b) {
        long key = LongIntMap.pair(a, b);
        int slot = slotOfPair.get(key, -1);
        if (slot >= 0) {
            return slot;
        }
        if (slots == left.length) {
            int n = slots * 2;
            left = Arrays.copyOf(left, n);
            right = Arrays.copyOf(right, n);
            counts = Arrays.copyOf(counts, n);
            wordLists = Arrays.copyOf(wordLists, n);
            wordListSizes = Arrays.copyOf(wordListSizes, n);
            lastListedWord = Arrays.copyOf(lastListedWord, n);
            touchedAtMerge = Arrays.copyOf(touchedAtMerge, n);
            refused = Arrays.copyOf(refused, n);
        }
        slot = slots++;
        left[slot] = a;
        right[slot] = b;
        lastListedWord[slot] = -1;
        slotOfPair.put(key, slot);
        return slot;
    }

    private void listWord(int slot, int word) {
        if (lastListedWord[slot] == word) {
            return; // pieces are processed one at a time, so this catches every repeat within one
        }
        lastListedWord[slot] = word;
        int[] list = wordLists[slot];
        int size = wordListSizes[slot];
        if (list == null) {
            list = new int[2];
        } else if (size == list.length) {
            list = Arrays.copyOf(list, size + (size >> 1) + 2);
        }
        list[size] = word;
        wordLists[slot] = list;
        wordListSizes[slot] = size + 1;
    }

    // ---- max-heap of (count, slot); ties go to the smaller (left, right)

    private boolean above(long countX, int slotX, long countY, int slotY) {
        if (countX != countY) {
            return countX > countY;
        }
        if (left[slotX] != left[slotY]) {
            return left[slotX] < left[slotY];
        }
        return right[slotX] < right[slotY];
    }

    private void push(int slot) {
        if (heapSize == heapSlots.length) {
            heapSlots = Arrays.copyOf(heapSlots, heapSize * 2);
            heapCounts = Arrays.copyOf(heapCounts, heapSize * 2);
        }
        int i = heapSize++;
        long c = counts[slot];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!above(c, slot, heapCounts[parent], heapSlots[parent])) {
                break;
            }
            heapCounts[i] = heapCounts[parent];
            heapSlots[i] = heapSlots[parent];
            i = parent;
        }
        heapCounts[i] = c;
        heapSlots[i] = slot;
    }

    private void pop() {
        heapSize--;
        if (heapSize == 0) {
            return;
        }
        long c = heapCounts[heapSize];
        int slot = heapSlots[heapSize];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && above(heapCounts[child + 1], heapSlots[child + 1], heapCounts[child], heapSlots[child])) {
                child++;
            }
            if (!above(heapCounts[child], heapSlots[child], c, slot)) {
                break;
            }
            heapCounts[i] = heapCounts[child];
            heapSlots[i] = heapSlots[child];
            i = child;
        }
        heapCounts[i] = c;
        heapSlots[i] = slot;
    }
}
