package io.tokenlab.plugin.prune.divprune;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

/**
 * The Max-Min Diversity Problem as DivPrune solves it: distances {@code 1 - cos(V_i, V_j)} and the
 * reference's greedy. Public so that reports and other criteria can measure diversity the same way.
 *
 * <p>The greedy is the reference's, step for step: the first token is the one whose nearest neighbour
 * is farthest (the second-smallest value of its distance column, the smallest being its own
 * diagonal), then repeatedly the token farthest from the kept set. The reference recomputes the
 * minimum over all kept rows at every step (O(M^2 N)); a running minimum updated with the newest
 * row gives the same values in O(M N). Ties go to the lowest index, as {@code torch.argmax} does.
 */
public final class MaxMinDiversity {
    private MaxMinDiversity() {
    }

    /**
     * {@code D[i][j] = 1 - cos(V_i, V_j)}, N x N row-major and exactly symmetric. The products run on
     * {@code compute}; every row must be non-zero, since a zero vector has no direction.
     */
    public static float[] cosineDistances(FloatMatrix features, Compute compute) {
        int n = features.rows();
        int d = features.cols();
        float[] norms = compute.rowNorms(features);
        for (int i = 0; i < n; i++) {
            if (!(norms[i] > 0f)) {
                throw new TechniqueException("token " + i + " has a zero feature vector: its cosine distance to "
                        + "other tokens is undefined");
            }
        }
        // one self-similarity: backends compute its upper triangle and mirror it (half the products), and
        // every backend returns it exactly symmetric (the compute parity kit checks that), so the
        // distances are too; they overwrite the cosines in place
        float[] distances = compute.cosineSimilarity(features, features).data();
        for (int i = 0; i < distances.length; i++) {
            distances[i] = 1f - distances[i];
        }
        return distances;
    }

    /**
     * The greedy selection, in the order the tokens were chosen (not sorted).
     *
     * @param distances N x N distances, symmetric, row-major
     */
    public static int[] greedyOrder(float[] distances, int n, int keep) {
        if ((long) n * n != distances.length) {
            throw new IllegalArgumentException(distances.length + " distances are not " + n + " x " + n);
        }
        if (keep < 0 || keep > n) {
            throw new IllegalArgumentException("keep " + keep + " is outside [0, " + n + "]");
        }
        int[] order = new int[keep];
        if (keep == 0) {
            return order;
        }
        boolean[] kept = new boolean[n];
        float[] nearestKept = new float[n];
        order[0] = farthestNearestNeighbour(distances, n);
        kept[order[0]] = true;
        System.arraycopy(distances, order[0] * n, nearestKept, 0, n);
        for (int step = 1; step < keep; step++) {
            int best = -1;
            float bestDistance = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                // a kept token's own distance (about 0) already excludes it in the reference; the flag
                // makes that hold for duplicated tokens too, so the result has keep distinct tokens
                if (!kept[j] && nearestKept[j] > bestDistance) {
                    bestDistance = nearestKept[j];
                    best = j;
                }
            }
            order[step] = best;
            kept[best] = true;
            int row = best * n;
            for (int j = 0; j < n; j++) {
                float dj = distances[row + j];
                if (dj < nearestKept[j]) {
                    nearestKept[j] = dj;
                }
            }
        }
        return order;
    }

    /** argmax over columns of the second-smallest value in the column (rows, by symmetry). */
    private static int farthestNearestNeighbour(float[] distances, int n) {
        if (n == 1) {
            return 0;
        }
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float smallest = Float.POSITIVE_INFINITY;
            float second = Float.POSITIVE_INFINITY;
            int row = j * n;
            for (int i = 0; i < n; i++) {
                float v = distances[row + i];
                if (v < smallest) {
                    second = smallest;
                    smallest = v;
                } else if (v < second) {
                    second = v;
                }
            }
            if (second > bestScore) {
                bestScore = second;
                best = j;
            }
        }
        return best;
    }

    /** The Max-Min objective: the smallest distance between two distinct members of {@code subset}. */
    public static float minPairwiseDistance(float[] distances, int n, int[] subset) {
        float min = Float.POSITIVE_INFINITY;
        for (int a = 0; a < subset.length; a++) {
            for (int b = a + 1; b < subset.length; b++) {
                min = Math.min(min, distances[subset[a] * n + subset[b]]);
            }
        }
        return min;
    }
}
