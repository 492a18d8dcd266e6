package io.tokenlab.plugin.tokenizer.bpe;

import java.util.Arrays;

/**
 * Strings to ids as a trie over UTF-16 characters whose edges live in one open-addressing table
 * keyed by (node, character): no per-node maps, no boxing, one probe per character walked.
 * Matches end only at code point boundaries, since every stored string is whole code points.
 */
final class CharTrie {
    private long[] keys;
    private int[] children;
    private int[] values = new int[16];
    private int nodes = 1;
    private int edges;

    CharTrie(int expectedStrings) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedStrings * 8)) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, -1L);
        children = new int[capacity];
        values[0] = -1;
    }

    void put(String s, int value) {
        int node = 0;
        for (int i = 0; i < s.length(); i++) {
            int child = child(node, s.charAt(i));
            if (child < 0) {
                child = addNode();
                insert(node, s.charAt(i), child);
            }
            node = child;
        }
        values[node] = value;
    }

    /** The value stored for {@code s[from, to)}, or -1. */
    int get(CharSequence s, int from, int to) {
        int node = 0;
        for (int i = from; i < to && node >= 0; i++) {
            node = child(node, s.charAt(i));
        }
        return node < 0 ? -1 : values[node];
    }

    /** Walks from the root: the node reached by character {@code c} from {@code node}, or -1. */
    int child(int node, char c) {
        long key = ((long) node << 16) | c;
        int mask = keys.length - 1;
        int slot = (int) mix(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return children[slot];
            }
            if (k == -1L) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    int value(int node) {
        return values[node];
    }

    /** The longest stored string starting at {@code from}: (end << 32) | value, or -1 when none. */
    long longestMatch(CharSequence s, int from, int to) {
        int node = 0;
        long best = -1;
        for (int i = from; i < to; i++) {
            node = child(node, s.charAt(i));
            if (node < 0) {
                break;
            }
            if (values[node] >= 0) {
                best = ((long) (i + 1) << 32) | values[node];
            }
        }
        return best;
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    private int addNode() {
        if (nodes == values.length) {
            values = Arrays.copyOf(values, nodes * 2);
        }
        values[nodes] = -1;
        return nodes++;
    }

    private void insert(int node, char c, int child) {
        if ((edges + 1) * 2 > keys.length) {
            grow();
        }
        long key = ((long) node << 16) | c;
        int mask = keys.length - 1;
        int slot = (int) mix(key) & mask;
        while (keys[slot] != -1L) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        children[slot] = child;
        edges++;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldChildren = children;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, -1L);
        children = new int[keys.length];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1L) {
                int slot = (int) mix(oldKeys[i]) & mask;
                while (keys[slot] != -1L) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                children[slot] = oldChildren[i];
            }
        }
    }
}
