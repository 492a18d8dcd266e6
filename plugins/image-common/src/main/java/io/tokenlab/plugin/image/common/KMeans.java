package io.tokenlab.plugin.image.common;

import io.tokenlab.api.compute.Assignment;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Random;

/**
 * Lloyd's k-means for codebooks: every assignment step is one {@link Compute#nearestCentroid} call.
 * Seeds are distinct random samples; a centroid left without points is moved to the point that is
 * worst served, so the codebook never wastes entries.
 */
public final class KMeans {
    private final FloatMatrix centroids;
    private final double[] distortionPerIteration;

    private KMeans(FloatMatrix centroids, double[] distortionPerIteration) {
        this.centroids = centroids;
        this.distortionPerIteration = distortionPerIteration;
    }

    public FloatMatrix centroids() {
        return centroids;
    }

    /** Mean squared distance to the assigned centroid after each assignment step. */
    public double[] distortionPerIteration() {
        return distortionPerIteration.clone();
    }

    public static KMeans train(Compute compute, FloatMatrix points, int k, int iterations, long seed) {
        int n = points.rows();
        int d = points.cols();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k-means of " + k + " centroids over " + n + " points");
        }
        Random random = new Random(seed);
        int[] seeds = random.ints(0, n).distinct().limit(k).toArray();
        FloatMatrix c = points.selectRows(seeds);
        double[] history = new double[Math.max(1, iterations)];
        for (int it = 0; it < history.length; it++) {
            Assignment a = compute.nearestCentroid(points, c);
            double sum = 0;
            for (float s : a.squaredDistance()) {
                sum += s;
            }
            history[it] = sum / n;
            double[] sums = new double[k * d];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                int j = a.centroid()[i];
                counts[j]++;
                int base = i * d;
                for (int t = 0; t < d; t++) {
                    sums[j * d + t] += points.data()[base + t];
                }
            }
            float[] next = c.data().clone();
            boolean[] taken = new boolean[n];
            for (int j = 0; j < k; j++) {
                if (counts[j] > 0) {
                    for (int t = 0; t < d; t++) {
                        next[j * d + t] = (float) (sums[j * d + t] / counts[j]);
                    }
                } else {
                    int worst = -1;
                    for (int i = 0; i < n; i++) {
                        if (!taken[i] && (worst < 0 || a.squaredDistance()[i] > a.squaredDistance()[worst])) {
                            worst = i;
                        }
                    }
                    taken[worst] = true;
                    System.arraycopy(points.data(), worst * d, next, j * d, d);
                }
            }
            c = new FloatMatrix(k, d, next);
        }
        return new KMeans(c, history);
    }
}
