package io.tokenlab.plugin.transplant.common;

import java.util.Arrays;

/**
 * Weighted co-occurrence counts of (row, context) pairs in an open-addressing hash of primitive
 * longs and floats: a few million pairs without boxing.
 */
final class CooccurrenceCounts {
    private static final long EMPTY = -1L;
    private long[] keys;
    private float[] values;
    private int size;

    CooccurrenceCounts(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[capacity];
        values = new float[capacity];
        Arrays.fill(keys, EMPTY);
    }

    void add(long key, float weight) {
        int mask = keys.length - 1;
        int slot = mix(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == key) {
                values[slot] += weight;
                return;
            }
            if (k == EMPTY) {
                keys[slot] = key;
                values[slot] = weight;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] oldKeys = keys;
        float[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new float[oldValues.length * 2];
        Arrays.fill(keys, EMPTY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                add(oldKeys[i], oldValues[i]);
            }
        }
    }

    int size() {
        return size;
    }

    /** Keys and values of all pairs, sorted by key (so row-major when key = row * contexts + context). */
    long[] sortedKeys() {
        long[] out = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != EMPTY) {
                out[n++] = k;
            }
        }
        Arrays.sort(out);
        return out;
    }

    float get(long key) {
        int mask = keys.length - 1;
        int slot = mix(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == EMPTY) {
                return 0f;
            }
            slot = (slot + 1) & mask;
        }
    }
}
