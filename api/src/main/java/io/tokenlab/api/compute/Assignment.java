package io.tokenlab.api.compute;

/**
 * A k-means assignment step: for each point, the index of its nearest centroid (lowest index on ties)
 * and the squared Euclidean distance to it.
 */
public record Assignment(int[] centroid, float[] squaredDistance) {
}
