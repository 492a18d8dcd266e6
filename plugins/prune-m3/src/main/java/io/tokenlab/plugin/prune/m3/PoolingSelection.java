package io.tokenlab.plugin.prune.m3;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Arrays;

/**
 * Turns pooling into a selection: for every bin, the token of that bin nearest (in feature space) to
 * the bin's pooled feature, i.e. the real token that best stands for what the pooled token carries.
 * Distances run on {@link Compute}.
 */
final class PoolingSelection {
    private PoolingSelection() {
    }

    /**
     * One distinct token per bin, in bin order. Overlapping adaptive bins can want the same token; a
     * bin whose tokens are all taken falls back to the nearest untaken token anywhere, so the result
     * always has one distinct token per bin.
     */
    static int[] representatives(FloatMatrix features, int rows, int cols, GridPooling.Bin[] bins, Compute compute) {
        FloatMatrix pooled = GridPooling.pool(features, rows, cols, bins);
        float[] distances = compute.squaredDistances(pooled, features).data();
        int n = features.rows();
        boolean[] taken = new boolean[n];
        int[] chosen = new int[bins.length];
        for (int b = 0; b < bins.length; b++) {
            GridPooling.Bin bin = bins[b];
            int best = -1;
            for (int r = bin.rowStart(); r < bin.rowEnd(); r++) {
                for (int c = bin.colStart(); c < bin.colEnd(); c++) {
                    int t = r * cols + c;
                    if (!taken[t] && (best < 0 || distances[b * n + t] < distances[b * n + best])) {
                        best = t;
                    }
                }
            }
            for (int t = 0; best < 0 && t < n; t++) {
                if (!taken[t]) {
                    best = t;
                }
            }
            for (int t = best + 1; !bin.contains(best / cols, best % cols) && t < n; t++) {
                if (!taken[t] && distances[b * n + t] < distances[b * n + best]) {
                    best = t;
                }
            }
            taken[best] = true;
            chosen[b] = best;
        }
        return chosen;
    }

    /**
     * {@code keep} of {@code count} bins spread evenly over the raster order: when the keep count is
     * not a grid size, the smallest grid with enough bins is thinned uniformly rather than cropped.
     */
    static int[] evenlySpaced(int count, int keep) {
        int[] out = new int[keep];
        for (int i = 0; i < keep; i++) {
            out[i] = (int) ((long) i * count / keep);
        }
        return out;
    }

    static int[] sortedSubset(int[] values, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = values[positions[i]];
        }
        Arrays.sort(out);
        return out;
    }
}
