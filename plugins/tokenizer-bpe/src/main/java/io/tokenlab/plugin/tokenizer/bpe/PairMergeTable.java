package io.tokenlab.plugin.tokenizer.bpe;

import java.util.Arrays;

/**
 * Which adjacent pair of tokens merges into which token, and how early: an open-addressing table
 * keyed by {@code left << 32 | right}. A lower rank merges first.
 */
final class PairMergeTable {
    static final int NO_MERGE = Integer.MAX_VALUE;

    private long[] keys;
    private int[] ranks;
    private int[] merged;
    private int mask;
    private int size;

    PairMergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, -1L);
        ranks = new int[capacity];
        merged = new int[capacity];
        mask = capacity - 1;
    }

    private static int slotOf(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** Adds or replaces a merge (a later duplicate wins, as in Hugging Face tokenizers). */
    void put(int left, int right, int rank, int mergedId) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
        int slot = slotOf(key, mask);
        while (keys[slot] != -1L && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == -1L) {
            size++;
        }
        keys[slot] = key;
        ranks[slot] = rank;
        merged[slot] = mergedId;
    }

    /** The slot of a pair's merge, or -1 if the pair does not merge. */
    int find(int left, int right) {
        long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
        int slot = slotOf(key, mask);
        for (long k; (k = keys[slot]) != -1L; slot = (slot + 1) & mask) {
            if (k == key) {
                return slot;
            }
        }
        return -1;
    }

    int rank(int left, int right) {
        int slot = find(left, right);
        return slot < 0 ? NO_MERGE : ranks[slot];
    }

    int rankAt(int slot) {
        return ranks[slot];
    }

    int mergedAt(int slot) {
        return merged[slot];
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldRanks = ranks;
        int[] oldMerged = merged;
        int capacity = oldKeys.length * 2;
        keys = new long[capacity];
        Arrays.fill(keys, -1L);
        ranks = new int[capacity];
        merged = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1L) {
                int slot = slotOf(oldKeys[i], mask);
                while (keys[slot] != -1L) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                ranks[slot] = oldRanks[i];
                merged[slot] = oldMerged[i];
            }
        }
    }
}
