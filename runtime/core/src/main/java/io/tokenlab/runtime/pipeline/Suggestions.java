package io.tokenlab.runtime.pipeline;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** "Did you mean" suggestions by edit distance, as command-line tools give them. */
public final class Suggestions {
    private Suggestions() {
    }

    static Optional<String> closest(String typed, Collection<String> known) {
        List<String> l = closestAll(typed, known, 1);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** Up to {@code limit} known names within a third of the typed length in edits, nearest first. */
    public static List<String> closestAll(String typed, Collection<String> known, int limit) {
        int threshold = Math.max(2, typed.length() / 3);
        return known.stream()
                .map(k -> new Object[] {k, distance(typed.toLowerCase(), k.toLowerCase())})
                .filter(a -> (int) a[1] <= threshold || ((String) a[0]).contains(typed) || typed.contains(suffix((String) a[0])))
                .sorted(Comparator.comparingInt((Object[] a) -> (int) a[1]).thenComparing(a -> (String) a[0]))
                .limit(limit)
                .map(a -> (String) a[0])
                .collect(Collectors.toList());
    }

    private static String suffix(String technique) {
        int slash = technique.indexOf('/');
        String s = slash >= 0 ? technique.substring(slash + 1) : technique;
        return s.length() >= 3 ? s : "\u0000";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
