package io.tokenlab.plugin.prune.common;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Top-k by score with a fixed tie rule, so that equal scores never make a selection depend on the backend. */
public final class Ranking {
    private Ranking() {
    }

    /** Indices of the {@code keep} largest scores (ties: the earlier token first), returned ascending. */
    public static int[] topAscending(double[] scores, int keep) {
        int[] kept = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(keep).mapToInt(Integer::intValue).toArray();
        Arrays.sort(kept);
        return kept;
    }
}
