package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.plugin.math.common.RandomizedSvd;

import java.util.List;

/**
 * Count-based token vectors: positive pointwise mutual information of windowed co-occurrences, reduced
 * by truncated randomized SVD (Levy, Goldberg and Dagan 2015, "Improving distributional similarity with
 * lessons learned from word embeddings": context-distribution smoothing 0.75, eigenvalue weighting 0.5).
 * It works on id sequences from any tokenizer, so every vocabulary can get vectors trained here.
 * Tokens seen fewer than {@code minCount} times get zero rows.
 */
public final class PpmiSvdTrainer {
    /** Training settings; {@link #defaults(int)} are the published good choices at this corpus size. */
    public record Settings(int dimension, int window, int minCount, int maxContexts, double contextSmoothing,
                           double eigenvalueWeight, int powerIterations, long seed) {
        public Settings {
            if (dimension < 1 || window < 1 || minCount < 1 || maxContexts < 1) {
                throw new IllegalArgumentException("dimension, window, minCount and maxContexts must be positive");
            }
        }

        public static Settings defaults(int dimension) {
            return new Settings(dimension, 5, 5, 10_000, 0.75, 0.5, 3, 42L);
        }

        /** A stable text for cache keys. */
        public String key() {
            return "d" + dimension + "-w" + window + "-m" + minCount + "-c" + maxContexts + "-a" + contextSmoothing
                    + "-p" + eigenvalueWeight + "-q" + powerIterations + "-s" + seed;
        }
    }

    private PpmiSvdTrainer() {
    }

    /**
     * Vectors for {@code vocabulary} (row i is id i) from the id sequences; windows never cross from one
     * sequence into the next.
     */
    public static EmbeddingTable train(List<String> vocabulary, List<int[]> sequences, Settings s, Compute compute,
                                       Progress progress) {
        int v = vocabulary.size();
        long[] counts = new long[v];
        long tokens = 0;
        for (int[] seq : sequences) {
            for (int id : seq) {
                if (id >= 0 && id < v) {
                    counts[id]++;
                    tokens++;
                }
            }
        }
        int[] rowOf = new int[v];
        int rows = 0;
        for (int id = 0; id < v; id++) {
            rowOf[id] = counts[id] >= s.minCount() ? rows++ : -1;
        }
        int[] rowIds = new int[rows];
        for (int id = 0; id < v; id++) {
            if (rowOf[id] >= 0) {
                rowIds[rowOf[id]] = id;
            }
        }
        if (rows < 2) {
            throw new IllegalArgumentException("only " + rows + " tokens occur at least " + s.minCount()
                    + " times in " + tokens + " tokens of text; give more text");
        }
        // contexts: the most frequent kept tokens (ties by id, for a deterministic choice)
        Integer[] byCount = new Integer[rows];
        for (int r = 0; r < rows; r++) {
            byCount[r] = rowIds[r];
        }
        java.util.Arrays.sort(byCount, (a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : a - b);
        int contexts = Math.min(rows, s.maxContexts());
        int[] contextOf = new int[v];
        java.util.Arrays.fill(contextOf, -1);
        for (int c = 0; c < contexts; c++) {
            contextOf[byCount[c]] = c;
        }

        progress.begin("co-occurrences", sequences.size());
        CooccurrenceCounts pairs = new CooccurrenceCounts((int) Math.min(1 << 24, tokens * 4));
        for (int[] seq : sequences) {
            for (int i = 0; i < seq.length; i++) {
                int r = seq[i] >= 0 && seq[i] < v ? rowOf[seq[i]] : -1;
                if (r < 0) {
                    continue;
                }
                int lo = Math.max(0, i - s.window());
                int hi = Math.min(seq.length - 1, i + s.window());
                for (int j = lo; j <= hi; j++) {
                    if (j == i || seq[j] < 0 || seq[j] >= v) {
                        continue;
                    }
                    int c = contextOf[seq[j]];
                    if (c >= 0) {
                        // word2vec's dynamic window in expectation: nearer contexts weigh more
                        float weight = (s.window() - Math.abs(j - i) + 1) / (float) s.window();
                        pairs.add((long) r * contexts + c, weight);
                    }
                }
            }
            progress.advance(1);
        }
        progress.end();

        long[] keys = pairs.sortedKeys();
        double total = 0;
        double[] rowSum = new double[rows];
        double[] contextSum = new double[contexts];
        for (long key : keys) {
            float x = pairs.get(key);
            total += x;
            rowSum[(int) (key / contexts)] += x;
            contextSum[(int) (key % contexts)] += x;
        }
        double smoothedTotal = 0;
        double[] smoothed = new double[contexts];
        for (int c = 0; c < contexts; c++) {
            smoothed[c] = Math.pow(contextSum[c], s.contextSmoothing());
            smoothedTotal += smoothed[c];
        }
        int[] rowStart = new int[rows + 1];
        int[] colIndex = new int[keys.length];
        float[] values = new float[keys.length];
        int nnz = 0;
        int currentRow = 0;
        for (long key : keys) {
            int r = (int) (key / contexts);
            int c = (int) (key % contexts);
            while (currentRow < r) {
                rowStart[++currentRow] = nnz;
            }
            double pmi = Math.log(pairs.get(key) / total / (rowSum[r] / total * (smoothed[c] / smoothedTotal)));
            if (pmi > 0) {
                colIndex[nnz] = c;
                values[nnz++] = (float) pmi;
            }
        }
        while (currentRow < rows) {
            rowStart[++currentRow] = nnz;
        }
        SparseRows ppmi = new SparseRows(rows, contexts, rowStart, java.util.Arrays.copyOf(colIndex, nnz),
                java.util.Arrays.copyOf(values, nnz));

        progress.begin("randomized SVD of a " + rows + "x" + contexts + " PPMI matrix", 0);
        RandomizedSvd.Result svd = RandomizedSvd.leading(ppmi, s.dimension(), 10, s.powerIterations(), s.seed(), compute);
        progress.end();
        int k = svd.leftVectors().cols();
        float[] out = new float[v * s.dimension()];
        for (int r = 0; r < rows; r++) {
            int base = rowIds[r] * s.dimension();
            for (int j = 0; j < k; j++) {
                out[base + j] = (float) (svd.leftVectors().get(r, j) * Math.pow(svd.singularValues()[j], s.eigenvalueWeight()));
            }
        }
        return new EmbeddingTable(vocabulary, new FloatMatrix(v, s.dimension(), out));
    }
}
