package io.tokenlab.plugin.prune.dhsa;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * DHSA's pieces (Xiong et al., 2025, "Dynamic Hierarchical Sparse Attention"), each usable alone:
 * chunk boundaries over the keys, length-normalised chunk aggregation ({@code mean * sqrt(size)}),
 * chunk-to-query-block similarity upsampled to tokens, a causal sparse mask at a given density, and
 * attention under a mask.
 *
 * <p>The boundary rule is a reconstruction (the paper also trains a predictor): a boundary goes
 * before token t when the keys inside the w-token windows on each side of t are more alike than keys
 * across them by the factor theta, kept only where that ratio is a local maximum within w (NMS).
 * Affinities are {@code (1 + cos) / 2}, so the ratio is defined for any keys.
 */
public final class HierarchicalSparseAttention {
    private HierarchicalSparseAttention() {
    }

    /** Start of every chunk, ascending, beginning with 0. */
    public static int[] chunkStarts(FloatMatrix keys, int window, double theta, Compute compute) {
        int n = keys.rows();
        if (n == 0) {
            return new int[0];
        }
        float[] cos = compute.cosineSimilarity(keys, keys).data();
        double[] ratio = new double[n];
        for (int t = window; t + window <= n; t++) {
            double inside = 0;
            double across = 0;
            int insidePairs = 0;
            for (int a = t - window; a < t + window; a++) {
                for (int b = a + 1; b < t + window; b++) {
                    double affinity = (1 + cos[a * n + b]) / 2;
                    if ((a < t) == (b < t)) {
                        inside += affinity;
                        insidePairs++;
                    } else {
                        across += affinity;
                    }
                }
            }
            inside /= insidePairs;
            across /= window * window;
            ratio[t] = across == 0 ? Double.POSITIVE_INFINITY : inside / across;
        }
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int t = window; t + window <= n; t++) {
            if (ratio[t] <= theta) {
                continue;
            }
            boolean localMaximum = true;
            for (int u = Math.max(0, t - window); u <= Math.min(n - 1, t + window) && localMaximum; u++) {
                localMaximum = u == t || ratio[u] < ratio[t] || ratio[u] == ratio[t] && u > t;
            }
            if (localMaximum && t - starts.get(starts.size() - 1) >= window) {
                starts.add(t);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Row c is {@code mean(rows of segment c) * sqrt(size of c)}: long chunks are not drowned by averaging. */
    public static FloatMatrix aggregate(FloatMatrix rows, int[] starts) {
        int d = rows.cols();
        float[] out = new float[starts.length * d];
        for (int c = 0; c < starts.length; c++) {
            int from = starts[c];
            int to = c + 1 < starts.length ? starts[c + 1] : rows.rows();
            double[] sum = new double[d];
            for (int i = from; i < to; i++) {
                for (int k = 0; k < d; k++) {
                    sum[k] += rows.get(i, k);
                }
            }
            double scale = Math.sqrt(to - from) / (to - from);
            for (int k = 0; k < d; k++) {
                out[c * d + k] = (float) (sum[k] * scale);
            }
        }
        return new FloatMatrix(starts.length, d, out);
    }

    /** Chunk index of every token. */
    public static int[] chunkOf(int[] starts, int n) {
        int[] chunk = new int[n];
        for (int c = 0; c < starts.length; c++) {
            int to = c + 1 < starts.length ? starts[c + 1] : n;
            Arrays.fill(chunk, starts[c], to, c);
        }
        return chunk;
    }

    /**
     * Token-level importance {@code S[b][j] = qbar_b . kbar_chunk(j)} for query blocks of
     * {@code blockSize} queries: the chunk similarity upsampled to the keys (blocks x N).
     */
    public static FloatMatrix tokenImportance(FloatMatrix queries, FloatMatrix keys, int[] starts, int blockSize,
                                              Compute compute) {
        int[] blockStarts = new int[(queries.rows() + blockSize - 1) / blockSize];
        for (int b = 0; b < blockStarts.length; b++) {
            blockStarts[b] = b * blockSize;
        }
        FloatMatrix chunkSimilarity = compute.multiplyTransposed(aggregate(queries, blockStarts), aggregate(keys, starts));
        int n = keys.rows();
        int[] chunk = chunkOf(starts, n);
        float[] out = new float[blockStarts.length * n];
        for (int b = 0; b < blockStarts.length; b++) {
            for (int j = 0; j < n; j++) {
                out[b * n + j] = chunkSimilarity.get(b, chunk[j]);
            }
        }
        return new FloatMatrix(blockStarts.length, n, out);
    }

    /**
     * The sparse causal mask (queries x keys): every query block sees its causal keys' last
     * {@code local}, the first {@code global} ones, then the best-scored ones until {@code density}
     * of its causal keys; the last {@code denseTail} queries (the instruction) see all causal keys.
     * At density 1 this is exactly the causal mask.
     */
    public static boolean[][] mask(FloatMatrix importance, int queries, int blockSize, double density, int local, int global,
                                   int denseTail, Compute compute) {
        int n = importance.cols();
        boolean[][] mask = new boolean[queries][n];
        for (int b = 0; b * blockSize < queries; b++) {
            int blockEnd = Math.min(queries, (b + 1) * blockSize);
            int visible = Math.min(n, blockEnd);
            boolean[] allowed = new boolean[n];
            int count = 0;
            for (int j = 0; j < visible; j++) {
                if (j >= visible - local || j < global) {
                    allowed[j] = true;
                    count++;
                }
            }
            int budget = (int) Math.ceil(density * visible);
            if (count < budget) {
                float[] scores = Arrays.copyOfRange(importance.data(), b * n, b * n + visible);
                for (int j = 0; j < visible; j++) {
                    if (allowed[j]) {
                        scores[j] = Float.NEGATIVE_INFINITY;
                    }
                }
                TopK top = compute.topK(FloatMatrix.row(scores), budget - count);
                for (int r = 0; r < top.k(); r++) {
                    allowed[top.index(0, r)] = true;
                }
            }
            for (int q = b * blockSize; q < blockEnd; q++) {
                boolean instruction = q >= queries - denseTail;
                for (int j = 0; j <= Math.min(q, n - 1); j++) {
                    mask[q][j] = instruction || allowed[j];
                }
                if (q < n) {
                    mask[q][q] = true; // a token always sees itself, so no row of the softmax is empty
                }
            }
        }
        return mask;
    }

    /** Causal softmax attention where {@code mask[q][j]} allows query q to see key j. */
    public static FloatMatrix attend(FloatMatrix q, FloatMatrix k, FloatMatrix v, boolean[][] mask, Compute compute) {
        FloatMatrix logits = compute.multiplyTransposed(q, k);
        float scale = (float) (1 / Math.sqrt(q.cols()));
        float[] l = logits.data();
        int n = k.rows();
        for (int i = 0; i < q.rows(); i++) {
            for (int j = 0; j < n; j++) {
                l[i * n + j] = mask[i][j] ? l[i * n + j] * scale : Float.NEGATIVE_INFINITY;
            }
        }
        return compute.multiply(compute.softmax(logits), v);
    }

    /** The causal mask: query i sees keys 0..i. */
    public static boolean[][] causal(int queries, int keys) {
        boolean[][] mask = new boolean[queries][keys];
        for (int i = 0; i < queries; i++) {
            Arrays.fill(mask[i], 0, Math.min(keys, i + 1), true);
        }
        return mask;
    }
}
