package io.tokenlab.plugin.lm.ngram;

import java.util.Arrays;

/**
 * An open-addressing map from non-negative long keys to int values, with linear probing and no
 * boxing: n-gram counting inserts hundreds of millions of keys, and a boxed map would cost five
 * times the memory and most of the time in allocation.
 */
final class LongIntHashMap {
    private static final long EMPTY = -1L;
    private static final double MAX_LOAD = 0.7;

    private long[] keys;
    private int[] values;
    private int mask;
    private int size;
    private int resizeAt;

    LongIntHashMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, (long) (expected / MAX_LOAD) + 1)) - 1) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new int[capacity];
        mask = capacity - 1;
        resizeAt = (int) (capacity * MAX_LOAD);
        size = 0;
    }

    int size() {
        return size;
    }

    /** Slots allocated: what the map costs in memory (12 bytes each), whatever its size. */
    int capacity() {
        return keys.length;
    }

    private static int slotOf(long key, int mask) {
        // the murmur3 finaliser: n-gram keys are parent * V + token, far from uniform in the low bits
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    /** The value of {@code key}, or {@code missing}. */
    int get(long key, int missing) {
        int slot = slotOf(key, mask);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == EMPTY) {
                return missing;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The value of {@code key}; if absent, stores {@code value} and returns it. */
    int putIfAbsent(long key, int value) {
        int slot = slotOf(key, mask);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == EMPTY) {
                keys[slot] = key;
                values[slot] = value;
                if (++size > resizeAt) {
                    grow();
                }
                return value;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Adds {@code delta} to the value of {@code key} (0 if absent), saturating at Integer.MAX_VALUE. */
    void add(long key, int delta) {
        int slot = slotOf(key, mask);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                long v = (long) values[slot] + delta;
                values[slot] = (int) Math.min(Integer.MAX_VALUE, v);
                return;
            }
            if (k == EMPTY) {
                keys[slot] = key;
                values[slot] = delta;
                if (++size > resizeAt) {
                    grow();
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(oldKeys.length * 2);
        reinsert(oldKeys, oldValues, Integer.MIN_VALUE);
    }

    /** Drops every entry whose value is at most {@code threshold}; returns how many were dropped. */
    int removeValuesAtMost(int threshold) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        int before = size;
        allocate(oldKeys.length);
        reinsert(oldKeys, oldValues, threshold);
        return before - size;
    }

    private void reinsert(long[] oldKeys, int[] oldValues, int dropAtMost) {
        for (int i = 0; i < oldKeys.length; i++) {
            long k = oldKeys[i];
            if (k != EMPTY && oldValues[i] > dropAtMost) {
                int slot = slotOf(k, mask);
                while (keys[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = k;
                values[slot] = oldValues[i];
                size++;
            }
        }
    }

    /** Copies the keys and values into the given arrays (length at least {@link #size()}), in slot order. */
    void drainTo(long[] keysOut, int[] valuesOut) {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                keysOut[n] = keys[i];
                valuesOut[n] = values[i];
                n++;
            }
        }
    }

    /** Releases the tables; the map is empty afterwards. */
    void clear() {
        allocate(16);
    }
}
