package io.tokenlab.plugin.decoder.bytes;

import io.tokenlab.plugin.decoder.common.Vocabulary;

import java.util.Arrays;

/**
 * The vocabulary sorted by token bytes (unsigned, lexicographic), so that the tokens starting with a
 * given byte string form one contiguous range, found by two binary searches: the trie the byte-level
 * computation walks, without building one. The end token and empty tokens are left out (they produce
 * no bytes; the end token is the separate end-of-text event).
 */
final class TokenByteIndex {
    private final int[] ids;
    private final byte[][] bytes;
    private final int endToken;

    TokenByteIndex(Vocabulary vocabulary) {
        this.endToken = vocabulary.endToken();
        Integer[] order = new Integer[vocabulary.size()];
        int n = 0;
        for (int id = 0; id < vocabulary.size(); id++) {
            if (id != endToken && vocabulary.bytes(id).length > 0) {
                order[n++] = id;
            }
        }
        Integer[] kept = Arrays.copyOf(order, n);
        Arrays.sort(kept, (a, b) -> {
            int c = Arrays.compareUnsigned(vocabulary.bytes(a), vocabulary.bytes(b));
            return c != 0 ? c : Integer.compare(a, b);
        });
        ids = new int[n];
        bytes = new byte[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = kept[i];
            bytes[i] = vocabulary.bytes(kept[i]);
        }
    }

    int size() {
        return ids.length;
    }

    int id(int position) {
        return ids[position];
    }

    byte[] bytes(int position) {
        return bytes[position];
    }

    int endToken() {
        return endToken;
    }

    /** {from, to}: positions of the tokens whose bytes start with {@code prefix[from..to)}. */
    int[] range(byte[] prefix, int from, int to) {
        return new int[] {bound(prefix, from, to, false), bound(prefix, from, to, true)};
    }

    /** First position whose bytes compare >= the prefix (or, for upper, > every string extending it). */
    private int bound(byte[] prefix, int from, int to, boolean upper) {
        int lo = 0;
        int hi = ids.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = comparePrefix(bytes[mid], prefix, from, to);
            if (c < 0 || upper && c == 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Compares a token with the prefix, treating every extension of the prefix as equal to it. */
    private static int comparePrefix(byte[] token, byte[] prefix, int from, int to) {
        int n = to - from;
        int common = Math.min(token.length, n);
        for (int i = 0; i < common; i++) {
            int c = Integer.compare(token[i] & 0xff, prefix[from + i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return token.length >= n ? 0 : -1;
    }
}
