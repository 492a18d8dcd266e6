package io.tokenlab.plugin.lm.ngram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Interpolated modified Kneser-Ney written the slow, obvious way (boxed maps of n-gram lists,
 * straight from Chen and Goodman's equations), to check the packed implementation against.
 */
final class ReferenceKneserNey {
    private final int order;
    private final int vocabularySize;
    private final List<Map<List<Integer>, Integer>> values = new ArrayList<>();
    private final List<double[]> discounts = new ArrayList<>();

    ReferenceKneserNey(int[] stream, int order, int vocabularySize) {
        this.order = order;
        this.vocabularySize = vocabularySize;
        List<Set<List<Integer>>> seen = new ArrayList<>();
        for (int k = 0; k <= order; k++) {
            seen.add(new HashSet<>());
            values.add(new HashMap<>());
        }
        for (int i = 0; i < stream.length; i++) {
            for (int k = 1; k < order && i + k <= stream.length; k++) {
                seen.get(k).add(slice(stream, i, i + k));
            }
            if (i + order <= stream.length) {
                values.get(order).merge(slice(stream, i, i + order), 1, Integer::sum);
            }
        }
        for (int k = order - 1; k >= 1; k--) {
            Map<List<Integer>, Integer> v = values.get(k);
            for (List<Integer> g : seen.get(k)) {
                v.put(g, 0);
            }
            Set<List<Integer>> higher = values.get(k + 1).keySet();
            for (List<Integer> h : higher) {
                v.merge(h.subList(1, h.size()), 1, Integer::sum);
            }
        }
        discounts.add(null);
        for (int k = 1; k <= order; k++) {
            float[] d = NgramCounter.discounts(values.get(k).values().stream().mapToInt(Integer::intValue).toArray());
            discounts.add(new double[] {d[0], d[1], d[2]});
        }
    }

    private static List<Integer> slice(int[] a, int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(a[i]);
        }
        return out;
    }

    double probability(int[] context, int token) {
        double p = 1.0 / vocabularySize;
        for (int k = 1; k <= order; k++) {
            int hLength = k - 1;
            if (hLength > context.length) {
                break;
            }
            List<Integer> h = slice(context, context.length - hLength, context.length);
            if (hLength > 0 && !values.get(hLength).containsKey(h)) {
                break;
            }
            double total = 0;
            double discounted = 0;
            double own = 0;
            double[] d = discounts.get(k);
            for (Map.Entry<List<Integer>, Integer> e : values.get(k).entrySet()) {
                if (e.getKey().subList(0, hLength).equals(h)) {
                    int n = e.getValue();
                    double take = n == 0 ? 0 : Math.min(n, d[Math.min(n, 3) - 1]);
                    total += n;
                    discounted += take;
                    if (e.getKey().get(hLength) == token) {
                        own = n - take;
                    }
                }
            }
            if (total == 0) {
                continue;
            }
            p = own / total + discounted / total * p;
        }
        return p;
    }
}
