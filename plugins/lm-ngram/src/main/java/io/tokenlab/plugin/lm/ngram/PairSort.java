package io.tokenlab.plugin.lm.ngram;

/**
 * Sorts long keys together with an int payload, in place and without boxing (Arrays.sort cannot
 * carry a second array along).
 */
final class PairSort {
    private PairSort() {
    }

    static void sort(long[] keys, int[] payload, int from, int to) {
        while (to - from > 24) {
            long pivot = median(keys[from], keys[(from + to) >>> 1], keys[to - 1]);
            int i = from;
            int j = to - 1;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(keys, payload, i, j);
                    i++;
                    j--;
                }
            }
            // recurse into the smaller half so the stack stays logarithmic
            if (j + 1 - from < to - i) {
                sort(keys, payload, from, j + 1);
                from = i;
            } else {
                sort(keys, payload, i, to);
                to = j + 1;
            }
        }
        for (int i = from + 1; i < to; i++) {
            for (int j = i; j > from && keys[j - 1] > keys[j]; j--) {
                swap(keys, payload, j, j - 1);
            }
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static void swap(long[] keys, int[] payload, int i, int j) {
        long k = keys[i];
        keys[i] = keys[j];
        keys[j] = k;
        int p = payload[i];
        payload[i] = payload[j];
        payload[j] = p;
    }
}
