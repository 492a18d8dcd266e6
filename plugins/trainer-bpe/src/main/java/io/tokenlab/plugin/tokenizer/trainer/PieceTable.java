package io.tokenlab.plugin.tokenizer.trainer;

import java.util.Arrays;

/**
 * Distinct pieces of text and how often each occurs, in an open-addressing table keyed by the
 * characters themselves. A piece is looked up by its range in the text it was cut from, so counting
 * allocates only when a piece is seen for the first time: the counting phase makes almost no
 * garbage, and the pieces' characters live in one growing array rather than one String each: a
 * million distinct pieces are a handful of large arrays the collector never has to copy object by
 * object. Both keep the heap, and the trainer's resident memory, small.
 */
final class PieceTable {
    /** Entry index + 1 per bucket; 0 is an empty bucket. */
    private int[] buckets;
    private int[] hashes;
    /** Where each entry's characters start in {@code chars}; entry e ends where e + 1 starts. */
    private int[] offsets;
    private char[] chars;
    private long[] counts;
    private int size;
    private int mask;

    PieceTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        buckets = new int[capacity];
        mask = capacity - 1;
        hashes = new int[Math.max(8, expected)];
        offsets = new int[hashes.length + 1];
        counts = new long[hashes.length];
        chars = new char[Math.max(64, expected * 8)];
    }

    int size() {
        return size;
    }

    String piece(int entry) {
        return new String(chars, offsets[entry], offsets[entry + 1] - offsets[entry]);
    }

    long count(int entry) {
        return counts[entry];
    }

    /** Counts {@code text[start, end)} once more. */
    void add(String text, int start, int end) {
        add(text, start, end, 1);
    }

    void add(String text, int start, int end, long n) {
        int h = hash(text, start, end);
        int length = end - start;
        int i = h & mask;
        while (true) {
            int e = buckets[i] - 1;
            if (e < 0) {
                insert(i, h, text, start, end, n);
                return;
            }
            if (hashes[e] == h && matches(e, text, start, length)) {
                counts[e] += n;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds every count of {@code other} into this table. */
    void addAll(PieceTable other) {
        for (int e = 0; e < other.size; e++) {
            String p = other.piece(e);
            add(p, 0, p.length(), other.counts[e]);
        }
    }

    private boolean matches(int entry, String text, int start, int length) {
        int from = offsets[entry];
        if (offsets[entry + 1] - from != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (chars[from + k] != text.charAt(start + k)) {
                return false;
            }
        }
        return true;
    }

    private void insert(int bucket, int hash, String text, int start, int end, long n) {
        if (size == hashes.length) {
            int grown = size + (size >> 1);
            hashes = Arrays.copyOf(hashes, grown);
            offsets = Arrays.copyOf(offsets, grown + 1);
            counts = Arrays.copyOf(counts, grown);
        }
        int from = offsets[size];
        int to = from + end - start;
        if (to > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(to, chars.length + (chars.length >> 1)));
        }
        text.getChars(start, end, chars, from);
        offsets[size + 1] = to;
        hashes[size] = hash;
        counts[size] = n;
        buckets[bucket] = ++size;
        if (size * 2 > buckets.length) {
            rehash();
        }
    }

    private void rehash() {
        buckets = new int[buckets.length * 2];
        mask = buckets.length - 1;
        for (int e = 0; e < size; e++) {
            int i = hashes[e] & mask;
            while (buckets[i] != 0) {
                i = (i + 1) & mask;
            }
            buckets[i] = e + 1;
        }
    }

    private static int hash(String text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
