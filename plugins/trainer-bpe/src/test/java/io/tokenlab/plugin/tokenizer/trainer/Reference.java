package io.tokenlab.plugin.tokenizer.trainer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The textbook BPE trainer: recount every pair of every word before each merge. Slow and obviously
 * right; the incremental engine must make the same merges.
 */
final class Reference {
    private Reference() {
    }

    static List<int[]> merges(List<String> lines, int merges) {
        Map<String, long[]> counts = new TreeMap<>();
        for (String line : lines) {
            PreTokenization.GPT2.split(line, p -> counts.computeIfAbsent(p, k -> new long[1])[0]++);
        }
        List<int[]> words = new ArrayList<>();
        List<Long> freqs = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            byte[] b = ByteLevel.utf8(e.getKey());
            int[] w = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                w[i] = b[i] & 0xff;
            }
            words.add(w);
            freqs.add(e.getValue()[0]);
        }
        List<byte[]> tokens = BpeTraining.singleBytes();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < 256; i++) {
            ids.put(MergeEngine.key(tokens.get(i)), i);
        }
        List<int[]> out = new ArrayList<>();
        while (out.size() < merges) {
            Map<Long, Long> pairCounts = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                int[] word = words.get(w);
                for (int i = 0; i + 1 < word.length; i++) {
                    pairCounts.merge(LongIntMap.pair(word[i], word[i + 1]), freqs.get(w), Long::sum);
                }
            }
            long bestCount = 0;
            int bestA = -1;
            int bestB = -1;
            for (Map.Entry<Long, Long> e : pairCounts.entrySet()) {
                int a = (int) (e.getKey() >> 32);
                int b = (int) (long) e.getKey();
                long c = e.getValue();
                if (c > bestCount || c == bestCount && (a < bestA || a == bestA && b < bestB)) {
                    bestCount = c;
                    bestA = a;
                    bestB = b;
                }
            }
            if (bestA < 0) {
                break;
            }
            byte[] merged = MergeEngine.concat(tokens.get(bestA), tokens.get(bestB));
            Integer id = ids.get(MergeEngine.key(merged));
            if (id == null) {
                id = tokens.size();
                tokens.add(merged);
                ids.put(MergeEngine.key(merged), id);
            }
            out.add(new int[] {bestA, bestB, id});
            for (int w = 0; w < words.size(); w++) {
                int[] m = MergeEngine.mergeWord(words.get(w), bestA, bestB, id);
                if (m != null) {
                    words.set(w, m);
                }
            }
        }
        return out;
    }
}
