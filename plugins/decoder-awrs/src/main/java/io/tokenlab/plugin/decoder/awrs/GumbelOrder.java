package io.tokenlab.plugin.decoder.awrs;

import io.tokenlab.plugin.decoder.common.Sampling;

import java.util.SplittableRandom;

/**
 * Tokens in decreasing order of log-probability plus Gumbel noise: the order of sampling without
 * replacement (the Gumbel-top-k trick), produced lazily from a heap so that finding the first few
 * costs O(V) to build and O(log V) per token, not a full sort.
 */
final class GumbelOrder {
    private final double[] keys;
    private final int[] heap;
    private int size;

    GumbelOrder(double[] logProbabilities, SplittableRandom random) {
        int v = logProbabilities.length;
        keys = new double[v];
        heap = new int[v];
        for (int i = 0; i < v; i++) {
            keys[i] = logProbabilities[i] == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY
                    : logProbabilities[i] + Sampling.gumbel(random);
            if (keys[i] != Double.NEGATIVE_INFINITY) {
                heap[size++] = i;
            }
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    boolean hasNext() {
        return size > 0;
    }

    int next() {
        int top = heap[0];
        heap[0] = heap[--size];
        siftDown(0);
        return top;
    }

    private boolean before(int a, int b) {
        // ties (vanishingly rare) break by id, so the order is a function of the seed alone
        return keys[a] > keys[b] || keys[a] == keys[b] && a < b;
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int best = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
            if (!before(heap[best], heap[i])) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[best];
            heap[best] = t;
            i = best;
        }
    }
}
